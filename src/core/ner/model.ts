/**
 * The tagger model: hashed feature rows × BIOES tags, a transition matrix, Viterbi decoding, and the
 * compact binary file format (gzip of: magic, JSON header, sparse rows of int16 weights).
 */
import { gzipSync, gunzipSync } from 'node:zlib';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EntityType, ENTITY_TYPES } from './types';
import { NF, FEATURE_VERSION } from './features';

/** Tag ids: 0 = O; for type t (PER 0, LOC 1, ORG 2): B = 1+4t, I = 2+4t, E = 3+4t, S = 4+4t. */
export const NT = 13;
/** Row stride of the runtime weight table (rows padded to 16 int16 = 32 bytes, one cache line). */
export const RS = 16;
export const TAG_NAMES = ['O', ...ENTITY_TYPES.flatMap((t) => ['B-' + t, 'I-' + t, 'E-' + t, 'S-' + t])];
export const tagType = (tag: number): EntityType => ENTITY_TYPES[(tag - 1) >> 2];
export const tagPart = (tag: number): number => (tag === 0 ? 0 : ((tag - 1) & 3) + 1); // 1 B, 2 I, 3 E, 4 S

/** allowed[prev * NT + cur]; prev = NT means sentence start. */
export const ALLOWED: Uint8Array = (() => {
  const a = new Uint8Array((NT + 1) * NT);
  for (let p = 0; p <= NT; p++) {
    for (let c = 0; c < NT; c++) {
      const pOpen = p < NT && (tagPart(p) === 1 || tagPart(p) === 2);
      const cPart = tagPart(c);
      let ok: boolean;
      if (cPart === 2 || cPart === 3) ok = pOpen && tagType(p) === tagType(c);
      else ok = !pOpen;
      a[p * NT + c] = ok ? 1 : 0;
    }
  }
  return a;
})();
export const ALLOWED_END = (tag: number) => tagPart(tag) !== 1 && tagPart(tag) !== 2;

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
  constructor(
    readonly meta: ModelMeta,
    /** rows × RS emission weights (first NT used), quantised (value = w * meta.scale) */
    public weights: Int16Array,
    /** (NT+1) × NT transition scores (row NT = start), in the same units as weights × scale */
    readonly trans: Float32Array,
    /** end-of-sentence scores per tag */
    readonly endTrans: Float32Array,
  ) {
    this.shift = 32 - meta.bits;
  }

  /**
   * Hot table: a small direct-mapped copy of the rows of the most frequent features (chosen by
   * training frequency, stored in the model file), so most lookups hit a table that fits in cache.
   * Layout of `table`: hot rows first (2^hotBits × RS), then the full table; hotKeys[slot] = row + 1.
   */
  hotBits = 0;
  private hotKeys = new Int32Array(1);
  private table: Int16Array = new Int16Array(0);
  private hotOff = 0;

  /** Installs the hot table from the list of big-table rows, one per slot (-1 or 0 for none: row + 1 stored). */
  setHot(hotBits: number, slotRows: Int32Array): void {
    const H = 1 << hotBits;
    this.hotBits = hotBits;
    this.hotKeys = new Int32Array(H);
    this.table = new Int16Array(H * RS + this.weights.length);
    this.table.set(this.weights, H * RS);
    this.weights = this.table.subarray(H * RS);
    this.hotOff = H * RS;
    for (let s = 0; s < H; s++) {
      const r = slotRows[s] - 1;
      if (r < 0 || (r & (H - 1)) !== s) continue;
      this.hotKeys[s] = r + 1;
      this.table.copyWithin(s * RS, H * RS + r * RS, H * RS + r * RS + RS);
    }
  }

  /** Emission scores (integer units, row stride RS) for n positions. */
  emissions(feats: Int32Array, n: number, out?: Int32Array): Int32Array {
    const sc = out && out.length >= n * RS ? out : new Int32Array(n * RS);
    if (this.table.length === 0) this.setHot(0, new Int32Array(1));
    const W = this.table, shift = this.shift, keys = this.hotKeys, hmask = (1 << this.hotBits) - 1, off = this.hotOff;
    for (let i = 0; i < n; i++) {
      const fo = i * NF;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0;
      for (let k = 0; k < NF; k++) {
        const h = feats[fo + k];
        if (h === 0) continue;
        const row = h >>> shift, slot = row & hmask;
        const r = keys[slot] === row + 1 ? slot << 4 : off + (row << 4);
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
  decode(feats: Int32Array, n: number): Uint8Array {
    if (this.emScratch.length < n * RS) this.emScratch = new Int32Array(Math.max(n * RS * 2, 4096));
    return viterbiArray(n, this.emissions(feats, n, this.emScratch), RS, this.trans, this.endTrans);
  }
}

/** Allowed predecessors of each tag (row NT of ALLOWED = sentence start). */
const PREDS: Int32Array[] = Array.from({ length: NT }, (_, c) => Int32Array.from([...Array(NT).keys()].filter((p) => ALLOWED[p * NT + c])));
let vDelta = new Float64Array(0);
let vBack = new Uint8Array(0);

/** Viterbi over an emission array em[i * stride + t]. */
export function viterbiArray(n: number, em: ArrayLike<number>, stride: number, trans: ArrayLike<number>, endTrans: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(n);
  if (n === 0) return out;
  if (vDelta.length < n * NT) { vDelta = new Float64Array(n * NT * 2); vBack = new Uint8Array(n * NT * 2); }
  const delta = vDelta, back = vBack;
  for (let c = 0; c < NT; c++) delta[c] = ALLOWED[NT * NT + c] ? em[c] + trans[NT * NT + c] : -Infinity;
  for (let i = 1; i < n; i++) {
    const o = i * NT, po = o - NT, eo = i * stride;
    for (let c = 0; c < NT; c++) {
      const preds = PREDS[c];
      let best = -Infinity, arg = 0;
      for (let q = 0; q < preds.length; q++) {
        const p = preds[q];
        const v = delta[po + p] + trans[p * NT + c];
        if (v > best) { best = v; arg = p; }
      }
      delta[o + c] = best + em[eo + c];
      back[o + c] = arg;
    }
  }
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

/** Spans [start, end) (code-point indices) with types from a BIOES tag sequence. */
export function tagsToSpans(tags: ArrayLike<number>): { start: number; end: number; type: EntityType }[] {
  const spans: { start: number; end: number; type: EntityType }[] = [];
  let open = -1;
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i], part = tagPart(t);
    if (part === 4) { spans.push({ start: i, end: i + 1, type: tagType(t) }); open = -1; }
    else if (part === 1) open = i;
    else if (part === 3 && open >= 0) { spans.push({ start: open, end: i + 1, type: tagType(t) }); open = -1; }
    else if (part === 0) open = -1;
  }
  return spans;
}

const MAGIC = 'CLNER1\n';

/**
 * Hot-table slots from feature-row frequencies: slot s holds the most frequent row r with
 * r mod 2^hotBits = s (stored as row + 1; 0 = empty).
 */
export function hotSlots(counts: Uint32Array, hotBits: number): Int32Array {
  const H = 1 << hotBits, mask = H - 1;
  const slots = new Int32Array(H), best = new Uint32Array(H);
  for (let r = 0; r < counts.length; r++) {
    const c = counts[r];
    if (c > best[r & mask]) { best[r & mask] = c; slots[r & mask] = r + 1; }
  }
  return slots;
}

export function serialiseModel(meta: ModelMeta, weights: Float32Array | Float64Array, trans: Float32Array, endTrans: Float32Array, minAbs = 0, hot?: { bits: number; slots: Int32Array }): { bytes: Buffer; nonzeroRows: number } {
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
  const headerBuf = Buffer.from(JSON.stringify({ ...header, nonzeroRows: rowIdx.length, nvals: vals.length, deltaBytes: deltaBuf.length, hotBits: hot?.bits ?? 0 }), 'utf8');
  const len = Buffer.alloc(4); len.writeUInt32LE(headerBuf.length);
  parts.push(Buffer.from(MAGIC, 'utf8'), len, headerBuf, Buffer.from(deltaBuf));
  parts.push(Buffer.from(new Uint16Array(masks).buffer));
  parts.push(Buffer.from(new Int16Array(vals).buffer));
  if (hot) parts.push(Buffer.from(hot.slots.buffer, hot.slots.byteOffset, hot.slots.byteLength));
  return { bytes: gzipSync(Buffer.concat(parts), { level: 9 }), nonzeroRows: rowIdx.length };
}

export function deserialiseModel(gz: Buffer): Model {
  const buf = gunzipSync(gz);
  if (buf.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) throw new Error('not a corpus-lens NER model');
  let p = MAGIC.length;
  const hlen = buf.readUInt32LE(p); p += 4;
  const header = JSON.parse(buf.subarray(p, p + hlen).toString('utf8'));
  p += hlen;
  if (header.featureVersion !== FEATURE_VERSION || header.nf !== NF) throw new Error(`model feature version ${header.featureVersion}/${header.nf} does not match code ${FEATURE_VERSION}/${NF}; retrain`);
  const rows = 1 << header.bits;
  const weights = new Int16Array(rows * RS);
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
  p += header.nvals * 2;
  let v = 0;
  for (let i = 0; i < nrows; i++) {
    const base = rowIds[i] * RS, m = masks[i];
    for (let t = 0; t < NT; t++) if (m & (1 << t)) weights[base + t] = vals[v++];
  }
  const { trans, endTrans, ...meta } = header;
  const model = new Model(meta as ModelMeta, weights, Float32Array.from(trans as number[]), Float32Array.from(endTrans as number[]));
  const hb: number = header.hotBits ?? 0;
  if (hb > 0) {
    const slots = new Int32Array(buf.buffer.slice(buf.byteOffset + p, buf.byteOffset + p + (4 << hb)));
    model.setHot(hb, slots);
  }
  return model;
}

/** Default model location: models/ner.model next to the bundle (dist/..) or the repo root. */
export function defaultModelPath(): string {
  const candidates = [
    join(__dirname, '..', 'models', 'ner.model'),          // dist/x.js → models/
    join(__dirname, '..', '..', '..', 'models', 'ner.model'), // src/core/ner → repo root
    resolve(process.cwd(), 'models', 'ner.model'),
  ];
  for (const c of candidates) if (existsSync(c)) return c;
  return candidates[0];
}

const modelCache = new Map<string, Model>();
export function loadModel(path?: string): Model {
  const p = resolve(path ?? defaultModelPath());
  let m = modelCache.get(p);
  if (!m) {
    if (!existsSync(p)) throw new Error(`NER model not found at ${p} (run npm run train)`);
    m = deserialiseModel(readFileSync(p));
    modelCache.set(p, m);
  }
  return m;
}
