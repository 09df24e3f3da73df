import { strict as assert } from 'node:assert';
import type { DocumentAnalysis } from '../../src/core/analysis';
import { CorpusIndex } from '../../src/core/corpusIndex';

const doc = (path: string, date: string | null, text: string, ents: [string, 'PER' | 'LOC' | 'ORG', string[]][]): [DocumentAnalysis, string] => [{
  path, title: 't', dateline: date, date: date ? `${date.slice(6, 10)}-${date.slice(3, 5)}-${date.slice(0, 2)}T00:00` : null,
  entities: ents.map(([name, type, roles]) => {
    const mentions = [];
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) mentions.push({ start: i, end: i + name.length, text: name, line: 0, character: i });
    return { name, type, aliases: [], roles, mentions };
  }),
}, text];

describe('CorpusIndex', () => {
  const texts = new Map<string, string>();
  const idx = new CorpusIndex();
  for (const [a, t] of [
    doc('/c/1.txt', '17.03.2017', '市委书记王小明在晋中。王小明说。', [['王小明', 'PER', ['市委书记']], ['晋中', 'LOC', []]]),
    doc('/c/2.txt', '05.05.2017', '王小明到太原。', [['王小明', 'PER', []], ['太原', 'LOC', []]]),
    doc('/c/3.txt', '01.08.2017', '晋中公司在晋中。', [['晋中', 'ORG', []]]),
    doc('/c/4.txt', null, '王小明。', [['王小明', 'PER', []]]),
  ]) { idx.set(a.path, 'h' + a.path, a); texts.set(a.path, t); }

  it('aggregates mentions, articles, roles and first/last datelines per entity', () => {
    const s = idx.find('王小明', 'PER')!;
    assert.deepEqual([s.mentions, s.articles, s.roles, s.first, s.last], [4, 3, ['市委书记'], '2017-03-17T00:00', '2017-05-05T00:00']);
    assert.deepEqual([...idx.entities().keys()].sort(), ['LOC:太原', 'LOC:晋中', 'ORG:晋中', 'PER:王小明']);
  });

  it('gives each entity the confidence of its surest mention in the corpus (1 where the analyses have none)', () => {
    const c = new CorpusIndex();
    const [a] = doc('/c/1.txt', null, '预计王小明来。', [['王小明', 'PER', []], ['预计', 'LOC', []]]);
    a.entities[0].mentions[0].confidence = 0.8;
    a.entities[1].mentions[0].confidence = 0.31;
    const [b] = doc('/c/2.txt', null, '王小明。', [['王小明', 'PER', []]]);
    b.entities[0].mentions[0].confidence = 0.95;
    c.set(a.path, 'a', a); c.set(b.path, 'b', b);
    assert.deepEqual([c.find('王小明', 'PER')!.confidence, c.find('预计', 'LOC')!.confidence], [0.95, 0.31]);
    assert.equal(idx.find('王小明', 'PER')!.confidence, 1);
  });

  it('counts mentions per month with the gaps filled and undated mentions apart', () => {
    assert.deepEqual(idx.timeline('PER:王小明'), {
      months: [{ month: '2017-03', mentions: 2, articles: 1 }, { month: '2017-04', mentions: 0, articles: 0 }, { month: '2017-05', mentions: 1, articles: 1 }],
      undated: 1,
      undatedArticles: 1,
    });
  });

  it('counts the dated articles per month, whatever they mention', () => {
    assert.deepEqual([...idx.articlesPerMonth()].sort(), [['2017-03', 1], ['2017-05', 1], ['2017-08', 1]]);
  });

  it('builds KWIC lines sorted by date, skipping mentions whose text changed', () => {
    const lines = idx.concordance('PER:王小明', (f) => texts.get(f), 4);
    assert.deepEqual(lines.map((l) => [l.file, l.left, l.match, l.right]), [
      ['/c/4.txt', '', '王小明', '。'],
      ['/c/1.txt', '市委书记', '王小明', '在晋中。'],
      ['/c/1.txt', '在晋中。', '王小明', '说。'],
      ['/c/2.txt', '', '王小明', '到太原。'],
    ]);
    assert.equal(idx.concordance('PER:王小明', (f) => (f === '/c/2.txt' ? '改了' : texts.get(f)), 4).length, 3);
  });

  it('survives a round trip through JSON and ignores caches of another format', () => {
    const back = CorpusIndex.fromJSON(JSON.parse(JSON.stringify(idx.toJSON())));
    assert.deepEqual(back.hashes(), idx.hashes());
    assert.equal(CorpusIndex.fromJSON({ version: -1, docs: [] }).size, 0);
    assert.equal(CorpusIndex.fromJSON('garbage').size, 0);
  });

  it('follows renames and deletions', () => {
    const i2 = CorpusIndex.fromJSON(idx.toJSON());
    i2.rename('/c/2.txt', '/c/2b.txt');
    assert.equal(i2.get('/c/2b.txt')?.analysis.path, '/c/2b.txt');
    i2.delete('/c/1.txt');
    assert.equal(i2.find('王小明', 'PER')!.mentions, 2);
  });
});
