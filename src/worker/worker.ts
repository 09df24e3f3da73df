/**
 * The analysis worker: nodejieba's dictionary, the model and all recognition live here, never on the
 * extension host's thread. Requests run one at a time; a batch checks for cancellation between its groups of
 * files (core/analysis BATCH / INDEX_BATCH).
 * With quickStart, @node-rs/jieba (ready in well under a second; jieba-wasm, the same words, where it cannot load)
 * answers the first interactive requests while nodejieba's dictionary (seconds) waits for a quiet moment; batches
 * wait for nodejieba.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative } from 'node:path';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { analyseArticle, analyseArticles, BATCH, fillBatch, INDEX_BATCH } from '../core/analysis';
import { createEngine, Engine } from '../core/engine';
import { DecisionBook, mentionSpans } from '../core/annotations';
import { adaptModel, AdaptCancelled } from '../core/ner/adapt';
import { score, type GoldSpan } from '../core/ner/eval';
import { defaultModelPath } from '../core/ner/model';
import { writeFileAtomic } from '../core/atomic';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { DictionarySource } from '../core/dictionaryFiles';
import { Model, modelFromShared } from '../core/ner/model';
import { readCorpusFile } from '../core/files';
import { looksLikeArticle } from '../core/detect';
import { checkArticle } from '../core/rules';
import { useMessages } from '../core/messages';
import { parseArticle } from '../core/article';
import { foldingRanges, outline } from '../core/outline';
import { ConfigCache, resolveRuleOptions } from '../core/config';
import { indexedFindings } from '../core/findings';
import { CorpusStore, type PutArticle } from '../core/store/corpusStore';
import type { CorpusQueries } from '../core/corpusQueries';
import { AnalysisHelper, HELPER_AFTER_ARTICLES, HELPER_MIN_FILES } from './helper';
import { releaseHeapBeforeExit } from './heapRelease';
import { lowerThreadPriority } from './priority';
import { listCorpus, SKIPPED_SHOWN } from '../core/corpusListing';
import type { DocumentAnalysis } from '../core/analysis';
import type { CheckParams, FileResult, FromWorker, InitResult, Method, Params, Progress, QueryMember, QueryMethod, RequestMessage, Result, CancelMessage, ShutdownMessage } from './protocol';

const port = parentPort!;
/**
 * the extension's worker (and its helper) run below the extension host's thread (priority.ts); the command line's
 * and the tests' workers run as they are
 */
const background = (workerData as { background?: boolean } | null)?.background === true;
if (background) lowerThreadPriority();
/** the preferred backend's engine */
let engine: Engine | undefined;
/** quick start: a jieba-rs engine that answers interactive requests while the preferred backend is still to load */
let quick: Engine | undefined;
let initParams: Params<'init'> | undefined;
/**
 * The user's per-mention decisions (annotations.jsonl), applied to the extension's analyses after recognition (the
 * command line's plain runs apply them where it writes its output).
 */
let decisions = new DecisionBook(undefined, undefined);
function useDecisions(d: DictionarySource) {
  decisions = new DecisionBook(d.annotations, d.annotationsPath ? dirname(dirname(d.annotationsPath)) : undefined);
}
const cancelled = new Set<number>();
/** The corpus index database (openIndex): written and read on this thread only. */
let store: CorpusStore | undefined;
/** what the open store's analyses were made with (openIndex, indexAdopt) */
let storeFingerprint: string | undefined;
function openStore(): CorpusStore {
  if (!store) throw new Error('the index database is not open (openIndex first)');
  return store;
}
let upgradeTimer: NodeJS.Timeout | undefined;
let initAt = 0;
let lastInteractive = 0;
const waiting: ((e: Engine) => void)[] = [];
/** nodejieba's dictionary load blocks this thread for seconds: start it once interactive requests have been quiet this long */
const QUIET_MS = 150;
/** …but never later than this after init */
const MAX_DEFER_MS = 3000;

function send(r: FromWorker) { port.postMessage(r); }

/** the model the parent shared with this worker (`--jobs N`), built once */
let fromParent: Model | undefined;
function sharedModel(): Model | undefined {
  if (!initParams?.sharedModel) return undefined;
  fromParent ??= modelFromShared(initParams.sharedModel);
  return fromParent;
}

