/**
 * Consistency of one article against the corpus index: a name typed differently here than in other
 * articles, and a name the corpus knows that is not recognised here. Pure and linear in the text (one
 * pass; at each position only the names starting with its character are tried), so a 1 MB article
 * costs milliseconds, not a block of the editor.
 */
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { EntityType } from './ner/types';
import { isUncertain } from './mentionConfidence';

/** An entity of one article as the findings read it: its mentions may carry a confidence (core/ner/confidence.ts). */
export interface ArticleEntity { name: string; type: EntityType; mentions: { start: number; end: number; confidence?: number }[] }

/**
 * The summaries corpusNames builds from (one per entity and article), leaving out the entities of an article
 * whose every mention is below `threshold` (corpusLens.entities.confidenceThreshold): a common word the recogniser
 * took for a name once (预计, 东西) is then no name of the corpus, and raises no finding in other articles.
 */
export function* certainSummaries(articles: Iterable<{ entities: readonly ArticleEntity[] }>, threshold: number): Generator<{ name: string; type: EntityType; articles: number }> {
  for (const a of articles) {
    for (const e of a.entities) if (e.mentions.some((m) => !isUncertain(m, threshold))) yield { name: e.name, type: e.type, articles: 1 };
  }
}

export interface CorpusNames {
  /** name → its types in the corpus, with the number of articles per type */
  types: Map<string, Map<EntityType, number>>;
  /** names of 2+ code units by their first UTF-16 code unit, longest first */
  byFirst: Map<number, string[]>;
}

