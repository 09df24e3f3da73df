import { strict as assert } from 'node:assert';
import { LineIndex, codePointToUtf16Table } from '../../src/core/text';
import { attachOffsets } from '../../src/core/segment/backends';

describe('text offsets', () => {
  it('maps code points to UTF-16 offsets across astral characters', () => {
    const t = codePointToUtf16Table('a𠮷b');
    assert.deepEqual(Array.from(t), [0, 1, 3, 4]);
  });
  it('indexes lines with CRLF, LF and lone CR', () => {
    const li = new LineIndex('ab\r\ncd\ref\ngh');
    assert.deepEqual(li.starts, [0, 4, 7, 10]);
    assert.deepEqual(li.positionAt(5), { line: 1, character: 1 });
    assert.equal(li.lineText(0), 'ab');
    assert.equal(li.lineText(1), 'cd');
    assert.equal(li.lineEnd(3), 12);
    assert.equal(li.offsetAt({ line: 2, character: 1 }), 8);
  });
  it('attaches exact offsets to jieba words, astral and full-width space included', () => {
    const text = '𠮷野家\u3000在北京';
    const toks = attachOffsets(text, [{ word: '𠮷', tag: 'x' }, { word: '野家', tag: 'n' }, { word: '\u3000', tag: 'x' }, { word: '在', tag: 'p' }, { word: '北京', tag: 'ns' }]);
    assert.deepEqual(toks.map((t) => [t.start, t.end]), [[0, 2], [2, 4], [4, 5], [5, 6], [6, 8]]);
    for (const t of toks) assert.equal(text.slice(t.start, t.end), t.word);
  });
});
