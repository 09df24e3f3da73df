// Names that are not UTF-8 (core/files decodeFileName / fsPath): each invalid byte kept as a lone surrogate, and the
// bytes given back exactly, whatever the name.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { decodeFileName, fsPath } from '../../src/core/files';

describe('core/files: file names as bytes', () => {
  it('any bytes decode to a string that gives the same bytes back; valid UTF-8 is decoded as such', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      const name = decodeFileName(bytes);
      const back = fsPath(name);
      assert.deepEqual(Buffer.from(typeof back === 'string' ? Buffer.from(back, 'utf8') : back), Buffer.from(bytes));
    }), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => decodeFileName(Buffer.from(s, 'utf8')) === s && fsPath(s) === s));
  });

  it('escapes exactly the invalid bytes', () => {
    assert.equal(decodeFileName(Buffer.from([0x61, 0xff, 0xe6, 0x96, 0x87, 0xc0, 0xaf, 0xed, 0xa0, 0x80])), 'a\udcff文\udcc0\udcaf\udced\udca0\udc80');
  });
});
