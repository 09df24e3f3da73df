/** The recogniser: sentence splitting, the trained character tagger, post-rules and dictionary overrides. */
import { Segmenter, Token } from '../segment/segmenter';
import { Mention, Entity, EntityType } from './types';
import { Model, RS, tagsToSpans } from './model';
import { prepare, newScratch } from './prepare';
import { gazetteer } from './gazetteer';
import { Dictionary, DictionaryMatcher } from './dictionary';
import { analyseDocument, linkMentions } from './document';
import { activeRules, PostRuleName } from './postRules';
import { confidenceOf, spanMargins } from './confidence';
import type { Prepared } from './prepare';

export interface Recogniser {
  recognise(text: string): Mention[];
  /** recognise() of each text; a recogniser may segment them together, which is faster than one by one */
  recogniseMany?(texts: string[]): Mention[][];
  analyse(text: string): Entity[];
  /** analyse() of each text; a recogniser may segment them together, which is faster than one by one */
  analyseMany?(texts: string[]): Entity[][];
}

/** What the recogniser offers beyond the public interface: its parts, the tagged tokens, the stop list, rules switched off. */
export interface RecogniserInternals extends Recogniser {
  readonly segmenter: Segmenter;
  readonly dictionary?: Dictionary;
  /** mentions plus the jieba tokens of every chunk (offsets into the whole text) */
  recogniseWithTokens(text: string): { mentions: Mention[]; tokens: Token[] };
  /** recognise() of each text, their sentences segmented in one call (the same results) */
  recogniseMany(texts: string[]): Mention[][];
  /** recogniseWithTokens of each text, their sentences segmented in one call (the same results) */
  recogniseManyWithTokens(texts: string[]): { mentions: Mention[]; tokens: Token[] }[];
  isStopWord(s: string): boolean;
  /** The same recogniser (segmenter, model, dictionary, options) with these post-rules switched off. */
  withoutRules(names: readonly PostRuleName[]): RecogniserInternals;
}

/** Lines or sentences that `tag --jsonl` and `eval` hand to recogniseMany at a time (one segmenter call for all). */
export const LINES_PER_CALL = 256;

const TERMINAL = new Set(['。', '！', '？', '!', '?', '；', ';']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '"', '\'', '》']);
const MAX_CHUNK = 400;

/** Splits text into [start, end) chunks: lines, then sentences; line breaks never belong to a chunk. */
export function splitChunks(text: string): [number, number][] {
  const out: [number, number][] = [];
  const push = (s: number, e: number) => {
    while (s < e && /\s/.test(text[s])) s++;
    let e2 = e;
    while (e2 > s && /\s/.test(text[e2 - 1])) e2--;
    if (e2 > s) {
      // overly long runs without punctuation: cut at commas (or hard) to bound work per call
      while (e2 - s > MAX_CHUNK) {
        let cut = -1;
        for (let k = s + MAX_CHUNK; k > s + MAX_CHUNK / 2; k--) if (text[k - 1] === '，' || text[k - 1] === ',' || text[k - 1] === '、') { cut = k; break; }
        if (cut < 0) { cut = s + MAX_CHUNK; const c = text.charCodeAt(cut - 1); if (c >= 0xd800 && c <= 0xdbff) cut++; }
        out.push([s, cut]);
        s = cut;
      }
      out.push([s, e2]);
    }
  };
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // fast skip (Han characters etc.): line breaks and terminal punctuation are all below U+0080,
    // in U+3000-U+33FF or in U+FF00-U+FFFF
    if ((code > 0x7f && code < 0x3000) || (code >= 0x3400 && code < 0xff00)) continue;
    const ch = text[i];
    if (ch === '\n' || ch === '\r') { push(start, i); start = i + 1; continue; }
    if (TERMINAL.has(ch)) {
      let j = i + 1;
      while (j < text.length && (CLOSERS.has(text[j]) || TERMINAL.has(text[j]))) j++;
      push(start, j);
      start = j;
      i = j - 1;
    }
  }
  push(start, text.length);
  return out;
}

export interface RecogniserOptions {
  segmenter: Segmenter;
  model: Model;
  dictionary?: Dictionary;
  /** apply the document consistency layer in recognise() (default true) */
  linking?: boolean;
  /** apply the MSRA convention rules of conventionRules.ts (default true; false shows the tagger without them) */
  conventions?: boolean;
  /** post-rules (postRules.ts) switched off, by name (default none) */
  without?: readonly PostRuleName[];
  /**
   * A mention's confidence from its margin (confidence.ts; default: the model's calibration). The calibration
   * fit (scripts/train.ts) passes the identity, so that `confidence` holds the margin itself.
   */
  confidence?: (margin: number, type: EntityType) => number;
}

/** The code-point index of a UTF-16 offset of the chunk (offsets: code-point index → UTF-16 offset, increasing). */
function codePointIndex(offsets: Uint32Array, n: number, u: number): number {
  let lo = 0, hi = n;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (offsets[mid] < u) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * The confidence of each mention of a chunk after the post-rules, from the tagger's scores of the chunk (which
 * model.scores holds until the next decode): a span of the tagger's best path has its own margin; a mention a rule
 * reshaped or retyped has the largest margin of the tagger's spans it overlaps (the rule changes the convention,
 * not the evidence for a name there); a mention a rule made where the tagger saw none has the margin of its own
 * span, which the best path does not hold (negative).
 */
