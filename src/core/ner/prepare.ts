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

export function codePointArray(text: string): Int32Array {
  const out = new Int32Array(text.length);
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
 * with `wasm`, features are computed by its kernel, in its memory, where decode() then reads them.
 */
export interface Scratch { feats: Int32Array; gaz: Uint8Array; wasm?: WasmTagger }
export function newScratch(wasm?: WasmTagger): Scratch { return { feats: new Int32Array(0), gaz: new Uint8Array(0), wasm }; }

export function prepare(text: string, segmenter: Segmenter, g: Gazetteer, tokens?: Token[], scratch?: Scratch, lex?: Lexicon): Prepared {
  const cps = codePointArray(text);
  const n = cps.length;
  const offsets = codePointToUtf16Table(text);
  const toks = tokens ?? segmenter.tag(text);
  // UTF-16 offset → code-point index
  let starts: Int32Array, ends: Int32Array;
  const nt = toks.length;
  starts = new Int32Array(nt); ends = new Int32Array(nt);
  const tags: string[] = new Array(nt), words: string[] = new Array(nt);
  for (let k = 0; k < nt; k++) { const t = toks[k]; tags[k] = t.tag; words[k] = t.word; }
  if (n === text.length) {
    for (let k = 0; k < nt; k++) { starts[k] = toks[k].start; ends[k] = toks[k].end; }
  } else {
    const u2c = new Int32Array(text.length + 1);
    for (let i = 0; i <= n; i++) u2c[offsets[i]] = i;
    for (let u = 1; u <= text.length; u++) if (u2c[u] === 0 && offsets[0] !== u) u2c[u] = u2c[u - 1];
    for (let k = 0; k < nt; k++) { starts[k] = u2c[toks[k].start]; ends[k] = u2c[toks[k].end]; }
  }
  const kernel = scratch?.wasm?.inputs(n);
  if (kernel) {
    kernel.cps.set(cps);
    const info = wordInfo(n, starts, ends, tags, words, kernel.info);
    featureInputs(cps, n, info, g, lex, kernel);
    return { n, cps, offsets, tokens: toks, feats: scratch!.wasm!.features(n) };
  }
  const info = wordInfo(n, starts, ends, tags, words);
  let feats: Int32Array;
  if (scratch) {
    if (scratch.feats.length < n * NF) scratch.feats = new Int32Array(Math.max(n * NF * 2, 4096));
    if (scratch.gaz.length < n * KIND_COUNT) scratch.gaz = new Uint8Array(Math.max(n * KIND_COUNT * 2, 1024));
    feats = extractFeatures(cps, n, info, g, scratch.feats, scratch.gaz, lex);
  } else feats = extractFeatures(cps, n, info, g, undefined, undefined, lex);
  return { n, cps, offsets, tokens: toks, feats };
}
