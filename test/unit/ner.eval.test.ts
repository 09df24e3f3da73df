import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readAnnotated, score, jiebaEntities } from '../../src/core/ner/eval';

const fx = (f: string) => join(__dirname, '..', 'fixtures', 'ner', f);

describe('ner eval: readers', () => {
  it('reads BIO with spaces', () => {
    const s = readAnnotated(fx('handmade-bio.txt'));
    assert.equal(s.length, 2);
    assert.equal(s[0].text, '张小明在北京工作');
    assert.deepEqual(s[0].spans, [{ start: 0, end: 3, type: 'PER' }, { start: 4, end: 6, type: 'LOC' }]);
    assert.deepEqual(s[1].spans, [{ start: 0, end: 4, type: 'ORG' }]);
  });
  it('reads BIO with tabs, including a space character', () => {
    const s = readAnnotated(fx('handmade-bio-tab.txt'));
    assert.equal(s.length, 1);
    assert.equal(s[0].text, '李四到 上海');
    assert.deepEqual(s[0].spans, [{ start: 0, end: 2, type: 'PER' }, { start: 4, end: 6, type: 'LOC' }]);
  });
  it('reads BMES with nr/ns/nt and single-char S_ tags', () => {
    const s = readAnnotated(fx('handmade-bmes.txt'));
    assert.deepEqual(s.map((x) => x.text), ['王小二在杭州', '北方电器厂和吴']);
    assert.deepEqual(s[0].spans, [{ start: 0, end: 3, type: 'PER' }, { start: 4, end: 6, type: 'LOC' }]);
    assert.deepEqual(s[1].spans, [{ start: 0, end: 5, type: 'ORG' }, { start: 6, end: 7, type: 'PER' }]);
  });
  it('reads CLUENER jsonl, mapping name/address/company and dropping other types', () => {
    const s = readAnnotated(fx('tiny.jsonl'));
    assert.deepEqual(s[0].spans, [{ start: 0, end: 3, type: 'PER' }, { start: 4, end: 8, type: 'ORG' }, { start: 13, end: 16, type: 'LOC' }]);
    // the position span is kept aside, as a span of an unmapped type
    assert.deepEqual(s[0].unmapped, [{ start: 8, end: 10 }]);
    // asked to, the reader keeps the CLUENER type of the spans of those types
    assert.deepEqual(readAnnotated(fx('tiny.jsonl'), ['company'])[0].spans[1], { start: 4, end: 8, type: 'ORG', source: 'company' });
  });
});

describe('ner eval: scorer', () => {
  it('scores exact span and type, per type and micro', () => {
    const gold = [
      [{ start: 0, end: 3, type: 'PER' as const }, { start: 4, end: 6, type: 'LOC' as const }],
      [{ start: 0, end: 4, type: 'ORG' as const }, { start: 5, end: 7, type: 'PER' as const }],
    ];
    const pred = [
      [{ start: 0, end: 3, type: 'PER' as const }, { start: 4, end: 6, type: 'ORG' as const }], // right PER, wrong type
      [{ start: 0, end: 3, type: 'ORG' as const }, { start: 5, end: 7, type: 'PER' as const }], // wrong span, right PER
    ];
    const s = score(gold, pred);
    assert.deepEqual([s.PER.tp, s.PER.fp, s.PER.fn], [2, 0, 0]);
    assert.equal(s.PER.f1, 1);
    assert.deepEqual([s.LOC.tp, s.LOC.fp, s.LOC.fn], [0, 0, 1]);
    assert.equal(s.LOC.precision, 0);
    assert.equal(s.LOC.recall, 0);
    assert.deepEqual([s.ORG.tp, s.ORG.fp, s.ORG.fn], [0, 2, 1]);
    assert.deepEqual([s.micro.tp, s.micro.fp, s.micro.fn], [2, 2, 2]);
    assert.equal(s.micro.precision, 0.5);
    assert.equal(s.micro.recall, 0.5);
    assert.equal(s.micro.f1, 0.5);
  });
  it('a prediction exactly on a span of an unmapped type counts wrong, or neither way when asked', () => {
    const gold = [[{ start: 0, end: 3, type: 'PER' as const }]];
    const unmapped = [[{ start: 4, end: 6 }]];
    // PER right; LOC on the unmapped span; ORG overlapping it but not exactly on it
    const pred = [[{ start: 0, end: 3, type: 'PER' as const }, { start: 4, end: 6, type: 'LOC' as const }, { start: 4, end: 7, type: 'ORG' as const }]];
    const strict = score(gold, pred);
    assert.deepEqual([strict.micro.tp, strict.micro.fp, strict.micro.fn], [1, 2, 0]);
    const lenient = score(gold, pred, unmapped);
    assert.deepEqual([lenient.micro.tp, lenient.micro.fp, lenient.micro.fn], [1, 1, 0]);
    assert.deepEqual([lenient.LOC.tp, lenient.LOC.fp, lenient.ORG.fp], [0, 0, 1]);
  });
  it('the jieba baseline maps nr/ns/nt tokens', () => {
    const fake = { backend: 'nodejieba' as const, tag: () => [
      { word: '王五', tag: 'nr', start: 0, end: 2 }, { word: '去', tag: 'v', start: 2, end: 3 },
      { word: '西安', tag: 'ns', start: 3, end: 5 }, { word: '南方厂', tag: 'nt', start: 5, end: 8 }] };
    assert.deepEqual(jiebaEntities('王五去西安南方厂', fake), [
      { start: 0, end: 2, type: 'PER' }, { start: 3, end: 5, type: 'LOC' }, { start: 5, end: 8, type: 'ORG' }]);
  });
});
