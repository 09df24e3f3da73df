/**
 * The tagger's inner loops in WebAssembly (tagger.wat): the feature hashes of extractFeatures, and the
 * emission scores in SIMD (one 16-byte row load and two widening additions per feature instead of 13 scalar
 * additions). The weight table lives at
 * byte 0 of a shared WebAssembly.Memory, so the worker threads of `--jobs` use one copy of it; each thread's
 * kernel takes a private region of that memory (memory.grow is atomic and returns the old size, which makes
 * it an allocator) for its inputs, the features, the scores and the Viterbi's back-pointers and tags, so a
 * sentence goes from features to tags, and its mentions' margins (confidence.ts) from the same scores, without
 * leaving that memory. Where WebAssembly SIMD or shared memory
 * is missing, the JavaScript code runs instead.
 */
import { TAGGER_WASM } from './taggerWasm';
import type { WordInfo, FeatureInputs } from './features';
import { KIND_COUNT } from './gazetteer';
import { ENTITY_TYPES, EntityType } from './types';

const PAGE = 65536;
/** Pages a table memory may grow by for the kernels' regions (address space reserved, not memory used). */
const HEADROOM_PAGES = 4096;
/** Characters a region holds at first (sentence chunks are at most 400 UTF-16 units). */
const FIRST_CAPACITY = 1024;
/** int32 scores per character in the kernel's output (13 tags, padded): Model's RS. */
const STRIDE = 16;
/** Tags (Model's NT). */
const NT = 13;
/** f64 transition scores the viterbi kernel reads: (NT + 1) × NT (row NT: start), then NT end scores. */
const TRANS = (NT + 1) * NT + NT;
/** Spans margins() takes per character of the region: the tagger's spans and those of rule-made mentions, each set non-overlapping. */
const SPANS_PER_CHAR = 2;

let compiled: WebAssembly.Module | null | undefined;
let unavailable: string | undefined;

/** The compiled kernel, or undefined where this runtime cannot run it (see wasmUnavailable()). */
function kernelModule(): WebAssembly.Module | undefined {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(TAGGER_WASM, 'base64'));
      // shared memory is part of the kernel's contract: check it once here, not on every model load
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    } catch (e) {
      compiled = null;
      unavailable = `WebAssembly SIMD tagger unavailable (${(e as Error).message}); tagging uses the JavaScript loops`;
    }
  }
  return compiled ?? undefined;
}

/** Why the kernel cannot run here, once it has been tried; undefined when it runs. */
export function wasmUnavailable(): string | undefined { kernelModule(); return unavailable; }

/** A shared memory with room for a table of `bytes` bytes at offset 0, or undefined without the kernel. */
export function tableMemory(bytes: number): WebAssembly.Memory | undefined {
  if (!kernelModule()) return undefined;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: pages + HEADROOM_PAGES, shared: true });
  } catch (e) {
    // (address space refused: a tight ulimit -v, a 32-bit host) the JavaScript loops decode instead
    unavailable = `WebAssembly memory for the tagger unavailable (${(e as Error).message}); tagging uses the JavaScript loops`;
    return undefined;
  }
}

/** What the features kernel reads, as views into a kernel's region. */
export interface KernelInputs extends FeatureInputs { cps: Int32Array; info: WordInfo }

type Fn = (...args: number[]) => void;

export class WasmTagger {
  private readonly runEmissions: Fn;
  private readonly runFeatures: Fn;
  private readonly runViterbi: Fn;
  private readonly runBackward: Fn;
  private readonly runMargins: Fn;
  private capacity = 0;
  private at: Record<'trans' | 'delta' | 'beta' | 'margins' | 'spans' | 'cps' | 'types' | 'pos' | 'tag' | 'word' | 'len' | 'prevTag' | 'nextTag' | 'prevWord' | 'nextWord' | 'gaz' | 'lex' | 'feats' | 'out' | 'back' | 'tags', number> | undefined;
  private views: KernelInputs | undefined;
  private featsView: Int32Array = new Int32Array(0);
  private outView: Int32Array = new Int32Array(0);
  private tagsView: Uint8Array = new Uint8Array(0);
  private deltaView: Float64Array = new Float64Array(0);
  private betaView: Float64Array = new Float64Array(0);
  private marginsView: Float64Array = new Float64Array(0);
  private spansView: Int32Array = new Int32Array(0);
  /** the transition and end scores viterbi() reads (copied into every region) */
  private readonly trans = new Float64Array(TRANS);

