/**
 * The tagger model: hashed feature rows × BIOES tags, a transition matrix, Viterbi decoding, and the
 * compact binary file format (gzip of: magic, JSON header, sparse rows of int16 weights).
 */
import { gzipSync, gunzipSync } from 'node:zlib';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EntityType, ENTITY_TYPES } from './types';
import { modelsFileCandidates } from '../shipped';
import { NF, FEATURE_VERSION } from './features';
import { Lexicon } from './lexicon';
import { WasmTagger, tableMemory } from './wasmTagger';
import { Calibration, DEFAULT_CALIBRATION, isCalibration } from './calibration';

/** Tag ids: 0 = O; for type t (PER 0, LOC 1, ORG 2): B = 1+4t, I = 2+4t, E = 3+4t, S = 4+4t. */
export const NT = 13;
/** Row stride of the runtime weight table (rows padded to 16 int16 = 32 bytes, one cache line). */
export const RS = 16;
export const TAG_NAMES = ['O', ...ENTITY_TYPES.flatMap((t) => ['B-' + t, 'I-' + t, 'E-' + t, 'S-' + t])];
export const tagType = (tag: number): EntityType => ENTITY_TYPES[(tag - 1) >> 2];
/** The part of a name a tag marks (BIOES). */
export const enum Part { Outside = 0, Begin, Inside, End, Single }
export const tagPart = (tag: number): Part => (tag === 0 ? Part.Outside : ((tag - 1) & 3) + 1);
/** A tag of Begin or Inside leaves a name open: the next tag must be Inside or End of the same type. */
const opens = (tag: number) => tagPart(tag) === Part.Begin || tagPart(tag) === Part.Inside;

/** allowed[prev * NT + cur]; prev = NT means sentence start. */
export const ALLOWED: Uint8Array = (() => {
  const a = new Uint8Array((NT + 1) * NT);
  for (let p = 0; p <= NT; p++) {
    for (let c = 0; c < NT; c++) {
      const pOpen = p < NT && opens(p);
      const cPart = tagPart(c);
      let ok: boolean;
      if (cPart === Part.Inside || cPart === Part.End) ok = pOpen && tagType(p) === tagType(c);
      else ok = !pOpen;
      a[p * NT + c] = ok ? 1 : 0;
    }
  }
  return a;
})();
export const ALLOWED_END = (tag: number) => !opens(tag);

export interface ModelMeta {
  format: 'corpus-lens-ner';
  featureVersion: number;
  bits: number;
  nf: number;
  tags: string[];
  scale: number;
  [k: string]: unknown;
}

export class Model {
  readonly shift: number;
  /** entity lexicon learned from the training data (model header field `lexicon`) */
  lexicon?: Lexicon;
  /**
   * The runtime weight table is int8 (half the memory traffic of the int16 file values, which
   * matters: the emission lookups are cache misses into a table of 2^bits rows): w8 = round(w / step)
   * with step = max |w| / 127, so nothing is clamped. Transition scores are divided by the same step.
   */
  private readonly t8: Int8Array;
  /** the int8 table (read-only use: sharing it with worker threads) */
  get table(): Int8Array { return this.t8; }
  /** transition scores in int8 steps ((NT+1) × NT, row NT = start), as decode() uses them */
  readonly trans8: Float32Array;
  /** end-of-sentence scores in int8 steps */
  readonly endTrans8: Float32Array;
  /** maps a mention's margin to its confidence: meta.calibration (header or the model's .json), else DEFAULT_CALIBRATION */
  readonly calibration: Calibration;
  constructor(
    readonly meta: ModelMeta,
    /** rows × RS emission weights (first NT used) in int8 steps of `step` file units (file value = w * meta.scale) */
    t8: Int8Array,
    /** the size of one int8 step, in file units */
    readonly step: number,
    /** (NT+1) × NT transition scores (row NT = start), in file units */
    readonly trans: Float32Array,
    /** end-of-sentence scores per tag, in file units */
    readonly endTrans: Float32Array,
    /** the WebAssembly memory that holds t8 at byte 0, when the SIMD kernel can run here */
    readonly memory?: WebAssembly.Memory,
  ) {
    this.shift = 32 - meta.bits;
    this.t8 = t8;
    this.trans8 = Float32Array.from(trans, (v) => v / step);
    this.endTrans8 = Float32Array.from(endTrans, (v) => v / step);
    this.calibration = isCalibration(meta.calibration) ? meta.calibration : DEFAULT_CALIBRATION;
  }

