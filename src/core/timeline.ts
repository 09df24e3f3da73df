/**
 * The timeline's arithmetic, apart from VS Code: month counts (from CorpusIndex.timeline / articlesPerMonth)
 * summed into month, quarter or year buckets, the range shown (by default the bulk of the dated mentions, far
 * outliers left out and counted), gaps inside the range filled, and mentions per 1,000 dated articles of each
 * bucket. Months are 'YYYY-MM'; buckets are 'YYYY-MM', 'YYYY-Qn' or 'YYYY'.
 */
import { stringify } from 'csv-stringify/sync';

export type Granularity = 'month' | 'quarter' | 'year';
export const GRANULARITIES: readonly Granularity[] = ['month', 'quarter', 'year'];

export interface MonthCount { month: string; mentions: number; articles: number }
export interface Bucket { bucket: string; mentions: number; articles: number; perThousand: number }

/** Months counted from year 0: consecutive months are consecutive integers. */
export function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return y * 12 + (m - 1);
}
export function monthAt(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The bucket a month falls in. */
export function bucketOf(month: string, g: Granularity): string {
  if (g === 'month') return month;
  const [y, m] = month.split('-');
  return g === 'year' ? y : `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
}

/** The first and last month of a bucket. */
export function bucketMonths(bucket: string, g: Granularity): { first: string; last: string } {
  if (g === 'month') return { first: bucket, last: bucket };
  if (g === 'year') return { first: `${bucket}-01`, last: `${bucket}-12` };
  const [y, q] = bucket.split('-Q');
  const first = (Number(q) - 1) * 3 + 1;
  return { first: `${y}-${String(first).padStart(2, '0')}`, last: `${y}-${String(first + 2).padStart(2, '0')}` };
}

/** Every bucket from the one holding month `from` to the one holding month `to`, none left out. */
export function bucketsBetween(from: string, to: string, g: Granularity): string[] {
  const out: string[] = [];
  for (let i = monthIndex(from), end = monthIndex(to); i <= end; i++) {
    const b = bucketOf(monthAt(i), g);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

/**
 * What the concordance's filter (a substring of the line's text, article or ISO date) needs to show a bucket:
 * the month, the year; for a quarter its first month (the filter has no ranges).
 */
export function concordanceFilter(bucket: string, g: Granularity): string {
  return g === 'year' ? bucket : bucketMonths(bucket, g).first;
}

/** Mentions per 1,000 articles, to two decimals; 0 where the bucket has no articles. */
export function perThousand(mentions: number, articles: number): number {
  return articles > 0 ? Math.round((mentions * 1000 * 100) / articles) / 100 : 0;
}

/** A month range, both ends included. */
export interface MonthRange { from: string; to: string }

/**
 * The range that holds the bulk of the dated mentions: months with mentions are grouped into runs wherever
 * more than `gap` empty months separate them; a run at either end is left out while what is left out on that
 * side stays below `share` of all mentions. So a few mentions decades away do not stretch the axis, and a
 * real second period (`share` of the mentions or more) is never hidden. Undefined when nothing is dated.
 */
export function bulkRange(counts: { month: string; mentions: number }[], opts: { gap?: number; share?: number } = {}): MonthRange | undefined {
  const gap = opts.gap ?? 12;
  const share = opts.share ?? 0.1;
  const pts = counts.filter((c) => c.mentions > 0).map((c) => ({ i: monthIndex(c.month), n: c.mentions })).sort((a, b) => a.i - b.i);
  if (!pts.length) return undefined;
  const runs: { first: number; last: number; n: number }[] = [];
  for (const p of pts) {
    const r = runs[runs.length - 1];
    if (r && p.i - r.last - 1 <= gap) { r.last = p.i; r.n += p.n; } else runs.push({ first: p.i, last: p.i, n: p.n });
  }
  const budget = share * pts.reduce((s, p) => s + p.n, 0);
  let lo = 0;
  let hi = runs.length - 1;
  for (let left = 0; lo < hi && left + runs[lo].n < budget; lo++) left += runs[lo].n;
  for (let right = 0; hi > lo && right + runs[hi].n < budget; hi--) right += runs[hi].n;
  return { from: monthAt(runs[lo].first), to: monthAt(runs[hi].last) };
}

/** Sums month counts into the given buckets (others ignored); `articles` per bucket gives the per-1,000. */
export function sumBuckets(months: MonthCount[], buckets: string[], g: Granularity, corpusArticles: Map<string, number>): Bucket[] {
  const sums = new Map(buckets.map((b) => [b, { mentions: 0, articles: 0 }]));
  for (const m of months) {
    const s = sums.get(bucketOf(m.month, g));
    if (s) { s.mentions += m.mentions; s.articles += m.articles; }
  }
  return buckets.map((b) => {
    const s = sums.get(b)!;
    return { bucket: b, ...s, perThousand: perThousand(s.mentions, corpusArticles.get(b) ?? 0) };
  });
}

/** Dated articles of the corpus per bucket, from articles per month. */
export function articlesPerBucket(perMonth: Map<string, number>, g: Granularity): Map<string, number> {
  const out = new Map<string, number>();
  for (const [m, n] of perMonth) out.set(bucketOf(m, g), (out.get(bucketOf(m, g)) ?? 0) + n);
  return out;
}

export interface SeriesInput { key: string; name: string; type: string; months: MonthCount[]; undated: number; undatedArticles: number }
export interface Series {
  key: string; name: string; type: string;
  buckets: Bucket[];
  /** dated mentions before or after the range shown */
  outside: number;
  /** mentions (and articles) without a well-formed dateline */
  undated: number; undatedArticles: number;
}

/** 'bulk': the bulk of the mentions (bulkRange); 'all': first to last dated mention; or months chosen. */
export type RangeChoice = 'bulk' | 'all' | MonthRange;

export interface TimelineView {
  granularity: Granularity;
  /** the buckets shown, in order, and the dated articles of the corpus in each */
  buckets: { bucket: string; articles: number }[];
  series: Series[];
  /** the months shown (whole buckets), and every month with a dated mention of any series */
  range: MonthRange | undefined;
  full: MonthRange | undefined;
  /** the choice the range comes from */
  choice: 'bulk' | 'all' | 'custom';
  /** dated mentions (all series) outside the range shown */
  outside: number;
}

/**
 * The chart's content: every series in the same buckets over one range (whole buckets of the granularity, so a
 * year view of a range starting in March starts in January), gaps inside the range filled with zeros.
 */
export function timelineView(series: SeriesInput[], corpusPerMonth: Map<string, number>, g: Granularity, choice: RangeChoice): TimelineView {
  const totals = new Map<string, number>();
  for (const s of series) for (const m of s.months) totals.set(m.month, (totals.get(m.month) ?? 0) + m.mentions);
  const dated = [...totals].map(([month, mentions]) => ({ month, mentions })).filter((c) => c.mentions > 0);
  const months = dated.map((c) => c.month).sort();
  const full = months.length ? { from: months[0], to: months[months.length - 1] } : undefined;
  let range: MonthRange | undefined = choice === 'bulk' ? bulkRange(dated) : choice === 'all' ? full : choice;
  if (range && monthIndex(range.from) > monthIndex(range.to)) range = { from: range.to, to: range.from };
  const names = range ? bucketsBetween(range.from, range.to, g) : [];
  const shown = range ? { from: bucketMonths(names[0], g).first, to: bucketMonths(names[names.length - 1], g).last } : undefined;
  const articles = articlesPerBucket(corpusPerMonth, g);
  const inside = (month: string) => !!shown && month >= shown.from && month <= shown.to;
  const out: Series[] = series.map((s) => ({
    key: s.key, name: s.name, type: s.type,
    buckets: sumBuckets(s.months, names, g, articles),
    outside: s.months.reduce((n, m) => n + (inside(m.month) ? 0 : m.mentions), 0),
    undated: s.undated, undatedArticles: s.undatedArticles,
  }));
  return {
    granularity: g,
    buckets: names.map((b) => ({ bucket: b, articles: articles.get(b) ?? 0 })),
    series: out,
    range: shown,
    full,
    choice: typeof choice === 'string' ? choice : 'custom',
    outside: out.reduce((n, s) => n + s.outside, 0),
  };
}

/**
 * CSV of a view: bucket, dated articles, then per series (by key) its mentions, articles and per-1,000. No cell
 * can start a spreadsheet formula (= + - @): headers start with a word or an entity key (`PER:…`), the rest are
 * buckets and counts.
 */
export function timelineCsv(view: TimelineView): string {
  const header = ['bucket', 'dated articles', ...view.series.flatMap((s) => [`${s.key} mentions`, `${s.key} articles`, `${s.key} per 1000 articles`])];
  const rows = view.buckets.map((b, i) => [b.bucket, b.articles, ...view.series.flatMap((s) => [s.buckets[i].mentions, s.buckets[i].articles, s.buckets[i].perThousand])]);
  return stringify([header, ...rows]);
}
