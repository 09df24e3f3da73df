/**
 * Feature extraction for the character tagger. Every feature is a 32-bit hash computed with integer
 * mixing (no strings are built per character); the tagger maps it to a weight row.
 */
import { Gazetteer, gazetteerLabels, KIND_COUNT, Kind } from './gazetteer';
import type { Lexicon } from './lexicon';

export function mixInt(h: number, x: number): number {
  let k = Math.imul(x | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
export function finalise(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}
export function hashString(s: string): number {
  let h = 0x2f1e3d5c;
  for (let i = 0; i < s.length; i++) h = mixInt(h, s.charCodeAt(i));
  return finalise(mixInt(h, s.length));
}

const BOS = 0x110001, EOS = 0x110002;

/** Character classes. */
export const enum CT { Pad = 0, Han, Digit, CnNum, Latin, Punct, Dot, Space, Other }
const CN_NUM = new Set([...'〇零一二三四五六七八九十百千万亿两'].map((c) => c.codePointAt(0)!));
let CT_TABLE: Uint8Array | undefined;
/** Character class of a code point (a table lookup in the BMP). */
export function charType(c: number): number {
  if (c >= 0 && c < 0x10000) {
    if (!CT_TABLE) { CT_TABLE = new Uint8Array(0x10000); for (let x = 0; x < 0x10000; x++) CT_TABLE[x] = charTypeSlow(x); }
    return CT_TABLE[c];
  }
  return charTypeSlow(c);
}
function charTypeSlow(c: number): number {
  if (c === 0xb7 || c === 0x2022 || c === 0x30fb || c === 0x2027 || c === 0xff65 || c === 0x2219 || c === 0x25aa) return CT.Dot;
  if (CN_NUM.has(c)) return CT.CnNum;
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x20000 && c <= 0x3134f) || (c >= 0xf900 && c <= 0xfaff)) return CT.Han;
  if ((c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19)) return CT.Digit;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) return CT.Latin;
  if (c === 32 || c === 9 || c === 0xa0 || c === 0x3000) return CT.Space;
  if ((c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e) ||
      (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) || (c >= 0x2010 && c <= 0x206f) || (c >= 0xff3b && c <= 0xff40) || (c >= 0xff5b && c <= 0xff64)) return CT.Punct;
  return CT.Other;
}

/** Segmenter output re-expressed per code point. */
export interface WordInfo {
  /** 1 begin, 2 middle, 3 end, 4 single */
  pos: Uint8Array;
  tag: Int32Array;      // hash of the POS tag of the word containing the char
  word: Int32Array;     // hash of the word (0 when the word is long)
  len: Uint8Array;      // word length in code points (capped at 8)
  prevTag: Int32Array;
  nextTag: Int32Array;
  prevWord: Int32Array; // hash of the previous / next word (0 when long)
  nextWord: Int32Array;
}

/** hash of a word (0 when longer than 8 code units) */
const wordHash = (w: string): number => (w.length <= 8 ? hashString(w) : 0);
const tagHashCache = new Map<string, number>();
export function tagHash(tag: string): number {
  let h = tagHashCache.get(tag);
  if (h === undefined) { h = hashString('§' + tag); tagHashCache.set(tag, h); }
  return h;
}

/**
 * Builds WordInfo from tokens given as [start, end) code-point ranges with POS tags (the first `count`
 * entries of starts, ends, tags and words: the arrays may be longer, reused buffers).
 * Code points not covered by any token get their own single-char "x" word.
 */
