import { strict as assert } from 'node:assert';
import {
  bucketMonths, bucketOf, bucketsBetween, bulkRange, concordanceFilter, MonthCount, perThousand, SeriesInput,
  timelineCsv, timelineView,
} from '../../src/core/timeline';

const m = (month: string, mentions: number, articles = mentions ? 1 : 0): MonthCount => ({ month, mentions, articles });
const series = (key: string, months: MonthCount[], undated = 0): SeriesInput => ({ key, name: key.slice(4), type: key.slice(0, 3), months, undated, undatedArticles: undated ? 1 : 0 });

describe('timeline buckets', () => {
  it('puts a month in its month, quarter and year', () => {
    assert.deepEqual(['2018-01', '2018-03', '2018-04', '2018-12'].map((x) => bucketOf(x, 'quarter')), ['2018-Q1', '2018-Q1', '2018-Q2', '2018-Q4']);
    assert.equal(bucketOf('2018-10', 'year'), '2018');
    assert.equal(bucketOf('2018-10', 'month'), '2018-10');
    assert.deepEqual(bucketMonths('2018-Q4', 'quarter'), { first: '2018-10', last: '2018-12' });
    assert.deepEqual(bucketMonths('2018', 'year'), { first: '2018-01', last: '2018-12' });
  });

  it('lists every bucket between two months, across year ends, none missing', () => {
    assert.deepEqual(bucketsBetween('2017-11', '2018-02', 'month'), ['2017-11', '2017-12', '2018-01', '2018-02']);
    assert.deepEqual(bucketsBetween('2017-11', '2018-04', 'quarter'), ['2017-Q4', '2018-Q1', '2018-Q2']);
    assert.deepEqual(bucketsBetween('1998-06', '2001-01', 'year'), ['1998', '1999', '2000', '2001']);
    assert.deepEqual(bucketsBetween('2018-05', '2018-05', 'quarter'), ['2018-Q2']);
  });

  it('gives the concordance a filter it understands: the month, the year, a quarter\'s first month', () => {
    assert.deepEqual([concordanceFilter('2018-10', 'month'), concordanceFilter('2018-Q4', 'quarter'), concordanceFilter('2018', 'year')], ['2018-10', '2018-10', '2018']);
  });

  it('computes mentions per 1,000 articles to two decimals, 0 without articles', () => {
    assert.deepEqual([perThousand(1, 3), perThousand(5, 1000), perThousand(2, 0), perThousand(0, 7)], [333.33, 5, 0, 0]);
  });
});

describe('timeline range', () => {
  it('leaves out a few mentions far from the rest, and counts them', () => {
    const counts = [m('1975-01', 1), m('1998-01', 10), m('1998-02', 0), m('1998-03', 12), m('1999-05', 8), m('2018-10', 2)];
    assert.deepEqual(bulkRange(counts), { from: '1998-01', to: '1999-05' });
    const v = timelineView([series('PER:甲', counts)], new Map(), 'month', 'bulk');
    assert.equal(v.buckets.length, 17);
    assert.equal(v.outside, 3);
    assert.deepEqual(v.full, { from: '1975-01', to: '2018-10' });
    assert.equal(v.choice, 'bulk');
  });

  it('never hides a second period that holds a tenth of the mentions or more', () => {
    assert.deepEqual(bulkRange([m('2010-01', 30), m('2015-06', 25)]), { from: '2010-01', to: '2015-06' });
    assert.deepEqual(bulkRange([m('2010-01', 90), m('2015-06', 10)]), { from: '2010-01', to: '2015-06' });
    assert.deepEqual(bulkRange([m('2010-01', 91), m('2015-06', 9)]), { from: '2010-01', to: '2010-01' });
  });

  it('keeps gaps of up to a year inside the bulk; undefined without dated mentions', () => {
    assert.deepEqual(bulkRange([m('2017-01', 1), m('2018-01', 1)]), { from: '2017-01', to: '2018-01' });
    assert.equal(bulkRange([m('2017-01', 0)]), undefined);
    assert.deepEqual(timelineView([series('PER:甲', [], 4)], new Map(), 'year', 'bulk').buckets, []);
  });

  it('shows everything on "all" and whole buckets of a chosen range, gaps filled', () => {
    const counts = [m('1975-01', 1), m('1998-01', 10), m('1998-03', 12), m('1999-05', 8), m('2018-10', 2)];
    const all = timelineView([series('PER:甲', counts)], new Map(), 'year', 'all');
    assert.deepEqual(all.buckets.map((b) => b.bucket), bucketsBetween('1975-01', '2018-12', 'year'));
    assert.equal(all.outside, 0);
    const custom = timelineView([series('PER:甲', counts)], new Map(), 'quarter', { from: '1998-02', to: '1998-08' });
    assert.deepEqual(custom.buckets.map((b) => b.bucket), ['1998-Q1', '1998-Q2', '1998-Q3']);
    assert.deepEqual(custom.range, { from: '1998-01', to: '1998-09' });
    assert.deepEqual(custom.series[0].buckets.map((b) => b.mentions), [22, 0, 0]);
    assert.equal(custom.outside, 11);
    // ends given the wrong way round are swapped
    assert.deepEqual(timelineView([series('PER:甲', counts)], new Map(), 'month', { from: '1998-03', to: '1998-01' }).range, { from: '1998-01', to: '1998-03' });
  });
});