/** Builds the name tables once per index change (not once per article). */
export function corpusNames(summaries: Iterable<{ name: string; type: EntityType; articles: number }>): CorpusNames {
  const types = new Map<string, Map<EntityType, number>>();
  for (const s of summaries) {
    let t = types.get(s.name);
    if (!t) { t = new Map(); types.set(s.name, t); }
    t.set(s.type, (t.get(s.type) ?? 0) + s.articles);
  }
  const byFirst = new Map<number, string[]>();
  for (const name of types.keys()) {
    if (name.length < 2) continue;
    const c = name.charCodeAt(0);
    const list = byFirst.get(c);
    if (list) list.push(name); else byFirst.set(c, [name]);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  return { types, byFirst };
}

export interface ConsistencyFinding {
  code: 'entity-type-conflict' | 'entity-missed';
  start: number;
  end: number;
  name: string;
  /** conflict: the type here; missed: the (first) type in the corpus */
  type: EntityType;
  /** conflict: the other types in the corpus; missed: all its types in the corpus */
  others: EntityType[];
  /** articles in which the name has the other types (conflict) or its type (missed) */
  articles: number;
}

export function consistencyFindings(text: string, entities: readonly ArticleEntity[], names: CorpusNames, threshold = 0): ConsistencyFinding[] {
  const out: ConsistencyFinding[] = [];
  for (const part of consistencyScan(text, entities, names, undefined, threshold)) out.push(...part);
  return out;
}

/**
 * The same findings in slices of about `sliceChars` characters of text (the first slice also has the type
 * conflicts), so that a caller on a busy thread can yield between slices and stop when the text changes.
 * An entity whose mentions are all below `threshold` raises no type conflict; its mentions still count as
 * recognised here (the editor shows them, as uncertain), so no entity-missed finding lies on them either.
 * (`names` should come from certainSummaries with the same threshold.)
 */
export function* consistencyScan(text: string, entities: readonly ArticleEntity[], names: CorpusNames, sliceChars = 65536, threshold = 0): Generator<ConsistencyFinding[], void, void> {
  let out: ConsistencyFinding[] = [];
  const covered = new Uint8Array(text.length); // offsets inside a mention
  const here = new Set<string>();
  for (const e of entities) {
    here.add(e.name);
    for (const m of e.mentions) covered.fill(1, m.start, m.end);
    const types = names.types.get(e.name);
    if (!types) continue;
    const others = [...types.keys()].filter((t) => t !== e.type);
    const m = e.mentions.find((x) => !isUncertain(x, threshold));
    if (others.length && m) {
      out.push({ code: 'entity-type-conflict', start: m.start, end: m.end, name: e.name, type: e.type, others, articles: others.reduce((n, t) => n + (types.get(t) ?? 0), 0) });
    }
  }
  const reported = new Set<string>(); // one finding per string and article is enough
  let sliceEnd = sliceChars;
  for (let at = 0; at < text.length; at++) {
    if (at >= sliceEnd) { yield out; out = []; sliceEnd += sliceChars; }
    if (covered[at]) continue;
    const candidates = names.byFirst.get(text.charCodeAt(at));
    if (!candidates) continue;
    for (const name of candidates) {
      if (!text.startsWith(name, at)) continue;
      // the longest name here is the one that counts: its shorter prefixes (华晋 in 华晋能源集团) are not reported
      if (reported.has(name) || here.has(name)) break;
      const types = names.types.get(name)!;
      const [t] = types.keys();
      out.push({ code: 'entity-missed', start: at, end: at + name.length, name, type: t, others: [...types.keys()], articles: types.get(t) ?? 0 });
      reported.add(name);
      break;
    }
  }
  yield out;
}

/** The type as a noun phrase with its article ("an organisation"), translated: the article depends on the word. */
export function typePhrase(t: EntityType): string {
  switch (t) {
    case 'PER': return l10n.t('a person');
    case 'LOC': return l10n.t('a place');
    default: return l10n.t('an organisation');
  }
}

/** The finding as a sentence: the types with their articles, "1 other article" or "N other articles". */
export function consistencyMessage(f: Pick<ConsistencyFinding, 'code' | 'name' | 'type' | 'others' | 'articles'>): string {
  if (f.code === 'entity-missed') {
    return f.articles === 1 ? l10n.t('「{0}」 is {1} in 1 other article but is not recognised here.', f.name, typePhrase(f.type))
      : l10n.t('「{0}」 is {1} in {2} other articles but is not recognised here.', f.name, typePhrase(f.type), f.articles);
  }
  // (three types in all: at most two others)
  const others = f.others.length === 1 ? typePhrase(f.others[0]) : l10n.t('{0} or {1}', typePhrase(f.others[0]), typePhrase(f.others[1]));
  return f.articles === 1 ? l10n.t('「{0}」 is {1} here but {2} in 1 other article.', f.name, typePhrase(f.type), others)
    : l10n.t('「{0}」 is {1} here but {2} in {3} other articles.', f.name, typePhrase(f.type), others, f.articles);
}

/** Under this many dated articles a corpus has no range of its own worth comparing with. */
export const MIN_DATED_ARTICLES = 20;

/** The years a corpus's datelines span, its outliers left out: the 1st to the 99th percentile. */
export interface DatelineRange { from: number; to: number; articles: number }

/**
 * The range of the corpus's dateline years (ISO dates of well-formed datelines; null for none), or undefined for a
 * corpus of fewer than MIN_DATED_ARTICLES dated articles. Percentiles (nearest rank), not the extremes: one article
 * dated 2018 among 300 of 1998 does not stretch the range it is compared with. Under 100 articles the percentiles
 * are the extremes themselves, so a small corpus's outlier is its own range and is not flagged.
 */
export function corpusDatelineRange(dates: Iterable<string | null | undefined>): DatelineRange | undefined {
  const years: number[] = [];
  for (const d of dates) if (d) years.push(Number(d.slice(0, 4)));
  if (years.length < MIN_DATED_ARTICLES) return undefined;
  years.sort((a, b) => a - b);
  const n = years.length;
  return { from: years[Math.floor(0.01 * (n - 1))], to: years[Math.ceil(0.99 * (n - 1))], articles: n };
}

export interface DatelineRangeFinding { code: 'dateline-out-of-range'; start: number; end: number; message: string }

/**
 * dateline-out-of-range for one article: its dateline (as written, `dateline`, with its ISO `date`) when its year lies
 * outside the corpus's range, on the dateline's first occurrence in `text` (the header: it comes first).
 */
export function datelineRangeFinding(text: string, dateline: string | null, date: string | null, range: DatelineRange | undefined): DatelineRangeFinding | undefined {
  if (!range || !dateline || !date || !outsideRange(date, range)) return undefined;
  const year = Number(date.slice(0, 4));
  const start = text.indexOf(dateline);
  if (start < 0) return undefined;
  const years = range.from === range.to ? String(range.from) : `${range.from}–${range.to}`;
  return { code: 'dateline-out-of-range', start, end: start + dateline.length,
    message: l10n.t('The dateline "{0}" is dated {1}, outside the years of this corpus\'s datelines: {2} (the 1st to 99th percentile of {3} dated articles).', dateline, year, years, range.articles) };
}

/** Whether an ISO date's year lies outside the corpus's dateline range. */
const outsideRange = (date: string, range: DatelineRange) => { const year = Number(date.slice(0, 4)); return year < range.from || year > range.to; };

/** The corpus's dateline findings at once: its range, the order breaks of numbered files, the articles outside the range. */
export interface CorpusDatelines {
  range?: DatelineRange;
  orderBreaks: Record<string, DatelineOrderBreak>;
  /** the articles whose dateline's year lies outside `range`, in path order */
  outOfRange: string[];
  /**
   * how long the answerer took to compute it (ms; 0 from its cache): not the time the question waited for the
   * answerer, which a host that spaces its questions by it must leave out (the index's store sets it)
   */
  computeMs?: number;
}

/** corpusDatelineRange, datelineOrderBreaks and the articles outside the range, over the corpus's dated articles. */
export function corpusDatelines(dated: readonly { file: string; date: string | null | undefined }[]): CorpusDatelines {
  const range = corpusDatelineRange(dated.map((a) => a.date));
  const outOfRange = range ? dated.flatMap((a) => (a.date && outsideRange(a.date, range) ? [a.file] : [])).sort() : [];
  return { ...(range && { range }), orderBreaks: Object.fromEntries(datelineOrderBreaks(dated)), outOfRange };
}

/** An article's place in its folder's numbered sequence, and the dated neighbours its date is compared with. */
export interface DatelineOrderBreak {
  date: string;
  /** the dated articles before and after it in the numbering (a file name and its ISO date) */
  before?: { file: string; date: string };
  after?: { file: string; date: string };
}

/** at least this many numbered, dated articles in a folder before their order means anything */
export const MIN_ORDERED_ARTICLES = 5;
/** the share of neighbouring pairs (by file number) whose dates keep one direction for a folder to count as ordered */
const ORDER_SHARE = 0.8;

/** The leading number of a file name (`041_…txt`, `2018-0042.txt` → 2018), or undefined. */
function sequenceNumber(file: string): number | undefined {
  const m = /^(\d+)/.exec(path.basename(file));
  return m ? Number(m[1]) : undefined;
}

/**
 * dateline-out-of-order: in each folder whose file names carry a sequence number (`001_…`, `002_…`) and whose
 * datelines follow it (80 % of neighbouring dated articles in one direction, rising or falling, at least
 * MIN_ORDERED_ARTICLES of them), the articles whose date breaks that order although their two dated neighbours
 * keep it. Comparing with the neighbours, not with a fitted line, flags the one stray article and not the
 * articles around it. Days, not times, are compared (several articles a day come in any order).
 */
export function datelineOrderBreaks(articles: Iterable<{ file: string; date: string | null | undefined }>): Map<string, DatelineOrderBreak> {
  const folders = new Map<string, { file: string; n: number; day: string; date: string }[]>();
  for (const a of articles) {
    const n = sequenceNumber(a.file);
    if (n === undefined || !a.date) continue;
    const dir = path.dirname(a.file);
    let list = folders.get(dir);
    if (!list) folders.set(dir, list = []);
    list.push({ file: a.file, n, day: a.date.slice(0, 10), date: a.date });
  }
  const out = new Map<string, DatelineOrderBreak>();
  for (const list of folders.values()) {
    if (list.length < MIN_ORDERED_ARTICLES) continue;
    list.sort((a, b) => a.n - b.n || a.file.localeCompare(b.file));
    let rising = 0, falling = 0;
    for (let i = 1; i < list.length; i++) {
      if (list[i - 1].day <= list[i].day) rising++;
      if (list[i - 1].day >= list[i].day) falling++;
    }
    const pairs = list.length - 1;
    const dir = rising >= ORDER_SHARE * pairs ? 1 : falling >= ORDER_SHARE * pairs ? -1 : 0;
    if (!dir) continue;
    /** a before b in the folder's direction (same day counts as in order) */
    const inOrder = (a: string, b: string) => (dir > 0 ? a <= b : a >= b);
    for (let i = 0; i < list.length; i++) {
      const p = list[i - 1], c = list[i], q = list[i + 1];
      let broken: boolean;
      if (p && q) broken = inOrder(p.day, q.day) && !(inOrder(p.day, c.day) && inOrder(c.day, q.day));
      // the first and the last article have one neighbour: the next pair must keep the order for it to tell
      else if (q) broken = !inOrder(c.day, q.day) && !!list[i + 2] && inOrder(q.day, list[i + 2].day);
      else if (p) broken = !inOrder(p.day, c.day) && !!list[i - 2] && inOrder(list[i - 2].day, p.day);
      else broken = false;
      if (broken) out.set(c.file, { date: c.date, before: p && { file: p.file, date: p.date }, after: q && { file: q.file, date: q.date } });
    }
  }
  return out;
}

export interface DatelineOrderFinding { code: 'dateline-out-of-order'; start: number; end: number; message: string }

/** dateline-out-of-order for one article, on its dateline's first occurrence in `text`, naming the neighbours it was compared with. */
export function datelineOrderFinding(text: string, dateline: string | null, found: DatelineOrderBreak | undefined): DatelineOrderFinding | undefined {
  if (!found || !dateline) return undefined;
  const start = text.indexOf(dateline);
  if (start < 0) return undefined;
  const day = (d: string) => d.slice(0, 10);
  const name = (f: string) => path.basename(f);
  const message = found.before && found.after
    ? l10n.t('The dateline "{0}" ({1}) breaks the order of the file numbers: {2} before it is dated {3}, {4} after it {5}.', dateline, day(found.date), name(found.before.file), day(found.before.date), name(found.after.file), day(found.after.date))
    : found.after
      ? l10n.t('The dateline "{0}" ({1}) breaks the order of the file numbers: {2} after it is dated {3}.', dateline, day(found.date), name(found.after.file), day(found.after.date))
      : l10n.t('The dateline "{0}" ({1}) breaks the order of the file numbers: {2} before it is dated {3}.', dateline, day(found.date), name(found.before!.file), day(found.before!.date));
  return { code: 'dateline-out-of-order', start, end: start + dateline.length, message };
}
