// Writes through a symbolic link are resolved before the extension writes (issue 15, case 13).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isInside, realTarget, writeStaysInside } from '../../src/core/realPath';

describe('realPath: where a write really lands', () => {
  let tmp: string, ws: string, outside: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-realpath-')));
    ws = path.join(tmp, 'ws'); outside = path.join(tmp, 'outside');
    fs.mkdirSync(ws); fs.mkdirSync(outside);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a plain file or a missing folder inside the workspace stays inside', () => {
    assert.ok(writeStaysInside(path.join(ws, '.corpus-lens.json'), ws));
    assert.ok(writeStaysInside(path.join(ws, '.corpus-lens', 'dictionary.tsv'), ws));
    assert.equal(realTarget(path.join(ws, 'a', 'b', 'c.txt')), path.join(ws, 'a', 'b', 'c.txt'));
  });

  it('a symlinked .corpus-lens folder pointing outside is outside', () => {
    fs.symlinkSync(outside, path.join(ws, '.corpus-lens'));
    assert.equal(realTarget(path.join(ws, '.corpus-lens', 'dictionary.tsv')), path.join(outside, 'dictionary.tsv'));
    assert.ok(!writeStaysInside(path.join(ws, '.corpus-lens', 'dictionary.tsv'), ws));
  });

  it('a symlinked .corpus-lens.json pointing outside is outside, and so is a dangling one', () => {
    fs.writeFileSync(path.join(outside, 'x.json'), '{}');
    fs.symlinkSync(path.join(outside, 'x.json'), path.join(ws, '.corpus-lens.json'));
    assert.ok(!writeStaysInside(path.join(ws, '.corpus-lens.json'), ws));
    fs.symlinkSync(path.join(outside, 'not-yet.json'), path.join(ws, 'dangling.json'));
    assert.equal(realTarget(path.join(ws, 'dangling.json')), undefined);
    assert.ok(!writeStaysInside(path.join(ws, 'dangling.json'), ws));
  });

  it('a link that stays inside the workspace is fine; a workspace opened through a link resolves too', () => {
    fs.mkdirSync(path.join(ws, 'real'));
    fs.symlinkSync(path.join(ws, 'real'), path.join(ws, '.corpus-lens'));
    assert.ok(writeStaysInside(path.join(ws, '.corpus-lens', 'dictionary.tsv'), ws));
    fs.symlinkSync(ws, path.join(tmp, 'ws-link'));
    assert.ok(writeStaysInside(path.join(tmp, 'ws-link', '.corpus-lens.json'), path.join(tmp, 'ws-link')));
    assert.ok(writeStaysInside(path.join(ws, '.corpus-lens.json'), path.join(tmp, 'ws-link')));
  });

  it('isInside compares whole path segments', () => {
    assert.ok(isInside('/a/b', '/a') && isInside('/a', '/a') && isInside('/a/..b', '/a'));
    assert.ok(!isInside('/ab', '/a') && !isInside('/', '/a') && !isInside('/a/../c', '/a/b'));
  });
});
