/**
 * Readers for the annotated formats (BIO `char TAG` / `char<TAB>TAG`, BMES with B_nr/M_ns/E_nt/S_nr,
 * CLUENER jsonl) and an entity-level scorer (exact span and type, per type and micro).
 */
import { readFileSync } from 'node:fs';
import { EntityType, ENTITY_TYPES, Mention } from './types';
import { LINES_PER_CALL, Recogniser, RecogniserInternals } from './recogniser';
import { POST_RULE_NAMES, PostRuleName } from './postRules';
import { Segmenter } from '../segment/segmenter';
import { loadSegmenter } from '../segment/backends';
import { BandScore, bandScores } from './confidence';

/** `source`: the set's own type of the span (CLUENER's company, government …), where the reader was asked to keep it */
export interface GoldSpan { start: number; end: number; type: EntityType; source?: string }
/**
 * `unmapped`: spans of the set's own types that map to none of PER/LOC/ORG (CLUENER's scene, book, game, movie,
 * position): scoring counts a prediction exactly on one as wrong, and reports the scores with such predictions
 * ignored beside (EvalResult.modelIgnoringUnmapped).
 */
export interface GoldSentence { text: string; spans: GoldSpan[]; unmapped?: { start: number; end: number }[] }

const BMES_TYPES: Record<string, EntityType> = { nr: 'PER', ns: 'LOC', nt: 'ORG', per: 'PER', loc: 'LOC', org: 'ORG' };
const CLUENER_TYPES: Record<string, EntityType> = { name: 'PER', address: 'LOC', organization: 'ORG', government: 'ORG', company: 'ORG' };

/** Splits a `char TAG` line; the char itself may be a space (line " O"). */
function splitLine(line: string): [string, string] | undefined {
  const tab = line.lastIndexOf('\t');
  if (tab >= 0) return [line.slice(0, tab) || ' ', line.slice(tab + 1).trim()];
  const sp = line.lastIndexOf(' ');
  if (sp < 0) return undefined;
  return [line.slice(0, sp) || ' ', line.slice(sp + 1).trim()];
}

/** Reads one-char-per-line files (BIO/BIOES with `-`, BMES with `_`), blank line between sentences. */
export function readCharTagged(content: string): GoldSentence[] {
  const out: GoldSentence[] = [];
  let chars: string[] = [];
  let tags: string[] = [];
  const flush = () => {
    if (!chars.length) return;
    out.push(fromCharTags(chars, tags));
    chars = []; tags = [];
  };
  for (const raw of content.split(/\r?\n/)) {
    if (!raw.trim()) { flush(); continue; }
    const p = splitLine(raw);
    if (!p) continue;
    chars.push(p[0]); tags.push(p[1]);
  }
  flush();
  return out;
}

function parseTag(tag: string): { part: string; type?: EntityType } {
  if (tag === 'O' || tag === 'o') return { part: 'O' };
  const m = tag.match(/^([BIMES])[-_](.+)$/i);
  if (!m) return { part: 'O' };
  const part = m[1].toUpperCase() === 'M' ? 'I' : m[1].toUpperCase();
  const type = BMES_TYPES[m[2].toLowerCase()];
  return type ? { part, type } : { part: 'O' };
}

function fromCharTags(chars: string[], tags: string[]): GoldSentence {
  const offs: number[] = [0];
  for (const c of chars) offs.push(offs[offs.length - 1] + c.length);
  const spans: GoldSpan[] = [];
  let open = -1;
  let openType: EntityType | undefined;
  const close = (end: number) => { if (open >= 0 && openType) spans.push({ start: offs[open], end: offs[end], type: openType }); open = -1; openType = undefined; };
  for (let i = 0; i < tags.length; i++) {
    const { part, type } = parseTag(tags[i]);
    if (part === 'O') { close(i); continue; }
    if (part === 'B' || part === 'S' || (part === 'I' || part === 'E') && (open < 0 || openType !== type)) { close(i); open = i; openType = type; }
    if (part === 'S' || part === 'E') close(i + 1);
  }
  close(tags.length);
  return { text: chars.join(''), spans };
}

