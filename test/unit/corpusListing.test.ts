import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listCorpus } from '../../src/core/corpusListing';

describe('listing the corpus in the worker (core/corpusListing)', () => {
  let dir: string;
  const put = (rel: string) => { const f = path.join(dir, rel); fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, 'x'); return f; };
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-list-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists .txt and .corpus files under each root, leaving out hidden folders, node_modules and other extensions', () => {
    const a = put('a.txt'), b = put('sub/b.corpus');
    put('notes.md'); put('.corpus-lens/not-entities.txt'); put('node_modules/x/y.txt'); put('.git/z.txt');
    assert.deepEqual(listCorpus([{ root: dir, base: dir, exclude: [] }]), { files: [a, b], skipped: [], refused: [] });
  });

  it('leaves out what an exclude glob names: a file, or a folder and all that is in it, relative to the workspace folder', () => {
    const keep = put('2018/a.txt');
    put('archive/old.txt'); put('2018/drafts/b.txt'); put('2018/c.tmp.txt');
    const root = { root: dir, base: dir, exclude: ['archive', '**/drafts', '**/*.tmp.txt'] };
    assert.deepEqual(listCorpus([root]).files, [keep]);
    // a folder of the workspace walked alone: the globs still read from the workspace folder
    assert.deepEqual(listCorpus([{ ...root, root: path.join(dir, '2018') }]).files, [keep]);
    // relative to 2018/ itself, "archive" names nothing there and **/drafts still names drafts/
    assert.deepEqual(listCorpus([{ root: path.join(dir, '2018'), base: path.join(dir, '2018'), exclude: ['2018', '**/drafts'] }]).files, [keep, path.join(dir, '2018/c.tmp.txt')]);
  });

  it('says which globs it refused and what the walk skipped (a named pipe), and lists the rest', function () {
    const a = put('a.txt');
    try { execFileSync('mkfifo', [path.join(dir, 'pipe.txt')]); } catch { this.skip(); }
    const r = listCorpus([{ root: dir, base: dir, exclude: ['@(a|b).txt'] }]);
    assert.deepEqual(r.files, [a]);
    assert.equal(r.refused.length, 1);
    assert.match(r.refused[0], /extended globs/);
    assert.equal(r.skipped.length, 1);
    assert.match(r.skipped[0], /pipe\.txt: not a regular file/);
  });
});
