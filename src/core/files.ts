/**
 * Reading corpus files safely: UTF-8 only (with or without BOM); binary files, other encodings and files
 * over the size limit are reported with a clear reason, never analysed as garbage. Only regular files are read,
 * and never more than the limit (readFileBounded); folder walks visit each folder once (collectFiles).
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS } from './settings';

export const DEFAULT_MAX_BYTES = SETTINGS.maxFileSizeMB.default * 1048576;

export type ReadResult =
  | { ok: true; text: string; bytes: number }
  | { ok: false; reason: 'binary' | 'encoding' | 'too-large' | 'not-a-file' | 'unreadable'; message: string; encoding?: string };

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
  // (after "path: ", the message of the CLI's file-too-large finding: in the messages' language, core/messages)
  return { ok: false, reason: 'too-large', message: `${file}: ${l10n.t('{0} MB is over the {1} MB limit (setting corpusLens.maxFileSizeMB, CLI --max-size); skipped', mb(size), mb(maxBytes))}` };
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
    // (after "path: ", the message of the CLI's file-encoding finding: in the messages' language, core/messages)
    message: `${file}: ${enc
      ? l10n.t('not UTF-8; it looks like {0}. Convert it to UTF-8 (e.g. iconv -f {1} -t UTF-8) or reopen it with that encoding; skipped', enc, enc.split(' ')[0])
      : l10n.t('not valid UTF-8 and not a known Chinese encoding; skipped')}`,
  };
}

/**
 * File names that are not valid UTF-8. Node's file functions take and give names as UTF-8 strings: a name with
 * other bytes (a Latin-1 or GBK name from an old archive) comes back from readdir with U+FFFD in place of its bytes,
 * and that string opens nothing. The walk reads names as bytes and keeps each invalid byte b as the lone surrogate
 * U+DC00 + b (Python's "surrogateescape", PEP 383): valid UTF-8 never decodes to a lone surrogate, so the string
 * stays a plain string for everything else (sorting, printing, messages to the worker) and `fsPath` gives its bytes
 * back exactly when a file is opened.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export function decodeFileName(bytes: Uint8Array): string {
  try { return strictUtf8.decode(bytes); } catch { /* below, byte by byte */ }
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    // the length of a well-formed UTF-8 sequence starting here (RFC 3629: no overlong forms, no surrogates, ≤ U+10FFFF), or 0
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = n > 0 && i + n <= bytes.length;
    for (let k = 1; ok && k < n; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (ok && n === 3) ok = !(b === 0xe0 && bytes[i + 1] < 0xa0) && !(b === 0xed && bytes[i + 1] >= 0xa0);
    if (ok && n === 4) ok = !(b === 0xf0 && bytes[i + 1] < 0x90) && !(b === 0xf4 && bytes[i + 1] >= 0x90);
    if (ok) { out += Buffer.from(bytes.subarray(i, i + n)).toString('utf8'); i += n; } else { out += String.fromCharCode(0xdc00 + b); i++; }
  }
  return out;
}

/** The path to give to `fs`: the string itself, or its bytes when it holds escaped bytes (see decodeFileName). */
export function fsPath(p: string): string | Buffer {
  if (!/(?<![\ud800-\udbff])[\udc80-\udcff]/.test(p)) return p; // (no lone low surrogate: a plain name)
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    // a lone low surrogate (not the second half of a pair) is an escaped byte
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && p.charCodeAt(i - 1) >= 0xd800 && p.charCodeAt(i - 1) <= 0xdbff)) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([c - 0xdc00]));
      run = '';
    } else run += p[i];
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** What a file system entry is, in words, for the messages about entries that are not regular files. */
function kindOf(st: fs.Stats): string {
  return st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe' : st.isCharacterDevice() ? 'a character device'
    : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'not a file';
}

/**
 * The bytes of a regular file, at most `maxBytes`, or why not. Only a regular file is opened: a named pipe would
 * block the open (and the reader forever), /dev/zero would be read until memory runs out. The check is made on the
 * path (stat) and again on the open descriptor (fstat), in case the path changed in between; the open itself does
 * not wait (O_NONBLOCK, which changes nothing for a regular file). The read stops at maxBytes + 1 bytes whatever
 * stat said, so a file that grows meanwhile is too large, never an unbounded read.
 */
export function readFileBounded(file: string, maxBytes: number): { ok: true; bytes: Buffer } | { ok: false; reason: 'not-a-file' | 'too-large' | 'unreadable'; size?: number; message: string } {
  maxBytes = Math.floor(maxBytes); // (a limit in MB, 0.1 of them, is a fraction of a byte over)
  const p = fsPath(file);
  let fd: number | undefined;
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return { ok: false, reason: 'not-a-file', message: `not a regular file (${kindOf(st)})` };
    if (st.size > maxBytes) return { ok: false, reason: 'too-large', size: st.size, message: 'too large' };
    fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) return { ok: false, reason: 'not-a-file', message: `not a regular file (${kindOf(fst)})` };
    if (fst.size > maxBytes) return { ok: false, reason: 'too-large', size: fst.size, message: 'too large' };
    let buf = Buffer.allocUnsafe(Math.min(fst.size + 1, maxBytes + 1));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (buf.length > maxBytes) return { ok: false, reason: 'too-large', size: n, message: 'too large' };
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* nothing to lose: it was only read */ }
  }
}