  private constructor(private readonly memory: WebAssembly.Memory, private readonly nf: number, private readonly shift: number, mod: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(mod, { env: { memory } });
    this.runEmissions = instance.exports.emissions as Fn;
    this.runFeatures = instance.exports.features as Fn;
    this.runViterbi = instance.exports.viterbi as Fn;
    this.runBackward = instance.exports.backward as Fn;
    this.runMargins = instance.exports.margins as Fn;
  }

  /** A kernel over the table at byte 0 of `memory` (rows of 16 int8), or undefined without WebAssembly. */
  static create(memory: WebAssembly.Memory | undefined, nf: number, shift: number): WasmTagger | undefined {
    const mod = kernelModule();
    if (!memory || !mod) return undefined;
    try { return new WasmTagger(memory, nf, shift, mod); } catch (e) {
      unavailable = `WebAssembly tagger could not start (${(e as Error).message}); tagging uses the JavaScript loops`;
      return undefined;
    }
  }

  /** A private region for `chars` characters; false when the memory cannot grow (the caller falls back). */
  private reserve(chars: number): boolean {
    const cap = Math.max(chars, this.capacity * 2, FIRST_CAPACITY);
    // byte sizes per character, the f64 arrays (path scores forward and backward, margins) then the 4-byte ones
    // first so that every array stays aligned (after the f64 transition scores, a fixed size)
    const layout = [
      ['delta', 8 * NT], ['beta', 8 * NT], ['margins', 8 * SPANS_PER_CHAR], ['spans', 12 * SPANS_PER_CHAR], ['cps', 4], ['tag', 4], ['word', 4], ['prevTag', 4], ['nextTag', 4], ['prevWord', 4], ['nextWord', 4],
      ['feats', 4 * this.nf], ['out', 4 * STRIDE], ['types', 1], ['pos', 1], ['len', 1], ['gaz', KIND_COUNT], ['lex', 3],
      ['back', NT], ['tags', 1],
    ] as const;
    const bytes = 8 * TRANS + layout.reduce((sum, [, b]) => sum + b * cap, 0);
    let base: number;
    try { base = this.memory.grow(Math.ceil(bytes / PAGE)) * PAGE; } catch { return false; }
    const at = { trans: base } as NonNullable<WasmTagger['at']>;
    base += 8 * TRANS;
    for (const [name, b] of layout) { at[name] = base; base += b * cap; }
    this.at = at;
    this.capacity = cap;
    const buf = this.memory.buffer;
    const i32 = (name: keyof typeof at, len: number) => new Int32Array(buf, at[name], len);
    const u8 = (name: keyof typeof at, len: number) => new Uint8Array(buf, at[name], len);
    this.views = {
      cps: i32('cps', cap), types: u8('types', cap), gaz: u8('gaz', KIND_COUNT * cap), lex: u8('lex', 3 * cap),
      info: {
        pos: u8('pos', cap), tag: i32('tag', cap), word: i32('word', cap), len: u8('len', cap),
        prevTag: i32('prevTag', cap), nextTag: i32('nextTag', cap), prevWord: i32('prevWord', cap), nextWord: i32('nextWord', cap),
      },
    };
    this.featsView = i32('feats', cap * this.nf);
    this.outView = i32('out', cap * STRIDE);
    this.tagsView = u8('tags', cap);
    this.deltaView = new Float64Array(buf, at.delta, cap * NT);
    this.betaView = new Float64Array(buf, at.beta, cap * NT);
    this.marginsView = new Float64Array(buf, at.margins, cap * SPANS_PER_CHAR);
    this.spansView = new Int32Array(buf, at.spans, 3 * cap * SPANS_PER_CHAR);
    new Float64Array(buf, at.trans, TRANS).set(this.trans);
    return true;
  }

  /**
   * Views for the inputs of n characters in this thread's region, to be filled before features(n); they
   * stay valid until a call with a larger n. Undefined when no region could be had (memory exhausted).
   */
  inputs(n: number): KernelInputs | undefined {
    if ((n > this.capacity || !this.views) && !this.reserve(n)) return undefined;
    return this.views;
  }

  /** The feature hashes (nf int32 per character, as extractFeatures computes them) of the n characters whose inputs(n) were filled: a view. */
  features(n: number): Int32Array {
    // (past the region, the kernel would write into memory another thread's region may own)
    if (n > this.capacity || !this.at) throw new RangeError(`features(${n}) without inputs(${n}) first`);
    const at = this.at;
    this.runFeatures(at.cps, at.types, at.pos, at.tag, at.word, at.len, at.prevTag, at.nextTag, at.prevWord, at.nextWord, at.gaz, at.lex, n, at.feats);
    return this.featsView;
  }

