import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { containsCorpusFile, listCorpus } from '../../src/core/corpusListing';

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

describe('whether a workspace is a corpus: a .corpus file below it (core/corpusListing containsCorpusFile)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-marker-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const put = (rel: string, text = '') => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };

  it('finds one deep down, or through a link to a folder; not in hidden folders, node_modules or among .txt files', async () => {
    put('a/notes.txt'); put('.hidden/x.corpus'); put('node_modules/pkg/y.corpus'); put('b/.z.corpus');
    assert.equal(await containsCorpusFile([dir]), false);
    put('outside/deep/er/article.CORPUS');
    assert.equal(await containsCorpusFile([dir]), true);
    assert.equal(await containsCorpusFile([path.join(dir, 'a'), path.join(dir, 'b')]), false);
    fs.symlinkSync(path.join(dir, 'outside'), path.join(dir, 'a', 'linked'));
    assert.equal(await containsCorpusFile([path.join(dir, 'a')]), true);
    assert.equal(await containsCorpusFile([path.join(dir, 'missing')]), false);
  });

  it('ends in a link loop, and a named pipe or a folder called x.corpus is no corpus file', async function () {
    fs.mkdirSync(path.join(dir, 'loop'));
    fs.symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop', 'again'));
    fs.mkdirSync(path.join(dir, 'folder.corpus'));
    fs.symlinkSync(path.join(dir, 'nothing'), path.join(dir, 'dangling.corpus'));
    if (process.platform !== 'win32') execFileSync('mkfifo', [path.join(dir, 'pipe.corpus')]);
    assert.equal(await containsCorpusFile([dir]), false);
    fs.symlinkSync(path.join(dir, 'real.txt'), path.join(dir, 'link.corpus'));
    put('real.txt');
    assert.equal(await containsCorpusFile([dir]), true, 'a link to a regular file counts');
  });

  it('gives up after maxEntries entries, and never holds the event loop for a whole folder', async () => {
    for (let i = 0; i < 3000; i++) put(`big/${String(i).padStart(4, '0')}.txt`);
    put('big/sub/last.corpus'); // (breadth first: after the 3,000 files beside its folder)
    assert.equal(await containsCorpusFile([dir], { maxEntries: 100 }), false);
    let turns = 0;
    let on = true;
    const tick = () => { turns++; if (on) setImmediate(tick); };
    setImmediate(tick);
    assert.equal(await containsCorpusFile([dir]), true);
    on = false;
    // (3,003 entries, handed over 64 at a time: the event loop turned between the batches)
    assert.ok(turns >= 3000 / 64 / 2, `the event loop turned ${turns} times during the walk`);
  });
});