function initResult(e: Engine, provisional: boolean): InitResult {
  return { backend: e.backend, provisional, fallbackReason: e.fallbackReason, loadMs: e.loadMs, dictionaryErrors: e.dictionaryErrors, memoryMB: Math.round(process.memoryUsage().rss / 1048576) };
}

/** The preferred backend's engine, loaded now if it is not yet (after a quick start, says `upgraded`). */
function ensureEngine(): Engine {
  if (!engine) {
    if (!initParams) throw new Error('worker not initialised');
    clearTimeout(upgradeTimer);
    upgradeTimer = undefined;
    adopt(createEngine({ backend: initParams.backend, modelPath: initParams.modelPath, model: sharedModel(), dictionary: initParams.dictionary }));
  }
  return engine!;
}

/** The engine from now on: after a quick start the parent hears `upgraded`, and waiting batches go on. */
function adopt(e: Engine, fallbackReason?: string): void {
  engine = e;
  if (quick) {
    quick = undefined;
    const info = initResult(e, false);
    send({ kind: 'upgraded', info: fallbackReason ? { ...info, fallbackReason } : info });
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
      adopt(quick, `the preferred segmenter could not load (${(e as Error).message}); staying with ${quick.backend}`);
    }
  }, QUIET_MS);
}

export const hashText = (text: string) => createHash('sha1').update(text).digest('hex');

/** A group of an analyseFiles run: its files as read, their articles, and (once there) their analyses. */
interface Group {
  taken: { result: FileResult; text?: string; stat?: { mtime: number; size: number } }[];
  articles: { path: string; text: string }[];
  analyses?: DocumentAnalysis[];
  /** the helper's answer to come */
  pending?: Promise<void>;
  byHelper?: boolean;
}
/** the last full pass's listing (indexListing), until the analyseFiles run that names it takes it */
let kept: { id: number; files: string[] } | undefined;
let lastListing = 0;
/** the files of that listing, in path order; a listing that a newer one replaced is an error (its pass was cancelled) */
function takeListing(id: number): string[] {
  if (kept?.id !== id) throw new Error(`the corpus listing ${id} is gone: a newer pass listed the corpus again`);
  const files = kept.files.sort();
  kept = undefined;
  return files;
}

/** helper threads not yet exited (a run's, until it has ended) */
const activeHelpers = new Set<AnalysisHelper>();
/** how far waits as long as a group's analysis (or one group analysed without a wait) move this thread's share of an index run's analyses */
const SHARE_STEP = 0.01;
/**
 * the groups the helper has in hand at a time: enough that it does not run dry while this thread puts and analyses
 * (with 3, the helper stood idle 6.4 s of a 22 s run of 10,000 articles; with 8, 1.6–1.9 s of 18.5–19.1 s)
 */
const HELPER_GROUPS = 8;
/** the groups read ahead of the one to put next (with a helper: what this thread analyses while the helper works) */
const MAX_GROUPS_AHEAD = 16;

class Cancelled extends Error { readonly cancelled = true; constructor() { super('cancelled'); } }

interface Context<M extends Method> { progress(p: Progress<M>): void; cancelled(): boolean }
/**
 * interactive: an open article waits for it, so it never queues behind a batch (a batch yields between its groups
 * of files and interactive requests run then); the others run one at a time in arrival order.
 */
interface Handler<M extends Method> { interactive: boolean; run(params: Params<M>, ctx: Context<M>): Result<M> | Promise<Result<M>> }

