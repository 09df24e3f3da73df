/**
 * The model learns the user's corpus: continued training of the averaged perceptron (trainer.ts) from a model
 * file's own weights, on the gold mentions of the user's reviewed articles, with a held-out part of those articles
 * scored before and after. Nothing but the model file and the articles is needed.
 *
 * The sentences are cut, segmented and featurised exactly as the recogniser does when it tags (splitChunks, prepare
 * with the model's lexicon), and tagged BIOES from the gold spans. Updates are the perceptron's (+1 on the gold
 * tag's weights, -1 on the predicted one's, in the units of the trained weights), on the features of a name and its
 * context only (LEARNED_SLOTS); the result is the average of the weights over this training, which starts from the
 * base weights, so a weight that no update touches stays exactly as it was.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Segmenter } from '../segment/segmenter';
import type { Dictionary } from './dictionary';
import { score, type GoldSpan, type Scores } from './eval';
import { NF } from './features';
import { gazetteer } from './gazetteer';
import { Lexicon } from './lexicon';
import { deserialiseModel, type Model, type ModelFile, NT, readModelFile, serialiseModel, viterbiArray } from './model';
import { prepare } from './prepare';
import { createRecogniser, splitChunks } from './recogniser';
import { spansToTags } from './trainer';

/** A reviewed article: its path (the held-out split goes by it), its text, and its gold mentions (UTF-16 spans into text). */
export interface AdaptArticle { path: string; text: string; gold: GoldSpan[] }

/** What an adapted model file records about its training (model header field `adaptation`). */
export interface AdaptRecord {
  /** ISO time of the training */
  date: string;
  /** the reviewed articles trained on, their gold mentions and sentences */
  articles: number;
  mentions: number;
  sentences: number;
  epochs: number;
  /** the reviewed articles kept out of training and scored (every HELD_OUT_EVERY-th by path) */
  heldOut: { articles: number; mentions: number };
  /** the base model's and the adapted model's scores on the held-out articles (null: none held out) */
  before: Scores | null;
  after: Scores | null;
}

/** Every 5th reviewed article by sorted path (0-based index % 5 === 4) is held out, as the shipped model's data was split. */
export const HELD_OUT_EVERY = 5;
export const DEFAULT_EPOCHS = 10;

export class AdaptCancelled extends Error { constructor() { super('cancelled'); } }

export interface AdaptOptions {
  /** the model file to start from (the shipped models/ner.model, or an adapted one) */
  base: Buffer;
  articles: AdaptArticle[];
  /** passes over the training articles' sentences (default DEFAULT_EPOCHS) */
  epochs?: number;
  /** the segmenter the recogniser tags with (the sentences are cut as tagging cuts them) */
  segmenter: Segmenter;
  /** the corpus dictionary, applied when the held-out articles are scored (as in the user's own analyses) */
  dictionary?: Dictionary;
  /** work done of the total (units: sentences featurised, sentence passes, articles scored) */
  onProgress?: (p: { done: number; total: number }) => void;
  /** asked between pieces of work (the function yields to the event loop there): true ends it with AdaptCancelled */
  isCancelled?: () => boolean;
}

