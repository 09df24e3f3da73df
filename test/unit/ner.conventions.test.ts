import { strict as assert } from 'node:assert';
import { conventionAlternatives, wordConventions, addLocAlternatives } from '../../scripts/msra-conventions';
import type { Segmenter, Token } from '../../src/core/segment/segmenter';
import type { GoldSentence } from '../../src/core/ner/eval';

/** tokens from a space-separated string (offsets into the text without the spaces) */
function toks(s: string): Token[] {
  const out: Token[] = [];
  let p = 0;
  for (const w of s.split(' ')) { out.push({ word: w, tag: 'x', start: p, end: p + w.length }); p += w.length; }
  return out;
}
const ident = (n: number) => new Map(Array.from({ length: n + 1 }, (_, i) => [i, i] as [number, number]));

describe('training-data convention alternatives (trainer --latent)', () => {
  it('marks one-character abbreviation series untagged in the sentence as S-LOC alternatives', () => {
    const t = toks('双方 发展 中美 关系 和 中 、 葡 友谊 以 此为 准');
    const n = t[t.length - 1].end;
    const alt = conventionAlternatives(t, new Uint8Array(n), ident(n));
    const marked = [...alt!].map((a, i) => (a ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(marked, [4, 5, 9, 11]); // 中 美, 中 、 葡 — not 以 (alone)
    assert.ok(marked.every((i) => alt![i] === 8));
  });

  it('learns word patterns from the MSRA-style sentences and marks them where untagged', () => {
    const seg = { tag: (s: string) => toks(s === '甲访华了' || s === '乙访华' ? (s === '甲访华了' ? '甲 访华 了' : '乙 访华') : s) } as unknown as Segmenter;
    const msra: GoldSentence[] = [
      { text: '甲访华了', spans: [{ start: 2, end: 3, type: 'LOC' }] },
      { text: '乙访华', spans: [{ start: 2, end: 3, type: 'LOC' }] },
    ];
    const table = wordConventions(msra, seg);
    assert.deepEqual([...table.get('访华')!], [0, 8]);
    const t = toks('总统 访华');
    const alt = conventionAlternatives(t, new Uint8Array(4), ident(4), table);
    assert.deepEqual([...alt!], [0, 0, 0, 8]);
    // a word already tagged in the sentence is left alone
    const gold = Uint8Array.from([0, 0, 5, 7]);
    assert.equal(conventionAlternatives(t, gold, ident(4), table), undefined);
  });

  it('adds LOC alternatives over untagged spans only', () => {
    const gold = Uint8Array.from([0, 0, 0, 1, 3, 0]);
    const alt = addLocAlternatives(undefined, gold, [{ start: 0, end: 3 }, { start: 3, end: 5 }, { start: 5, end: 6 }]);
    assert.deepEqual([...alt!], [5, 6, 7, 0, 0, 8]);
  });
});