  /**
   * Emission scores of n characters from their feature hashes (n × nf int32, 0 = none): 16 int32 per
   * character (13 tags, then 0), the same numbers as Model.emissions. The result is a view that the next
   * call overwrites; undefined when no region could be had (memory exhausted). Features from features()
   * are used where they are, others are copied in.
   */
  emissions(feats: Int32Array, n: number): Int32Array | undefined {
    if (feats !== this.featsView) {
      if ((n > this.capacity || !this.at) && !this.reserve(n)) return undefined;
      this.featsView.set(feats.subarray(0, n * this.nf));
    } else if (n > this.capacity) return undefined;
    this.runEmissions(this.at!.feats, n, this.nf, this.shift, this.at!.out);
    return this.outView;
  }

  /** Sets the transition scores ((NT + 1) × NT, row NT: start) and end scores (NT) that viterbi() uses. */
  transitions(trans: ArrayLike<number>, endTrans: ArrayLike<number>): void {
    this.trans.set(trans); this.trans.set(endTrans, (NT + 1) * NT);
    if (this.at) new Float64Array(this.memory.buffer, this.at.trans, TRANS).set(this.trans);
  }

  /**
   * The tags (BIOES ids, a new array) of n characters: what viterbiArray finds from the same scores and
   * transitions() (ties included). The scores are those the last emissions() call wrote, or `em` (16
   * int32 per character, copied in) when given; undefined when no region could be had.
   */
  viterbi(n: number, em?: Int32Array): Uint8Array | undefined {
    if (em) {
      if ((n > this.capacity || !this.at) && !this.reserve(n)) return undefined;
      this.outView.set(em.subarray(0, n * STRIDE));
    }
    const at = this.at;
    if (!at) return n === 0 ? new Uint8Array(0) : undefined;
    if (n > this.capacity) return undefined; // (scores of more characters than the region holds were never written)
    this.runViterbi(at.out, n, at.trans, at.back, at.tags, at.delta);
    return this.tagsView.slice(0, n);
  }

  /** The emission scores the last emissions() wrote (16 int32 per character): a view the next call overwrites. */
  get scores(): Int32Array { return this.outView; }
  /**
   * The path scores of the last viterbi() (13 f64 per character: the best score of the tags up to each character
   * ending in each tag, its emission included), exactly confidence.ts's forward pass: a view the next call overwrites.
   */
  get pathScores(): Float64Array { return this.deltaView; }

  /**
   * The backward scores of confidence.ts's margins over the scores the last emissions() or viterbi(n, em) left in
   * place (13 f64 per character: the best score of the tags after each character given its tag, the end score
   * included), exactly spanMargins' JavaScript pass, written for characters first..n-1 only: a view the next call
   * overwrites; undefined where those scores were never written (n past the region).
   */
  backward(n: number, first: number): Float64Array | undefined {
    const at = this.at;
    if (!at || n > this.capacity) return undefined;
    this.runBackward(at.out, n, first, at.trans, at.beta);
    return this.betaView;
  }

  /**
   * confidence.ts spanMargins' margins of non-empty spans of the chunk the last viterbi() decoded (its scores and path
   * scores are still in place), the same f64 values: backward() from the spans' first character, then each span's
   * margin. A view whose first spans.length numbers are the margins, which the next call overwrites; undefined where
   * the region holds no such chunk or has no room for that many spans.
   */
  margins(n: number, spans: readonly { start: number; end: number; type: EntityType }[]): Float64Array | undefined {
    const at = this.at;
    if (!at || n > this.capacity || spans.length > SPANS_PER_CHAR * this.capacity) return undefined;
    const sv = this.spansView;
    let first = n;
    for (let k = 0; k < spans.length; k++) {
      const s = spans[k];
      sv[3 * k] = s.start; sv[3 * k + 1] = s.end; sv[3 * k + 2] = ENTITY_TYPES.indexOf(s.type);
      if (s.start < first) first = s.start;
    }
    this.runMargins(at.out, n, first, at.trans, at.delta, at.beta, at.spans, spans.length, at.margins);
    return this.marginsView;
  }

  /** emissions() then viterbi(): the tags of n characters from their feature hashes, undefined as emissions(). */
  decode(feats: Int32Array, n: number): Uint8Array | undefined {
    return this.emissions(feats, n) && this.viterbi(n);
  }
}
