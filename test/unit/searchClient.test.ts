// The concordance search's worker thread (dist/search.js, built by npm run build) as SearchRunner drives it: a result
// read from the files (open editors' texts winning), an invalid expression as a message, and a catastrophically
// backtracking expression stopped by terminating the thread at the time limit while the caller's thread stays free.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONTEXT, DEFAULT_LIMITS } from '../../src/core/concordance';
import { SearchJob, SearchRunner, SearchStopped } from '../../src/worker/searchClient';

const WORKER = path.resolve(__dirname, '../../dist/search.js');

describe('concordance search worker (dist/search.js)', function () {
  this.timeout(20_000);
  let dir: string;
  before(function () {
    if (!fs.existsSync(WORKER)) throw new Error('dist/search.js is missing: run npm run build first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-search-'));
    fs.writeFileSync(path.join(dir, 'a.txt'), '\ufeff标题\n\n01.01.2018  08:00\n\n  王小明在北京。王小明说。\n');
    fs.writeFileSync(path.join(dir, 'b.txt'), '标题\n\n02.01.2018  08:00\n\n  ' + 'a'.repeat(40) + '!\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const job = (pattern: string, regex: boolean, texts: Record<string, string> = {}): SearchJob => ({
    query: { pattern, regex, caseSensitive: false }, context: DEFAULT_CONTEXT, limits: DEFAULT_LIMITS, texts, maxBytes: 1 << 20,
    articles: [{ file: path.join(dir, 'a.txt'), dateline: '01.01.2018  08:00', date: '2018-01-01T08:00' }, { file: path.join(dir, 'b.txt'), dateline: null, date: null }],
  });

  it('searches the files (a BOM dropped, as the index reads them) and prefers an open editor\'s text', async () => {
    const runner = new SearchRunner(WORKER);
    const r = await runner.run(job('王小明', false));
    assert.ok(r.ok);
    assert.deepEqual(r.result.lines.map((l) => [path.basename(l.file), l.start, l.left, l.right]), [['a.txt', 25, '', '在北京。'], ['a.txt', 32, '', '说。']]);
    const open = await runner.run(job('王小明', false, { [path.join(dir, 'b.txt')]: '题\n\n  李四和王小明。' }));
    assert.ok(open.ok);
    assert.deepEqual(open.result.lines.map((l) => [path.basename(l.file), l.start, l.left]), [['a.txt', 25, ''], ['a.txt', 32, ''], ['b.txt', 8, '李四和']]);
  });

  it('answers an invalid expression with the message', async () => {
    const r = await new SearchRunner(WORKER).run(job('(', true));
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /^Not a valid regular expression/);
  });

  it('terminates a catastrophically backtracking expression at the time limit', async () => {
    const runner = new SearchRunner(WORKER, 500);
    const started = Date.now();
    let ticks = 0;
    const tick = setInterval(() => ticks++, 20); // the caller's event loop keeps turning meanwhile
    try {
      await assert.rejects(runner.run(job('(a+)+b', true)), (e: unknown) => e instanceof SearchStopped && e.reason === 'timeout');
    } finally { clearInterval(tick); }
    const took = Date.now() - started;
    assert.ok(took >= 500 && took < 5000, `stopped after ${took} ms`);
    assert.ok(ticks >= 10, `the caller's thread ran ${ticks} timer ticks while the search ran`);
  });

  it('a new search stops the one still running', async () => {
    const runner = new SearchRunner(WORKER, 10_000);
    const stuck = assert.rejects(runner.run(job('(a+)+b', true)), (e: unknown) => e instanceof SearchStopped && e.reason === 'cancelled');
    const next = await runner.run(job('王小明', false));
    await stuck;
    assert.ok(next.ok && next.result.total === 2);
  });
});
