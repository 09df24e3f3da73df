import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CorpusIndex } from '../../src/core/corpusIndex';
import { WorkerConnection } from '../../src/worker/client';
import { WorkerCorpusQueries } from '../../src/worker/indexClient';
import type { FileResult } from '../../src/worker/protocol';
import { availableParallelism } from 'node:os';
import { HELPER_AFTER_ARTICLES, HELPER_MIN_FILES } from '../../src/worker/helper';
import { openDatabase } from '../../src/core/store/sqlite';
import { answers, generateArticle, oracle } from './store-fixtures';

const WORKER = path.resolve(__dirname, '../../dist/worker.js');
const SAMPLE = path.resolve(__dirname, '../../sample/corpus');
const FP = 'test-fingerprint';
const MAX = 1 << 22;

function start() {
  const w = new Worker(WORKER);
  const c = new WorkerConnection(w);
  return { w, c, q: new WorkerCorpusQueries((m, p) => c.request(m, p)) };
}

/** analyseFiles into the index: every file's result (without analyses) and the number of articles analysed. */
async function index(c: WorkerConnection, files: string[], opts: { force?: boolean } = {}) {
  const results: FileResult[] = [];
  const { analysed } = await c.request('analyseFiles', { files, maxBytes: MAX, index: true, ...opts }, { onProgress: (p) => results.push(...p.results) });
  return { results, analysed };
}

