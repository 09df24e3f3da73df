// The timeline in the real extension host on a copy of sample/corpus: every figure the command returns is
// checked against counts made here from the articles' text (a plain string search for the names, the datelines
// read with the core's dateline parser), not against numbers written into the test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseArticle } from '../../../src/core/article';
import { datelineValue } from '../../../src/core/dateline';
import type { TimelineData } from '../../../src/extension/timelineView';
import type { CorpusLensApi } from '../../../src/extension/extension';
import { activateExtension, corpusTexts } from './util';


/** The month (YYYY-MM) of a well-formed dateline, else null. */
function articleMonth(text: string): string | null {
  const dl = parseArticle(text).dateline?.text.trim();
  return (dl && datelineValue(dl)?.iso.slice(0, 7)) || null;
}

const count = (text: string, needle: string) => text.split(needle).length - 1;
const yearOf = (month: string) => month.slice(0, 4);
const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
const rate = (mentions: number, articles: number) => (articles ? Math.round((mentions * 1000 * 100) / articles) / 100 : 0);

/** Per bucket (by `bucketOf(month)`): the name's mentions and the articles that have it; and the undated ones. */
function countsOf(texts: Map<string, string>, name: string, bucketOf: (m: string) => string) {
  const buckets = new Map<string, { mentions: number; articles: number }>();
  let undated = 0;
  let undatedArticles = 0;
  for (const text of texts.values()) {
    const n = count(text, name);
    if (!n) continue;
    const month = articleMonth(text);
    if (!month) { undated += n; undatedArticles++; continue; }
    const b = buckets.get(bucketOf(month)) ?? { mentions: 0, articles: 0 };
    b.mentions += n;
    b.articles++;
    buckets.set(bucketOf(month), b);
  }
  return { buckets, undated, undatedArticles };
}

/** Dated articles per bucket. */
function articlesPer(texts: Map<string, string>, bucketOf: (m: string) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const text of texts.values()) {
    const month = articleMonth(text);
    if (month) out.set(bucketOf(month), (out.get(bucketOf(month)) ?? 0) + 1);
  }
  return out;
}

