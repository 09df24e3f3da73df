import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DocumentAnalysis } from '../../src/core/analysis';
import { CorpusIndex } from '../../src/core/corpusIndex';
import { MemoryCorpusQueries } from '../../src/core/memoryQueries';

type Ent = [name: string, type: 'PER' | 'LOC' | 'ORG', roles: string[], confidence?: number];

/** An analysis of `text` with every occurrence of each name as a mention (confidence on each, when given). */
function analysis(file: string, dateline: string | null, text: string, ents: Ent[], punctuation?: { half: number; full: number }): DocumentAnalysis {
  return {
    path: file, title: 't', dateline, date: dateline ? `${dateline.slice(6, 10)}-${dateline.slice(3, 5)}-${dateline.slice(0, 2)}T00:00` : null,
    datelineAt: dateline ? { line: 2, character: 0 } : undefined,
    ...(punctuation && { punctuation }),
    entities: ents.map(([name, type, roles, confidence]) => {
      const mentions = [];
      for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) mentions.push({ start: i, end: i + name.length, text: name, line: 0, character: i, ...(confidence !== undefined && { confidence }) });
      return { name, type, aliases: [], roles, mentions };
    }),
  };
}

describe('MemoryCorpusQueries (CorpusQueries over a CorpusIndex)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-mq-'));
  const file = (n: string) => path.join(dir, n);
  const texts: Record<string, string> = {
    [file('1.txt')]: '市委书记王小明在晋中。王小明说。',
    [file('2.txt')]: '王小明到太原。',
    [file('3.txt')]: '晋中公司在晋中。',
    [file('4.txt')]: '王小明。',
  };
  const idx = new CorpusIndex();
  idx.set(file('1.txt'), 'h1', analysis(file('1.txt'), '17.03.2017', texts[file('1.txt')], [['王小明', 'PER', ['市委书记'], 0.9], ['晋中', 'LOC', [], 0.3]], { half: 3, full: 0 }));
  idx.set(file('2.txt'), 'h2', analysis(file('2.txt'), '05.05.2017', texts[file('2.txt')], [['王小明', 'PER', [], 0.8], ['太原', 'LOC', [], 0.2]], { half: 2, full: 1 }));
  idx.set(file('3.txt'), 'h3', analysis(file('3.txt'), '01.08.2017', texts[file('3.txt')], [['晋中', 'ORG', []]], { half: 0, full: 4 }));
  idx.set(file('4.txt'), 'h4', analysis(file('4.txt'), null, texts[file('4.txt')], [['王小明', 'PER', []]]));
  for (const [f, t] of Object.entries(texts)) fs.writeFileSync(f, t);
  const q = new MemoryCorpusQueries(idx);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('totals: articles, entities, mentions', async () => {
    assert.deepEqual(await q.totals(), { articles: 4, entities: 4, mentions: 8 });
  });

  it('articles: every indexed article with its hash and dateline, sorted by path', async () => {
    assert.deepEqual(await q.articles(), [
      { file: file('1.txt'), hash: 'h1', dateline: '17.03.2017', date: '2017-03-17T00:00' },
      { file: file('2.txt'), hash: 'h2', dateline: '05.05.2017', date: '2017-05-05T00:00' },
      { file: file('3.txt'), hash: 'h3', dateline: '01.08.2017', date: '2017-08-01T00:00' },
      { file: file('4.txt'), hash: 'h4', dateline: null, date: null },
    ]);
  });

  it('analysis: one article as indexed, undefined when not indexed', async () => {
    assert.equal((await q.analysis(file('2.txt')))?.entities.map((e) => e.name).join(), '王小明,太原');
    assert.equal(await q.analysis(file('nope.txt')), undefined);
  });

  it('entities, entity, find: the merged summaries', async () => {
    assert.deepEqual((await q.entities()).map((s) => `${s.key} ${s.mentions}/${s.articles}`).sort(), ['LOC:太原 1/1', 'LOC:晋中 1/1', 'ORG:晋中 2/1', 'PER:王小明 4/3']);
    assert.deepEqual(await q.entity('PER:王小明'), {
      key: 'PER:王小明', name: '王小明', type: 'PER', aliases: [], roles: ['市委书记'], mentions: 4, articles: 3, confidence: 1, first: '2017-03-17T00:00', last: '2017-05-05T00:00',
    });
    assert.equal(await q.entity('PER:nobody'), undefined);
    assert.equal((await q.find('晋中', 'ORG'))?.key, 'ORG:晋中');
    assert.equal((await q.find('太原'))?.key, 'LOC:太原');
    assert.equal(await q.find('太原', 'PER'), undefined);
  });

  it('timeline and articlesPerMonth', async () => {
    assert.deepEqual(await q.timeline('PER:王小明'), {
      months: [{ month: '2017-03', mentions: 2, articles: 1 }, { month: '2017-04', mentions: 0, articles: 0 }, { month: '2017-05', mentions: 1, articles: 1 }],
      undated: 1, undatedArticles: 1,
    });
    assert.deepEqual(await q.articlesPerMonth(), { '2017-03': 1, '2017-05': 1, '2017-08': 1 });
  });

  it('concordance: from disk, or from `texts` where given (a mention whose text moved is left out), up to `limit`', async () => {
    const lines = await q.concordance('PER:王小明', 4);
    assert.deepEqual(lines.map((l) => [path.basename(l.file), l.left, l.match, l.right, l.start]), [
      ['4.txt', '', '王小明', '。', 0],
      ['1.txt', '市委书记', '王小明', '在晋中。', 4],
      ['1.txt', '在晋中。', '王小明', '说。', 11],
      ['2.txt', '', '王小明', '到太原。', 0],
    ]);
    const edited = await q.concordance('PER:王小明', { width: 30, bound: 'sentence' }, { texts: { [file('2.txt')]: '改了' } });
    assert.deepEqual(edited.map((l) => `${path.basename(l.file)}:${l.left}|${l.right}`), ['4.txt:|。', '1.txt:市委书记|在晋中。', '1.txt:|说。']);
    assert.deepEqual((await q.concordance('PER:王小明', 4, { limit: 2 })).map((l) => `${path.basename(l.file)}@${l.start}`), ['4.txt@0', '1.txt@4']);
  });

  it('uncertainCounts: per article, its mentions below the threshold', async () => {
    assert.deepEqual(await q.uncertainCounts(0.5), { [file('1.txt')]: 1, [file('2.txt')]: 1 });
    assert.deepEqual(await q.uncertainCounts(0.85), { [file('1.txt')]: 1, [file('2.txt')]: 2 });
    assert.deepEqual(await q.uncertainCounts(0), {});
  });

  it('consistency: the names of certain mentions only, and again after the index changed', async () => {
    const text = '太原的王小明和晋中。';
    // 晋中 is certain only as an organisation (the place in 1.txt is at 0.3); 太原 is uncertain everywhere
    assert.deepEqual(await q.consistency(text, [], 0.5), [
      { code: 'entity-missed', start: 3, end: 6, name: '王小明', type: 'PER', others: ['PER'], articles: 3 },
      { code: 'entity-missed', start: 7, end: 9, name: '晋中', type: 'ORG', others: ['ORG'], articles: 1 },
    ]);
    // at threshold 0 every mention counts
    assert.deepEqual((await q.consistency(text, [], 0)).map((f) => `${f.name}:${f.others.join('/')}`), ['太原:LOC', '王小明:PER', '晋中:LOC/ORG']);
    const changed = CorpusIndex.fromJSON(idx.toJSON());
    const q2 = new MemoryCorpusQueries(changed);
    assert.equal((await q2.consistency(text, [], 0.5)).length, 2);
    changed.delete(file('3.txt'));
    assert.deepEqual((await q2.consistency(text, [], 0.5)).map((f) => f.name), ['王小明']);
  });

  it('datelines: the range of 20+ dated articles and the order breaks of numbered files', async () => {
    const c = new CorpusIndex();
    const seq = ['01.03.2018', '02.03.2018', '03.03.2018', '20.01.2018', '05.03.2018', '06.03.2018'];
    seq.forEach((d, i) => c.set(`/s/00${i + 1}.txt`, 'h', analysis(`/s/00${i + 1}.txt`, d, '', [])));
    for (let i = 0; i < 16; i++) c.set(`/b/x${i}.txt`, 'h', analysis(`/b/x${i}.txt`, '01.01.2017', '', []));
    const cq = new MemoryCorpusQueries(c);
    assert.deepEqual(await cq.datelines(), {
      range: { from: 2017, to: 2018, articles: 22 },
      orderBreaks: { '/s/004.txt': { date: '2018-01-20T00:00', before: { file: '/s/003.txt', date: '2018-03-03T00:00' }, after: { file: '/s/005.txt', date: '2018-03-05T00:00' } } },
      outOfRange: [],
    });
    assert.deepEqual(await q.datelines(), { orderBreaks: {}, outOfRange: [] });
    // from 100 dated articles on, the range is the 1st to 99th percentile: the articles outside it are named
    const big = new CorpusIndex();
    for (let i = 0; i < 120; i++) big.set(`/c/a${String(i).padStart(3, '0')}.txt`, 'h', analysis(`/c/a${i}.txt`, '01.01.2017', '', []));
    big.set('/c/old.txt', 'h', analysis('/c/old.txt', '01.01.1990', '', []));
    big.set('/c/new.txt', 'h', analysis('/c/new.txt', '01.01.2030', '', []));
    const dl = await new MemoryCorpusQueries(big).datelines();
    assert.deepEqual([dl.range, dl.outOfRange], [{ from: 2017, to: 2017, articles: 122 }, ['/c/new.txt', '/c/old.txt']]);
  });

  it('punctuation: the articles by the form they write more often', async () => {
    assert.deepEqual(await q.punctuation(), { halfwidth: 2, fullwidth: 1, even: 0, convention: undefined });
  });
});
