/**
 * A confidence for every mention: the margin of the tagger's best path over the best path that does not
 * contain the mention's span (exact, from max-marginals: one forward and one backward Viterbi pass over the
 * sentence chunk), mapped to [0, 1] by a logistic calibration per type fitted on held-out sentences
 * (scripts/train.ts --validate --calibrate; models/README.md has the table).
 */
import { EntityType, ENTITY_TYPES } from './types';
import { ALLOWED_END as allowedEnd, NT as TAGS, viterbiArray, viterbiPathScores } from './model';

export type { Calibration } from './calibration';
export { confidenceOf, DEFAULT_CALIBRATION, isCalibration } from './calibration';
export { roundConfidence, isUncertain } from '../mentionConfidence';

/** The closed tags (O, E-x, S-x), which the tags that open a name (O, B-x, S-x) may follow. */
const CLOSING = Int32Array.from([0, 3, 4, 7, 8, 11, 12]);
const gBuf = new Float64Array(TAGS);

let betaBuf = new Float64Array(0);

/** The tag of position k of a span of length len and type index ti (BIOES ids as model.ts numbers them). */
function spanTag(k: number, len: number, ti: number): number {
  if (len === 1) return 4 + 4 * ti;
  return (k === 0 ? 1 : k === len - 1 ? 3 : 2) + 4 * ti;
}

/**
 * The margins of spans [start, end) (code-point indices) with their types over a chunk of n characters:
 * score of the best path whose tags are exactly the span's (B I… E or S of its type) minus the score of the
 * best path without them. Positive for a span of the best path, negative for one it does not hold. Scores as
 * viterbiArray reads them: em[i * stride + tag], trans ((NT + 1) × NT, row NT the start), endTrans.
 *
 * The best path without the span differs from the span's tags at some position i in it, so its score is the
 * largest max-marginal alpha[i][t] + beta[i][t] over i in the span and t not the span's tag there; every such
 * max-marginal is the score of a path without the span, so that maximum is exact.
 *
 * `kernel`: the WebAssembly kernel that decoded the chunk (its Viterbi's path scores are alpha), which computes
 * beta and the margins over the scores it holds, the same f64 values (WasmTagger.margins). Without it, or where it
 * cannot, beta and the margins are computed here, over `paths` (the path scores of the Viterbi that decoded the
 * chunk: alpha) or, without them, viterbiArray's. The result may be the kernel's view, valid until its next call.
 */
export function spanMargins(n: number, em: ArrayLike<number>, stride: number, trans: ArrayLike<number>, endTrans: ArrayLike<number>,
  spans: readonly { start: number; end: number; type: EntityType }[],
  kernel?: { margins(n: number, spans: readonly { start: number; end: number; type: EntityType }[]): Float64Array | undefined },
  paths?: ArrayLike<number>): ArrayLike<number> {
  if (!spans.length || n === 0) return spans.map(() => 0);
  const fast = kernel?.margins(n, spans);
  if (fast) return fast;
  const NT = TAGS;
  // alpha[i][t]: best score of tags 0..i ending in t, emissions up to i included: the Viterbi's path scores
  const alpha = paths ?? (viterbiArray(n, em, stride, trans, endTrans), viterbiPathScores());
  let first = n;
  for (const sp of spans) if (sp.start < first) first = sp.start;
  if (betaBuf.length < n * TAGS) betaBuf = new Float64Array(n * TAGS * 2);
  const beta = backwardPass(n, em, stride, trans, endTrans, first, betaBuf);
  return spans.map(({ start, end, type }) => {
    const len = end - start, ti = ENTITY_TYPES.indexOf(type);
    let withSpan = alpha[start * NT + spanTag(0, len, ti)];
    for (let i = start + 1; i < end; i++) {
      const p = spanTag(i - 1 - start, len, ti), c = spanTag(i - start, len, ti);
      withSpan += trans[p * NT + c] + em[i * stride + c];
    }
    withSpan += beta[(end - 1) * NT + spanTag(len - 1, len, ti)];
    let without = -Infinity;
    for (let i = start; i < end; i++) {
      const own = spanTag(i - start, len, ti), o = i * NT;
      for (let t = 0; t < NT; t++) if (t !== own) { const v = alpha[o + t] + beta[o + t]; if (v > without) without = v; }
    }
    // (a chunk of one character has no path without a single-character span only if every tag is barred: never)
    return withSpan - without;
  });
}

/**
 * beta[i][t] (13 per character, into `beta`): the best score of the tags of characters i+1..n-1 after tag t at i,
 * with the end score, emissions after i only; for i from n-1 down to `first` (nothing before it is written).
 * tagger.wat's `backward` computes the same numbers (WasmTagger.backward); this is its fallback and test oracle.
 */