  /** this thread's WebAssembly kernels over the table (created on first use; null: none, JavaScript decodes) */
  private kernel: WasmTagger | null | undefined;
  /** This thread's WebAssembly kernels (feature hashes, SIMD emissions, Viterbi), where they can run. */
  get wasm(): WasmTagger | undefined {
    if (this.kernel === undefined) {
      this.kernel = WasmTagger.create(this.memory, NF, this.shift) ?? null;
      this.kernel?.transitions(this.trans8, this.endTrans8);
    }
    return this.kernel ?? undefined;
  }
  /** Which code computes emission scores in decode(). */
  get emissionsBackend(): 'wasm-simd' | 'js' { return this.wasm ? 'wasm-simd' : 'js'; }

  /**
   * Emission scores (int8 units of the runtime table, row stride RS) for n positions, by the JavaScript
   * loop (decode() uses the SIMD kernel where it can run; the two agree exactly).
   */
  emissions(feats: Int32Array, n: number, out?: Int32Array): Int32Array {
    const sc = out && out.length >= n * RS ? out : new Int32Array(n * RS);
    return this.emissions8(feats, n, sc);
  }
  private rowScratch = new Int32Array(0);
  /** keeps the prefetch loads of emissions() observable */
  sink = 0;

  private emissions8(feats: Int32Array, n: number, sc: Int32Array): Int32Array {
    const W = this.t8, shift = this.shift;
    const m = n * NF;
    if (this.rowScratch.length < m) this.rowScratch = new Int32Array(Math.max(m * 2, 8192));
    const rows = this.rowScratch;
    let touch = 0;
    for (let j = 0; j < m; j++) {
      const h = feats[j];
      if (h === 0) { rows[j] = -1; continue; }
      const r = (h >>> shift) << 4;
      rows[j] = r;
      touch += W[r];
    }
    this.sink = touch;
    for (let i = 0; i < n; i++) {
      const fo = i * NF;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0;
      for (let k = 0; k < NF; k++) {
        const r = rows[fo + k];
        if (r < 0) continue;
        s0 += W[r]; s1 += W[r + 1]; s2 += W[r + 2]; s3 += W[r + 3]; s4 += W[r + 4]; s5 += W[r + 5]; s6 += W[r + 6];
        s7 += W[r + 7]; s8 += W[r + 8]; s9 += W[r + 9]; s10 += W[r + 10]; s11 += W[r + 11]; s12 += W[r + 12];
      }
      const o = i * RS;
      sc[o] = s0; sc[o + 1] = s1; sc[o + 2] = s2; sc[o + 3] = s3; sc[o + 4] = s4; sc[o + 5] = s5; sc[o + 6] = s6;
      sc[o + 7] = s7; sc[o + 8] = s8; sc[o + 9] = s9; sc[o + 10] = s10; sc[o + 11] = s11; sc[o + 12] = s12;
    }
    return sc;
  }