/** The training and held-out articles: sorted by path (code unit order), every HELD_OUT_EVERY-th held out. */
export function splitHeldOut<T extends { path: string }>(articles: readonly T[]): { train: T[]; heldOut: T[] } {
  const sorted = [...articles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { train: sorted.filter((_, i) => i % HELD_OUT_EVERY !== HELD_OUT_EVERY - 1), heldOut: sorted.filter((_, i) => i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1) };
}

interface Sentence { feats: Int32Array; gold: Uint8Array; n: number }

/**
 * The base model continued on the training part of `articles`: the adapted model file's bytes (the base's header,
 * lexicon included, plus `adaptation`: the record) and the record.
 */
export async function adaptModel(opts: AdaptOptions): Promise<{ bytes: Buffer; record: AdaptRecord }> {
  const epochs = opts.epochs ?? DEFAULT_EPOCHS;
  const { train, heldOut } = splitHeldOut(opts.articles);
  const file = readModelFile(opts.base);
  const lexicon = file.header.lexicon ? Lexicon.fromEntries(file.header.lexicon) : undefined;
  const chunks = train.map((a) => splitChunks(a.text).map(([s, e]) => ({ text: a.text.slice(s, e), start: s, gold: a.gold })));
  const sentenceCount = chunks.reduce((n, c) => n + c.length, 0);
  const total = sentenceCount * (1 + epochs) + 2 * heldOut.length;
  let done = 0;
  const step = async (units: number) => {
    done += units;
    opts.onProgress?.({ done, total });
    if (opts.isCancelled) {
      await nextTurn(); // (a cancel from the worker's port arrives between turns)
      if (opts.isCancelled()) throw new AdaptCancelled();
    }
  };

  const g = gazetteer();
  const sentences: Sentence[] = [];
  for (const article of chunks) {
    const tokens = opts.segmenter.tagMany?.(article.map((c) => c.text));
    for (let k = 0; k < article.length; k++) {
      const c = article[k];
      const p = prepare(c.text, opts.segmenter, g, tokens?.[k], undefined, lexicon);
      const cp = utf16ToCodePoint(p.offsets, p.n);
      // the spans inside this sentence (a mention across a sentence's edge cannot be tagged in it: the recogniser
      // never finds one either)
      const spans = c.gold.filter((s) => s.start >= c.start && s.end <= c.start + c.text.length)
        .map((s) => ({ start: cp[s.start - c.start], end: cp[s.end - c.start], type: s.type }))
        .filter((s) => s.start >= 0 && s.end > s.start);
      sentences.push({ feats: p.feats, gold: spansToTags(p.n, spans), n: p.n });
    }
    await step(article.length);
  }

  const learner = new ContinuedPerceptron(file);
  for (let e = 0; e < epochs; e++) {
    for (const [i, idx] of learner.shuffled(sentences.length).entries()) {
      learner.learn(sentences[idx]);
      if (i % 64 === 63) await step(64);
    }
    await step(sentences.length % 64);
  }

  // the held-out articles' mentions by a model (the whole recogniser: rules, linking, the dictionary), scored
  const scores = async (model: Model) => {
    const recogniser = createRecogniser({ segmenter: opts.segmenter, model, dictionary: opts.dictionary });
    const found: GoldSpan[][] = [];
    for (const a of heldOut) {
      found.push(recogniser.analyse(a.text).flatMap((e) => e.mentions.map((m) => ({ start: m.start, end: m.end, type: e.type }))));
      await step(1);
    }
    return score(heldOut.map((a) => a.gold), found);
  };
  const record: AdaptRecord = {
    date: new Date().toISOString(),
    articles: train.length,
    mentions: train.reduce((n, a) => n + a.gold.length, 0),
    sentences: sentences.length,
    epochs,
    heldOut: { articles: heldOut.length, mentions: heldOut.reduce((n, a) => n + a.gold.length, 0) },
    before: heldOut.length ? await scores(deserialiseModel(opts.base)) : null,
    after: null,
  };
  // the base's header (its lexicon, what it was trained on) with the record; serialiseModel writes scale and tables anew
  const weights = learner.averaged();
  const write = (level: number) => serialiseModel({ ...file.header, adaptation: record }, weights, learner.trans, learner.endTrans, 0, level).bytes;
  // the scores after go into the file's header: scored from a quick copy, the file is written once they are known
  if (heldOut.length) record.after = await scores(deserialiseModel(write(1)));
  return { bytes: write(9), record };
}

/**
 * The feature slots training updates (extractFeatures' order): the characters around i and their n-grams, the jieba
 * word and the words beside it, what is particular to a name and its context. The general templates (character
 * classes, POS tags, word lengths, gazetteer and lexicon labels, the bias) and the tag transitions keep the base's
 * weights: they were estimated on some hundred thousand sentences and every sentence uses them, so the corrections of
 * a few dozen articles would tilt the whole model (updated too, they changed the entities of 10 to 13 of the 14 sample
 * articles after learning one organisation's name; kept, none or one).
 */
export const LEARNED_SLOTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 16, 36, 37, 38, 39];