let infoPool: WordInfo | undefined;
let infoCap = 0;
let tagHashes = new Int32Array(0), wordHashes = new Int32Array(0);
/** The result is reused by the next call (callers only read it while extracting features). */
export function wordInfo(n: number, starts: ArrayLike<number>, ends: ArrayLike<number>, tags: string[], words: string[], into?: WordInfo, count = starts.length): WordInfo {
  if (!into && (!infoPool || infoCap < n)) {
    infoCap = Math.max(n * 2, 512);
    infoPool = {
      pos: new Uint8Array(infoCap), tag: new Int32Array(infoCap), word: new Int32Array(infoCap), len: new Uint8Array(infoCap),
      prevTag: new Int32Array(infoCap), nextTag: new Int32Array(infoCap), prevWord: new Int32Array(infoCap), nextWord: new Int32Array(infoCap),
    };
  }
  const info = into ?? infoPool!;
  info.pos.fill(0, 0, n); info.word.fill(0, 0, n);
  const xTag = tagHash('x');
  // the tokens' tag and word hashes, in reused arrays (two arrays per sentence chunk from map() otherwise)
  if (tagHashes.length < count) { tagHashes = new Int32Array(Math.max(count * 2, 256)); wordHashes = new Int32Array(tagHashes.length); }
  const th = tagHashes, wh8 = wordHashes;
  for (let t = 0; t < count; t++) { th[t] = tagHash(tags[t]); wh8[t] = wordHash(words[t]); }
  for (let t = 0; t < count; t++) {
    const s = starts[t], e = ends[t];
    const L = e - s;
    const wh = wh8[t];
    const pw = t > 0 ? wh8[t - 1] : 0x3c3c, nw = t + 1 < count ? wh8[t + 1] : 0x4d4d;
    const pt = t > 0 ? th[t - 1] : 0x5a5a;
    const nt = t + 1 < count ? th[t + 1] : 0x6b6b;
    for (let i = s; i < e && i < n; i++) {
      info.pos[i] = L === 1 ? 4 : i === s ? 1 : i === e - 1 ? 3 : 2;
      info.tag[i] = th[t]; info.word[i] = wh; info.len[i] = Math.min(L, 8);
      info.prevTag[i] = pt; info.nextTag[i] = nt; info.prevWord[i] = pw; info.nextWord[i] = nw;
    }
  }
  for (let i = 0; i < n; i++) if (!info.pos[i]) { info.pos[i] = 4; info.tag[i] = xTag; info.len[i] = 1; info.prevTag[i] = 0; info.nextTag[i] = 0; info.prevWord[i] = 0; info.nextWord[i] = 0; }
  return info;
}

/** Number of feature slots per character (unused slots hold 0). */
export const NF = 43;

/**
 * Fills feats[i * NF + k] with feature hashes for each code point. Templates are numbered; the
 * numbering is part of the model format (bump FEATURE_VERSION when changing it).
 */
export const FEATURE_VERSION = 6;

/** What the feature templates read besides the characters and their words: classes, gazetteer and lexicon labels. */
export interface FeatureInputs {
  /** character class per code point */
  types: Uint8Array;
  /** gazetteer cover labels, gaz[kind * n + i] (KIND_COUNT kinds) */
  gaz: Uint8Array;
  /** entity lexicon cover labels, lex[type * n + i] (3 types) */
  lex: Uint8Array;
}

/** Fills `into` (arrays long enough for n) for the code points cps[0, n) and their word info. */
export function featureInputs(cps: Int32Array, n: number, w: WordInfo, g: Gazetteer, lex: Lexicon | undefined, into: FeatureInputs): void {
  for (let i = 0; i < n; i++) into.types[i] = charType(cps[i]);
  gazetteerLabels(cps, n, g, w.pos, into.gaz);
  if (lex) lex.labels(cps, n, w.pos, into.lex);
  else into.lex.fill(0, 0, 3 * n);
}

const inputScratch: FeatureInputs = { types: new Uint8Array(0), gaz: new Uint8Array(0), lex: new Uint8Array(0) };
/** Grows a scratch's class and lexicon arrays (each on its own: lex needs 3n) to hold n code points. */
export function ensureInputs(scratch: FeatureInputs, n: number): FeatureInputs {
  if (scratch.types.length < n) scratch.types = new Uint8Array(Math.max(n * 2, 512));
  if (scratch.lex.length < 3 * n) scratch.lex = new Uint8Array(Math.max(6 * n, 1024));
  return scratch;
}
/**
 * The JavaScript feature templates (the trainer's, and the tagger's where WebAssembly cannot run; the
 * `features` function of tagger.wat is a port of the hashing loop below and must stay in step with it).
 */