  private emScratch = new Int32Array(0);
  /**
   * The tags of n characters from their feature hashes: features, scores and tags in the WebAssembly
   * kernels' memory where they run (their viterbi gives exactly viterbiArray's tags), else the JavaScript loops.
   */
  decode(feats: Int32Array, n: number): Uint8Array {
    const fast = this.wasm?.decode(feats, n);
    if (fast) { this.lastScores = this.wasm!.scores; this.lastPaths = this.wasm!.pathScores; this.lastKernel = true; return fast; }
    this.lastKernel = false;
    if (this.emScratch.length < n * RS) this.emScratch = new Int32Array(Math.max(n * RS * 2, 4096));
    this.lastScores = this.emissions8(feats, n, this.emScratch);
    const tags = viterbiArray(n, this.lastScores, RS, this.trans8, this.endTrans8);
    this.lastPaths = viterbiPathScores();
    return tags;
  }
  private lastScores: Int32Array = new Int32Array(0);
  /**
   * The emission scores (int8 steps, row stride RS) that the last decode() read: a view that the next decode()
   * on this thread overwrites (the confidences of that chunk's mentions are computed from it).
   */
  get scores(): Int32Array { return this.lastScores; }
  private lastPaths: Float64Array | undefined;
  /**
   * The Viterbi's path scores of the last decode() (13 per character, the forward max-marginals alpha of
   * confidence.ts): a view, the kernel's or viterbiArray's, that the next decode() on this thread overwrites.
   */
  get pathScores(): Float64Array | undefined { return this.lastPaths; }
  private lastKernel = false;
  /** The WebAssembly kernel when it decoded the last chunk (it holds that chunk's scores), else undefined. */
  get decodedBy(): WasmTagger | undefined { return this.lastKernel ? this.wasm : undefined; }
}

let vDelta = new Float64Array(0);
let vBack = new Uint8Array(0);

/** viterbiArray's path scores of its last call (13 per character: delta[i][t]); a view its next call overwrites. */
export function viterbiPathScores(): Float64Array { return vDelta; }

/** Tags that may follow a closed tag (O, B-x, S-x) and the closed tags themselves (O, E-x, S-x). */
const OPENERS = Int32Array.from([0, 1, 4, 5, 8, 9, 12]);
/**
 * Viterbi over an emission array em[i * stride + t] (BIOES structure unrolled: O/B/S follow O/E/S; I/E follow
 * B/I of their type). Where WebAssembly runs, tagger.wat's `viterbi` (a port of this; keep the two in step)
 * decodes instead; this is the fallback and the kernel's test oracle.
 */
export function viterbiArray(n: number, em: ArrayLike<number>, stride: number, trans: ArrayLike<number>, endTrans: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(n);
  if (n === 0) return out;
  if (vDelta.length < n * NT) { vDelta = new Float64Array(n * NT * 2); vBack = new Uint8Array(n * NT * 2); }
  const delta = vDelta, back = vBack;
  for (let c = 0; c < NT; c++) delta[c] = ALLOWED[NT * NT + c] ? em[c] + trans[NT * NT + c] : -Infinity;
  for (let i = 1; i < n; i++) {
    const o = i * NT, po = o - NT, eo = i * stride;
    const d0 = delta[po], d3 = delta[po + 3], d4 = delta[po + 4], d7 = delta[po + 7], d8 = delta[po + 8], d11 = delta[po + 11], d12 = delta[po + 12];
    for (let q = 0; q < 7; q++) {
      const c = OPENERS[q];
      let best = d0 + trans[c], arg = 0, v: number;
      v = d3 + trans[3 * NT + c]; if (v > best) { best = v; arg = 3; }
      v = d4 + trans[4 * NT + c]; if (v > best) { best = v; arg = 4; }
      v = d7 + trans[7 * NT + c]; if (v > best) { best = v; arg = 7; }
      v = d8 + trans[8 * NT + c]; if (v > best) { best = v; arg = 8; }
      v = d11 + trans[11 * NT + c]; if (v > best) { best = v; arg = 11; }
      v = d12 + trans[12 * NT + c]; if (v > best) { best = v; arg = 12; }
      delta[o + c] = best + em[eo + c];
      back[o + c] = arg;
    }
    for (let t = 0; t < 3; t++) {
      const b = 1 + 4 * t, m = b + 1, e = b + 2;
      const db = delta[po + b], dm = delta[po + m];
      let v1 = db + trans[b * NT + m], v2 = dm + trans[m * NT + m];
      if (v2 > v1) { delta[o + m] = v2 + em[eo + m]; back[o + m] = m; } else { delta[o + m] = v1 + em[eo + m]; back[o + m] = b; }
      v1 = db + trans[b * NT + e]; v2 = dm + trans[m * NT + e];
      if (v2 > v1) { delta[o + e] = v2 + em[eo + e]; back[o + e] = m; } else { delta[o + e] = v1 + em[eo + e]; back[o + e] = b; }
    }
  }
  return backtrace(n, delta, back, endTrans, out);
}

