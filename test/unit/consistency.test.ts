import { strict as assert } from 'node:assert';
import { consistencyFindings, consistencyScan, corpusNames } from '../../src/core/consistency';

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
});
