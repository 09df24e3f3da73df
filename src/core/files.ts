/**
 * Reading corpus files safely: UTF-8 only (with or without BOM); binary files, other encodings and files
 * over the size limit are reported with a clear reason, never analysed as garbage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export type ReadResult =
  | { ok: true; text: string; bytes: number }
  | { ok: false; reason: 'binary' | 'encoding' | 'too-large' | 'unreadable'; message: string; encoding?: string };

/** Guesses the encoding of bytes that are not UTF-8: UTF-16 by BOM, then GB18030 or Big5 by what decodes cleanly. */
export function guessEncoding(buf: Uint8Array): string | undefined {
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'UTF-16 LE';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'UTF-16 BE';
  const sample = buf.subarray(0, 64 * 1024);
  const tryDecode = (label: string) => {
    try { return new TextDecoder(label, { fatal: true }).decode(sample); } catch { return undefined; }
  };
  const cjkShare = (s: string) => {
    let cjk = 0, n = 0;
    for (const ch of s) { n++; if (/[\u4e00-\u9fff]/.test(ch)) cjk++; }
    return n ? cjk / n : 0;
  };
  const candidates = ['gb18030', 'big5'].map((label) => ({ label, text: tryDecode(label) }))
    .filter((c): c is { label: string; text: string } => c.text !== undefined)
    .map((c) => ({ ...c, score: cjkShare(c.text) }));
  candidates.sort((a, b) => b.score - a.score);
  if (candidates.length && candidates[0].score > 0.05) return candidates[0].label === 'gb18030' ? 'GB18030 (GBK)' : 'Big5';
  return undefined;
}

function tooLarge(file: string, size: number, maxBytes: number): ReadResult {
  const mb = (n: number) => (n / 1048576).toFixed(1);
  return { ok: false, reason: 'too-large', message: `${file}: ${mb(size)} MB is over the ${mb(maxBytes)} MB limit (setting corpusLens.maxFileSizeMB, CLI --max-size); skipped` };
}

export function decodeCorpusBytes(buf: Uint8Array, file = 'file', maxBytes = DEFAULT_MAX_BYTES): ReadResult {
  if (buf.length > maxBytes) return tooLarge(file, buf.length, maxBytes);
  const head = buf.subarray(0, 8192);
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (!utf16 && head.includes(0)) {
    return { ok: false, reason: 'binary', message: `${file}: a binary file (it contains NUL bytes), not a text article; skipped` };
  }
  if (!utf16) {
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buf), bytes: buf.length };
    } catch { /* not UTF-8: fall through */ }
  }
  const enc = guessEncoding(buf);
  return {
    ok: false, reason: 'encoding', encoding: enc,
    message: enc
      ? `${file}: not UTF-8; it looks like ${enc}. Convert it to UTF-8 (e.g. iconv -f ${enc.split(' ')[0]} -t UTF-8) or reopen it with that encoding; skipped`
      : `${file}: not valid UTF-8 and not a known Chinese encoding; skipped`,
  };
}

export function readCorpusFile(file: string, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
  try {
    const st = fs.statSync(file);
    if (st.size > maxBytes) return tooLarge(file, st.size, maxBytes);
    return decodeCorpusBytes(fs.readFileSync(file), file, maxBytes);
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}

export const ARTICLE_EXTENSIONS = ['.txt', '.corpus'];

/** Files below the given paths (recursively), articles only, sorted; missing paths are reported. */
export function collectFiles(paths: string[], exts = ARTICLE_EXTENSIONS): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (p: string) => {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { missing.push(p); return; }
    if (st.isDirectory()) walkDir(p);
    else if (exts.includes(path.extname(p).toLowerCase())) files.push(p);
  };
  // a folder's entries by their types (no stat per file; a link or an unknown type is looked at by walk)
  const walkDir = (p: string) => {
    for (const d of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (d.name === 'node_modules' || d.name.startsWith('.')) continue;
      const child = path.join(p, d.name);
      if (d.isDirectory()) walkDir(child);
      else if (d.isFile()) { if (exts.includes(path.extname(d.name).toLowerCase())) files.push(child); }
      else walk(child);
    }
  };
  for (const p of paths) {
    let st: fs.Stats | undefined;
    try { st = fs.statSync(p); } catch { missing.push(p); continue; }
    if (st.isFile()) files.push(p); // a file named explicitly is checked whatever its extension
    else walk(p);
  }
  return { files, missing };
}