/** The best final tag (allowed to end a sequence), then the back-pointers to the start: shared by both Viterbis. */
function backtrace(n: number, delta: Float64Array | Float32Array, back: Uint8Array, endTrans: ArrayLike<number>, out: Uint8Array): Uint8Array {
  let best = -Infinity, arg = 0;
  const lo = (n - 1) * NT;
  for (let c = 0; c < NT; c++) {
    if (!ALLOWED_END(c)) continue;
    const v = delta[lo + c] + endTrans[c];
    if (v > best) { best = v; arg = c; }
  }
  for (let i = n - 1; i >= 0; i--) { out[i] = arg; arg = back[i * NT + arg]; }
  return out;
}

/** Viterbi over BIOES with hard constraints; emission(i, t) gives the score of tag t at i. */
export function viterbi(n: number, emission: (i: number, t: number) => number, trans: ArrayLike<number>, endTrans: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(n);
  if (n === 0) return out;
  const delta = new Float64Array(n * NT);
  const back = new Uint8Array(n * NT);
  for (let c = 0; c < NT; c++) delta[c] = ALLOWED[NT * NT + c] ? emission(0, c) + trans[NT * NT + c] : -Infinity;
  for (let i = 1; i < n; i++) {
    const o = i * NT, po = o - NT;
    for (let c = 0; c < NT; c++) {
      let best = -Infinity, arg = 0;
      for (let p = 0; p < NT; p++) {
        if (!ALLOWED[p * NT + c]) continue;
        const v = delta[po + p] + trans[p * NT + c];
        if (v > best) { best = v; arg = p; }
      }
      delta[o + c] = best + emission(i, c);
      back[o + c] = arg;
    }
  }
  return backtrace(n, delta, back, endTrans, out);
}

/** Spans [start, end) (code-point indices) with types from a BIOES tag sequence. */
export function tagsToSpans(tags: ArrayLike<number>): { start: number; end: number; type: EntityType }[] {
  const spans: { start: number; end: number; type: EntityType }[] = [];
  let open = -1;
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i], part = tagPart(t);
    if (part === Part.Single) { spans.push({ start: i, end: i + 1, type: tagType(t) }); open = -1; }
    else if (part === Part.Begin) open = i;
    else if (part === Part.End && open >= 0) { spans.push({ start: open, end: i + 1, type: tagType(t) }); open = -1; }
    else if (part === Part.Outside) open = -1;
  }
  return spans;
}

const MAGIC = 'CLNER1\n';

