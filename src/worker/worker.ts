/**
 * The analysis worker: nodejieba's dictionary, the model and all recognition live here, never on the
 * extension host's thread. Requests run one at a time; a batch checks for cancellation between its groups of
 * files (core/analysis BATCH / INDEX_BATCH).
 * With quickStart, jieba-wasm (ready in well under a second) answers the first interactive requests
 * while nodejieba's dictionary (seconds) waits for a quiet moment; batches wait for nodejieba.
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { analyseArticle, analyseArticles, BATCH, fillBatch, INDEX_BATCH } from '../core/analysis';
import { createEngine, Engine } from '../core/engine';
import { Model, modelFromShared } from '../core/ner/model';
import { readCorpusFile } from '../core/files';
import { looksLikeArticle } from '../core/detect';
import { checkArticle } from '../core/rules';
import { useMessages } from '../core/messages';
import { parseArticle } from '../core/article';
import { foldingRanges, outline, OutlineResult } from '../core/outline';
import type { FileResult, InitResult, Request, Response } from './protocol';

const port = parentPort!;
/** the preferred backend's engine */
let engine: Engine | undefined;
/** quick start: a jieba-wasm engine that answers interactive requests while the preferred backend is still to load */
let quick: Engine | undefined;
let initRequest: Extract<Request, { kind: 'init' }> | undefined;
const cancelled = new Set<number>();
let upgradeTimer: NodeJS.Timeout | undefined;
let initAt = 0;
let lastInteractive = 0;
const waiting: ((e: Engine) => void)[] = [];
/** nodejieba's dictionary load blocks this thread for seconds: start it once interactive requests have been quiet this long */
const QUIET_MS = 150;
/** …but never later than this after init */
const MAX_DEFER_MS = 3000;

function send(r: Response) { port.postMessage(r); }

/** the model the parent shared with this worker (`--jobs N`), built once */
let fromParent: Model | undefined;
function sharedModel(): Model | undefined {
  if (!initRequest?.sharedModel) return undefined;
  fromParent ??= modelFromShared(initRequest.sharedModel);
  return fromParent;
}

function initResult(e: Engine, provisional: boolean): InitResult {
  return { backend: e.backend, provisional, fallbackReason: e.fallbackReason, loadMs: e.loadMs, dictionaryErrors: e.dictionaryErrors, memoryMB: Math.round(process.memoryUsage().rss / 1048576) };
}

/** The preferred backend's engine, loaded now if it is not yet (after a quick start, says `upgraded`). */
function ensureEngine(): Engine {
  if (!engine) {
    if (!initRequest) throw new Error('worker not initialised');
    clearTimeout(upgradeTimer);
    upgradeTimer = undefined;
    adopt(createEngine({ backend: initRequest.backend, modelPath: initRequest.modelPath, model: sharedModel(), dictionary: initRequest.dictionary }));
  }
  return engine!;
}

/** The engine from now on: after a quick start the parent hears `upgraded`, and waiting batches go on. */
function adopt(e: Engine, fallbackReason?: string): void {
  engine = e;
  if (quick) {
    quick = undefined;
    const info = initResult(e, false);
    send({ id: 0, kind: 'upgraded', info: fallbackReason ? { ...info, fallbackReason } : info });
  }
  for (const w of waiting.splice(0)) w(e);
}

/** Interactive requests take whichever engine is ready. */
const interactiveEngine = (): Engine => engine ?? quick ?? ensureEngine();

/** Batches (the corpus index) wait for the preferred backend, so an index never mixes segmenters. */
const preferredEngine = (): Promise<Engine> => (engine || !quick ? Promise.resolve(ensureEngine()) : new Promise((res) => waiting.push(res)));

function scheduleUpgrade(): void {
  clearTimeout(upgradeTimer);
  upgradeTimer = setTimeout(() => {
    upgradeTimer = undefined;
    if (engine || !quick) return;
    const now = Date.now();
    if ((interactive.length > 0 || now - lastInteractive < QUIET_MS) && now - initAt < MAX_DEFER_MS) { scheduleUpgrade(); return; }
    try {
      ensureEngine();
    } catch (e) {
      // (createEngine already falls back to jieba-wasm when nodejieba cannot load; this is anything else)
      adopt(quick, `the preferred segmenter could not load (${(e as Error).message}); staying with jieba-wasm`);
    }
  }, QUIET_MS);
}

export const hashText = (text: string) => createHash('sha1').update(text).digest('hex');

