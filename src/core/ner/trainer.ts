/**
 * Averaged structured perceptron over characters (BIOES tags, Viterbi decoding) with
 * "frustratingly easy" domain adaptation: every feature also fires in a copy specific to its data
 * set, so conflicting annotation conventions (PKU 1998, CLUENER) do not overwrite the MSRA-style
 * ones. On export the general weights and the MSRA-domain copies are folded into one table, so
 * tagging costs no more than a single-domain model.
 */
import { EntityType } from './types';
import { NF, FEATURE_VERSION } from './features';
import { finalise, mixInt } from './hash';
import { Model, ModelMeta, NT, TAG_NAMES, viterbiArray, serialiseModel, deserialiseModel } from './model';

/**
 * alt (optional): per position a second tag the annotation may stand for (0: none). Where a data set's
 * convention leaves a case unannotated that the target convention tags (PKU 1998 leaves 中 in 中美
 * untagged, MSRA tags it S-LOC), the position is ambiguous: the update's gold path is the best path
 * under the current weights among those allowed (gold or alt at each position), a latent-label
 * perceptron, so such positions neither teach the convention nor contradict it.
 */
export interface TrainSentence { feats: Int32Array; gold: Uint8Array; n: number; domain: number; weight: number; alt?: Uint8Array }

const typeIndex: Record<EntityType, number> = { PER: 0, LOC: 1, ORG: 2 };

/** BIOES tag ids from code-point spans. */
export function spansToTags(n: number, spans: { start: number; end: number; type: EntityType }[]): Uint8Array {
  const tags = new Uint8Array(n);
  for (const s of spans) {
    const base = 1 + 4 * typeIndex[s.type];
    if (s.end - s.start === 1) tags[s.start] = base + 3;
    else {
      tags[s.start] = base;
      for (let i = s.start + 1; i < s.end - 1; i++) tags[i] = base + 1;
      tags[s.end - 1] = base + 2;
    }
  }
  return tags;
}

const domainSalt = (d: number) => Math.imul(d + 7, 0x27d4eb2f);
export const domainHash = (h: number, d: number) => finalise(mixInt(h, domainSalt(d)));

export interface TrainerOptions { bits: number; exportBits: number; targetDomain: number; seed?: number }

export class PerceptronTrainer {
  readonly rows: number;
  readonly shift: number;
  readonly W: Float32Array;
  readonly A: Float64Array;
  readonly T = new Float64Array((NT + 1) * NT);
  readonly TA = new Float64Array((NT + 1) * NT);
  readonly E = new Float64Array(NT);
  readonly EA = new Float64Array(NT);
  c = 1;
  private rng: () => number;

  constructor(readonly opts: TrainerOptions) {
    this.rows = 1 << opts.bits;
    this.shift = 32 - opts.bits;
    this.W = new Float32Array(this.rows * NT);
    this.A = new Float64Array(this.rows * NT);
    let s = opts.seed ?? 12345;
    this.rng = () => { s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff; return s / 0x80000000; };
  }

  private emissions(x: TrainSentence): Float64Array {
    const { W, shift } = this;
    const em = new Float64Array(x.n * NT);
    for (let i = 0; i < x.n; i++) {
      const o = i * NT;
      for (let k = 0; k < NF; k++) {
        const h = x.feats[i * NF + k];
        if (h === 0) continue;
        const r1 = (h >>> shift) * NT;
        const r2 = (domainHash(h, x.domain) >>> shift) * NT;
        for (let t = 0; t < NT; t++) em[o + t] += W[r1 + t] + W[r2 + t];
      }
    }
    return em;
  }

  private updateFeatures(x: TrainSentence, i: number, tag: number, delta: number): void {
    const { W, A, shift, c } = this;
    for (let k = 0; k < NF; k++) {
      const h = x.feats[i * NF + k];
      if (h === 0) continue;
      const r1 = (h >>> shift) * NT + tag;
      const r2 = (domainHash(h, x.domain) >>> shift) * NT + tag;
      W[r1] += delta; A[r1] += c * delta;
      W[r2] += delta; A[r2] += c * delta;
    }
  }

  private updateTrans(p: number, cur: number, delta: number): void {
    this.T[p * NT + cur] += delta; this.TA[p * NT + cur] += this.c * delta;
  }

  /** The best path (current weights) that keeps the gold tag, or the alternative, at every position. */
  private latentGold(x: TrainSentence, em: Float64Array): Uint8Array {
    const alt = x.alt!;
    const c = new Float64Array(em.length).fill(-1e9);
    for (let i = 0; i < x.n; i++) {
      const o = i * NT;
      c[o + x.gold[i]] = em[o + x.gold[i]];
      if (alt[i]) c[o + alt[i]] = em[o + alt[i]];
    }
    return Uint8Array.from(viterbiArray(x.n, c, NT, this.T, this.E));
  }

