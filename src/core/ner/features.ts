/**
 * Feature extraction for the character tagger. Every feature is a 32-bit hash computed with integer
 * mixing (hash.ts; no strings are built per character); the tagger maps it to a weight row.
 */
import { Gazetteer, gazetteerLabels, KIND_COUNT, Kind } from './gazetteer';
import { LEX_KINDS, type Lexicon } from './lexicon';
import { Cover, coverEnds, coverStarts } from './cover';
import { h1, h2, h3, h4, hashString, templateSeed, finalise } from './hash';

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
  /** the character's place in its word (Cover.Begin, Middle, End or Single) */
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
      info.pos[i] = L === 1 ? Cover.Single : i === s ? Cover.Begin : i === e - 1 ? Cover.End : Cover.Middle;
      info.tag[i] = th[t]; info.word[i] = wh; info.len[i] = Math.min(L, 8);
      info.prevTag[i] = pt; info.nextTag[i] = nt; info.prevWord[i] = pw; info.nextWord[i] = nw;
    }
  }
  for (let i = 0; i < n; i++) if (!info.pos[i]) { info.pos[i] = Cover.Single; info.tag[i] = xTag; info.len[i] = 1; info.prevTag[i] = 0; info.nextTag[i] = 0; info.prevWord[i] = 0; info.nextWord[i] = 0; }
  return info;
}

/** Number of feature slots per character (unused slots hold 0): 19 + 13 gazetteer kinds + 8 + 3 lexicon types. */
export const NF = 43;

/** The version of the templates below, stored in the model file: bump it when a template changes. */
export const FEATURE_VERSION = 6;

/**
 * The feature templates, named by what they hash (nltk's perceptron tagger style): `i` is the character
 * tagged, `i-1` the one before; `pos` is the character's place in its jieba word (a Cover label), `tag` that
 * word's POS tag; `class` a character class (CT). A template's number seeds the hash of its features
 * (templateSeed), so the numbers are part of the model format and of tagger.wat: never renumber one;
 * a new template takes a new number (and FEATURE_VERSION goes up).
 */
export const enum T {
  'i-2 char' = 0,
  'i-1 char' = 1,
  'i char' = 2,
  'i+1 char' = 3,
  'i+2 char' = 4,
  'i-2 char+i-1 char' = 5,
  'i-1 char+i char' = 6,
  'i char+i+1 char' = 7,
  'i+1 char+i+2 char' = 8,
  'i-1 char+i+1 char' = 9,
  'i-1 char+i char+i+1 char' = 10,
  'i-1 class+i class+i+1 class' = 11,
  'i pos+tag' = 12,
  /** the word itself, when it is at most 8 UTF-16 units long */
  'i pos+word' = 13,
  /** the tags of the words before and after i's word */
  'i pos+prev tag+tag+next tag' = 14,
  /** the word's length in characters, capped at 8 */
  'i pos+len+tag' = 15,
  'i char+pos+tag' = 16,
  /** the previous and next character's place and tag: word boundaries around i */
  'i-1 pos+tag+i pos' = 17,
  'i+1 pos+tag+i pos' = 18,
  /** one feature per gazetteer kind that covers i (Kind, Cover label) */
  'gazetteer kind+label' = 19,
  'title ends at i-1: i class+pos' = 20,
  'org suffix starts at i+1: i class+pos' = 21,
  /** all gazetteer kinds' labels at i as one number */
  'gazetteer signature' = 22,
  bias = 23,
  'word starts at i: prev word+pos' = 24,
  'word ends at i: next word+pos' = 25,
  'i-2 char+i-1 char+i char' = 26,
  'i char+i+1 char+i+2 char' = 27,
  /** one feature per entity-lexicon type that covers i (type, Cover label) */
  'lexicon type+label' = 28,
}
const BIAS = finalise(templateSeed(T.bias));

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
  else into.lex.fill(0, 0, LEX_KINDS * n);
}

const inputScratch: FeatureInputs = { types: new Uint8Array(0), gaz: new Uint8Array(0), lex: new Uint8Array(0) };
/** Grows a scratch's class and lexicon arrays (each on its own: lex needs 3n) to hold n code points. */
export function ensureInputs(scratch: FeatureInputs, n: number): FeatureInputs {
  if (scratch.types.length < n) scratch.types = new Uint8Array(Math.max(n * 2, 512));
  if (scratch.lex.length < 3 * n) scratch.lex = new Uint8Array(Math.max(6 * n, 1024));
  return scratch;
}
/**
 * Fills feats[i * NF + k] with the feature hashes of each code point, slot k in the order below (0: none).
 * This is the trainer's code, and the tagger's where WebAssembly cannot run; the `features` function of
 * tagger.wat computes the same hashes in the same slots and must stay in step with it (a unit test compares).
 */
