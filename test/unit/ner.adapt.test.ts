// core/ner/adapt: the held-out split, the weights no update touches (kept exactly), progress and cancellation.
// What the adapted model learns is tested end to end in cli-train.test.ts.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { adaptModel, AdaptCancelled, LEARNED_SLOTS, splitHeldOut } from '../../src/core/ner/adapt';
import { NF } from '../../src/core/ner/features';
import { gazetteer } from '../../src/core/ner/gazetteer';
import { defaultModelPath, deserialiseModel, NT, readModelFile, RS } from '../../src/core/ner/model';
import { prepare } from '../../src/core/ner/prepare';
import { createRecogniser } from '../../src/core/ner/recogniser';
import { loadSegmenter } from '../../src/core/segment/backends';

describe('adaptModel', function () {
  this.timeout(60000);
  const base = readFileSync(defaultModelPath());
  const { segmenter } = loadSegmenter('nodejieba');
  // fictional sentences without names: the recogniser finds nothing in them
  const plain = ['今天上午天气晴朗，大家一起去公园散步。', '会议结束后，代表们参观了车间。', '据了解，这项工作将在年底前全部完成。'];

  it('holds out every 5th article by sorted path', () => {
    const articles = ['j', 'a', 'c', 'b', 'e', 'd', 'h', 'g', 'f', 'i', 'k'].map((path) => ({ path }));
    const { train, heldOut } = splitHeldOut(articles);
    assert.deepEqual(heldOut.map((a) => a.path), ['e', 'j']);
    assert.deepEqual(train.map((a) => a.path), ['a', 'b', 'c', 'd', 'f', 'g', 'h', 'i', 'k']);
  });

  it('keeps every weight that no error touched: gold the tagger already gives changes nothing', async () => {
    const recogniser = createRecogniser({ segmenter, model: deserialiseModel(base) });
    for (const t of plain) assert.deepEqual(recogniser.recognise(t), [], t);
    const progress: { done: number; total: number }[] = [];
    const { bytes, record } = await adaptModel({
      base, segmenter, epochs: 3, onProgress: (p) => progress.push(p),
      articles: plain.map((text, i) => ({ path: `a${i}.txt`, text, gold: [] })),
    });
    const a = deserialiseModel(base, { kernel: false }), b = deserialiseModel(bytes, { kernel: false });
    assert.equal(b.step, a.step);
    assert.deepEqual(b.table, a.table);
    assert.deepEqual(b.trans, a.trans);
    assert.deepEqual(b.endTrans, a.endTrans);
    assert.deepEqual(b.lexicon?.entries, a.lexicon?.entries);
    assert.deepEqual({ ...record, date: '' }, { date: '', articles: 3, mentions: 0, sentences: 3, epochs: 3, heldOut: { articles: 0, mentions: 0 }, before: null, after: null });
    assert.deepEqual(readModelFile(bytes).header.adaptation, record);
    assert.deepEqual(progress[progress.length - 1], { done: 3 * 4, total: 3 * 4 });
  });

  it('updates only the rows of the name-and-context features of the sentences it got wrong; transitions stay', async () => {
    const text = '鸿屹云图与晋北市签署了合作协议。';
    const found = createRecogniser({ segmenter, model: deserialiseModel(base) }).recognise(text);
    assert.ok(!found.some((m) => m.text === '鸿屹云图'), JSON.stringify(found));
    const gold = [{ start: 0, end: 4, type: 'ORG' as const }, { start: 5, end: 8, type: 'LOC' as const }];
    const { bytes } = await adaptModel({ base, segmenter, epochs: 20, articles: [{ path: 'a.txt', text, gold }] });
    const a = deserialiseModel(base, { kernel: false }), b = deserialiseModel(bytes, { kernel: false });
    assert.equal(b.step, a.step);
    assert.deepEqual(b.trans, a.trans);
    assert.deepEqual(b.endTrans, a.endTrans);
    const header = readModelFile(base).header;
    const p = prepare(text, segmenter, gazetteer(), undefined, undefined, a.lexicon);
    const allowed = new Set<number>();
    for (let i = 0; i < p.n; i++) for (const k of LEARNED_SLOTS) if (p.feats[i * NF + k]) allowed.add(p.feats[i * NF + k] >>> (32 - header.bits));
    const changed: number[] = [];
    for (let r = 0; r < 1 << header.bits; r++) for (let t = 0; t < NT; t++) if (a.table[r * RS + t] !== b.table[r * RS + t]) { changed.push(r); break; }
    assert.ok(changed.length > 0);
    assert.deepEqual(changed.filter((r) => !allowed.has(r)), []);
    const adapted = createRecogniser({ segmenter, model: b }).recognise(text);
    assert.deepEqual(adapted.map((m) => `${m.type} ${m.text}`), ['ORG 鸿屹云图', 'LOC 晋北市']);
  });

  it('ends with AdaptCancelled when asked to', async () => {
    let asked = 0;
    await assert.rejects(
      adaptModel({ base, segmenter, articles: plain.map((text, i) => ({ path: `a${i}.txt`, text, gold: [] })), isCancelled: () => ++asked > 1 }),
      AdaptCancelled,
    );
    assert.equal(asked, 2);
  });
});