  /** One pass over the data in a shuffled order; returns the number of sentences with errors. */
  epoch(data: TrainSentence[]): number {
    const order = data.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(this.rng() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    let errors = 0;
    for (const idx of order) {
      const x = data[idx];
      const reps = x.weight >= 1 ? Math.round(x.weight) : (this.rng() < x.weight ? 1 : 0);
      for (let r = 0; r < reps; r++) {
        const em = this.emissions(x);
        const pred = viterbiArray(x.n, em, NT, this.T, this.E);
        const gold = x.alt ? this.latentGold(x, em) : x.gold;
        let wrong = false;
        for (let i = 0; i < x.n; i++) {
          const g = gold[i], p = pred[i];
          if (g !== p) { wrong = true; this.updateFeatures(x, i, g, 1); this.updateFeatures(x, i, p, -1); }
          const gp = i === 0 ? NT : gold[i - 1], pp = i === 0 ? NT : pred[i - 1];
          if (gp !== pp || g !== p) { this.updateTrans(gp, g, 1); this.updateTrans(pp, p, -1); }
        }
        const gl = gold[x.n - 1], pl = pred[x.n - 1];
        if (gl !== pl) { this.E[gl] += 1; this.EA[gl] += this.c; this.E[pl] -= 1; this.EA[pl] -= this.c; }
        if (wrong) errors++;
        this.c++;
      }
    }
    return errors;
  }

  /**
   * Averaged weights folded for the target domain into a table of 2^exportBits rows:
   * final[row(h)] = avg_general(h) + avg_target(h), for every feature hash seen in training.
   */
  exportWeights(data: TrainSentence[]): ExportedWeights {
    const { W, A, c, shift } = this;
    const eshift = 32 - this.opts.exportBits;
    const out = new Float32Array((1 << this.opts.exportBits) * NT);
    const doneG = new Uint8Array(this.rows), doneM = new Uint8Array(this.rows);
    const d = this.opts.targetDomain;
    const add = (dst: number, src: number) => { for (let t = 0; t < NT; t++) out[dst + t] += W[src + t] - A[src + t] / c; };
    for (const x of data) {
      for (let j = 0; j < x.feats.length; j++) {
        const h = x.feats[j];
        if (h === 0) continue;
        const dst = (h >>> eshift) * NT;
        const rg = h >>> shift;
        if (!doneG[rg]) { doneG[rg] = 1; add(dst, rg * NT); }
        const rm = domainHash(h, d) >>> shift;
        if (!doneM[rm]) { doneM[rm] = 1; add(dst, rm * NT); }
      }
    }
    const trans = Float32Array.from(this.T, (v, i) => v - this.TA[i] / c);
    const endTrans = Float32Array.from(this.E, (v, i) => v - this.EA[i] / c);
    return { weights: out, trans, endTrans };
  }

  buildModel(data: TrainSentence[], extraMeta: Record<string, unknown> = {}, minAbs = 0): { model: Model; bytes: Buffer; nonzeroRows: number } {
    return modelFromWeights(this.exportWeights(data), this.opts.exportBits, extraMeta, minAbs);
  }
}

/** A model file (and the loaded model) from exported weights. */
export function modelFromWeights(w: ExportedWeights, exportBits: number, extraMeta: Record<string, unknown> = {}, minAbs = 0): { model: Model; bytes: Buffer; nonzeroRows: number } {
  const meta: ModelMeta = { format: 'corpus-lens-ner', featureVersion: FEATURE_VERSION, bits: exportBits, nf: NF, tags: TAG_NAMES, scale: 1, ...extraMeta };
  const { bytes, nonzeroRows } = serialiseModel(meta, w.weights, w.trans, w.endTrans, minAbs);
  return { model: deserialiseModel(bytes), bytes, nonzeroRows };
}

export interface ExportedWeights { weights: Float32Array; trans: Float32Array; endTrans: Float32Array }

/**
 * The mean of several trainers' exported weights (the same features, different shuffling seeds): still one
 * linear model, so tagging costs the same, with less of the variance of a single shuffling order.
 */
export function averageWeights(all: ExportedWeights[]): ExportedWeights {
  const mean = (xs: Float32Array[]) => { const out = new Float32Array(xs[0].length); for (const x of xs) for (let i = 0; i < x.length; i++) out[i] += x[i] / xs.length; return out; };
  return { weights: mean(all.map((w) => w.weights)), trans: mean(all.map((w) => w.trans)), endTrans: mean(all.map((w) => w.endTrans)) };
}
