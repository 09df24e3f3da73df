/**
 * `--jobs N`: analyses files in this thread and N-1 worker threads (the same dist/worker.js the extension
 * uses), each with its own segmenter; the model is loaded once here into shared memory and read by all of
 * them. Files are dealt out in batches (core/analysis BATCH, analysed together) so the workers stay busy; this
 * thread takes a batch at a time between the workers' messages. (N workers beside a mostly idle main thread put
 * three threads on two cores, and every result crossed between threads.) With N = 1 this thread alone does the
 * work.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DictionarySource } from '../core/engine';
import type { SegmenterBackend } from '../core/segment/segmenter';
import type { BatchProgress, FileResult, InitResult } from '../worker/protocol';
import { WorkerConnection } from '../worker/client';
import { loadModel, Model, shareModel, SharedModel } from '../core/ner/model';
import { analyseArticles, BATCH, fillBatch } from '../core/analysis';
import { createEngine } from '../core/engine';
import { readCorpusFile } from '../core/files';
import { messagesInUse } from '../core/messages';

/**
 * `--jobs` when it is not given. A thread beyond the first is a worker that loads its own nodejieba (about 3 s of CPU
 * and 225 MB) before its first article, while the first thread loads its own: below AUTO_JOBS_MIN_FILES articles
 * the second thread did not pay for its load on this project's 2-core machine (bench/RESULTS.md, "--jobs by
 * itself"). From there on, a thread a core, at most AUTO_JOBS_MAX (each holds its own segmenter).
 */
export const AUTO_JOBS_MIN_FILES = 1000;
export const AUTO_JOBS_MAX = 4;
export function autoJobs(files: number, cores = os.availableParallelism()): number {
  return files < AUTO_JOBS_MIN_FILES ? 1 : Math.max(1, Math.min(cores, AUTO_JOBS_MAX));
}

/**
 * Results reach `onResult` in the order of `files` (whatever order the workers finish in), one at a time, so
 * that the caller can write each and let it go: only the results that arrived ahead of their turn are held.
 * A result analysed in this thread comes with the text it was read from (`text`); the workers' come without.
 */
