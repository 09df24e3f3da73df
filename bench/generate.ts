/**
 * The corpus generator: articles in the corpus layout (title, empty line, dateline, optional lead,
 * paragraphs indented with two spaces) made from any sentences it is given. Deterministic for a seed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCjk } from '../src/core/text';

/**
 * Sentences of ../shared/data/ner/*.bio (or of $CORPUS_LENS_NER_DATA/*.bio: a git worktree lies elsewhere) when
 * that folder exists, else of the project's sample corpus.
 */
export function loadSentences(root: string): { sentences: string[]; source: string } {
  const shared = process.env.CORPUS_LENS_NER_DATA || path.resolve(root, '../shared/data/ner');
  const out: string[] = [];
  if (fs.existsSync(shared)) {
    for (const f of fs.readdirSync(shared).filter((x) => x.endsWith('.bio')).sort()) {
      let cur = '';
      for (const line of fs.readFileSync(path.join(shared, f), 'utf8').split('\n')) {
        const ch = line.split(/[\t ]/)[0];
        if (!line.trim()) { if (cur.length > 4) out.push(cur); cur = ''; } else cur += ch;
      }
      if (cur.length > 4) out.push(cur);
    }
    if (out.length) return { sentences: out, source: `${path.relative(root, shared)}/*.bio sentences` };
  }
  const sample = path.join(root, 'sample/corpus');
  for (const f of fs.readdirSync(sample).filter((x) => /\.(txt|corpus)$/.test(x)).sort()) {
    const text = fs.readFileSync(path.join(sample, f), 'utf8').replace(/^\ufeff/, '');
    for (const para of text.split(/\r?\n/).slice(4)) {
      for (const s of para.trim().split(/(?<=[。！？])/)) if (s.length > 4) out.push(s);
    }
  }
  return { sentences: out, source: 'the sample corpus (sample/corpus)' };
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function makeArticle(sentences: string[], rand: () => number, targetChars = 1000): string {
  const pick = () => sentences[Math.floor(rand() * sentences.length)];
  const title = pick().replace(/[，。！？、；：“”《》（）\s]/g, '').slice(0, 24);
  const d = new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 6 * 365) * 86400000);
  const dateline = `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}${rand() < 0.5 ? '  ' : ' \u00a0'}${pad(Math.floor(rand() * 24))}:${pad(Math.floor(rand() * 60))}`;
  const lines = [title, '', dateline];
  if (rand() < 0.5) lines.push(pick().slice(0, 30));
  let chars = 0;
  while (chars < targetChars) {
    let para = '';
    const n = 2 + Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) para += pick();
    lines.push('', '  ' + para);
    chars += para.length;
  }
  return lines.join('\n') + '\n';
}

/** Writes `count` articles into dir (kept when already complete); with `bytes`, one article of about that size. */
export function generateCorpus(dir: string, count: number, sentences: string[], seed: number, bytes?: number): { dir: string; count: number; bytes: number } {
  const stamp = path.join(dir, '.complete');
  if (fs.existsSync(stamp)) {
    const total = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    return { dir, count, bytes: total };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const rand = rng(seed);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const text = makeArticle(sentences, rand, bytes ? Math.ceil(bytes / 3) : 1000);
    const hash = Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0') + Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0');
    fs.writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}_${hash}.txt`), text);
    total += Buffer.byteLength(text);
  }
  fs.writeFileSync(stamp, '');
  return { dir, count, bytes: total };
}

/**
 * An article with `commas` half-width commas between Chinese characters, as in text typed or converted
 * carelessly (the issue's 1 MB article had 36,000): made as makeArticle makes one, its paragraphs' full-width
 * commas made half-width and a half-width comma added after every `every` Chinese characters that have none,
 * paragraphs taken until there are that many. About 28 bytes of UTF-8 a comma, whichever the sentences.
 */
export function makeCommaArticle(sentences: string[], rand: () => number, commas: number, every = 8): string {
  const han = { test: (c: string) => c !== '' && isCjk(c) };
  const [title, empty, dateline, ...rest] = makeArticle(sentences, rand, commas * every * 2).split('\n');
  const out = [title, empty, dateline];
  let n = 0;
  for (const line of rest) {
    if (!line.startsWith('  ')) { if (line) out.push(line); continue; } // the lead as it is
    if (n >= commas) break;
    const chars = Array.from(line);
    let para = '', run = 0;
    chars.forEach((c, i) => {
      // (between as the halfwidth-punctuation rule has it: after a Chinese character, before one or an opening mark)
      const between = han.test(chars[i - 1] ?? '') && (han.test(chars[i + 1] ?? '') || /[“‘《「（(]/.test(chars[i + 1] ?? '')) && n < commas;
      if (c === '，') { para += between ? ',' : c; if (between) n++; run = 0; return; }
      para += c;
      run = han.test(c) ? run + 1 : 0;
      if (run >= every && han.test(chars[i + 1] ?? '') && n < commas) { para += ','; run = 0; n++; }
    });
    out.push('', para);
  }
  return out.join('\n') + '\n';
}
