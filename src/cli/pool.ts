/**
 * `--jobs N`: analyses files in N worker threads (the same dist/worker.js the extension uses), each with
 * its own segmenter; the model is loaded once here into shared memory and read by all of them. Files
 * are dealt out in small batches so the workers stay busy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DictionarySource } from '../core/engine';
import type { SegmenterBackend } from '../core/segment/segmenter';
import type { FileResult, InitResult, RequestBody, Response } from '../worker/protocol';
import { loadModel, shareModel, SharedModel } from '../core/ner/model';

/**
 * Results reach `onResult` in the order of `files` (whatever order the workers finish in), one at a time, so
 * that the caller can write each and let it go: only the results that arrived ahead of their turn are held.
 */
export async function analyseInPool(files: string[], opts: { jobs: number; backend: SegmenterBackend; dictionary: DictionarySource; maxBytes: number; workerFile?: string; batch?: number; modelPath?: string; onResult: (r: FileResult) => void }): Promise<{ init: InitResult[] }> {
  // beside the bundled CLI in dist/; from sources (tests), the built dist/worker.js
  const workerFile = opts.workerFile ?? [path.join(__dirname, 'worker.js'), path.resolve(__dirname, '../../dist/worker.js')].find((f) => fs.existsSync(f));
  if (!workerFile) throw new Error('dist/worker.js not found: run npm run build');
  // small batches for small runs, so that every worker gets a share (each keeps two in flight)
  const batch = opts.batch ?? Math.min(8, Math.max(1, Math.ceil(files.length / (Math.max(1, opts.jobs) * 4))));
  // in order: positions of each path (a path given twice is analysed twice), results ahead of their turn
  const positions = new Map<string, number[]>();
  files.forEach((f, i) => { const p = positions.get(f); if (p) p.push(i); else positions.set(f, [i]); });
  const ahead = new Map<number, FileResult>();
  let turn = 0;
  const arrived = (r: FileResult) => {
    const i = positions.get(r.file)?.shift();
    if (i === undefined) return;
    ahead.set(i, r);
    for (let x = ahead.get(turn); x; x = ahead.get(turn)) { ahead.delete(turn); turn++; opts.onResult(x); }
  };
  let next = 0;
  const init: InitResult[] = [];
  const runWorker = (w: Worker, sharedModel: SharedModel) => new Promise<void>((resolve, reject) => {
    let id = 0;
    const pending = new Map<number, (r: Response) => void>();
    const call = (req: RequestBody) => new Promise<Response>((res) => {
      const rid = ++id;
      pending.set(rid, res);
      w.postMessage({ ...req, id: rid });
    });
    w.on('message', (m: Response) => {
      if ('kind' in m) { if (m.kind === 'progress') for (const r of m.results) arrived(r); return; }
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    });
    w.on('error', reject);
    (async () => {
      const r = await call({ kind: 'init', backend: opts.backend, dictionary: opts.dictionary, sharedModel });
      if (!('ok' in r) || !r.ok) throw new Error(`worker init failed: ${'error' in r ? r.error : '?'}`);
      init.push(r.result as InitResult);
      // two batches in flight per worker: the worker queues the second and starts it as soon as the first
      // is done, instead of idling while this thread (busy receiving results, or collecting garbage)
      // answers with the next one
      const lane = async () => {
        for (;;) {
          const chunk = files.slice(next, next + batch);
          next += chunk.length;
          if (chunk.length === 0) break;
          const done = await call({ kind: 'analyseFiles', files: chunk, maxBytes: opts.maxBytes, known: {}, plain: true });
          if ('ok' in done && !done.ok) throw new Error(done.error);
        }
      };
      await Promise.all([lane(), lane()]);
    })().then(() => w.terminate().then(() => resolve()), (e) => { void w.terminate(); reject(e); });
  });
  // the threads start while this one loads the model, once, into shared memory for all of them
  const workers = Array.from({ length: Math.max(1, opts.jobs) }, () => new Worker(workerFile));
  let shared: SharedModel;
  try { shared = shareModel(loadModel(opts.modelPath, { shared: true })); } catch (e) { for (const w of workers) void w.terminate(); throw e; }
  // the first failure stops every worker, not only its own
  await Promise.all(workers.map((w) => runWorker(w, shared))).catch((e) => { for (const w of workers) void w.terminate(); throw e; });
  for (; turn < files.length; turn++) opts.onResult(ahead.get(turn) ?? { file: files[turn], error: `${files[turn]}: not analysed` });
  return { init };
}