export function extractFeatures(cps: Int32Array, n: number, w: WordInfo, g: Gazetteer, out?: Int32Array, gazOut?: Uint8Array, lex?: Lexicon): Int32Array {
  const feats = out && out.length >= n * NF ? out : new Int32Array(n * NF);
  const inputs: FeatureInputs = { ...ensureInputs(inputScratch, n), gaz: gazOut && gazOut.length >= KIND_COUNT * n ? gazOut : new Uint8Array(KIND_COUNT * n) };
  featureInputs(cps, n, w, g, lex, inputs);
  const { types, gaz: gl, lex: ll } = inputs;
  const c = (i: number) => (i < 0 ? BOS : i >= n ? EOS : cps[i]);
  const ty = (i: number) => (i < 0 || i >= n ? 0 : types[i]);
  const T = (id: number) => Math.imul(id + 1, 0x9e3779b1);
  for (let i = 0; i < n; i++) {
    const o = i * NF;
    const cm2 = c(i - 2), cm1 = c(i - 1), c0 = cps[i], cp1 = c(i + 1), cp2 = c(i + 2);
    let k = 0;
    feats[o + k++] = finalise(mixInt(T(0), cm2));
    feats[o + k++] = finalise(mixInt(T(1), cm1));
    feats[o + k++] = finalise(mixInt(T(2), c0));
    feats[o + k++] = finalise(mixInt(T(3), cp1));
    feats[o + k++] = finalise(mixInt(T(4), cp2));
    feats[o + k++] = finalise(mixInt(mixInt(T(5), cm2), cm1));
    feats[o + k++] = finalise(mixInt(mixInt(T(6), cm1), c0));
    feats[o + k++] = finalise(mixInt(mixInt(T(7), c0), cp1));
    feats[o + k++] = finalise(mixInt(mixInt(T(8), cp1), cp2));
    feats[o + k++] = finalise(mixInt(mixInt(T(9), cm1), cp1));
    feats[o + k++] = finalise(mixInt(mixInt(mixInt(T(10), cm1), c0), cp1));
    feats[o + k++] = finalise(mixInt(T(11), ty(i - 1) * 81 + ty(i) * 9 + ty(i + 1)));
    const wp = w.pos[i];
    feats[o + k++] = finalise(mixInt(mixInt(T(12), wp), w.tag[i]));
    feats[o + k++] = w.word[i] ? finalise(mixInt(mixInt(T(13), wp), w.word[i])) : 0;
    feats[o + k++] = finalise(mixInt(mixInt(mixInt(mixInt(T(14), wp), w.prevTag[i]), w.tag[i]), w.nextTag[i]));
    feats[o + k++] = finalise(mixInt(mixInt(mixInt(T(15), wp), w.len[i]), w.tag[i]));
    feats[o + k++] = finalise(mixInt(mixInt(mixInt(T(16), c0), wp), w.tag[i]));
    // previous / next char's word position + tag (word boundaries around the char)
    feats[o + k++] = i > 0 ? finalise(mixInt(mixInt(mixInt(T(17), w.pos[i - 1]), w.tag[i - 1]), wp)) : 0;
    feats[o + k++] = i + 1 < n ? finalise(mixInt(mixInt(mixInt(T(18), w.pos[i + 1]), w.tag[i + 1]), wp)) : 0;
    // gazetteer cover labels for each kind
    let gsig = 0;
    for (let q = 0; q < KIND_COUNT; q++) {
      const L = gl[q * n + i];
      if (L) { feats[o + k++] = finalise(mixInt(mixInt(T(19), q), L)); gsig = gsig * 9 + L; }
      else { feats[o + k++] = 0; gsig *= 9; }
    }
    // a title ends just before this char; an organisation suffix starts just after; combined gazetteer signature
    const titleBefore = i > 0 ? gl[Kind.Title * n + i - 1] : 0;
    feats[o + k++] = titleBefore === 3 || titleBefore === 4 || titleBefore === 7 || titleBefore === 8 ? finalise(mixInt(mixInt(T(20), ty(i)), w.pos[i])) : 0;
    const orgAfter = i + 1 < n ? gl[Kind.OrgSuffix * n + i + 1] : 0;
    feats[o + k++] = orgAfter === 1 || orgAfter === 4 || orgAfter === 5 || orgAfter === 8 ? finalise(mixInt(mixInt(T(21), ty(i)), wp)) : 0;
    feats[o + k++] = gsig ? finalise(mixInt(T(22), gsig)) : 0;
    feats[o + k++] = finalise(T(23)); // bias
    // neighbouring words (at the word's edges) and character trigrams to each side
    feats[o + k++] = (wp === 1 || wp === 4) && w.prevWord[i] ? finalise(mixInt(mixInt(T(24), w.prevWord[i]), wp)) : 0;
    feats[o + k++] = (wp === 3 || wp === 4) && w.nextWord[i] ? finalise(mixInt(mixInt(T(25), w.nextWord[i]), wp)) : 0;
    feats[o + k++] = finalise(mixInt(mixInt(mixInt(T(26), cm2), cm1), c0));
    feats[o + k++] = finalise(mixInt(mixInt(mixInt(T(27), c0), cp1), cp2));
    // entity lexicon learned from the training data (per type cover labels)
    for (let q = 0; q < 3; q++) { const L = ll[q * n + i]; feats[o + k++] = L ? finalise(mixInt(mixInt(T(28), q), L)) : 0; }
    while (k < NF) feats[o + k++] = 0;
  }
  return feats;
}
