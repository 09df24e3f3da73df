/**
 * The analysis worker: nodejieba's dictionary, the model and all recognition live here, never on the
 * extension host's thread. Requests run one at a time; a batch checks for cancellation between files.
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { analyseArticle } from '../core/analysis';
import { createEngine, Engine } from '../core/engine';
import { readCorpusFile } from '../core/files';
import { looksLikeArticle } from '../core/detect';
import { checkArticle } from '../core/rules';
import type { FileResult, InitResult, Request, Response } from './protocol';

const port = parentPort!;
let engine: Engine | undefined;
let initRequest: Extract<Request, { kind: 'init' }> | undefined;
const cancelled = new Set<number>();

function send(r: Response) { port.postMessage(r); }

function ensureEngine(): Engine {
  if (!engine) {
    if (!initRequest) throw new Error('worker not initialised');
    engine = createEngine({ backend: initRequest.backend, modelPath: initRequest.modelPath, dictionary: initRequest.dictionary });
  }
  return engine;
}

export const hashText = (text: string) => createHash('sha1').update(text).digest('hex');

async function handle(req: Request): Promise<unknown> {
  switch (req.kind) {
    case 'init': {
      initRequest = req;
      engine = undefined;
      const e = ensureEngine();
      const result: InitResult = { backend: e.backend, fallbackReason: e.fallbackReason, loadMs: e.loadMs, dictionaryErrors: e.dictionaryErrors, memoryMB: Math.round(process.memoryUsage().rss / 1048576) };
      return result;
    }
    case 'setDictionary': {
      if (initRequest) initRequest = { ...initRequest, dictionary: req.dictionary };
      if (engine) {
        engine = engine.withDictionary(req.dictionary);
        return engine.dictionaryErrors;
      }
      return [];
    }
    case 'analyse': // handled by drain()
    case 'check':
      return undefined;
    case 'analyseFiles': {
      const e = ensureEngine();
      let batch: FileResult[] = [];
      let lastSend = Date.now();
      for (let i = 0; i < req.files.length; i++) {
        if (cancelled.has(req.id)) { cancelled.delete(req.id); throw Object.assign(new Error('cancelled'), { cancelled: true }); }
        const file = req.files[i];
        const read = readCorpusFile(file, req.maxBytes);
        if (!read.ok) batch.push({ file, error: read.message });
        else if (file.toLowerCase().endsWith('.txt') && !looksLikeArticle(read.text.slice(0, 4000))) batch.push({ file, notArticle: true });
        else {
          const hash = hashText(read.text);
          if (req.known[file] === hash) batch.push({ file, hash, unchanged: true });
          else batch.push({ file, hash, analysis: analyseArticle(file, read.text, e.recogniser) });
        }
        if (batch.length >= 50 || Date.now() - lastSend > 200 || i === req.files.length - 1) {
          send({ id: req.id, kind: 'progress', done: i + 1, total: req.files.length, results: batch });
          batch = [];
          lastSend = Date.now();
        }
        await new Promise((r) => setImmediate(r)); // let cancels and interactive requests in
      }
      return { total: req.files.length };
    }
    case 'cancel':
      cancelled.add(req.target);
      return true;
  }
}

// Interactive requests (an open article) never wait behind a batch: the batch yields after every file.
const interactive: Request[] = [];
function drain() {
  while (interactive.length) {
    const req = interactive.shift()!;
    if (cancelled.delete(req.id)) { send({ id: req.id, ok: false, error: 'cancelled', cancelled: true }); continue; }
    try {
      if (req.kind === 'check') { send({ id: req.id, ok: true, result: checkArticle(req.text, req.options) }); continue; }
      send({ id: req.id, ok: true, result: analyseArticle((req as { path: string }).path, (req as { text: string }).text, ensureEngine().recogniser) });
    } catch (err) {
      send({ id: req.id, ok: false, error: (err as Error).message });
    }
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (req: Request) => {
  if (req.kind === 'cancel') { cancelled.add(req.target); return; }
  if (req.kind === 'analyse' || req.kind === 'check') { interactive.push(req); setImmediate(drain); return; }
  queue = queue.then(async () => {
    try {
      send({ id: req.id, ok: true, result: await handle(req) });
    } catch (err) {
      send({ id: req.id, ok: false, error: (err as Error).message, cancelled: (err as { cancelled?: boolean }).cancelled });
    }
  });
});
