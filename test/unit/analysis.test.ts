import { strict as assert } from 'node:assert';
import { analyseArticle, analyseArticles, BATCH, batchFull, fillBatch, INDEX_BATCH } from '../../src/core/analysis';
import { loadSegmenter } from '../../src/core/segment/backends';
import { Segmenter } from '../../src/core/segment/segmenter';
import { createRecogniser, loadModel } from '../../src/core/ner';

// Fictional names only (never the shared sample article's).
const ARTICLES = [
  '晋北市召开座谈会\n\n17.10.2018  06:24\n\n  市委书记周国平在晋北市主持会议。周国平指出，华晋能源集团要做好工作。\n',
  '标题：𠮷祥村通电\r\n\r\n03.04.2019  10:00\r\n\r\n  𠮷祥村村长郑怀远说，杭州市电力公司派人来了。\r\n',
  '',
  '  没有标题的一段：　李明和王芳访问了东江市。\n\n  第二段，李明再次发言。',
];

describe('analysis of several articles at once (analyseArticles)', () => {
  const model = loadModel();
  for (const backend of ['nodejieba', 'jieba-wasm'] as const) {
    it(`gives each article exactly what analyseArticle gives it (${backend})`, () => {
      const { segmenter } = loadSegmenter(backend);
      const r = createRecogniser({ segmenter, model });
      const one = ARTICLES.map((text, i) => analyseArticle(`a${i}.txt`, text, r));
      const many = analyseArticles(ARTICLES.map((text, i) => ({ path: `a${i}.txt`, text })), r);
      assert.deepEqual(many, one);
      // (the comparison means something: the articles have names, with offsets past an astral character)
      assert.deepEqual(one[0].entities.filter((e) => e.type === 'PER').map((e) => e.name), ['周国平']);
      const zheng = one[1].entities.find((e) => e.name === '郑怀远');
      assert.ok(zheng, JSON.stringify(one[1].entities.map((e) => e.name)));
      assert.equal(ARTICLES[1].slice(zheng.mentions[0].start, zheng.mentions[0].end), '郑怀远');
      assert.deepEqual(one[2].entities, []);
    });
  }

  it('segments all the articles of a batch in one segmenter call (nodejieba)', () => {
    const { segmenter } = loadSegmenter('nodejieba');
    const calls: number[] = [];
    const counting: Segmenter = {
      backend: segmenter.backend,
      tag: (t) => segmenter.tag(t),
      tagMany: (texts) => { calls.push(texts.length); return segmenter.tagMany!(texts); },
    };
    const r = createRecogniser({ segmenter: counting, model });
    analyseArticles(ARTICLES.map((text, i) => ({ path: `a${i}.txt`, text })), r);
    // one call with every sentence of the four articles (article 3 has none)
    assert.equal(calls.length, 1);
    assert.ok(calls[0] >= 6, `${calls[0]} sentences`);
  });

  it('fills a batch up to its number of articles or its characters, and always takes one', () => {
    assert.equal(batchFull(0, 0), false);
    assert.equal(batchFull(BATCH.articles - 1, BATCH.chars - 1), false);
    assert.equal(batchFull(BATCH.articles, 0), true);
    assert.equal(batchFull(1, BATCH.chars), true);
    assert.equal(batchFull(0, 0, INDEX_BATCH), false);
    assert.equal(batchFull(INDEX_BATCH.articles, 0, INDEX_BATCH), true);
    assert.ok(INDEX_BATCH.articles < BATCH.articles && INDEX_BATCH.chars <= BATCH.chars);
  });

  it('fillBatch takes items until the batch is full or there are no more', () => {
    const from = (n: number, size: number) => { let i = 0; return () => (i < n ? { i: i++, size } : undefined); };
    assert.equal(fillBatch(from(100, 0), (x) => x.size).length, BATCH.articles);
    assert.deepEqual(fillBatch(from(100, BATCH.chars), (x) => x.size).map((x) => x.i), [0]); // always one
    assert.equal(fillBatch(from(100, BATCH.chars / 2), (x) => x.size).length, 2);
    assert.equal(fillBatch(from(3, 0), (x) => x.size).length, 3);
    assert.deepEqual(fillBatch(from(0, 0), (x) => x.size), []);
    assert.equal(fillBatch(from(100, 0), (x) => x.size, INDEX_BATCH).length, INDEX_BATCH.articles);
  });
});