describe('timeline view', () => {
  const a = series('PER:甲', [m('2017-11', 2), m('2017-12', 0), m('2018-01', 3, 2), m('2018-02', 0), m('2018-03', 0), m('2018-04', 1)], 5);
  const b = series('LOC:乙', [m('2018-02', 4, 2)]);
  const corpus = new Map([['2017-11', 4], ['2017-12', 1], ['2018-01', 10], ['2018-02', 5], ['2018-04', 2], ['2019-01', 7]]);

  it('puts every series in the same buckets over the range of all of them', () => {
    const v = timelineView([a, b], corpus, 'month', 'bulk');
    assert.deepEqual(v.buckets, [
      { bucket: '2017-11', articles: 4 }, { bucket: '2017-12', articles: 1 }, { bucket: '2018-01', articles: 10 },
      { bucket: '2018-02', articles: 5 }, { bucket: '2018-03', articles: 0 }, { bucket: '2018-04', articles: 2 },
    ]);
    assert.deepEqual(v.series[1].buckets.map((x) => x.mentions), [0, 0, 0, 4, 0, 0]);
    assert.deepEqual(v.series[0].buckets[2], { bucket: '2018-01', mentions: 3, articles: 2, perThousand: 300 });
    assert.deepEqual([v.series[0].undated, v.series[0].undatedArticles, v.series[1].undated], [5, 1, 0]);
  });

  it('sums the months into quarters and years: mentions, articles and the corpus\'s articles', () => {
    const months = timelineView([a, b], corpus, 'month', 'all');
    for (const g of ['quarter', 'year'] as const) {
      const v = timelineView([a, b], corpus, g, 'all');
      for (const [si, s] of v.series.entries()) {
        for (const x of s.buckets) {
          const inBucket = months.series[si].buckets.filter((mb) => bucketOf(mb.bucket, g) === x.bucket);
          assert.equal(x.mentions, inBucket.reduce((n, mb) => n + mb.mentions, 0));
          assert.equal(x.articles, inBucket.reduce((n, mb) => n + mb.articles, 0));
        }
      }
    }
    const q = timelineView([a, b], corpus, 'quarter', 'all');
    assert.deepEqual(q.buckets, [{ bucket: '2017-Q4', articles: 5 }, { bucket: '2018-Q1', articles: 15 }, { bucket: '2018-Q2', articles: 2 }]);
    assert.deepEqual(q.series[0].buckets, [
      { bucket: '2017-Q4', mentions: 2, articles: 1, perThousand: 400 },
      { bucket: '2018-Q1', mentions: 3, articles: 2, perThousand: 200 },
      { bucket: '2018-Q2', mentions: 1, articles: 1, perThousand: 500 },
    ]);
    const y = timelineView([a, b], corpus, 'year', 'all');
    assert.deepEqual(y.buckets, [{ bucket: '2017', articles: 5 }, { bucket: '2018', articles: 17 }]);
    assert.deepEqual(y.series.map((s) => s.buckets.map((x) => x.mentions)), [[2, 4], [0, 4]]);
    assert.equal(y.series[1].buckets[1].perThousand, 235.29);
  });

  it('writes a CSV: bucket, dated articles, then mentions, articles and per 1,000 of each series', () => {
    const v = timelineView([a, b], corpus, 'year', 'all');
    assert.equal(timelineCsv(v), [
      'bucket,dated articles,PER:甲 mentions,PER:甲 articles,PER:甲 per 1000 articles,LOC:乙 mentions,LOC:乙 articles,LOC:乙 per 1000 articles',
      '2017,5,2,1,400,0,0,0',
      '2018,17,4,3,235.29,4,2,235.29',
      '',
    ].join('\n'));
  });
});
