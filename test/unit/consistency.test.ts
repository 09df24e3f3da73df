import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  certainSummaries, consistencyFindings, consistencyMessage, consistencyScan, corpusDatelineRange, datelineOrderBreaks, datelineOrderFinding, corpusNames, datelineRangeFinding,
} from '../../src/core/consistency';
import { useMessages } from '../../src/core/messages';

describe('consistency findings (core)', () => {
  const names = corpusNames([
    { name: '晋北市', type: 'LOC', articles: 5 },
    { name: '华晋', type: 'ORG', articles: 2 },
    { name: '华晋', type: 'LOC', articles: 1 },
    { name: '华晋能源集团', type: 'ORG', articles: 3 },
    { name: '周国平', type: 'PER', articles: 4 },
    { name: '周', type: 'PER', articles: 9 }, // one character: never searched for
  ]);

  it('indexes names by first code unit, longest first, and sums articles per type', () => {
    assert.deepEqual(names.byFirst.get('华'.charCodeAt(0)), ['华晋能源集团', '华晋']);
    assert.equal(names.byFirst.get('周'.charCodeAt(0))?.join(), '周国平');
    assert.deepEqual([...names.types.get('华晋')!], [['ORG', 2], ['LOC', 1]]);
  });

  it('reports a type conflict at the first mention and a missed name once, with exact UTF-16 offsets (astral text before)', () => {
    const text = '𠮷𠮷晋北市的华晋能源集团和周国平。周国平在晋北市。';
    const at = (s: string, from = 0) => text.indexOf(s, from);
    const entities = [
      { name: '晋北市', type: 'ORG' as const, mentions: [{ start: at('晋北市'), end: at('晋北市') + 3 }, { start: at('晋北市', 8), end: at('晋北市', 8) + 3 }] },
      { name: '华晋能源集团', type: 'ORG' as const, mentions: [{ start: at('华晋'), end: at('华晋') + 6 }] },
    ];
    const found = consistencyFindings(text, entities, names);
    assert.deepEqual(found, [
      { code: 'entity-type-conflict', start: 4, end: 7, name: '晋北市', type: 'ORG', others: ['LOC'], articles: 5 },
      { code: 'entity-missed', start: at('周国平'), end: at('周国平') + 3, name: '周国平', type: 'PER', others: ['PER'], articles: 4 },
    ]);
    assert.equal(text.slice(found[1].start, found[1].end), '周国平');
  });

  it('never reports a name inside a recognised mention (华晋 inside 华晋能源集团), nor one recognised here', () => {
    const text = '华晋能源集团。周国平。';
    const entities = [
      { name: '华晋能源集团', type: 'ORG' as const, mentions: [{ start: 0, end: 6 }] },
      { name: '周国平', type: 'PER' as const, mentions: [{ start: 7, end: 10 }] },
    ];
    assert.deepEqual(consistencyFindings(text, entities, names), []);
  });

  it('is linear: a 1 MB article with thousands of mentions is checked in one pass', () => {
    const para = '华晋能源集团在晋北市召开会议，周国平出席。';
    const text = para.repeat(Math.ceil(1_000_000 / para.length));
    const mentions = [] as { start: number; end: number }[];
    for (let i = 0; i < text.length; i += para.length) mentions.push({ start: i, end: i + 6 });
    const found = consistencyFindings(text, [{ name: '华晋能源集团', type: 'ORG', mentions }], names);
    assert.deepEqual(found.map((f) => [f.code, f.name, f.start]), [['entity-missed', '晋北市', 7], ['entity-missed', '周国平', 15]]);
  });

  it('in slices: the same findings, a slice per 64k characters (so the editor can yield between them)', () => {
    const para = '华晋能源集团在晋北市召开会议，周国平出席。';
    const text = para.repeat(Math.ceil(200_000 / para.length)) + '晋北市';
    const whole = consistencyFindings(text, [], names);
    const slices = [...consistencyScan(text, [], names, 65536)];
    assert.equal(slices.length, Math.ceil(text.length / 65536));
    assert.deepEqual(slices.flat(), whole);
    assert.deepEqual(whole.map((f) => f.name), ['华晋能源集团', '晋北市', '周国平']);
  });

  describe('uncertain mentions (below corpusLens.entities.confidenceThreshold)', () => {
    // two other articles: one took the common words 预计 and 东西 for places, unsure; both name 晋北市 as a place, one unsure
    const others = [
      { entities: [
        { name: '预计', type: 'LOC' as const, mentions: [{ start: 0, end: 2, confidence: 0.31 }] },
        { name: '东西', type: 'LOC' as const, mentions: [{ start: 5, end: 7, confidence: 0.42 }, { start: 9, end: 11, confidence: 0.5 }] },
        { name: '晋北市', type: 'LOC' as const, mentions: [{ start: 12, end: 15, confidence: 0.97 }] },
      ] },
      { entities: [{ name: '晋北市', type: 'LOC' as const, mentions: [{ start: 3, end: 6, confidence: 0.4 }] }] },
    ];
    const text = '预计晋北市的东西部差距将缩小。';

    it('a common word that another article took for a place, unsure, raises no "is a place in 1 other article"', () => {
      const threshold = 0.65;
      const certain = corpusNames(certainSummaries(others, threshold));
      assert.deepEqual([...certain.types.keys()], ['晋北市']);
      assert.deepEqual([...certain.types.get('晋北市')!], [['LOC', 1]]); // the unsure article does not count
      // here 晋北市 is recognised; 预计 and 东西 are not, and are no names of the corpus
      const here = [{ name: '晋北市', type: 'LOC' as const, mentions: [{ start: 2, end: 5, confidence: 0.9 }] }];
      assert.deepEqual(consistencyFindings(text, here, certain, threshold), []);
      // with every mention counted (threshold 0), as before confidences: both common words are findings
      const all = corpusNames(certainSummaries(others, 0));
      assert.deepEqual(consistencyFindings(text, here, all, 0).map((f) => `${f.code} ${f.name} ${f.articles}`), ['entity-missed 预计 1', 'entity-missed 东西 1']);
    });

    it('an entity whose mentions here are all unsure raises no type conflict, and no entity-missed on its mentions', () => {
      const names = corpusNames(certainSummaries(others, 0.65));
      const here = [{ name: '晋北市', type: 'ORG' as const, mentions: [{ start: 2, end: 5, confidence: 0.6 }] }];
      assert.deepEqual(consistencyFindings(text, here, names, 0.65), []);
      // sure here: the conflict is reported
      assert.deepEqual(consistencyFindings(text, [{ ...here[0], mentions: [{ start: 2, end: 5, confidence: 0.7 }] }], names, 0.65).map((f) => `${f.code} ${f.name}`),
        ['entity-type-conflict 晋北市']);
    });

    it('mentions without a confidence (analyses made before confidences) count as certain', () => {
      const names = corpusNames(certainSummaries([{ entities: [{ name: '预计', type: 'LOC', mentions: [{ start: 0, end: 2 }] }] }], 0.65));
      assert.deepEqual([...names.types.keys()], ['预计']);
    });
  });

  describe('messages, as sentences', () => {
    afterEach(() => useMessages(undefined));
    const f = (code: 'entity-type-conflict' | 'entity-missed', type: 'PER' | 'LOC' | 'ORG', others: ('PER' | 'LOC' | 'ORG')[], articles: number) => consistencyMessage({ code, name: '华晋', type, others, articles });

    it('put "a" or "an" before the type and count "1 other article" or "N other articles"', () => {
      assert.equal(f('entity-type-conflict', 'LOC', ['ORG'], 1), '「华晋」 is a place here but an organisation in 1 other article.');
      assert.equal(f('entity-type-conflict', 'ORG', ['PER', 'LOC'], 3), '「华晋」 is an organisation here but a person or a place in 3 other articles.');
      assert.equal(f('entity-missed', 'ORG', ['ORG'], 1), '「华晋」 is an organisation in 1 other article but is not recognised here.');
      assert.equal(f('entity-missed', 'PER', ['PER'], 2), '「华晋」 is a person in 2 other articles but is not recognised here.');
    });

    it('are Chinese with the zh-CN bundle', () => {
      useMessages(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../l10n/bundle.l10n.zh-cn.json'), 'utf8')));
      assert.equal(f('entity-type-conflict', 'ORG', ['PER', 'LOC'], 3), '「华晋」在此处为机构名，但在其他 3 篇文章中为人名或地名。');
      assert.equal(f('entity-missed', 'PER', ['PER'], 1), '「华晋」在另外 1 篇文章中为人名，但在此处未被识别。');
    });
  });

  describe('dateline-out-of-range', () => {
    const iso = (year: number) => `${year}-04-15T16:52`;
    /** 300 articles of 1998 */
    const corpus = Array.from({ length: 300 }, () => iso(1998));
    const text = (dl: string) => `标题\n\n${dl}\n\n  正文。`;

    it('compares with the 1st to 99th percentile of the corpus\'s dateline years: a 2018 dateline among 1998\'s does not widen it', () => {
      const range = corpusDatelineRange([...corpus, iso(2018), null, undefined]);
      assert.deepEqual(range, { from: 1998, to: 1998, articles: 301 });
      assert.deepEqual(datelineRangeFinding(text('15.04.2018  16:52'), '15.04.2018  16:52', iso(2018), range), {
        code: 'dateline-out-of-range', start: 4, end: 21,
        message: 'The dateline "15.04.2018  16:52" is dated 2018, outside the years of this corpus\'s datelines: 1998 (the 1st to 99th percentile of 301 dated articles).',
      });
      // a year before the first article
      assert.equal(datelineRangeFinding(text('15.04.1997  16:52'), '15.04.1997  16:52', iso(1997), range)?.start, 4);
      assert.equal(datelineRangeFinding(text('15.04.1998  16:52'), '15.04.1998  16:52', iso(1998), range), undefined);
    });

    it('keeps the years the corpus really spans, and names them as a range', () => {
      const spread = [...Array.from({ length: 200 }, (_, i) => iso(1995 + (i % 5))), iso(1960)];
      const range = corpusDatelineRange(spread);
      assert.deepEqual(range, { from: 1995, to: 1999, articles: 201 });
      assert.equal(datelineRangeFinding(text('01.01.1999  00:00'), '01.01.1999  00:00', iso(1999), range), undefined);
      assert.match(datelineRangeFinding(text('01.01.1960  00:00'), '01.01.1960  00:00', iso(1960), range)!.message, /: 1995–1999 \(the 1st to 99th percentile of 201 dated articles\)\.$/);
    });

    it('says nothing for a corpus of fewer than 20 dated articles, or an article without a well-formed dateline', () => {
      assert.equal(corpusDatelineRange([...Array.from({ length: 19 }, () => iso(1998)), null, null]), undefined);
      assert.equal(datelineRangeFinding(text('15.04.2018  16:52'), '15.04.2018  16:52', iso(2018), undefined), undefined);
      const range = corpusDatelineRange(corpus);
      assert.equal(datelineRangeFinding(text('2018-04-15 16:52'), '2018-04-15 16:52', null, range), undefined);
    });
  });

  describe('dateline-out-of-order', () => {
    /** numbered files in /c with these days (null: no well-formed dateline) */
    const folder = (days: (string | null)[], dir = '/c') => days.map((d, i) => ({ file: `${dir}/${String(i + 1).padStart(3, '0')}_x.txt`, date: d && `${d}T08:00` }));
    const days = ['1998-03-01', '1998-03-02', '1998-03-02', '1998-03-04', '1998-03-05', '1998-03-07', '1998-03-08', '1998-03-09'];

    it('flags the one article whose date breaks a rising numbered sequence, naming the neighbours it was compared with', () => {
      const arts = folder(days);
      arts[4].date = '2018-10-17T06:24';
      const found = datelineOrderBreaks(arts);
      assert.deepEqual([...found.keys()], ['/c/005_x.txt']);
      assert.deepEqual(found.get('/c/005_x.txt'), { date: '2018-10-17T06:24', before: { file: '/c/004_x.txt', date: '1998-03-04T08:00' }, after: { file: '/c/006_x.txt', date: '1998-03-07T08:00' } });
      const text = '标题\n\n17.10.2018  06:24\n\n  正文。';
      assert.deepEqual(datelineOrderFinding(text, '17.10.2018  06:24', found.get('/c/005_x.txt')), {
        code: 'dateline-out-of-order', start: 4, end: 21,
        message: 'The dateline "17.10.2018  06:24" (2018-10-17) breaks the order of the file numbers: 004_x.txt before it is dated 1998-03-04, 006_x.txt after it 1998-03-07.',
      });
    });

    it('works for a falling sequence, at either end, and skips undated articles', () => {
      const falling = folder([...days].reverse());
      falling[0].date = '1990-01-01T00:00'; // the first article is older than the next, in a newest-first folder
      falling[3].date = null;
      const found = datelineOrderBreaks(falling);
      assert.deepEqual([...found.keys()], ['/c/001_x.txt']);
      assert.match(datelineOrderFinding('x\n01.01.1990  00:00', '01.01.1990  00:00', found.get('/c/001_x.txt'))!.message, /: 002_x\.txt after it is dated 1998-03-08\.$/);
      const last = folder(days);
      last[7].date = '1997-01-01T00:00';
      assert.deepEqual([...datelineOrderBreaks(last).keys()], ['/c/008_x.txt']);
    });

    it('says nothing where the names carry no number, the folder has too few dated articles, or the dates do not follow the numbers', () => {
      const unnumbered = folder(days).map((a, i) => ({ ...a, file: `/c/article-${'abcdefgh'[i]}.txt` }));
      unnumbered[4].date = '2018-10-17T06:24';
      assert.equal(datelineOrderBreaks(unnumbered).size, 0);
      const few = folder(days.slice(0, 4));
      few[2].date = '2018-10-17T06:24';
      assert.equal(datelineOrderBreaks(few).size, 0);
      const shuffled = folder(['1998-03-05', '1998-03-01', '1998-03-09', '1998-03-02', '1998-03-08', '1998-03-03', '1998-03-07', '1998-03-04']);
      assert.equal(datelineOrderBreaks(shuffled).size, 0);
      // the same day twice, or several articles a day at any time, is in order
      assert.equal(datelineOrderBreaks(folder(days).map((a, i) => ({ ...a, date: a.date!.slice(0, 11) + `${23 - i}:00` }))).size, 0);
    });

    it('orders each folder by itself', () => {
      const a = folder(days, '/c/a');
      const b = folder([...days].reverse(), '/c/b');
      b[5].date = '2001-01-01T00:00';
      assert.deepEqual([...datelineOrderBreaks([...a, ...b]).keys()], ['/c/b/006_x.txt']);
    });
  });
});