function setConfidences(ms: Mention[], spans: { start: number; end: number; type: EntityType }[], p: Prepared, model: Model, confidence: (margin: number, type: EntityType) => number): void {
  // the tagger's spans, then those of mentions a rule made where it saw none (copied only then: rarely)
  let queries = spans;
  const own = ms.map((m) => {
    const start = codePointIndex(p.offsets, p.n, m.start), end = codePointIndex(p.offsets, p.n, m.end);
    const exact = spans.findIndex((s) => s.start === start && s.end === end && s.type === m.type);
    if (exact >= 0) return exact;
    if (end <= start || spans.some((s) => s.start < end && start < s.end)) return -1; // inherits (below)
    if (queries === spans) queries = spans.slice();
    queries.push({ start, end, type: m.type });
    return queries.length - 1;
  });
  // in the perceptron's own units (an int8 step is max |w| / 127, which differs between two trainings of one
  // configuration): a calibration fitted with one model then carries over to the other
  const unit = model.step / model.meta.scale;
  // (the kernel computes them where it decoded the chunk; otherwise over the path scores of the Viterbi that did)
  const margins = spanMargins(p.n, model.scores, RS, model.trans8, model.endTrans8, queries, model.decodedBy, model.pathScores);
  ms.forEach((m, k) => {
    let margin = own[k] >= 0 ? margins[own[k]] * unit : -Infinity;
    if (own[k] < 0) {
      const start = codePointIndex(p.offsets, p.n, m.start), end = codePointIndex(p.offsets, p.n, m.end);
      spans.forEach((s, j) => { if (s.start < end && start < s.end && margins[j] * unit > margin) margin = margins[j] * unit; });
    }
    m.confidence = margin === -Infinity ? 0 : confidence(margin, m.type);
  });
}

export function createRecogniser(opts: RecogniserOptions): RecogniserInternals {
  const { segmenter, model, dictionary } = opts;
  const linking = opts.linking ?? true;
  const rules = activeRules(opts.without, opts.conventions ?? true);
  const scratch = newScratch(model.wasm);
  const g = gazetteer();
  const matcher = dictionary ? new DictionaryMatcher(dictionary) : undefined;
  const stop = dictionary?.stop ?? new Set<string>();
  const confidence = opts.confidence ?? ((margin: number, type: EntityType) => confidenceOf(margin, type, model.calibration));

  function tagChunk(chunk: string, base: number, mentions: Mention[], tokensOut?: Token[], tokens?: Token[]): void {
    const p = prepare(chunk, segmenter, g, tokens, scratch, model.lexicon);
    const tags = model.decode(p.feats, p.n);
    const spans = tagsToSpans(tags);
    let ms: Mention[] = spans.map((s) => {
      const start = p.offsets[s.start], end = p.offsets[s.end];
      return { start, end, type: s.type, text: chunk.slice(start, end) };
    });
    const at = { text: chunk, tokens: p.tokens, g };
    for (const rule of rules) ms = rule(ms, at);
    if (ms.length) setConfidences(ms, spans, p, model, confidence);
    if (matcher && !matcher.empty) {
      const hits = matcher.find(chunk);
      if (hits.length) {
        ms = ms.filter((m) => !hits.some((h) => h.start < m.end && m.start < h.end));
        // the user's word is certain
        for (const h of hits) ms.push({ start: h.start, end: h.end, type: h.entry.type, text: chunk.slice(h.start, h.end), confidence: 1 });
        ms.sort((a, b) => a.start - b.start);
      }
    }
    for (const m of ms) {
      if (stop.has(m.text)) continue;
      mentions.push({ start: m.start + base, end: m.end + base, type: m.type, text: m.text, confidence: m.confidence });
    }
    if (tokensOut) {
      // the chunk's tokens are not used after this: they move to text offsets in place, not copied
      for (const t of p.tokens) { t.start += base; t.end += base; tokensOut.push(t); }
    }
  }

  const self: RecogniserInternals = {
    segmenter,
    dictionary,
    recognise(text: string): Mention[] {
      return self.recogniseMany([text])[0];
    },
    recogniseMany(texts: string[]): Mention[][] {
      const tagged = self.recogniseManyWithTokens(texts);
      if (!linking) return tagged.map((t) => t.mentions);
      return texts.map((text, i) => linkMentions(text, tagged[i].mentions, tagged[i].tokens, (s) => stop.has(s)).mentions);
    },
    recogniseWithTokens(text: string) {
      return self.recogniseManyWithTokens([text])[0];
    },
    recogniseManyWithTokens(texts: string[]) {
      // every sentence of every text in one segmenter call: cutting a few articles in a row keeps jieba's
      // dictionary in the cache, then tagging them keeps the tagger's weights there (core/analysis BATCH has
      // the figures)
      const spans = texts.map(splitChunks);
      const chunks: string[] = [];
      texts.forEach((text, i) => { for (const [s, e] of spans[i]) chunks.push(text.slice(s, e)); });
      const segmented = segmenter.tagMany?.(chunks);
      let k = 0;
      return texts.map((_, i) => {
        const mentions: Mention[] = [];
        const tokens: Token[] = [];
        for (const [s] of spans[i]) { tagChunk(chunks[k], s, mentions, tokens, segmented?.[k]); k++; }
        return { mentions, tokens };
      });
    },
    isStopWord: (s: string) => stop.has(s),
    withoutRules: (names) => createRecogniser({ ...opts, without: [...(opts.without ?? []), ...names] }),
    analyse(text: string): Entity[] {
      return analyseDocument(text, self.recogniseWithTokens(text), self.isStopWord);
    },
    analyseMany(texts: string[]): Entity[][] {
      const tagged = self.recogniseManyWithTokens(texts);
      return texts.map((text, i) => analyseDocument(text, tagged[i], self.isStopWord));
    },
  };
  return self;
}

export type { EntityType };