/** gzipLevel: 9 for a file to keep; a copy only to be loaded again (adapt.ts scores one) is written faster with 1. */
export function serialiseModel(meta: ModelMeta, weights: Float32Array | Float64Array, trans: Float32Array, endTrans: Float32Array, minAbs = 0, gzipLevel = 9): { bytes: Buffer; nonzeroRows: number } {
  const rows = 1 << meta.bits;
  // choose a scale so that the largest weight fits int16
  let max = 0;
  for (let i = 0; i < weights.length; i++) { const a = Math.abs(weights[i]); if (a > max) max = a; }
  const scale = max > 0 ? 32000 / max : 1;
  const header = { ...meta, scale, trans: Array.from(trans, (v) => +(v * scale).toFixed(2)), endTrans: Array.from(endTrans, (v) => +(v * scale).toFixed(2)) };
  const parts: Buffer[] = [];
  const rowIdx: number[] = [];
  const masks: number[] = [];
  const vals: number[] = [];
  let last = -1;
  for (let r = 0; r < rows; r++) {
    let mask = 0;
    const base = r * NT;
    for (let t = 0; t < NT; t++) {
      const q = Math.round(weights[base + t] * scale);
      if (q !== 0 && Math.abs(weights[base + t]) >= minAbs) mask |= 1 << t;
    }
    if (!mask) continue;
    rowIdx.push(r - last); last = r;
    masks.push(mask);
    for (let t = 0; t < NT; t++) if (mask & (1 << t)) vals.push(Math.round(weights[base + t] * scale));
  }
  // varint-encoded row deltas
  const deltaBuf: number[] = [];
  for (let d of rowIdx) { while (d >= 0x80) { deltaBuf.push((d & 0x7f) | 0x80); d >>>= 7; } deltaBuf.push(d); }
  const headerBuf = Buffer.from(JSON.stringify({ ...header, nonzeroRows: rowIdx.length, nvals: vals.length, deltaBytes: deltaBuf.length }), 'utf8');
  const len = Buffer.alloc(4); len.writeUInt32LE(headerBuf.length);
  parts.push(Buffer.from(MAGIC, 'utf8'), len, headerBuf, Buffer.from(deltaBuf));
  parts.push(Buffer.from(new Uint16Array(masks).buffer));
  parts.push(Buffer.from(new Int16Array(vals).buffer));
  return { bytes: gzipSync(Buffer.concat(parts), { level: gzipLevel }), nonzeroRows: rowIdx.length };
}

/**
 * A loaded model in a form that can be posted to worker threads: the int8 table lives in shared memory
 * (a shared WebAssembly.Memory where the SIMD kernel runs, else a SharedArrayBuffer), so N workers
 * (`--jobs N`) read one copy (16 MB once, not N times, and one copy in the shared cache) instead of each
 * loading the file.
 */
export interface SharedModel { meta: ModelMeta; table: SharedArrayBuffer; memory?: WebAssembly.Memory; step: number; trans: number[]; endTrans: number[]; lexicon?: string[][] }

/** The model as a SharedModel (it must have been loaded with `shared: true`). */
export function shareModel(m: Model): SharedModel {
  const table = m.table.buffer;
  if (!(table instanceof SharedArrayBuffer)) throw new Error('shareModel: the model was not loaded into shared memory');
  return { meta: m.meta, table, memory: m.memory, step: m.step, trans: Array.from(m.trans), endTrans: Array.from(m.endTrans), lexicon: m.lexicon?.entries };
}

/** A Model over a SharedModel's table (no copy). */
export function modelFromShared(s: SharedModel): Model {
  const table = s.memory ? new Int8Array(s.memory.buffer, 0, (1 << s.meta.bits) * RS) : new Int8Array(s.table);
  const model = new Model(s.meta, table, s.step, Float32Array.from(s.trans), Float32Array.from(s.endTrans), s.memory);
  if (s.lexicon) model.lexicon = Lexicon.fromEntries(s.lexicon);
  return model;
}

/**
 * opts.shared: the table in shared memory (for shareModel); opts.kernel: false keeps the table out of
 * WebAssembly memory, so decode() uses the JavaScript loop (tests compare the two).
 */
/**
 * A model file's parts: its JSON header (trans and endTrans in file units), and its sparse rows: the row ids, per row
 * a mask of the tags it holds, and those tags' int16 values in file order (file value = weight * header.scale).
 */
export interface ModelFile { header: ModelMeta & { trans: number[]; endTrans: number[]; lexicon?: string[][] }; rowIds: Int32Array; masks: Uint16Array; vals: Int16Array }