export function backwardPass(n: number, em: ArrayLike<number>, stride: number, trans: ArrayLike<number>, endTrans: ArrayLike<number>,
  first: number, beta: Float64Array): Float64Array {
  const NT = TAGS, ALLOWED_END = allowedEnd;
  if (n === 0) return beta;
  const lo = (n - 1) * NT;
  for (let c = 0; c < NT; c++) beta[lo + c] = ALLOWED_END(c) ? endTrans[c] : -Infinity;
  const g = gBuf;
  for (let i = n - 2; i >= first; i--) {
    const o = i * NT, no = o + NT, eo = (i + 1) * stride;
    for (let c = 0; c < NT; c++) g[c] = em[eo + c] + beta[no + c];
    const g0 = g[0], g1 = g[1], g4 = g[4], g5 = g[5], g8 = g[8], g9 = g[9], g12 = g[12];
    for (let q = 0; q < 7; q++) {
      const p = CLOSING[q], r = p * NT;
      let best = trans[r] + g0, v: number;
      v = trans[r + 1] + g1; if (v > best) best = v;
      v = trans[r + 4] + g4; if (v > best) best = v;
      v = trans[r + 5] + g5; if (v > best) best = v;
      v = trans[r + 8] + g8; if (v > best) best = v;
      v = trans[r + 9] + g9; if (v > best) best = v;
      v = trans[r + 12] + g12; if (v > best) best = v;
      beta[o + p] = best;
    }
    for (let b = 1; b < NT; b += 4) {
      const m = b + 1, e = b + 2;
      beta[o + b] = Math.max(trans[b * NT + m] + g[m], trans[b * NT + e] + g[e]);
      beta[o + m] = Math.max(trans[m * NT + m] + g[m], trans[m * NT + e] + g[e]);
    }
  }
  return beta;
}

/**
 * Logistic regression of correct (1) / wrong (0) on the margin, by Newton's method, with a weak prior (L2 of
 * 1e-3 on both parameters) that keeps a separable sample finite: the (a, b) of confidenceOf.
 */
export function fitLogistic(margins: readonly number[], correct: readonly boolean[]): { a: number; b: number } {
  // on margin / S, so that both parameters are of order 1 while Newton runs
  const S = 100;
  let a = 1, b = 0;
  const lambda = 1e-3;
  for (let it = 0; it < 100; it++) {
    let ga = lambda * a, gb = lambda * b, haa = lambda, hab = 0, hbb = lambda;
    for (let i = 0; i < margins.length; i++) {
      const x = margins[i] / S, p = 1 / (1 + Math.exp(-(a * x + b))), y = correct[i] ? 1 : 0, w = p * (1 - p);
      ga += (p - y) * x; gb += p - y;
      haa += w * x * x; hab += w * x; hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
    a -= da; b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a: a / S, b };
}

/** Confidence bands the evaluation reports precision in: [from, to). */
export const CONFIDENCE_BANDS: readonly [number, number][] = [[0, 0.5], [0.5, 0.7], [0.7, 0.9], [0.9, Infinity]];

export interface BandScore {
  /** the band [from, to) */
  from: number;
  to: number;
  /** mentions found with a confidence in the band, and how many of them are right (exact span and type) */
  mentions: number;
  correct: number;
  /** correct / mentions (0 for an empty band) */
  precision: number;
  /** the mean confidence of the band's mentions: a calibrated recogniser's precision is close to it */
  meanConfidence: number;
}

/** Precision per confidence band of found mentions, each with its confidence and whether it is right. */
export function bandScores(found: readonly { confidence: number; correct: boolean }[], bands = CONFIDENCE_BANDS): BandScore[] {
  return bands.map(([from, to]) => {
    const inBand = found.filter((f) => f.confidence >= from && f.confidence < to);
    const correct = inBand.filter((f) => f.correct).length;
    const mean = inBand.reduce((s, f) => s + f.confidence, 0) / Math.max(1, inBand.length);
    return { from, to, mentions: inBand.length, correct, precision: inBand.length ? correct / inBand.length : 0, meanConfidence: mean };
  });
}

/** The bands as a table: `  0.70–0.90    412   P 81.31  (mean confidence 0.80)`. */
export function formatBands(title: string, bands: readonly BandScore[]): string {
  const label = (b: BandScore) => (b.to === Infinity ? `≥ ${b.from.toFixed(2)}` : b.from === 0 ? `< ${b.to.toFixed(2)}` : `${b.from.toFixed(2)}–${b.to.toFixed(2)}`);
  const lines = [title, '  confidence   mentions  correct  precision  mean confidence'];
  for (const b of bands) {
    lines.push(`  ${label(b).padEnd(11)}  ${String(b.mentions).padStart(8)}  ${String(b.correct).padStart(7)}  ${(b.precision * 100).toFixed(2).padStart(9)}  ${b.meanConfidence.toFixed(3).padStart(15)}`);
  }
  return lines.join('\n');
}
