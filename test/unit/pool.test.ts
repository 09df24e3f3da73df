import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyseInPool } from '../../src/cli/pool';
import { MessageBundle, useMessages } from '../../src/core/messages';

// A stand-in for dist/worker.js whose every batch is a busy stretch (as a call into nodejieba is) and which logs
// when each batch starts and ends: a worker ended in the middle of one leaves a start without an end. (The real
// worker, ended inside nodejieba, aborts the whole process.)
const FAKE_WORKER = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const log = require('node:path').join(__dirname, 'batches.log');
parentPort.on('message', (m) => {
  if (m.method === 'init') { parentPort.postMessage({ kind: 'result', id: m.id, result: { backend: 'nodejieba', loadMs: { segmenter: 0, model: 0 }, memoryMB: 0 } }); return; }
  if (m.method !== 'analyseFiles') return;
  fs.appendFileSync(log, 'start\\n');
  const until = Date.now() + 150;
  while (Date.now() < until) { /* busy */ }
  const results = m.params.files.map((file) => ({ file, analysis: { path: file, title: null, dateline: null, date: null, entities: [] } }));
  parentPort.postMessage({ kind: 'progress', id: m.id, progress: { done: m.params.files.length, total: m.params.files.length, results } });
  fs.appendFileSync(log, 'end\\n');
  parentPort.postMessage({ kind: 'result', id: m.id, result: { total: m.params.files.length } });
});
`;

describe('extract --jobs pool', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-pool-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a failure (a full disk) ends the run only when every worker has finished the batches it had', async () => {
    const workerFile = path.join(dir, 'fake-worker.js');
    fs.writeFileSync(workerFile, FAKE_WORKER);
    const files: string[] = [];
    // (enough that this thread, whose articles are tiny, is still at work when the worker starts)
    for (let i = 0; i < 3000; i++) { const f = path.join(dir, `a${i}.txt`); fs.writeFileSync(f, '标题\n\n17.10.2018  06:24\n\n  正文。\n'); files.push(f); }
    let delivered = 0;
    await assert.rejects(analyseInPool(files, {
      jobs: 2, backend: 'jieba-wasm', dictionary: {}, maxBytes: 1 << 20, workerFile, batch: 16,
      // the first result from the worker (the worker's come without the text) cannot be written
      onResult: (_r, text) => { delivered++; if (text === undefined) throw new Error('ENOSPC: no space left on device'); },
    }), /ENOSPC/);
    const log = fs.readFileSync(path.join(dir, 'batches.log'), 'utf8').trim().split('\n');
    const starts = log.filter((l) => l === 'start').length;
    assert.ok(starts >= 1);
    assert.equal(log.filter((l) => l === 'end').length, starts, log.join(' '));
    assert.ok(starts < 25 && delivered < 3000, `${starts} batches, ${delivered} results: the run stopped taking work`);
  });

  it('gives each worker the messages\' language of the CLI (LANG=zh_CN.UTF-8: its unreadable files are told in Chinese too)', async () => {
    const workerFile = path.join(dir, 'init-worker.js');
    // a worker that keeps the bundle its init brought and answers each batch with nothing
    fs.writeFileSync(workerFile, `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.method === 'init') { require('node:fs').writeFileSync(require('node:path').join(__dirname, 'init.json'), JSON.stringify(m.params.messages ?? null)); parentPort.postMessage({ kind: 'result', id: m.id, result: {} }); return; }
  if (m.method === 'analyseFiles') parentPort.postMessage({ kind: 'result', id: m.id, result: { total: 0 } });
});`);
    const zh: MessageBundle = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../l10n/bundle.l10n.zh-cn.json'), 'utf8'));
    const run = () => analyseInPool([], { jobs: 2, backend: 'jieba-wasm', dictionary: {}, maxBytes: 1 << 20, workerFile, onResult: () => undefined })
      .then(() => JSON.parse(fs.readFileSync(path.join(dir, 'init.json'), 'utf8')));
    useMessages(zh);
    try {
      assert.deepEqual(await run(), zh);
    } finally { useMessages(undefined); }
    assert.equal(await run(), null);
  });
});