export function readModelFile(gz: Buffer): ModelFile {
  let buf: Buffer;
  try { buf = gunzipSync(gz); } catch { throw new Error('not a corpus-lens NER model (not gzip data)'); }
  if (buf.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) throw new Error('not a corpus-lens NER model');
  let p = MAGIC.length;
  const hlen = buf.readUInt32LE(p); p += 4;
  const header = JSON.parse(buf.subarray(p, p + hlen).toString('utf8'));
  p += hlen;
  if (header.featureVersion !== FEATURE_VERSION || header.nf !== NF) throw new Error(`model feature version ${header.featureVersion}/${header.nf} does not match code ${FEATURE_VERSION}/${NF}; retrain`);
  const nrows: number = header.nonzeroRows;
  const rowIds = new Int32Array(nrows);
  let r = -1;
  for (let i = 0; i < nrows; i++) {
    let d = 0, s = 0, b: number;
    do { b = buf[p++]; d |= (b & 0x7f) << s; s += 7; } while (b & 0x80);
    r += d; rowIds[i] = r;
  }
  const masks = new Uint16Array(buf.buffer.slice(buf.byteOffset + p, buf.byteOffset + p + nrows * 2)); p += nrows * 2;
  const vals = new Int16Array(buf.buffer.slice(buf.byteOffset + p, buf.byteOffset + p + header.nvals * 2));
  return { header, rowIds, masks, vals };
}

export function deserialiseModel(gz: Buffer, opts: { shared?: boolean; kernel?: boolean } = {}): Model {
  const { header, rowIds, masks, vals } = readModelFile(gz);
  const rows = 1 << header.bits;
  const nrows = rowIds.length;
  // straight to the int8 runtime table: one step = max |w| / 127 (nothing is clamped)
  let max = 0;
  for (let i = 0; i < vals.length; i++) { const a = vals[i] < 0 ? -vals[i] : vals[i]; if (a > max) max = a; }
  const step = max > 0 ? max / 127 : 1;
  // in WebAssembly memory for the SIMD kernel where it runs (shared memory, so `shared` holds too)
  const memory = opts.kernel === false ? undefined : tableMemory(rows * RS);
  const t8 = memory ? new Int8Array(memory.buffer, 0, rows * RS) : opts.shared ? new Int8Array(new SharedArrayBuffer(rows * RS)) : new Int8Array(rows * RS);
  let v = 0;
  for (let i = 0; i < nrows; i++) {
    const base = rowIds[i] * RS, m = masks[i];
    for (let t = 0; t < NT; t++) if (m & (1 << t)) t8[base + t] = Math.round(vals[v++] / step);
  }
  const { trans, endTrans, lexicon, ...meta } = header;
  const model = new Model(meta as ModelMeta, t8, step, Float32Array.from(trans as number[]), Float32Array.from(endTrans as number[]), memory);
  if (lexicon) model.lexicon = Lexicon.fromEntries(lexicon as string[][]);
  return model;
}

/** Default model location: models/ner.model next to the bundle (dist/..) or the repo root. */
export function defaultModelPath(): string {
  const candidates = modelsFileCandidates('ner.model');
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/**
 * A model whose header has no calibration takes the one of its record (models/ner.model.json beside
 * models/ner.model, written by train.ts --validate --calibrate): the calibration is fitted on sentences the
 * weights never saw, so it can be refitted without touching the weights.
 */
function withSidecarCalibration(m: Model, path: string): Model {
  if (isCalibration(m.meta.calibration) || !existsSync(path + '.json')) return m;
  let calibration: unknown;
  try { calibration = JSON.parse(readFileSync(path + '.json', 'utf8')).calibration; } catch { return m; }
  return isCalibration(calibration) ? withCalibration(m, calibration) : m;
}

/** The same model (the same table, not copied) with this calibration. */
export function withCalibration(m: Model, calibration: Calibration): Model {
  const calibrated = new Model({ ...m.meta, calibration }, m.table, m.step, m.trans, m.endTrans, m.memory);
  calibrated.lexicon = m.lexicon;
  return calibrated;
}

const modelCache = new Map<string, Model>();
export function loadModel(path?: string, opts: { shared?: boolean; kernel?: boolean } = {}): Model {
  const p = resolve(path ?? defaultModelPath());
  const key = (opts.shared ? 'shared:' : '') + (opts.kernel === false ? 'js:' : '') + p;
  let m = modelCache.get(key);
  if (!m) {
    if (!existsSync(p)) throw new Error(`NER model not found at ${p} (run npm run train)`);
    m = withSidecarCalibration(deserialiseModel(readFileSync(p), opts), p);
    modelCache.set(key, m);
  }
  return m;
}