export function readCorpusFile(file: string, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
  const read = readFileBounded(file, maxBytes);
  if (read.ok) return decodeCorpusBytes(read.bytes, file, maxBytes);
  if (read.reason === 'too-large') return tooLarge(file, read.size ?? maxBytes + 1, maxBytes);
  if (read.reason === 'not-a-file') return { ok: false, reason: 'not-a-file', message: `${file}: ${read.message}; skipped` };
  return { ok: false, reason: 'unreadable', message: `${file}: ${read.message}` };
}

export const ARTICLE_EXTENSIONS = ['.txt', '.corpus'];

/** an entry every walk of the corpus leaves out: hidden (a name starting with a dot) or node_modules */
export const leftOutOfWalks = (name: string): boolean => name === 'node_modules' || name.startsWith('.');

/**
 * What the walk left out, one line each: `unreadable` when it is a path or folder that could not be read (as a file
 * that cannot be read, an error of the run); otherwise something that is not an article (a named pipe, a device, a
 * link to nothing or in a loop, a folder reached a second time), which is only said.
 */
export interface Skipped { path: string; message: string; unreadable?: boolean }

/**
 * Files below the given paths (recursively), articles only, sorted; missing paths are reported. Only regular files
 * are listed, each folder is walked once (by device and inode: a link back to a folder already walked is skipped,
 * so link loops end), hidden entries and node_modules are left out, and nothing found on the way aborts the walk:
 * it goes into `skipped` with its reason. A path named on the command line that does not exist is `missing`.
 * Names that are not valid UTF-8 are kept as escaped strings (decodeFileName), so such files are checked too.
 */
export function collectFiles(paths: string[], exts = ARTICLE_EXTENSIONS): { files: string[]; missing: string[]; skipped: Skipped[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const skipped: Skipped[] = [];
  const skip = (p: string, message: string, unreadable = false) => skipped.push(unreadable ? { path: p, message: `${p}: ${message}; skipped`, unreadable } : { path: p, message: `${p}: ${message}; skipped` });
  const isArticle = (name: string) => exts.includes(path.extname(name).toLowerCase());
  let visited = new Map<string, string>(); // `${dev}:${ino}` of each folder walked → the path it was walked as
  /** an entry that is neither a plain file nor a plain folder (a link, or a type readdir did not say): what it leads to */
  const walk = (p: string, named: boolean) => {
    let st: fs.Stats;
    try { st = fs.statSync(fsPath(p)); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (named && (code === 'ENOENT' || code === 'ENOTDIR')) { missing.push(p); return; }
      if (code === 'ENOENT') {
        let target = '?';
        try { target = decodeFileName(fs.readlinkSync(fsPath(p), { encoding: 'buffer' })); } catch { /* not a link after all */ }
        skip(p, `a symbolic link to nothing (${target})`);
      } else if (code === 'ELOOP') skip(p, 'a symbolic link that loops (ELOOP)');
      else skip(p, `cannot read (${code ?? (e as Error).message})`, true);
      return;
    }
    if (st.isDirectory()) walkDir(p, st);
    else if (!st.isFile()) skip(p, `not a regular file (${kindOf(st)})`);
    else if (named || isArticle(p)) files.push(p); // a file named explicitly is checked whatever its extension
  };
  const walkDir = (p: string, st: fs.Stats) => {
    const key = `${st.dev}:${st.ino}`;
    const first = visited.get(key);
    if (first !== undefined) { skip(p, `the same folder as ${first}, already walked`); return; }
    visited.set(key, p);
    let entries: fs.Dirent<Buffer>[];
    try { entries = fs.readdirSync(fsPath(p), { withFileTypes: true, encoding: 'buffer' }); } catch (e) {
      skip(p, `cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, true);
      return;
    }
    // names as bytes (a name that is not UTF-8 still opens), sorted as strings
    const named = entries.map((d) => ({ d, name: decodeFileName(d.name) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { d, name } of named) {
      if (leftOutOfWalks(name)) continue;
      const child = path.join(p, name);
      // a plain file by its type from readdir (no stat per file); a folder, a link or an unknown type is looked at
      if (d.isFile()) { if (isArticle(name)) files.push(child); }
      else if (d.isDirectory()) {
        let cst: fs.Stats;
        try { cst = fs.statSync(fsPath(child)); } catch (e) { skip(child, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, true); continue; }
        walkDir(child, cst);
      } else walk(child, false);
    }
  };
  for (const p of paths) {
    visited = new Map(); // (a folder named twice is walked twice, as a file named twice is checked twice)
    walk(p, true);
  }
  return { files, missing, skipped };
}