/** UTF-16 offset → code-point index for offsets[0..n] (code point → UTF-16); -1 inside a surrogate pair. */
function utf16ToCodePoint(offsets: Uint32Array, n: number): Int32Array {
  const out = new Int32Array(offsets[n] + 1).fill(-1);
  for (let i = 0; i <= n; i++) out[offsets[i]] = i;
  return out;
}

/**
 * The averaged structured perceptron over one table of 2^bits rows (no domain copies: the user's corpus is the only
 * domain), its weights starting as the base file's, its transitions the base's. Weights stay within the base's
 * largest magnitude and the cells at that magnitude are never updated, so the file's scale and the runtime table's
 * int8 step come out as the base's: every weight no update touched keeps exactly its quantised value.
 */
class ContinuedPerceptron {
  private readonly shift: number;
  private readonly W: Float32Array;
  /** the running sums of c * update, by cell (only the cells updated: the average is W - A / c) */
  private readonly A = new Map<number, number>();
  /** the base's transitions, in the weights' units */
  readonly trans: Float32Array;
  readonly endTrans: Float32Array;
  private readonly limit: number;
  private c = 1;
  private seed = 12345;

  constructor(file: ModelFile) {
    const { header, rowIds, masks, vals } = file;
    this.shift = 32 - header.bits;
    this.W = new Float32Array((1 << header.bits) * NT);
    let v = 0, max = 0;
    for (let i = 0; i < rowIds.length; i++) {
      const base = rowIds[i] * NT;
      for (let t = 0; t < NT; t++) {
        if (!(masks[i] & (1 << t))) continue;
        const x = vals[v++] / header.scale;
        this.W[base + t] = x;
        if (Math.abs(x) > max) max = Math.abs(x);
      }
    }
    this.limit = max;
    this.trans = Float32Array.from(header.trans, (x) => x / header.scale);
    this.endTrans = Float32Array.from(header.endTrans, (x) => x / header.scale);
  }

  /** 0..n-1 in a shuffled order (a fixed seed: the same articles give the same model) */
  shuffled(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      this.seed = (Math.imul(this.seed, 1103515245) + 12345) & 0x7fffffff;
      const j = Math.floor((this.seed / 0x80000000) * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  /** Tags the sentence with the current weights; where a tag is wrong, +1 on the gold tag's weights, -1 on the predicted one's. */
  learn(x: Sentence): void {
    if (x.n === 0) return;
    const { W, shift } = this;
    const em = new Float64Array(x.n * NT);
    for (let i = 0; i < x.n; i++) {
      for (let k = 0; k < NF; k++) {
        const h = x.feats[i * NF + k];
        if (h === 0) continue;
        const r = (h >>> shift) * NT;
        for (let t = 0; t < NT; t++) em[i * NT + t] += W[r + t];
      }
    }
    const pred = viterbiArray(x.n, em, NT, this.trans, this.endTrans);
    for (let i = 0; i < x.n; i++) {
      if (x.gold[i] === pred[i]) continue;
      this.update(x, i, x.gold[i], 1);
      this.update(x, i, pred[i], -1);
    }
    this.c++;
  }

  private update(x: Sentence, i: number, tag: number, delta: number): void {
    const { W, A, limit, shift, c } = this;
    for (const k of LEARNED_SLOTS) {
      const h = x.feats[i * NF + k];
      if (h === 0) continue;
      const cell = (h >>> shift) * NT + tag;
      const old = W[cell];
      if (Math.abs(old) >= limit) continue;
      W[cell] = Math.max(-limit, Math.min(limit, old + delta));
      A.set(cell, (A.get(cell) ?? 0) + c * (W[cell] - old));
    }
  }

  /** The weights averaged over the training (the base weights where nothing was updated). */
  averaged(): Float32Array {
    const weights = Float32Array.from(this.W);
    for (const [cell, a] of this.A) weights[cell] -= a / this.c;
    return weights;
  }
}