/** Every month from the first to the last of `months`. */
function monthsBetween(months: string[]): string[] {
  const s = [...months].sort();
  const out: string[] = [];
  if (!s.length) return out;
  let [y, m] = s[0].split('-').map(Number);
  const [ly, lm] = s[s.length - 1].split('-').map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

const show = (keys: string | string[], options: object) => vscode.commands.executeCommand<TimelineData>('corpusLens.showTimeline', keys, options);

describe('timeline', function () {
  this.timeout(120_000);
  let api: CorpusLensApi;
  let texts: Map<string, string>;
  /** two entities whose every mention is their name written out (no aliases), each in two articles or more */
  let first: { key: string; name: string };
  let second: { key: string; name: string };
  let tmp: string;

  before(async () => {
    api = (await activateExtension()).exports;
    await api.indexer.ready;
    texts = await corpusTexts();
    assert.equal(api.indexer.size, texts.size, 'the index holds other files than the workspace\'s articles');
    const candidates = (await api.indexer.queries.entities())
      .filter((e) => e.aliases.length === 0 && e.articles >= 2)
      .map((e) => ({ key: e.key, name: e.name, type: e.type, indexed: e.mentions, total: [...texts.values()].reduce((n, t) => n + count(t, e.name), 0) }))
      .filter((c) => c.total === c.indexed)
      .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
    first = candidates.find((c) => c.type === 'PER')!;
    assert.ok(first, 'no person without aliases in two sample articles whose every occurrence is recognised');
    second = candidates.find((c) => c.key !== first.key && c.type !== 'PER')!;
    assert.ok(second, 'no place or organisation without aliases in two sample articles whose every occurrence is recognised');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-timeline-'));
  });

  after(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

  it('shows one entity per month, gaps filled, undated mentions apart, all counted from the text', async () => {
    const exp = countsOf(texts, first.name, (m) => m);
    const t = await show(first.key, { granularity: 'month', range: 'all', measure: 'mentions' });
    assert.ok(t, 'the command returned nothing');
    assert.equal(t.granularity, 'month');
    assert.deepEqual(t.series.map((s) => s.key), [first.key]);
    const months = monthsBetween([...exp.buckets.keys()]);
    assert.deepEqual(t.series[0].buckets.map((b) => [b.bucket, b.mentions, b.articles]),
      months.map((m) => [m, exp.buckets.get(m)?.mentions ?? 0, exp.buckets.get(m)?.articles ?? 0]));
    assert.deepEqual([t.series[0].undated, t.series[0].undatedArticles, t.outside], [exp.undated, exp.undatedArticles, 0]);
  });

  it('the timeline\'s year view sums the months', async () => {
    const perMonth = countsOf(texts, first.name, (m) => m);
    const perYear = countsOf(texts, first.name, yearOf);
    const corpus = articlesPer(texts, yearOf);
    const monthView = await show(first.key, { granularity: 'month', range: 'all' });
    const t = await show(first.key, { granularity: 'year', range: 'all' });
    assert.equal(t.granularity, 'year');
    const years = [...new Set(monthsBetween([...perMonth.buckets.keys()]).map(yearOf))];
    assert.deepEqual(t.buckets, years.map((y) => ({ bucket: y, articles: corpus.get(y) ?? 0 })));
    assert.deepEqual(t.series[0].buckets, years.map((y) => {
      const b = perYear.buckets.get(y) ?? { mentions: 0, articles: 0 };
      return { bucket: y, mentions: b.mentions, articles: b.articles, perThousand: rate(b.mentions, corpus.get(y) ?? 0) };
    }));
    // and each year is the sum of its months as the month view shows them
    for (const yb of t.series[0].buckets) {
      const ms = monthView.series[0].buckets.filter((b) => yearOf(b.bucket) === yb.bucket);
      assert.equal(yb.mentions, ms.reduce((n, b) => n + b.mentions, 0), yb.bucket);
      assert.equal(yb.articles, ms.reduce((n, b) => n + b.articles, 0), yb.bucket);
    }
    assert.equal(t.series[0].buckets.reduce((n, b) => n + b.mentions, 0) + t.series[0].undated,
      [...texts.values()].reduce((n, text) => n + count(text, first.name), 0));
  });

  it('compares two entities per quarter on one axis, with mentions per 1,000 dated articles of each quarter', async () => {
    const corpus = articlesPer(texts, quarterOf);
    const t = await show([first.key, second.key], { granularity: 'quarter', range: 'all', measure: 'perThousand' });
    assert.equal(t.measure, 'perThousand');
    assert.deepEqual(t.series.map((s) => s.key), [first.key, second.key]);
    const a = countsOf(texts, first.name, (m) => m);
    const b = countsOf(texts, second.name, (m) => m);
    const quarters = [...new Set(monthsBetween([...a.buckets.keys(), ...b.buckets.keys()]).map(quarterOf))];
    assert.deepEqual(t.buckets, quarters.map((q) => ({ bucket: q, articles: corpus.get(q) ?? 0 })));
    for (const [i, e] of [first, second].entries()) {
      const exp = countsOf(texts, e.name, quarterOf);
      assert.deepEqual(t.series[i].buckets, quarters.map((q) => {
        const c = exp.buckets.get(q) ?? { mentions: 0, articles: 0 };
        return { bucket: q, mentions: c.mentions, articles: c.articles, perThousand: rate(c.mentions, corpus.get(q) ?? 0) };
      }), e.key);
    }
  });

  it('keeps a chosen range (whole buckets) and counts the mentions outside it', async () => {
    const exp = countsOf(texts, first.name, (m) => m);
    const months = [...exp.buckets.keys()].sort();
    const t = await show(first.key, { granularity: 'month', from: months[0], to: months[0] });
    assert.deepEqual(t.buckets.map((b) => b.bucket), [months[0]]);
    assert.equal(t.choice, 'custom');
    assert.equal(t.outside, [...exp.buckets.values()].reduce((n, c) => n + c.mentions, 0) - exp.buckets.get(months[0])!.mentions);
  });

  it('exports the buckets shown as CSV, and never replaces a file it was not told to', async () => {
    const t = await show([first.key, second.key], { granularity: 'year', range: 'all' });
    const a = countsOf(texts, first.name, yearOf);
    const b = countsOf(texts, second.name, yearOf);
    const corpus = articlesPer(texts, yearOf);
    const cells = (c: { mentions: number; articles: number } | undefined, y: string) =>
      [c?.mentions ?? 0, c?.articles ?? 0, rate(c?.mentions ?? 0, corpus.get(y) ?? 0)];
    const expected = [
      ['bucket', 'dated articles', ...[first, second].flatMap((e) => [`${e.key} mentions`, `${e.key} articles`, `${e.key} per 1000 articles`])].join(','),
      ...t.buckets.map(({ bucket: y }) => [y, corpus.get(y) ?? 0, ...cells(a.buckets.get(y), y), ...cells(b.buckets.get(y), y)].join(',')),
      '',
    ].join('\n');
    const file = path.join(tmp, 'timeline.csv');
    const written = await vscode.commands.executeCommand<string>('corpusLens.exportTimeline', { format: 'csv', target: vscode.Uri.file(file).toString() });
    assert.equal(written, file);
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
    fs.writeFileSync(file, 'mine');
    const again = await vscode.commands.executeCommand<string | undefined>('corpusLens.exportTimeline', { format: 'csv', target: vscode.Uri.file(file).toString() });
    assert.equal(again, undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), 'mine');
  });

  it('exports the chart the page draws as a PNG', async () => {
    await show([first.key, second.key], { granularity: 'quarter', range: 'all', measure: 'mentions' });
    const file = path.join(tmp, 'timeline.png');
    const written = await vscode.commands.executeCommand<string>('corpusLens.exportTimeline', { format: 'png', target: vscode.Uri.file(file).toString() });
    assert.equal(written, file, 'no PNG written (did the timeline view draw its chart?)');
    const png = fs.readFileSync(file);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    // drawn at twice the chart's size: wider than a chart of a few quarters' bars at one pixel each
    assert.ok(png.readUInt32BE(16) >= 480 && png.readUInt32BE(20) >= 200, `${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);
  });
});