export function extractFeatures(cps: Int32Array, n: number, w: WordInfo, g: Gazetteer, out?: Int32Array, gazOut?: Uint8Array, lex?: Lexicon): Int32Array {
  const feats = out && out.length >= n * NF ? out : new Int32Array(n * NF);
  const inputs: FeatureInputs = { ...ensureInputs(inputScratch, n), gaz: gazOut && gazOut.length >= KIND_COUNT * n ? gazOut : new Uint8Array(KIND_COUNT * n) };
  featureInputs(cps, n, w, g, lex, inputs);
  const { types, gaz: gl, lex: ll } = inputs;
  const c = (i: number) => (i < 0 ? BOS : i >= n ? EOS : cps[i]);
  const ty = (i: number) => (i < 0 || i >= n ? 0 : types[i]);
  for (let i = 0; i < n; i++) {
    const o = i * NF;
    const cm2 = c(i - 2), cm1 = c(i - 1), c0 = cps[i], cp1 = c(i + 1), cp2 = c(i + 2);
    const pos = w.pos[i], tag = w.tag[i];
    let k = 0;
    feats[o + k++] = h1(T['i-2 char'], cm2);
    feats[o + k++] = h1(T['i-1 char'], cm1);
    feats[o + k++] = h1(T['i char'], c0);
    feats[o + k++] = h1(T['i+1 char'], cp1);
    feats[o + k++] = h1(T['i+2 char'], cp2);
    feats[o + k++] = h2(T['i-2 char+i-1 char'], cm2, cm1);
    feats[o + k++] = h2(T['i-1 char+i char'], cm1, c0);
    feats[o + k++] = h2(T['i char+i+1 char'], c0, cp1);
    feats[o + k++] = h2(T['i+1 char+i+2 char'], cp1, cp2);
    feats[o + k++] = h2(T['i-1 char+i+1 char'], cm1, cp1);
    feats[o + k++] = h3(T['i-1 char+i char+i+1 char'], cm1, c0, cp1);
    feats[o + k++] = h1(T['i-1 class+i class+i+1 class'], ty(i - 1) * 81 + ty(i) * 9 + ty(i + 1));
    feats[o + k++] = h2(T['i pos+tag'], pos, tag);
    feats[o + k++] = w.word[i] ? h2(T['i pos+word'], pos, w.word[i]) : 0;
    feats[o + k++] = h4(T['i pos+prev tag+tag+next tag'], pos, w.prevTag[i], tag, w.nextTag[i]);
    feats[o + k++] = h3(T['i pos+len+tag'], pos, w.len[i], tag);
    feats[o + k++] = h3(T['i char+pos+tag'], c0, pos, tag);
    feats[o + k++] = i > 0 ? h3(T['i-1 pos+tag+i pos'], w.pos[i - 1], w.tag[i - 1], pos) : 0;
    feats[o + k++] = i + 1 < n ? h3(T['i+1 pos+tag+i pos'], w.pos[i + 1], w.tag[i + 1], pos) : 0;
    let gsig = 0; // the labels of all kinds as one base-9 number
    for (let q = 0; q < KIND_COUNT; q++) {
      const L = gl[q * n + i];
      feats[o + k++] = L ? h2(T['gazetteer kind+label'], q, L) : 0;
      gsig = gsig * 9 + L;
    }
    feats[o + k++] = i > 0 && coverEnds(gl[Kind.Title * n + i - 1]) ? h2(T['title ends at i-1: i class+pos'], ty(i), pos) : 0;
    feats[o + k++] = i + 1 < n && coverStarts(gl[Kind.OrgSuffix * n + i + 1]) ? h2(T['org suffix starts at i+1: i class+pos'], ty(i), pos) : 0;
    feats[o + k++] = gsig ? h1(T['gazetteer signature'], gsig) : 0;
    feats[o + k++] = BIAS;
    feats[o + k++] = coverStarts(pos) && w.prevWord[i] ? h2(T['word starts at i: prev word+pos'], w.prevWord[i], pos) : 0;
    feats[o + k++] = coverEnds(pos) && w.nextWord[i] ? h2(T['word ends at i: next word+pos'], w.nextWord[i], pos) : 0;
    feats[o + k++] = h3(T['i-2 char+i-1 char+i char'], cm2, cm1, c0);
    feats[o + k++] = h3(T['i char+i+1 char+i+2 char'], c0, cp1, cp2);
    for (let q = 0; q < LEX_KINDS; q++) { const L = ll[q * n + i]; feats[o + k++] = L ? h2(T['lexicon type+label'], q, L) : 0; }
    while (k < NF) feats[o + k++] = 0;
  }
  return feats;
}
