/** Turns one sentence into the tagger's input: code points, jieba word info, feature hashes. */
import { Segmenter, Token } from '../segment/segmenter';
import { codePointToUtf16Table } from '../text';
import { extractFeatures, featureInputs, wordInfo, NF } from './features';
import { Gazetteer, KIND_COUNT } from './gazetteer';
import type { Lexicon } from './lexicon';
import type { WasmTagger } from './wasmTagger';

export interface Prepared {
  n: number;
  cps: Int32Array;
  /** code-point index → UTF-16 offset (length n + 1) */
  offsets: Uint32Array;
  tokens: Token[];
  feats: Int32Array;
}

/** The code points of text (a view into `into` when that holds text.length). */
export function codePointArray(text: string, into?: Int32Array): Int32Array {
  const out = into && into.length >= text.length ? into : new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!;
    out[n++] = c;
    if (c > 0xffff) i++;
  }
  return out.subarray(0, n);
}

/**
 * Reusable buffers for the runtime path (training keeps each sentence's features, so it passes none);
 * with `wasm`, features are computed by its kernel, in its memory, where decode() then reads them, and the
 * code points are written there too. With a scratch, a Prepared's arrays are views into it, valid until the
 * next prepare() with it: no typed array (each with a backing store outside the heap) is allocated per
 * sentence chunk.
 */
export interface Scratch {
  feats: Int32Array; gaz: Uint8Array; wasm?: WasmTagger;
  cps: Int32Array; offsets: Uint32Array; starts: Int32Array; ends: Int32Array; tags: string[]; words: string[];
}
export function newScratch(wasm?: WasmTagger): Scratch {
  return {
    feats: new Int32Array(0), gaz: new Uint8Array(0), wasm,
    cps: new Int32Array(0), offsets: new Uint32Array(0), starts: new Int32Array(0), ends: new Int32Array(0), tags: [], words: [],
  };
}
/** Makes the scratch's arrays hold a text of `len` UTF-16 units and `nt` tokens. */
function grow(scratch: Scratch, len: number, nt: number): void {
  if (scratch.cps.length < len) scratch.cps = new Int32Array(Math.max(len * 2, 512));
  if (scratch.offsets.length <= len) scratch.offsets = new Uint32Array(Math.max(len * 2, 512));
  if (scratch.starts.length < nt) { scratch.starts = new Int32Array(Math.max(nt * 2, 256)); scratch.ends = new Int32Array(scratch.starts.length); }
}

export function prepare(text: string, segmenter: Segmenter, g: Gazetteer, tokens?: Token[], scratch?: Scratch, lex?: Lexicon): Prepared {
  const toks = tokens ?? segmenter.tag(text);
  const nt = toks.length;
  if (scratch) grow(scratch, text.length, nt);
  // the kernel's region takes the code points where its features function reads them
  const kernel = scratch?.wasm?.inputs(text.length);
  const cps = codePointArray(text, kernel ? kernel.cps : scratch?.cps);
  const n = cps.length;
  const offsets = codePointToUtf16Table(text, scratch?.offsets);
  // UTF-16 offset → code-point index
  const starts = scratch ? scratch.starts : new Int32Array(nt), ends = scratch ? scratch.ends : new Int32Array(nt);
  // (a scratch's arrays keep their length: wordInfo reads their first nt entries; cutting and regrowing them
  // per chunk reallocated their backing stores)
  const tags: string[] = scratch ? scratch.tags : new Array(nt), words: string[] = scratch ? scratch.words : new Array(nt);
  for (let k = 0; k < nt; k++) { const t = toks[k]; tags[k] = t.tag; words[k] = t.word; }
  if (n === text.length) {
    for (let k = 0; k < nt; k++) { starts[k] = toks[k].start; ends[k] = toks[k].end; }
  } else {
    const u2c = new Int32Array(text.length + 1);
    for (let i = 0; i <= n; i++) u2c[offsets[i]] = i;
    for (let u = 1; u <= text.length; u++) if (u2c[u] === 0 && offsets[0] !== u) u2c[u] = u2c[u - 1];
    for (let k = 0; k < nt; k++) { starts[k] = u2c[toks[k].start]; ends[k] = u2c[toks[k].end]; }
  }
  if (kernel) {
    const info = wordInfo(n, starts, ends, tags, words, kernel.info, nt);
    featureInputs(cps, n, info, g, lex, kernel);
    return { n, cps, offsets, tokens: toks, feats: scratch!.wasm!.features(n) };
  }
  const info = wordInfo(n, starts, ends, tags, words, undefined, nt);
  let feats: Int32Array;
  if (scratch) {
    if (scratch.feats.length < n * NF) scratch.feats = new Int32Array(Math.max(n * NF * 2, 4096));
    if (scratch.gaz.length < n * KIND_COUNT) scratch.gaz = new Uint8Array(Math.max(n * KIND_COUNT * 2, 1024));
    feats = extractFeatures(cps, n, info, g, scratch.feats, scratch.gaz, lex);
  } else feats = extractFeatures(cps, n, info, g, undefined, undefined, lex);
  return { n, cps, offsets, tokens: toks, feats };
}