/** CLUENER jsonl; the spans of the types in keepSource carry their CLUENER type as `source`. */
export function readCluener(content: string, keepSource: readonly string[] = []): GoldSentence[] {
  const out: GoldSentence[] = [];
  for (const line of content.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as { text: string; entity_list?: { entity_type: string; entity: string; entity_index: { begin: number; end: number } }[]; label?: Record<string, Record<string, [number, number][]>> };
    const spans: GoldSpan[] = [];
    const unmapped: { start: number; end: number }[] = [];
    for (const e of o.entity_list ?? []) {
      const type = CLUENER_TYPES[e.entity_type];
      let { begin, end } = e.entity_index;
      if (o.text.slice(begin, end) !== e.entity && o.text.slice(begin, end + 1) === e.entity) end++;
      if (type) spans.push(keepSource.includes(e.entity_type) ? { start: begin, end, type, source: e.entity_type } : { start: begin, end, type });
      else unmapped.push({ start: begin, end });
    }
    for (const [lt, ents] of Object.entries(o.label ?? {})) {   // original CLUENER layout (inclusive ends)
      const type = CLUENER_TYPES[lt];
      for (const ranges of Object.values(ents)) for (const [b, e] of ranges) {
        if (type) spans.push(keepSource.includes(lt) ? { start: b, end: e + 1, type, source: lt } : { start: b, end: e + 1, type });
        else unmapped.push({ start: b, end: e + 1 });
      }
    }
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    // drop nested/overlapping spans (keep the first, longest)
    const clean: GoldSpan[] = [];
    for (const s of spans) if (!clean.length || clean[clean.length - 1].end <= s.start) clean.push(s);
    out.push(unmapped.length ? { text: o.text, spans: clean, unmapped } : { text: o.text, spans: clean });
  }
  return out;
}

/** An annotated file by its format; keepSource: CLUENER types whose spans keep them as `source`. */
export function readAnnotated(file: string, keepSource?: readonly string[]): GoldSentence[] {
  const content = readFileSync(file, 'utf8');
  if (/\.jsonl?$/i.test(file) || content.trimStart().startsWith('{')) return readCluener(content, keepSource);
  return readCharTagged(content);
}

export interface PRF { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number }
export type Scores = Record<EntityType | 'micro', PRF>;

function prf(tp: number, fp: number, fn: number): PRF {
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
}

/**
 * Entity-level scoring: a prediction counts only with the exact span and type. With `ignore` (per sentence, spans
 * of unmapped gold types), a wrong prediction exactly on one of them counts neither way.
 */
export function score(gold: GoldSpan[][], pred: GoldSpan[][], ignore?: readonly ({ start: number; end: number }[] | undefined)[]): Scores {
  const c: Record<EntityType, { tp: number; fp: number; fn: number }> = { PER: { tp: 0, fp: 0, fn: 0 }, LOC: { tp: 0, fp: 0, fn: 0 }, ORG: { tp: 0, fp: 0, fn: 0 } };
  for (let s = 0; s < gold.length; s++) {
    const g = new Set(gold[s].map((x) => `${x.start}:${x.end}:${x.type}`));
    const p = new Set((pred[s] ?? []).map((x) => `${x.start}:${x.end}:${x.type}`));
    const ignored = new Set((ignore?.[s] ?? []).map((x) => `${x.start}:${x.end}`));
    for (const k of p) {
      const [start, end, t] = k.split(':') as [string, string, EntityType];
      if (g.has(k)) c[t].tp++; else if (!ignored.has(`${start}:${end}`)) c[t].fp++;
    }
    for (const k of g) { const t = k.split(':')[2] as EntityType; if (!p.has(k)) c[t].fn++; }
  }
  const out = {} as Scores;
  let tp = 0, fp = 0, fn = 0;
  for (const t of ENTITY_TYPES) { out[t] = prf(c[t].tp, c[t].fp, c[t].fn); tp += c[t].tp; fp += c[t].fp; fn += c[t].fn; }
  out.micro = prf(tp, fp, fn);
  return out;
}

/** The jieba baseline: POS nr* → PER, ns → LOC, nt → ORG, each word one entity. */
export function jiebaEntities(text: string, segmenter: Segmenter): GoldSpan[] {
  const out: GoldSpan[] = [];
  for (const t of segmenter.tag(text)) {
    const type: EntityType | undefined = t.tag.startsWith('nr') ? 'PER' : t.tag === 'ns' ? 'LOC' : t.tag === 'nt' ? 'ORG' : undefined;
    if (type) out.push({ start: t.start, end: t.end, type });
  }
  return out;
}