export async function analyseInPool(files: string[], opts: { jobs: number; backend: SegmenterBackend; dictionary: DictionarySource; maxBytes: number; workerFile?: string; batch?: number; modelPath?: string; onResult: (r: FileResult, text?: string) => void; /** checked before each batch: true ends the run early (results so far are delivered) */ stop?: () => boolean }): Promise<{ init: InitResult[] }> {
  const workerCount = Math.max(0, opts.jobs - 1);
  // beside the bundled CLI in dist/; from sources (tests), the built dist/worker.js
  const workerFile = workerCount === 0 ? undefined : opts.workerFile ?? [path.join(__dirname, 'worker.js'), path.resolve(__dirname, '../../dist/worker.js')].find((f) => fs.existsSync(f));
  if (workerCount > 0 && !workerFile) throw new Error('dist/worker.js not found: run npm run build');
  // small batches for small runs, so that every worker gets a share (each keeps two in flight)
  const batch = opts.batch ?? Math.min(BATCH.articles, Math.max(1, Math.ceil(files.length / (Math.max(1, opts.jobs) * 4))));
  // in order: positions of each path (a path given twice is analysed twice), results ahead of their turn
  const positions = new Map<string, number[]>();
  files.forEach((f, i) => { const p = positions.get(f); if (p) p.push(i); else positions.set(f, [i]); });
  const ahead = new Map<number, { r: FileResult; text?: string }>();
  let turn = 0;
  const arrived = (r: FileResult, text?: string) => {
    const i = positions.get(r.file)?.shift();
    if (i === undefined) return;
    ahead.set(i, { r, text });
    for (let x = ahead.get(turn); x; x = ahead.get(turn)) { ahead.delete(turn); turn++; opts.onResult(x.r, x.text); }
  };
  let next = 0;
  const init: InitResult[] = [];
  // The first failure (or opts.stop) ends the run gracefully: no thread takes more work, each worker finishes the
  // batches it has and is ended only then. A worker ended while it is inside nodejieba aborts the whole process
  // ("terminate called after throwing an instance of 'Napi::Error'"): nodejieba's C++ throws when the thread is
  // stopped under it.
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => { failure ??= { error }; };
  const stopping = () => failure !== undefined || !!opts.stop?.();
  const runWorker = (w: Worker, sharedModel: SharedModel) => new Promise<void>((resolve, reject) => {
    const connection = new WorkerConnection(w);
    // (a failure of the caller's onResult, such as a full disk, ends the run instead of escaping the listener)
    const onProgress = (p: BatchProgress) => { if (!failure) try { for (const r of p.results) arrived(r); } catch (e) { fail(e); } };
    w.on('error', (e) => { fail(e); reject(e); }); // (the worker is gone)
    (async () => {
      const info = await connection.request('init', { backend: opts.backend, dictionary: opts.dictionary, sharedModel, messages: messagesInUse() }).catch((e: Error) => { throw new Error(`worker init failed: ${e.message}`); });
      init.push(info);
      // two batches in flight per worker: the worker queues the second and starts it as soon as the first
      // is done, instead of idling while this thread (busy receiving results, or collecting garbage)
      // answers with the next one
      const lane = async () => {
        for (;;) {
          if (stopping()) break;
          const chunk = files.slice(next, next + batch);
          next += chunk.length;
          if (chunk.length === 0) break;
          try { await connection.request('analyseFiles', { files: chunk, maxBytes: opts.maxBytes, known: {}, plain: true }, { onProgress }); } catch (e) { fail(e); break; }
        }
      };
      await Promise.all([lane(), lane()]); // (a lane never throws: both end only when the worker has answered)
      if (failure) throw failure.error;
    })().then(() => w.terminate().then(() => resolve()), (e) => { fail(e); void w.terminate().then(() => reject(e)); });
  });
  // the threads start while this one loads the model, once, into shared memory for all of them
  const workers = Array.from({ length: workerCount }, () => new Worker(workerFile!));
  let model: Model, shared: SharedModel;
  try { model = loadModel(opts.modelPath, { shared: true }); shared = shareModel(model); } catch (e) { for (const w of workers) void w.terminate(); throw e; }
  const runs = workers.map((w) => runWorker(w, shared));
  runs.push((async () => {
    // the workers load their segmenters meanwhile; this thread's load is the same few seconds
    const engine = createEngine({ backend: opts.backend, dictionary: opts.dictionary, model });
    init.unshift({ backend: engine.backend, fallbackReason: engine.fallbackReason, loadMs: engine.loadMs, dictionaryErrors: engine.dictionaryErrors, memoryMB: process.memoryUsage().rss / 1048576 });
    while (next < files.length && !stopping()) {
      // as many files as a worker's batch (so that small runs share out evenly), their articles analysed together
      const reads = fillBatch(() => {
        if (next >= files.length) return undefined;
        const file = files[next++];
        return { file, read: readCorpusFile(file, opts.maxBytes) };
      }, ({ read }) => (read.ok ? read.text.length : 0), { articles: batch, chars: BATCH.chars });
      const articles = reads.flatMap(({ file, read }) => (read.ok ? [{ path: file, text: read.text }] : []));
      const analyses = analyseArticles(articles, engine.recogniser);
      let k = 0;
      for (const { file, read } of reads) {
        if (read.ok) arrived({ file, analysis: analyses[k++] }, read.text);
        else arrived({ file, error: read.message });
      }
      await new Promise((r) => setImmediate(r)); // the workers' messages (results, requests for more) and a closed pipe's error come in between
    }
  })().catch((e) => { fail(e); throw e; }));
  // the first failure stops every thread, not only its own; they wind down, then it is the run's
  await Promise.allSettled(runs);
  if (failure) throw failure.error;
  if (opts.stop?.()) return { init };
  for (; turn < files.length; turn++) { const x = ahead.get(turn); opts.onResult(x?.r ?? { file: files[turn], error: `${files[turn]}: not analysed` }, x?.text); }
  return { init };
}