/** Every method of the API (a missing one is a type error), and how it is scheduled. */
const handlers: { [M in Method]: Handler<M> } = {
  init: {
    interactive: false,
    run(params) {
      // before any check: init is answered before the client sends one
      useMessages(params.messages);
      initParams = params;
      useDecisions(params.dictionary);
      engine = undefined;
      quick = undefined;
      fromParent = undefined;
      initAt = Date.now();
      // only nodejieba takes seconds to load. The quick answers come from jieba-rs's own tag(): the tag table that
      // makes long runs faster would double its load time (0.2 → 0.45 s), and it answers a few articles
      if (params.quickStart && params.backend === 'nodejieba') {
        quick = createEngine({ backend: '@node-rs/jieba', tagLookup: false, modelPath: params.modelPath, model: sharedModel(), dictionary: params.dictionary });
        scheduleUpgrade();
        return initResult(quick, true);
      }
      return initResult(ensureEngine(), false);
    },
  },
  setDictionary: {
    interactive: false,
    run({ dictionary }) {
      if (initParams) initParams = { ...initParams, dictionary };
      useDecisions(dictionary);
      if (quick) quick = quick.withDictionary(dictionary);
      if (engine) engine = engine.withDictionary(dictionary);
      return (engine ?? quick)?.dictionaryErrors ?? [];
    },
  },
  analyse: {
    interactive: true,
    run: ({ path, text, indexAs }) => {
      const analysis = decisions.decide(analyseArticle(path, text, interactiveEngine().recogniser), path, text);
      // (not the file's text: never 'unchanged' by stat; analyseFiles leaves it until indexRelease. An editor's
      // analysis before the index is open is only the editor's: the first indexing pass reads the file)
      if (indexAs && store) store.put({ file: indexAs, hash: 'editor', mtime: -1, size: -1, analysis: { ...analysis, path: indexAs }, text });
      return analysis;
    },
  },
  openIndex: {
    interactive: true,
    run({ dbPath, fingerprint, maxBytes }) {
      const t0 = performance.now();
      // the same database with the same fingerprint is open already: nothing to do (the host asks at every start)
      if (store && store.file === dbPath && storeFingerprint === fingerprint) {
        const articles = store.totals().articles;
        return { engine: store.engine, articles, openMs: 0, message: `index database ${dbPath}: open already, ${articles} articles` };
      }
      store?.close();
      store = undefined;
      const notes: string[] = [];
      store = CorpusStore.open(dbPath, fingerprint, { maxBytes, log: (m) => notes.push(m) });
      storeFingerprint = fingerprint;
      const articles = store.totals().articles;
      const openMs = Math.round(performance.now() - t0);
      const message = [`index database ${dbPath}: SQLite on ${store.engine}, ${articles} articles, opened in ${openMs} ms`, ...notes].join('; ');
      return { engine: store.engine, articles, openMs, message, ...(store.rebuilt && { rebuilt: store.rebuilt }) };
    },
  },
  indexDelete: { interactive: true, run: ({ files }) => openStore().delete(...files) },
  indexAdopt: { interactive: true, run: ({ fingerprint }) => { openStore().adopt(fingerprint); storeFingerprint = fingerprint; } },
  indexRelease: { interactive: true, run: ({ files }) => openStore().release(...files) },
  indexRename: { interactive: true, run: ({ from, to }) => openStore().rename(from, to) },
  indexRetain: { interactive: true, run: ({ files }) => openStore().retain(files) },
  searchIndex: { interactive: true, run: ({ query, limit, texts }) => openStore().search(query, { limit, texts }) },
  indexCandidates: { interactive: true, run: ({ query, texts }) => openStore().candidates(query, texts) ?? null },
  ...queryHandlers(),
  check: { interactive: true, run: ({ text, options }) => checkArticle(text, options) },
  outline: { interactive: true, run: ({ text }) => { const a = parseArticle(text); return { symbols: outline(a), folding: foldingRanges(a) }; } },
  segment: {
    interactive: true,
    run: ({ texts }) => {
      const seg = interactiveEngine().segmenter;
      return (seg.tagMany ? seg.tagMany(texts) : texts.map((t) => seg.tag(t))).map((tokens) => tokens.map((t) => t.word).filter((w) => /[^\s\u00a0\u3000\ufeff]/.test(w)));
    },
  },
  scoreReviewed: {
    interactive: false,
    async run({ files, maxBytes }) {
      const articles = reviewed(await preferredEngine(), files, maxBytes);
      return { articles: articles.length, scores: articles.length ? score(articles.map((a) => a.gold), articles.map((a) => a.found)) : null };
    },
  },
  adapt: {
    interactive: false,
    async run({ files, maxBytes, out, epochs }, ctx) {
      const e = await preferredEngine();
      const articles = reviewed(e, files, maxBytes);
      const base = readFileSync(initParams?.modelPath ?? defaultModelPath());
      const { bytes, record } = await adaptModel({
        base, articles, epochs, segmenter: e.segmenter, dictionary: e.dictionary,
        onProgress: (p) => ctx.progress(p), isCancelled: () => ctx.cancelled(),
      }).catch((err) => { throw err instanceof AdaptCancelled ? new Cancelled() : err; });
      mkdirSync(dirname(out), { recursive: true });
      writeFileAtomic(out, bytes, { overwrite: true });
      return { out, record };
    },
  },
  analyseFiles: {
    interactive: false,
    async run(params, ctx) {
      const e = await preferredEngine();
      const files = params.listing !== undefined ? takeListing(params.listing) : params.files;
      const n = files.length;
      let batch: FileResult[] = [];
      let lastSend = Date.now();
      let analysed = 0, byHelper = 0, i = 0;
      // groups of files in their order, read and being analysed (here, or by the helper), not yet put
      const groups: Group[] = [];
      let helper: AnalysisHelper | undefined;
      let bulk: CorpusStore | undefined;
      const helperWanted = params.index && !params.plain && params.helper !== false;
      let lookedAhead = false;
      // the share of the articles this thread analyses beside the helper: what its other work (it reads, hashes and
      // puts every article) leaves of its time. It starts from the costs measured before the helper was ready
      // (analysis A and put P an article: A·(1 − f) = P + A·f), then follows this thread's waits: waits for the
      // helper as long as a group's analysis (`spare`) say this thread could take more, a group analysed here
      // without one says it has enough
      let putMs = 0, putN = 0, hereMs = 0, hereN = 0, hereWithHelper = 0, withHelper = 0;
      let share: number | undefined, waited = false, spare = 0;
      // (the bench's figures: how long this thread and the helper's stood idle during the run)
      const elu0 = performance.eventLoopUtilization();
      let idleMs: { worker: number; helper: number } | undefined;
      const startShare = () => (hereN && putN ? Math.min(0.5, Math.max(0, (hereMs / hereN - putMs / putN) / (2 * hereMs / hereN))) : 0.25);
      const analyseHere = (g: Group) => {
        const t0 = performance.now();
        g.analyses = analyseArticles(g.articles, e.recogniser);
        if (helper?.started) { hereWithHelper += g.articles.length; if (!waited) share = Math.max(0, (share ??= startShare()) - SHARE_STEP); }
        else { hereMs += performance.now() - t0; hereN += g.articles.length; }
      };
      const take = (): Group => {
        // a few files at a time, their articles analysed together (core/analysis: BATCH for the command line's
        // throughput, the smaller INDEX_BATCH where the extension's open articles wait for the batch in hand)
        const taken = fillBatch(() => (i < n ? readForBatch(files[i++], params) : undefined), (t) => t.text?.length ?? 0, params.plain ? BATCH : INDEX_BATCH);
        return { taken, articles: taken.flatMap((t) => (t.text === undefined ? [] : [{ path: t.result.file, text: t.text }])) };
      };
      // the analyses not yet put. One transaction a group (its articles land together or not at all); in a long run
      // (bulk), one for all the groups the host is about to hear of, about 50 articles, just before it hears of them
      // (put-profile, 100,000 articles: 137.4 s in transactions of 8 articles, 122.4 s in transactions of 48). A run
      // that fails or is cancelled leaves those the host has not heard of unput: the next run analyses them again
      const unput: PutArticle[] = [];
      const putAll = () => {
        if (!unput.length) return;
        const db = openStore();
        // (an article whose file was read before an editor opened it keeps the editor's text: analyse with indexAs
        // put that, and indexRelease hands the article back to its file when the editor closes)
        const puts = unput.splice(0).filter((p) => db.stat(p.file)?.hash !== 'editor');
        const t0 = performance.now();
        if (puts.length) db.put(...puts);
        putMs += performance.now() - t0;
        putN += puts.length;
      };
      const settle = (g: Group) => {
        const analyses = g.analyses!;
        analysed += analyses.length;
        if (g.byHelper) byHelper += analyses.length;
        let k = 0;
        const puts: PutArticle[] = [];
        for (const t of g.taken) {
          if (t.text === undefined) { batch.push(t.result); continue; }
          const a = analyses[k++];
          const analysis = params.plain ? a : decisions.decide(a, t.result.file, t.text);
          if (params.index) {
            puts.push({ file: t.result.file, hash: t.result.hash!, mtime: t.stat!.mtime, size: t.stat!.size, analysis, text: t.text });
            batch.push(t.result);
          } else batch.push({ ...t.result, analysis });
        }
        unput.push(...puts);
        if (!bulk) putAll();
        if (helper?.started) withHelper += analyses.length;
      };
      try {
        while (i < n || groups.length) {
          if (ctx.cancelled()) throw new Cancelled();
          // once a few articles are analysed, one look at what is left: a long run keeps one of the store's indexes
          // aside until its end (CorpusStore.beginBulk), and may take a helper thread (its own rules: helper.ts)
          if (!lookedAhead && analysed >= HELPER_AFTER_ARTICLES) {
            lookedAhead = true;
            if (params.index && n - i >= HELPER_MIN_FILES) { bulk = openStore(); bulk.beginBulk(); }
            helper = helperWanted ? AnalysisHelper.start(__filename, { ...initParams!, backend: e.backend }, n - i, undefined, background) : undefined;
            if (helper) activeHelpers.add(helper);
          }
          // the helper keeps a few groups in hand while it can
          while (helper?.usable && groups.filter((g) => g.pending).length < HELPER_GROUPS && i < n) {
            const g = take();
            groups.push(g);
            if (!g.articles.length) { g.analyses = []; continue; }
            g.pending = helper.analyse(g.articles).then((a) => { g.analyses = a; g.byHelper = true; }, () => { /* analysed here, below */ })
              .finally(() => { g.pending = undefined; });
          }
          // what is analysed goes in, in the order of the files; a group the helper failed on is analysed here
          while (groups.length && (groups[0].analyses || !groups[0].pending)) {
            const g = groups.shift()!;
            if (!g.analyses) analyseHere(g);
            settle(g);
          }
          // this thread analyses a group too: alone, while the helper loads, or within its share
          const here = !helper?.usable || !helper.started || !groups[0]?.pending || hereWithHelper < (share ??= startShare()) * (withHelper + 1);
          waited = false;
          if (i < n && groups.length < MAX_GROUPS_AHEAD && here) {
            const g = take();
            analyseHere(g);
            if (groups.length) groups.push(g); else settle(g);
          } else if (groups[0]?.pending) {
            const w0 = performance.now();
            await groups[0].pending;
            if (helper?.started) {
              // a larger share once the waits add up to a group's analysis here: the short waits between two of the
              // helper's answers are no time to analyse in (counted one by one, they kept this thread analysing
              // 12 % of 100,000 articles while the helper stood idle 53 s)
              spare += performance.now() - w0;
              const groupMs = hereN ? (hereMs / hereN) * INDEX_BATCH.articles : 0;
              if (spare >= groupMs) { share = Math.min(0.5, (share ??= startShare()) + SHARE_STEP); waited = true; spare -= groupMs; }
            }
          }
          if (batch.length && (batch.length >= 50 || Date.now() - lastSend > 200)) {
            putAll();
            ctx.progress({ done: i - groups.reduce((a, g) => a + g.taken.length, 0), total: n, results: batch });
            batch = [];
            lastSend = Date.now();
          }
          await new Promise((r) => setImmediate(r)); // let cancels, interactive requests and the helper's answers in
        }
        putAll();
      } finally {
        if (helper) {
          const h = helper;
          idleMs = { worker: Math.round(performance.eventLoopUtilization(elu0).idle), helper: Math.round(h.idleMs()) };
          void h.stop().then(() => activeHelpers.delete(h));
        }
        // (a store closed meanwhile was replaced, and its successor built the index at open; one that cannot build it
        // now, a full disk, answers uncertainCounts by a scan until the next open builds it: the run is not failed for it)
        if (bulk && bulk === store) try { bulk.endBulk(); } catch { /* (see above) */ }
      }
      if (n > 0) ctx.progress({ done: n, total: n, results: batch });
      return {
        total: n, ...(params.index && { analysed }), ...(byHelper && { byHelper }), ...(helper?.reason && { helperLeft: helper.reason }),
        ...(idleMs && { idleMs }),
      };
    },
  },
  listCorpus: {
    interactive: false,
    run: ({ roots }) => listCorpus(roots),
  },
  indexListing: {
    interactive: false,
    run: ({ roots }) => {
      const { files, skipped, refused } = listCorpus(roots);
      const gone = openStore().retainOnly(files);
      kept = { id: ++lastListing, files };
      return { listing: kept.id, count: files.length, gone, skipped: skipped.slice(0, SKIPPED_SHOWN), skippedCount: skipped.length, refused };
    },
  },
  analyseTexts: {
    interactive: false,
    async run({ articles }) {
      const e = await preferredEngine();
      return analyseArticles(articles, e.recogniser);
    },
  },
};