export interface EvalResult {
  file: string;
  sentences: number;
  chars: number;
  gold: Record<EntityType, number>;
  model: Scores;
  baseline?: Scores;
  seconds: number;
  charsPerSecond: number;
  /** the post-rules switched off for these scores */
  without?: PostRuleName[];
  rulesEffect?: RuleEffect[];
  /**
   * where the set has spans of unmapped types (CLUENER): the scores with a prediction exactly on such a span
   * counted neither right nor wrong (`model` and `baseline` count it wrong)
   */
  modelIgnoringUnmapped?: Scores;
  baselineIgnoringUnmapped?: Scores;
  /** precision per confidence band of the mentions found */
  calibration: BandScore[];
  /** recall of the gold mentions whose string is not in the model's lexicon (when the recogniser's model has one) */
  unseen?: Record<EntityType, UnseenRecall>;
}

export interface UnseenRecall { gold: number; found: number; recall: number }

/** A found mention with its confidence and whether the gold spans have it (exact span and type). */
export interface JudgedMention { type: EntityType; text: string; confidence: number; correct: boolean }

/** Every found mention of every sentence, judged against the gold (a mention without a confidence counts as 1). */
export function judgeMentions(sentences: GoldSentence[], pred: { start: number; end: number; type: EntityType; confidence?: number }[][]): JudgedMention[] {
  const out: JudgedMention[] = [];
  sentences.forEach((s, k) => {
    const gold = new Set(s.spans.map((x) => `${x.start}:${x.end}:${x.type}`));
    for (const m of pred[k] ?? []) out.push({ type: m.type, text: s.text.slice(m.start, m.end), confidence: m.confidence ?? 1, correct: gold.has(`${m.start}:${m.end}:${m.type}`) });
  });
  return out;
}

/**
 * Recall per type of the gold mentions whose string the lexicon holds under no type (names the training spans
 * never showed).
 */
export function unseenRecall(sentences: GoldSentence[], pred: { start: number; end: number; type: EntityType }[][], known: (s: string) => boolean): Record<EntityType, UnseenRecall> {
  const out = { PER: { gold: 0, found: 0, recall: 0 }, LOC: { gold: 0, found: 0, recall: 0 }, ORG: { gold: 0, found: 0, recall: 0 } };
  sentences.forEach((s, k) => {
    const found = new Set((pred[k] ?? []).map((x) => `${x.start}:${x.end}:${x.type}`));
    for (const g of s.spans) {
      if (known(s.text.slice(g.start, g.end))) continue;
      out[g.type].gold++;
      if (found.has(`${g.start}:${g.end}:${g.type}`)) out[g.type].found++;
    }
  });
  for (const t of ENTITY_TYPES) out[t].recall = out[t].gold ? out[t].found / out[t].gold : 0;
  return out;
}

/** Whether the lexicon's entries (per type) hold the string under any type. */
export function lexiconHas(entries: readonly string[][]): (s: string) => boolean {
  const all = new Set(entries.flat());
  return (s) => all.has(s);
}

