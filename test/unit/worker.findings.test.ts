import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchProgress, CheckParams, FileResult } from '../../src/worker/protocol';
import { WorkerConnection } from '../../src/worker/client';
import { checkArticle } from '../../src/core/rules';

// Fictional names only. The dateline is written year first with one space: dateline-format and dateline-separator.
const ARTICLE = '晋北市召开座谈会\n\n2018-10-17 06:24\n\n  市委书记周国平在晋北市主持会议。\n';
const WORKER = path.resolve(__dirname, '../../dist/worker.js');
const [format, separator] = checkArticle(ARTICLE);

describe('analysis worker: the corpus rules\' findings in the index\'s file results', function () {
  this.timeout(60000);
  let dir: string, a: string, b: string, w: Worker, connection: WorkerConnection;
  before(async () => {
    if (!fs.existsSync(WORKER)) throw new Error('dist/worker.js is missing: run npm run build first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-findings-'));
    a = path.join(dir, 'a.txt');
    b = path.join(dir, 'sub', 'b.txt');
    fs.mkdirSync(path.dirname(b));
    fs.writeFileSync(a, ARTICLE);
    fs.writeFileSync(b, ARTICLE);
    // the folder's config switches dateline-format off for b.txt
    fs.writeFileSync(path.join(dir, 'sub', '.corpus-lens.json'), JSON.stringify({ rules: { 'dateline-format': 'off' } }));
    w = new Worker(WORKER);
    connection = new WorkerConnection(w);
    await connection.request('init', { backend: 'jieba-wasm', dictionary: {} });
  });
  after(async () => { await w.terminate(); fs.rmSync(dir, { recursive: true, force: true }); });

  async function results(params: { known?: Record<string, string>; check?: CheckParams }): Promise<Map<string, FileResult>> {
    const progress: BatchProgress[] = [];
    await connection.request('analyseFiles', { files: [a, b], maxBytes: 1 << 20, known: params.known ?? {}, check: params.check }, { onProgress: (p) => progress.push(p) });
    return new Map(progress.flatMap((p) => p.results).map((r) => [path.relative(dir, r.file), r]));
  }
  const compact = (f: typeof format) => ({ code: f.code, severity: f.severity, message: f.message });

  it('checks every article it reads with its folder\'s rule options, ranges in lines and characters', async () => {
    assert.deepEqual([format.code, separator.code], ['dateline-format', 'dateline-separator']);
    const r = await results({ check: { options: {}, folders: [{ root: dir, options: {} }], configFiles: true } });
    assert.deepEqual(r.get('a.txt')!.findings, [{ ...compact(format), range: [2, 0, 2, 10] }, { ...compact(separator), range: [2, 10, 2, 11] }]);
    assert.deepEqual(r.get(path.join('sub', 'b.txt'))!.findings, [{ ...compact(separator), range: [2, 10, 2, 11] }]);
    assert.ok(r.get('a.txt')!.analysis, 'the article is analysed as before');
  });

  it('checks unchanged files too (their hash is known, they are not analysed again)', async () => {
    const first = await results({});
    assert.equal(first.get('a.txt')!.findings, undefined, 'no check asked for: no findings');
    const known = Object.fromEntries([...first.values()].map((r) => [r.file, r.hash!]));
    const r = await results({ known, check: { options: { severities: { 'dateline-separator': 'warning' } }, folders: [], configFiles: true } });
    const ra = r.get('a.txt')!;
    assert.equal(ra.unchanged, true);
    assert.equal(ra.analysis, undefined);
    assert.deepEqual(ra.findings, [{ ...compact(format), range: [2, 0, 2, 10] }, { ...compact(separator), severity: 'warning', range: [2, 10, 2, 11] }]);
  });

  it('reads no .corpus-lens.json in Restricted Mode (configFiles false), and takes the settings of the folder that holds the file', async () => {
    const r = await results({ check: { options: {}, folders: [{ root: dir, options: {} }, { root: path.join(dir, 'sub'), options: { severities: { 'dateline-separator': 'off' } } }], configFiles: false } });
    assert.deepEqual(r.get('a.txt')!.findings!.map((f) => f.code), ['dateline-format', 'dateline-separator']);
    assert.deepEqual(r.get(path.join('sub', 'b.txt'))!.findings!.map((f) => f.code), ['dateline-format']);
  });
});