/** Runs one request and answers it: its result, or its error (cancelled when a cancel reached it first). */
async function run<M extends Method>(req: RequestMessage<M>): Promise<void> {
  const ctx: Context<M> = {
    progress: (progress) => send({ kind: 'progress', id: req.id, progress }),
    cancelled: () => cancelled.has(req.id),
  };
  // (the bench's: CORPUS_LENS_BENCH_WORKER_PROFILE=DIR, a CPU profile of this thread over each index run, in DIR)
  const profileDir = req.method === 'analyseFiles' ? process.env.CORPUS_LENS_BENCH_WORKER_PROFILE : undefined;
  let profile: ((dir: string) => Promise<void>) | undefined;
  try {
    if (profileDir) profile = await startProfile();
    if (ctx.cancelled()) throw new Cancelled();
    const result: Result<M> = await handlers[req.method].run(req.params, ctx);
    send({ kind: 'result', id: req.id, result });
  } catch (err) {
    send({ kind: 'error', id: req.id, error: (err as Error).message, cancelled: err instanceof Cancelled || undefined });
  } finally {
    cancelled.delete(req.id);
    if (profile) await profile(profileDir!).catch(() => undefined);
  }
}

/** Starts the inspector's CPU profiler on this thread; the answer stops it and writes the profile into a folder. */
async function startProfile(): Promise<(dir: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((res, rej) => session.post(method, (err, r) => (err ? rej(err) : res(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async (dir) => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/worker-${threadId}-${Date.now()}.cpuprofile`, JSON.stringify(profile));
  };
}

/**
 * One file of an analyseFiles batch: its result, and its text when it is an article to analyse (the result then
 * lacks the analysis). Unreadable files, non-article .txt files and files whose hash is known come without text.
 * With `index`, the index database says what is known, and a file that is no article (any more) leaves it.
 */
function readForBatch(file: string, req: Params<'analyseFiles'>): { result: FileResult; text?: string; stat?: { mtime: number; size: number } } {
  if (req.index) return readForIndex(file, req, openStore());
  const read = readCorpusFile(file, req.maxBytes);
  if (!read.ok) return { result: { file, error: read.message } };
  if (req.plain) return { result: { file }, text: read.text };
  if (file.toLowerCase().endsWith('.txt') && !looksLikeArticle(read.text.slice(0, 4000))) return { result: { file, notArticle: true } };
  const hash = articleHash(file, read.text);
  // an unchanged file is checked again all the same: its text is in hand, the check costs little beside reading
  // it, and its findings follow the rule options as they are now (settings, .corpus-lens.json, the date)
  const findings = req.check ? checkFile(file, read.text, req.check) : undefined;
  if (req.known?.[file] === hash) return { result: { file, hash, unchanged: true, findings } };
  return { result: { file, hash, findings }, text: read.text };
}

/** an article's decisions are part of what its analysis depends on: changed decisions, another hash */
const articleHash = (file: string, text: string) => hashText(text) + decisions.key(file);
/** the length of hashText's hex digest: what follows it in an article's hash is its decisions' key */
const DIGEST = 40;

/**
 * readForBatch against the index database: a file whose stat (mtime and size, taken before it is read) and
 * decisions are those indexed is unchanged without being read (read all the same when its findings are asked
 * for); another is read and hashed, and unchanged when its hash is the indexed one.
 */
function readForIndex(file: string, req: Params<'analyseFiles'>, db: CorpusStore): { result: FileResult; text?: string; stat?: { mtime: number; size: number } } {
  const known = db.stat(file);
  let stat: { mtime: number; size: number };
  try {
    const st = statSync(file);
    stat = { mtime: st.mtimeMs, size: st.size };
  } catch (e) {
    db.delete(file);
    return { result: { file, error: `${file}: ${(e as Error).message}` } };
  }
  // an open editor's text is newer than the file: it stays until the editor closes (indexRelease)
  if (known?.hash === 'editor') return { result: { file, hash: known.hash, unchanged: true } };
  const sameStat = !req.force && known !== undefined && known.mtime === stat.mtime && known.size === stat.size && known.hash.slice(DIGEST) === decisions.key(file);
  if (sameStat && !req.check) return { result: { file, hash: known.hash, unchanged: true } };
  const read = readCorpusFile(file, req.maxBytes);
  if (!read.ok) { db.delete(file); return { result: { file, error: read.message } }; }
  if (file.toLowerCase().endsWith('.txt') && !looksLikeArticle(read.text.slice(0, 4000))) { db.delete(file); return { result: { file, notArticle: true } }; }
  const findings = req.check ? checkFile(file, read.text, req.check) : undefined;
  if (sameStat) return { result: { file, hash: known.hash, unchanged: true, findings } };
  const hash = articleHash(file, read.text);
  if (!req.force && known?.hash === hash) {
    db.touch(file, stat.mtime, stat.size);
    return { result: { file, hash, unchanged: true, findings } };
  }
  return { result: { file, hash, findings }, text: read.text, stat };
}

/** A handler per CorpusQueries member (`query.totals`, …), each answered by the store's method of that name. */
function queryHandlers(): { [K in QueryMember as QueryMethod<K>]: Handler<QueryMethod<K>> } {
  // (a member the store answers with other parameters or another answer than CorpusQueries types is a type error here)
  const members: StoreAnswers = {
    totals: true, articles: true, analysis: true, entities: true, entity: true, find: true, timeline: true, articlesPerMonth: true,
    concordance: true, uncertainCounts: true, consistency: true, datelines: true, punctuation: true,
  };
  const out: Record<string, Handler<Method>> = {};
  for (const member of Object.keys(members) as QueryMember[]) {
    out[`query.${member}`] = {
      interactive: true,
      // (the store answers each question synchronously, with the arguments and the answer CorpusQueries types)
      run: ({ args }: { args: unknown[] }) => (openStore()[member] as (...a: unknown[]) => unknown)(...args),
    } as unknown as Handler<Method>;
  }
  return out as unknown as { [K in QueryMember as QueryMethod<K>]: Handler<QueryMethod<K>> };
}
/** true for each CorpusQueries member the store answers, synchronously, as CorpusQueries types it */
type StoreAnswers = { [K in QueryMember]: CorpusStore[K] extends (...a: Parameters<CorpusQueries[K]>) => Awaited<ReturnType<CorpusQueries[K]>> ? true : never };

/** The reviewed articles among `files` (annotations.jsonl), analysed, with their gold: the decisions applied. */
function reviewed(e: Engine, files: string[], maxBytes: number): { path: string; text: string; gold: GoldSpan[]; found: GoldSpan[] }[] {
  const out: { path: string; text: string; gold: GoldSpan[]; found: GoldSpan[] }[] = [];
  for (const file of files) {
    const key = decisions.pathOf(file);
    if (key === undefined || !decisions.annotations.reviewed.has(key)) continue;
    const read = readCorpusFile(file, maxBytes);
    if (!read.ok) continue;
    const analysis = analyseArticle(file, read.text, e.recogniser);
    out.push({ path: key, text: read.text, found: mentionSpans(analysis), gold: mentionSpans(decisions.decide(analysis, file, read.text)) });
  }
  return out;
}

/** .corpus-lens.json files, each read and compiled once per version of it (their problems are the open documents' to log) */
const configs = new ConfigCache();

/** The corpus rules over one file's text, with the file's rule options. */
function checkFile(file: string, text: string, check: CheckParams) {
  const folder = check.folders.filter((f) => isInside(file, f.root)).sort((a, b) => b.root.length - a.root.length)[0];
  const base = folder?.options ?? check.options;
  const options = check.configFiles ? resolveRuleOptions(file, base, configs, folder?.root) : base;
  return indexedFindings(text, checkArticle(text, options));
}

const isInside = (file: string, root: string) => { const rel = relative(root, file); return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel); };

// Interactive requests (an open article) never wait behind a whole batch: analyseFiles yields after every few
// files (core/analysis INDEX_BATCH: at most 8 files; no more is taken once 16K characters are in hand).
const interactive: RequestMessage[] = [];
function drain() {
  while (interactive.length) {
    void run(interactive.shift()!); // (interactive handlers are synchronous: each runs to its end before the next)
    lastInteractive = Date.now();
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: RequestMessage | CancelMessage | ShutdownMessage) => {
  // (a message is read only between two pieces of work: this thread is in no native call now)
  // (a helper thread still running is asked to end first, and waited for: it may be inside nodejieba, where a thread
  // ended from outside, as this thread's exit would end it, takes the process down)
  // (the extension's threads give their heap's memory back on their own thread before they end: heapRelease.ts)
  if (msg.method === 'shutdown') { void Promise.all([...activeHelpers].map((h) => h.stop())).then(() => { store?.close(); if (background) releaseHeapBeforeExit(); process.exit(0); }); return; }
  if (msg.method === 'cancel') { cancelled.add(msg.target); return; }
  if (handlers[msg.method].interactive) { interactive.push(msg); setImmediate(drain); return; }
  queue = queue.then(() => run(msg));
});