describe('the worker owns the index database (dist/worker.js)', function () {
  this.timeout(120000);
  let dir: string;
  let files: string[];
  before(function () { if (!fs.existsSync(WORKER)) throw new Error('dist/worker.js is missing: run npm run build first'); });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-windex-'));
    fs.mkdirSync(path.join(dir, 'corpus'));
    files = fs.readdirSync(SAMPLE).filter((f) => /\.(txt|corpus)$/.test(f)).sort().map((f) => {
      fs.copyFileSync(path.join(SAMPLE, f), path.join(dir, 'corpus', f));
      return path.join(dir, 'corpus', f);
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('indexes articles itself, sends no analyses, and answers every question as CorpusIndex over the same analyses', async () => {
    const db = path.join(dir, 'storage', 'index.db');
    fs.mkdirSync(path.dirname(db));
    const { w, c, q } = start();
    try {
      const opened = await c.request('openIndex', { dbPath: db, fingerprint: FP, maxBytes: MAX });
      assert.match(opened.message, /SQLite on node-sqlite3-wasm, 0 articles/);
      await c.request('init', { backend: 'jieba-wasm', dictionary: {} });
      const run = await index(c, files);
      assert.equal(run.analysed, files.length);
      assert.equal(run.results.filter((r) => r.analysis).length, 0, 'no analysis crosses to the host');
      assert.deepEqual(run.results.map((r) => [r.file, r.unchanged, typeof r.hash]), files.map((f) => [f, undefined, 'string']));
      // the oracle: the same worker's analyses of the same files, the old way (into a CorpusIndex on this side)
      const plain = new CorpusIndex();
      await c.request('analyseFiles', { files, maxBytes: MAX, known: {} }, { onProgress: (p) => { for (const r of p.results) if (r.analysis) plain.set(r.file, r.hash!, r.analysis); } });
      const probe = [generateArticle(dir, 1, 9)];
      const expected = await answers(oracle(plain), probe);
      assert.deepEqual(await answers(q, probe), expected);
      assert.ok(expected.totals.entities > 20, `a corpus with entities (${expected.totals.entities})`);
    } finally { await w.terminate(); }
  });

  it('reopened, it answers without analysing anything; unchanged files are not analysed again (stat, then hash)', async () => {
    const db = path.join(dir, 'index.db');
    const first = start();
    let before;
    try {
      await first.c.request('openIndex', { dbPath: db, fingerprint: FP });
      await first.c.request('init', { backend: 'jieba-wasm', dictionary: {} });
      await index(first.c, files);
      before = await answers(first.q, []);
      // ended as the extension ends it (the worker closes the database, then exits)
      const exited = new Promise((r) => first.w.once('exit', r));
      first.w.postMessage({ method: 'shutdown' });
      assert.equal(await exited, 0);
    } finally { await first.w.terminate(); }
    // a new worker that never loads a recogniser (no init): every answer comes from the database
    const second = start();
    try {
      const opened = await second.c.request('openIndex', { dbPath: db, fingerprint: FP });
      assert.equal(opened.articles, files.length);
      assert.equal(opened.rebuilt, undefined);
      assert.deepEqual(await answers(second.q, []), before);
      await second.c.request('init', { backend: 'jieba-wasm', dictionary: {} });
      const again = await index(second.c, files);
      assert.equal(again.analysed, 0);
      assert.ok(again.results.every((r) => r.unchanged), 'every file unchanged');
      // touched (same text, new mtime): read and hashed, unchanged; edited: analysed again
      fs.utimesSync(files[0], new Date(), new Date(Date.now() + 5000));
      fs.appendFileSync(files[1], '  晋北市新闻。\n');
      const third = await index(second.c, files);
      assert.equal(third.analysed, 1);
      assert.deepEqual(third.results.filter((r) => !r.unchanged).map((r) => r.file), [files[1]]);
      assert.equal((await index(second.c, files)).analysed, 0, 'the touched file\'s new stat was recorded');
    } finally { await second.w.terminate(); }
  });

  /** a worker with the index open in the test's folder and the sample's files indexed */
  async function startIndexed() {
    const started = start();
    try {
      await started.c.request('openIndex', { dbPath: path.join(dir, 'index.db'), fingerprint: FP });
      await started.c.request('init', { backend: 'jieba-wasm', dictionary: {} });
      await index(started.c, files);
      return started;
    } catch (e) { await started.w.terminate(); throw e; }
  }

  it('a full pass\'s listing stays in the worker: the index keeps to it, the run takes it in path order, once', async () => {
    const { w, c, q } = await startIndexed();
    try {
      fs.rmSync(files[3]);
      const roots = [{ root: path.join(dir, 'corpus'), base: dir, exclude: ['**/*.corpus'] }];
      const listing = await c.request('indexListing', { roots });
      const listed = files.filter((f, i) => i !== 3 && f.endsWith('.txt'));
      const left = files.filter((f, i) => i === 3 || !f.endsWith('.txt'));
      assert.deepEqual({ ...listing, gone: [...listing.gone].sort() }, { listing: listing.listing, count: listed.length, gone: left, skipped: [], skippedCount: 0, refused: [] });
      assert.deepEqual((await q.articles()).map((a) => a.file), listed.filter((f) => !left.includes(f)).sort());
      // the run names the listing and sends no files; its results come in path order
      const results: FileResult[] = [];
      await c.request('analyseFiles', { files: [], listing: listing.listing, maxBytes: MAX, index: true }, { onProgress: (p) => results.push(...p.results) });
      assert.deepEqual(results.map((r) => r.file), [...listed].sort());
      // taken once; a listing replaced by a newer one is refused (its pass was cancelled)
      await assert.rejects(c.request('analyseFiles', { files: [], listing: listing.listing, maxBytes: MAX, index: true }), /listing \d+ is gone/);
      const older = await c.request('indexListing', { roots });
      const newer = await c.request('indexListing', { roots });
      assert.deepEqual([older.gone, newer.gone, newer.count], [[], [], listed.length]);
      await assert.rejects(c.request('analyseFiles', { files: [], listing: older.listing, maxBytes: MAX, index: true }), /listing \d+ is gone/);
    } finally { await w.terminate(); }
  });

  it('follows deletes, renames and the corpus as listed; an open editor\'s text goes in as hash "editor"; search finds substrings', async () => {
    const { w, c, q } = await startIndexed();
    try {
      const renamed = path.join(dir, 'corpus', '900_moved.txt');
      fs.renameSync(files[2], renamed);
      await c.request('indexRename', { from: files[2], to: renamed });
      fs.rmSync(files[3]);
      const run = await index(c, [...files.slice(0, 2), ...files.slice(3)]);
      assert.match(run.results.find((r) => r.file === files[3])!.error!, /ENOENT/);
      assert.equal(await c.request('indexRetain', { files: [...files.slice(0, 2), renamed, ...files.slice(5)] }), 1);
      assert.deepEqual((await q.articles()).map((a) => a.file), [...files.slice(0, 2), ...files.slice(5), renamed].sort());
      const text = `${fs.readFileSync(files[0], 'utf8')}\n  周国平在晋北市。\n`;
      await c.request('analyse', { path: 'relative/as/the/editor/says.txt', text, indexAs: files[0] });
      assert.equal((await q.articles()).find((a) => a.file === files[0])?.hash, 'editor');
      assert.equal((await q.analysis(files[0]))!.path, files[0]);
      assert.ok((await q.analysis(files[0]))!.entities.some((e) => e.name === '周国平'));
      const found = await c.request('searchIndex', { query: '周国平在晋北市', texts: { [files[0]]: text } });
      assert.deepEqual(found.hits, [{ file: files[0], offsets: [text.indexOf('周国平在晋北市')] }]);
      assert.equal(found.method, 'fts');
      // a batch (a save elsewhere, a re-check) leaves the editor's text, even forced; the editor closed, the file is read
      const again = await index(c, [files[0]], { force: true });
      assert.deepEqual(again.results.map((r) => [r.hash, r.unchanged]), [['editor', true]]);
      assert.ok((await q.analysis(files[0]))!.entities.some((e) => e.name === '周国平'));
      await c.request('indexRelease', { files: [files[0]] });
      const fromDisk = await index(c, [files[0]]);
      assert.equal(fromDisk.analysed, 1);
      assert.notEqual((await q.articles()).find((a) => a.file === files[0])?.hash, 'editor');
      assert.ok(!(await q.analysis(files[0]))!.entities.some((e) => e.name === '周国平'));
      // unchanged files are analysed again when forced; a fingerprint adopted opens the same database without a rebuild
      assert.equal((await index(c, files.slice(0, 2))).analysed, 0);
      assert.equal((await index(c, files.slice(0, 2), { force: true })).analysed, 2);
      await c.request('indexAdopt', { fingerprint: 'after a dictionary change' });
      const articles = (await q.totals()).articles;
      await c.request('openIndex', { dbPath: path.join(dir, 'other.db'), fingerprint: FP });
      assert.equal((await q.totals()).articles, 0);
      const reopened = await c.request('openIndex', { dbPath: path.join(dir, 'index.db'), fingerprint: 'after a dictionary change' });
      assert.equal(reopened.rebuilt, undefined);
      assert.equal(reopened.articles, articles);
      assert.doesNotMatch(reopened.message, /open already/);
    } finally { await w.terminate(); }
  });

  it('a long run leaves an editor\'s text in place when the editor opens on a file the run has read but not yet put', async () => {
    const n = HELPER_MIN_FILES + HELPER_AFTER_ARTICLES + 100;
    const big = Array.from({ length: n }, (_, i) => generateArticle(path.join(dir, 'big'), i, 9));
    for (const g of big) { fs.mkdirSync(path.dirname(g.file), { recursive: true }); fs.writeFileSync(g.file, g.text); }
    const all = big.map((g) => g.file).sort();
    const { w, c, q } = start();
    try {
      await c.request('openIndex', { dbPath: path.join(dir, 'index.db'), fingerprint: FP });
      await c.request('init', { backend: 'jieba-wasm', dictionary: {} });
      // at the first progress, the first file the host has not heard of: the worker, one thread, reads and analyses
      // its group before it reads this request, and puts the group with the next ones, at its next progress
      let target: string | undefined;
      let opened: Promise<unknown> | undefined;
      const text = `${fs.readFileSync(all[0], 'utf8')}\n  周国平在晋北市。\n`;
      const heard: string[] = [];
      await c.request('analyseFiles', { files: all, maxBytes: MAX, index: true, helper: false }, {
        onProgress: (p) => {
          heard.push(...p.results.map((r) => r.file));
          if (target) return;
          target = all[heard.length];
          opened = c.request('analyse', { path: 'as/the/editor/says.txt', text, indexAs: target });
        },
      });
      await opened;
      assert.ok(target && heard.includes(target), `${target} reported`);
      assert.equal((await q.articles()).find((a) => a.file === target)?.hash, 'editor');
      assert.ok((await q.analysis(target))!.entities.some((e) => e.name === '周国平'));
    } finally { await w.terminate(); }
  });

  it('a long run analyses with a helper thread beside it: the same results, progress and answers as one thread alone', async () => {
    const n = HELPER_MIN_FILES + HELPER_AFTER_ARTICLES + 60;
    const big = Array.from({ length: n }, (_, i) => generateArticle(path.join(dir, 'big'), i, 5));
    for (const g of big) { fs.mkdirSync(path.dirname(g.file), { recursive: true }); fs.writeFileSync(g.file, g.text); }
    const all = big.map((g) => g.file).sort();
    const probe = [generateArticle(path.join(dir, 'big'), 7, 5)];
    const runs = [];
    for (const helper of [true, false]) {
      const { w, c, q } = start();
      try {
        await c.request('openIndex', { dbPath: path.join(dir, `index-${helper}.db`), fingerprint: FP });
        await c.request('init', { backend: 'jieba-wasm', dictionary: {} });
        const results: FileResult[] = [];
        const done: number[] = [];
        // at each progress, the articles the host has heard of so far and (asked then, answered between two groups)
        // the articles the database holds: a long run puts several groups in one transaction, never after the host hears of them
        const stored: Promise<[number, number]>[] = [];
        const r = await c.request('analyseFiles', { files: all, maxBytes: MAX, index: true, helper }, {
          onProgress: (p) => {
            results.push(...p.results);
            done.push(p.done);
            const heard = results.filter((x) => x.hash).length;
            stored.push(q.totals().then((t) => [heard, t.articles]));
          },
        });
        const held = await Promise.all(stored);
        assert.ok(held.length > 10, `progress events: ${held.length}`);
        for (const [heard, inDb] of held) assert.ok(inDb >= heard, `the host had heard of ${heard} articles, the database held ${inDb}`);
        runs.push({ r, results: results.map((x) => [x.file, x.hash, x.unchanged ?? false]), answers: await answers(q, probe), done });
        const exited = new Promise((res) => w.once('exit', res));
        w.postMessage({ method: 'shutdown' });
        assert.equal(await exited, 0);
      } finally { await w.terminate(); }
    }
    const [two, one] = runs;
    assert.equal(one.r.byHelper, undefined);
    // the bench's figures: the idle time of both threads, with a helper only
    assert.equal(one.r.idleMs, undefined);
    if (availableParallelism() >= 2) assert.ok(two.r.idleMs && two.r.idleMs.worker >= 0 && two.r.idleMs.helper >= 0, JSON.stringify(two.r.idleMs));
    assert.equal(two.r.analysed, one.r.analysed);
    assert.ok(one.r.analysed! > HELPER_MIN_FILES * 0.8, `articles analysed: ${one.r.analysed}`);
    if (availableParallelism() >= 2) assert.ok(two.r.byHelper! > 0 && two.r.byHelper! < two.r.analysed!, `the helper analysed ${two.r.byHelper} of ${two.r.analysed}`);
    else assert.equal(two.r.byHelper, undefined, 'one core: no helper');
    assert.equal(two.r.helperLeft, undefined);
    // the results come in the order of the files, with progress that only grows and ends at the whole
    assert.deepEqual(two.results, one.results);
    assert.deepEqual(two.results.map((x) => x[0]), all);
    assert.ok(two.done.every((d, k) => k === 0 || d >= two.done[k - 1]) && two.done.at(-1) === n, two.done.join(' '));
    assert.deepEqual(two.answers, one.answers);
    // the index the run kept aside (CorpusStore.beginBulk) was built again at its end
    for (const helper of [true, false]) {
      const db = openDatabase(path.join(dir, `index-${helper}.db`));
      try { assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE name = 'occurrences_low'").all().map((r) => r.name), ['occurrences_low']); } finally { db.close(); }
    }
  });

  it('asked to shut down in the middle of a run with a helper, it waits for the helper and exits cleanly', async () => {
    const n = HELPER_MIN_FILES + HELPER_AFTER_ARTICLES + 200;
    const files = Array.from({ length: n }, (_, i) => {
      const g = generateArticle(path.join(dir, 'big'), i, 6);
      fs.mkdirSync(path.dirname(g.file), { recursive: true });
      fs.writeFileSync(g.file, g.text);
      return g.file;
    });
    const { w, c } = start();
    try {
      await c.request('openIndex', { dbPath: path.join(dir, 'index.db'), fingerprint: FP });
      await c.request('init', { backend: 'jieba-wasm', dictionary: {} });
      const exited = new Promise((res) => w.once('exit', res));
      let asked = false;
      const run = c.request('analyseFiles', { files, maxBytes: MAX, index: true }, {
        onProgress: (p) => { if (!asked && p.done > HELPER_AFTER_ARTICLES + 300) { asked = true; w.postMessage({ method: 'shutdown' }); } },
      }).then(() => 'finished', (e: Error) => e.message);
      assert.equal(await exited, 0);
      assert.ok(asked);
      assert.match(await run, /stopped|finished/);
    } finally { await w.terminate(); }
  });
});