/** Scores the recogniser on the sentences; the jieba baseline cuts them with `segmenter` (default nodejieba). */
export function evaluateSentences(sentences: GoldSentence[], recogniser: Recogniser, opts: { baseline?: 'jieba'; segmenter?: Segmenter; lexicon?: readonly string[][] } = {}): Omit<EvalResult, 'file'> {
  const gold = sentences.map((s) => s.spans);
  recogniser.recognise('北京。'); // warm up (the segmenter loads its dictionary on first use)
  const t0 = process.hrtime.bigint();
  // a few hundred sentences at a time, segmented together where the recogniser can (the same mentions)
  const pred: { start: number; end: number; type: EntityType; confidence?: number }[][] = [];
  for (let from = 0; from < sentences.length; from += LINES_PER_CALL) {
    const texts = sentences.slice(from, from + LINES_PER_CALL).map((s) => s.text);
    const found = recogniser.recogniseMany ? recogniser.recogniseMany(texts) : texts.map((t) => recogniser.recognise(t));
    for (const ms of found) pred.push(ms.map((m: Mention) => ({ start: m.start, end: m.end, type: m.type, confidence: m.confidence })));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const chars = sentences.reduce((a, s) => a + s.text.length, 0);
  const counts: Record<EntityType, number> = { PER: 0, LOC: 0, ORG: 0 };
  for (const g of gold) for (const s of g) counts[s.type]++;
  const res: Omit<EvalResult, 'file'> = {
    sentences: sentences.length, chars, gold: counts, model: score(gold, pred), seconds, charsPerSecond: chars / Math.max(seconds, 1e-9),
    calibration: bandScores(judgeMentions(sentences, pred)),
  };
  if (opts.lexicon) res.unseen = unseenRecall(sentences, pred, lexiconHas(opts.lexicon));
  const unmapped = sentences.some((s) => s.unmapped?.length) ? sentences.map((s) => s.unmapped) : undefined;
  if (unmapped) res.modelIgnoringUnmapped = score(gold, pred, unmapped);
  if (opts.baseline === 'jieba') {
    const seg = opts.segmenter ?? loadSegmenter('nodejieba').segmenter;
    const base = sentences.map((s) => jiebaEntities(s.text, seg));
    res.baseline = score(gold, base);
    if (unmapped) res.baselineIgnoringUnmapped = score(gold, base, unmapped);
  }
  return res;
}

/** What one post-rule does on a data set: the scores with it switched off, and the micro F1 it adds. */
export interface RuleEffect {
  rule: PostRuleName;
  without: Scores;
  /** micro F1 with the rule minus micro F1 without it (a fraction, as Scores' f1): positive when the rule helps */
  f1Delta: number;
}

/**
 * Each of `rules`' effect: the sentences scored by the recogniser with that one rule off, against `scores`,
 * the recogniser's own scores on them.
 */
export function rulesEffect(sentences: GoldSentence[], recogniser: RecogniserInternals, scores: Scores, rules: readonly PostRuleName[] = POST_RULE_NAMES): RuleEffect[] {
  return rules.map((rule) => {
    const without = evaluateSentences(sentences, recogniser.withoutRules([rule])).model;
    return { rule, without, f1Delta: scores.micro.f1 - without.micro.f1 };
  });
}

/** The rule effects as a table: F1 without each rule and what the rule adds, in points. */
export function formatRulesEffect(effects: RuleEffect[]): string {
  const width = Math.max(4, ...effects.map((e) => e.rule.length));
  const lines = ['post-rules (micro F1 with each one switched off, and what the rule adds)', `  ${'rule'.padEnd(width)}  F1 without   effect`];
  for (const e of effects) {
    const delta = (e.f1Delta * 100).toFixed(2);
    const signed = Number(delta) > 0 ? `+${delta}` : Number(delta) < 0 ? delta : '0.00';
    lines.push(`  ${e.rule.padEnd(width)}  ${(e.without.micro.f1 * 100).toFixed(2).padStart(10)}  ${signed.padStart(7)}`);
  }
  return lines.join('\n');
}

export function evaluate(file: string, recogniser: Recogniser, opts: { baseline?: 'jieba'; segmenter?: Segmenter } = {}): EvalResult {
  return { file, ...evaluateSentences(readAnnotated(file), recogniser, opts) };
}

export function formatScores(title: string, s: Scores): string {
  const pct = (x: number) => (x * 100).toFixed(2).padStart(6);
  const lines = [`${title}`, '  type      P       R       F1      tp     fp     fn'];
  for (const k of [...ENTITY_TYPES, 'micro'] as const) {
    const v = s[k];
    lines.push(`  ${k.padEnd(6)} ${pct(v.precision)}  ${pct(v.recall)}  ${pct(v.f1)}  ${String(v.tp).padStart(6)} ${String(v.fp).padStart(6)} ${String(v.fn).padStart(6)}`);
  }
  return lines.join('\n');
}

/** Unseen-name recall per type as lines: `  PER   412 unseen, recall 63.11`. */
export function formatUnseen(title: string, u: Record<EntityType, UnseenRecall>): string {
  return [title, ...ENTITY_TYPES.map((t) => `  ${t.padEnd(4)} ${String(u[t].gold).padStart(6)} unseen, found ${String(u[t].found).padStart(6)}, recall ${(u[t].recall * 100).toFixed(2)}`)].join('\n');
}