async function handle(req: Request): Promise<unknown> {
  switch (req.kind) {
    case 'init': {
      // before any check: init is answered before the client sends one
      useMessages(req.messages);
      initRequest = req;
      engine = undefined;
      quick = undefined;
      fromParent = undefined;
      initAt = Date.now();
      if (req.quickStart && req.backend !== 'jieba-wasm') {
        quick = createEngine({ backend: 'jieba-wasm', modelPath: req.modelPath, model: sharedModel(), dictionary: req.dictionary });
        scheduleUpgrade();
        return initResult(quick, true);
      }
      return initResult(ensureEngine(), false);
    }
    case 'setDictionary': {
      if (initRequest) initRequest = { ...initRequest, dictionary: req.dictionary };
      if (quick) quick = quick.withDictionary(req.dictionary);
      if (engine) engine = engine.withDictionary(req.dictionary);
      return (engine ?? quick)?.dictionaryErrors ?? [];
    }
    case 'analyse': // handled by drain()
    case 'check':
    case 'outline':
      return undefined;
    case 'analyseFiles': {
      const e = await preferredEngine();
      let batch: FileResult[] = [];
      let lastSend = Date.now();
      for (let i = 0; i < req.files.length;) {
        if (cancelled.has(req.id)) { cancelled.delete(req.id); throw Object.assign(new Error('cancelled'), { cancelled: true }); }
        // a few files at a time, their articles analysed together (core/analysis: BATCH for the command line's
        // throughput, the smaller INDEX_BATCH where the extension's open articles wait for the batch in hand)
        const taken = fillBatch(() => (i < req.files.length ? readForBatch(req.files[i++], req) : undefined), (t) => t.text?.length ?? 0, req.plain ? BATCH : INDEX_BATCH);
        const analyses = analyseArticles(taken.flatMap((t) => (t.text === undefined ? [] : [{ path: t.result.file, text: t.text }])), e.recogniser);
        let k = 0;
        for (const t of taken) batch.push(t.text === undefined ? t.result : { ...t.result, analysis: analyses[k++] });
        if (batch.length >= 50 || Date.now() - lastSend > 200 || i === req.files.length) {
          send({ id: req.id, kind: 'progress', done: i, total: req.files.length, results: batch });
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

/**
 * One file of an analyseFiles batch: its result, and its text when it is an article to analyse (the result then
 * lacks the analysis). Unreadable files, non-article .txt files and files whose hash is known come without text.
 */
function readForBatch(file: string, req: { maxBytes: number; known: Record<string, string>; plain?: boolean }): { result: FileResult; text?: string } {
  const read = readCorpusFile(file, req.maxBytes);
  if (!read.ok) return { result: { file, error: read.message } };
  if (req.plain) return { result: { file }, text: read.text };
  if (file.toLowerCase().endsWith('.txt') && !looksLikeArticle(read.text.slice(0, 4000))) return { result: { file, notArticle: true } };
  const hash = hashText(read.text);
  if (req.known[file] === hash) return { result: { file, hash, unchanged: true } };
  return { result: { file, hash }, text: read.text };
}

// Interactive requests (an open article) never wait behind a whole batch: analyseFiles yields after every few
// files (core/analysis INDEX_BATCH: at most 8 files; no more is taken once 16K characters are in hand).
const interactive: Request[] = [];
function drain() {
  while (interactive.length) {
    const req = interactive.shift()!;
    if (cancelled.delete(req.id)) { send({ id: req.id, ok: false, error: 'cancelled', cancelled: true }); continue; }
    try {
      if (req.kind === 'check') { send({ id: req.id, ok: true, result: checkArticle(req.text, req.options) }); continue; }
      if (req.kind === 'outline') { const a = parseArticle(req.text); send({ id: req.id, ok: true, result: { symbols: outline(a), folding: foldingRanges(a) } satisfies OutlineResult }); continue; }
      send({ id: req.id, ok: true, result: analyseArticle((req as { path: string }).path, (req as { text: string }).text, interactiveEngine().recogniser) });
    } catch (err) {
      send({ id: req.id, ok: false, error: (err as Error).message });
    }
    lastInteractive = Date.now();
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (req: Request) => {
  if (req.kind === 'cancel') { cancelled.add(req.target); return; }
  if (req.kind === 'analyse' || req.kind === 'check' || req.kind === 'outline') { interactive.push(req); setImmediate(drain); return; }
  queue = queue.then(async () => {
    try {
      send({ id: req.id, ok: true, result: await handle(req) });
    } catch (err) {
      send({ id: req.id, ok: false, error: (err as Error).message, cancelled: (err as { cancelled?: boolean }).cancelled });
    }
  });
});
