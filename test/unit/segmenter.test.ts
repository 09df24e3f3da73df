import { strict as assert } from 'node:assert';
import { loadSegmenter } from '../../src/core/segment/backends';

const TEXT = '𠮷田说：\u3000省委书记周国平率团赴晋北市考察。\r\n😀';

describe('segmenters', function () {
  this.timeout(30000);
  for (const backend of ['nodejieba', 'jieba-wasm'] as const) {
    it(`${backend}: words cover the text with exact UTF-16 offsets (astral, full-width space, CRLF, emoji)`, () => {
      const { segmenter, fallbackReason } = loadSegmenter(backend);
      assert.equal(segmenter.backend, backend);
      assert.equal(fallbackReason, undefined);
      const toks = segmenter.tag(TEXT);
      let pos = 0;
      for (const t of toks) {
        assert.equal(TEXT.slice(t.start, t.end), t.word);
        assert.ok(t.start >= pos, 'in order, no overlap');
        pos = t.end;
      }
      assert.equal(toks.map((t) => t.word).join(''), TEXT);
      assert.ok(toks.some((t) => t.word === '省委书记'));
      assert.ok(toks.some((t) => t.word === '𠮷'));
    });
  }

  it('falls back to jieba-wasm, and says why, when nodejieba cannot load', () => {
    const failing = ((id: string) => {
      if (id === 'nodejieba') throw new Error('Cannot find module \'../build/Release/nodejieba.node\'\nRequire stack: …');
      return require(id);
    }) as NodeRequire;
    const { segmenter, fallbackReason } = loadSegmenter('nodejieba', failing);
    assert.equal(segmenter.backend, 'jieba-wasm');
    assert.equal(fallbackReason, "nodejieba could not load (Cannot find module '../build/Release/nodejieba.node'); using jieba-wasm instead");
    assert.ok(segmenter.tag('晋北市').length > 0);
  });
});
