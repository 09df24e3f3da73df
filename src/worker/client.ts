/**
 * The one client of the analysis worker (the extension, the CLI's --jobs pool, the benchmarks and the tests use
 * it; it never imports vscode):
 * - `WorkerConnection`: typed requests to one worker thread (worker/protocol.ts), with progress and cancellation;
 * - `AnalysisService`: the extension's worker, started on the first request, restarted with back-off when it
 *   dies, and the per-document cache of analyses.
 */
import type { MessageBundle } from '../core/messages';
import type { DocumentAnalysis } from '../core/analysis';
import type { DictionarySource } from '../core/engine';
import type { SegmenterBackend } from '../core/segment/segmenter';
import type { FromWorker, InitResult, Method, Params, Progress, Result, ToWorker } from './protocol';

/** What the client needs of a worker thread (node:worker_threads' Worker, or a fake in the tests). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): Promise<number>;
}

/** The shape of vscode.CancellationToken, so the extension passes its tokens as they are. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** A cancellation source without vscode. */
export class CancellationSource {
  private readonly controller = new AbortController();
  readonly token: CancellationToken;
  constructor() {
    const signal = this.controller.signal;
    this.token = {
      get isCancellationRequested() { return signal.aborted; },
      onCancellationRequested(listener) {
        // (as vscode's tokens do: a token cancelled already calls the listener at once)
        if (signal.aborted) { listener(); return { dispose: () => undefined }; }
        signal.addEventListener('abort', listener, { once: true });
        return { dispose: () => signal.removeEventListener('abort', listener) };
      },
    };
  }
  cancel(): void { this.controller.abort(); }
}

export class CancelledError extends Error { constructor() { super('cancelled'); } }

/** The promise, or CancelledError as soon as the token is cancelled (the work behind the promise goes on). */
export function untilCancelled<T>(promise: Promise<T>, token: CancellationToken | undefined): Promise<T> {
  if (!token) return promise;
  if (token.isCancellationRequested) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => reject(new CancelledError()));
    promise.then((v) => { sub.dispose(); resolve(v); }, (e) => { sub.dispose(); reject(e); });
  });
}

interface Pending { settle(m: Extract<FromWorker, { id: number }>): void; reject(e: Error): void }

/** Typed requests to one worker thread. A worker that exits fails the requests it had. */
export class WorkerConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly upgradedListeners: ((info: InitResult) => void)[] = [];

  constructor(readonly worker: WorkerLike) {
    worker.on('message', (m) => this.onMessage(m));
    worker.on('exit', (code) => this.fail(new Error(`the analysis worker stopped (exit code ${code})`)));
  }

  /**
   * Sends a request; its result, or its error (CancelledError when the token stopped it in the worker).
   * A cancelled token tells the worker to drop the request; the answer still settles the promise.
   */
  request<M extends Method>(method: M, params: Params<M>, opts: { token?: CancellationToken; onProgress?: (p: Progress<M>) => void } = {}): Promise<Result<M>> {
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      let cancel: { dispose(): void } | undefined;
      this.pending.set(id, {
        settle: (m) => {
          // the worker answers a request with its own method's result and progress (its handler table is typed
          // by the same WorkerApi): this is the one place where the wire's union meets the method's type
          if (m.kind === 'progress') { opts.onProgress?.(m.progress as Progress<M>); return; }
          this.pending.delete(id);
          cancel?.dispose();
          if (m.kind === 'result') resolve(m.result as Result<M>);
          else reject(m.cancelled ? new CancelledError() : new Error(m.error));
        },
        reject: (e) => { cancel?.dispose(); reject(e); },
      });
      try {
        this.worker.postMessage({ id, method, params });
      } catch (e) { // (in the extension host, posting to a worker being terminated can throw)
        this.pending.delete(id);
        throw e;
      }
      // (after the request: a token cancelled already calls the listener at once)
      cancel = opts.token?.onCancellationRequested(() => { if (this.pending.has(id)) this.worker.postMessage({ method: 'cancel', target: id }); });
    });
  }

  /** The worker's preferred backend replaced its quick-start one. */
  onUpgraded(listener: (info: InitResult) => void): void { this.upgradedListeners.push(listener); }

  /** Fails every request still waiting (the worker is gone). */
  fail(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(error);
  }

  private onMessage(m: FromWorker): void {
    if (m.kind === 'upgraded') { for (const l of this.upgradedListeners) l(m.info); return; }
    this.pending.get(m.id)?.settle(m);
  }
}

/** What the service tells its host (the extension logs these and tells the user once). */
export interface ServiceEvents {
  ready?(info: InitResult, startupMs: number, preferred: SegmenterBackend): void;
  initFailed?(error: Error): void;
  upgraded?(info: InitResult, sinceStartMs: number): void;
  /** the worker stopped without being asked; `fellBack`: the next one uses jieba-wasm instead of nodejieba */
  crashed?(error: Error, crashes: number, fellBack: boolean): void;
  workerError?(error: Error): void;
  /** a document's analysis for its current version landed; `again`: without an edit (a new dictionary or backend) */
  analysed?(key: string, analysis: DocumentAnalysis, again: boolean): void;
}

export interface ServiceOptions {
  spawn(): WorkerLike;
  /** the segmenter asked for (corpusLens.segmenter) */
  backend: SegmenterBackend;
  dictionary(): DictionarySource;
  /** the model file to load (corpusLens.model in a trusted workspace); undefined: the shipped one */
  modelPath?(): string | undefined;
  /** the l10n bundle of the core's messages for the worker (the host's display language; none for English) */
  messages?: MessageBundle;
  /** an open document's version and request now; undefined once it is closed */
  current(key: string): { version: number; params: Params<'analyse'> } | undefined;
  events?: ServiceEvents;
  /**
   * Runs once each worker has started (the first and every restart), before any other request reaches it: what the
   * worker must hold before it answers (the index database). A failure is reported as a worker error; requests go on.
   */
  afterStart?(request: <M extends Method>(method: M, params: Params<M>) => Promise<Result<M>>): Promise<void>;
  /** runs a restart after the back-off (tests run it at once) */
  schedule?(run: () => void, ms: number): { cancel(): void };
}

/** the restart back-off after the n-th crash in a row: 0.5 s, doubling, at most 30 s */
export const restartDelay = (crashes: number) => Math.min(30000, 500 * 2 ** (crashes - 1));

/**
 * One document version's analysis. The entry owns the cancellation of its request, so callers only stop
 * waiting: one caller's cancelled token (a scrolled-away range) never cancels the result others wait for.
 * Only a new version of the document, `forget` or a restart cancels it.
 */
interface Entry { version: number; result: Promise<DocumentAnalysis>; source: CancellationSource }

/**
 * The extension's analysis worker: started lazily on the first request (quick start: jieba-wasm answers while
 * nodejieba loads), restarted with back-off when it dies (after two crashes in a row with nodejieba, with
 * jieba-wasm), and analyses cached per document version; concurrent callers share one request.
 */
export class AnalysisService {
  private connection: WorkerConnection | undefined;
  private ready: Promise<InitResult> | undefined;
  private readonly cache = new Map<string, Entry>();
  private crashes = 0;
  private restartTimer: { cancel(): void } | undefined;
  private disposed = false;
  private backend: SegmenterBackend;
  private spawnedAt = 0;
  info: InitResult | undefined;
  /** worker start to ready (segmenter and model loaded), for the benchmarks */
  startupMs: number | undefined;
  /** worker start to the preferred backend's engine after a quick start, for the benchmarks */
  upgradedMs: number | undefined;

  constructor(private readonly opts: ServiceOptions) { this.backend = opts.backend; }

  /** the backend the next worker starts with */
  get currentBackend(): SegmenterBackend { return this.backend; }

  private start(): Promise<InitResult> {
    if (this.ready) return this.ready;
    const spawned = performance.now();
    const worker = this.opts.spawn();
    const connection = new WorkerConnection(worker);
    this.connection = connection;
    this.spawnedAt = spawned;
    worker.on('error', (e) => this.opts.events?.workerError?.(e));
    worker.on('exit', (code) => this.onExit(connection, code));
    connection.onUpgraded((info) => this.onUpgraded(info));
    const preferred = this.backend;
    const modelPath = this.opts.modelPath?.();
    this.ready = connection.request('init', { backend: preferred, dictionary: this.opts.dictionary(), quickStart: preferred === 'nodejieba', ...(modelPath && { modelPath }), ...(this.opts.messages && { messages: this.opts.messages }) }).then(async (info) => {
      this.info = info;
      this.startupMs = performance.now() - spawned;
      this.crashes = 0;
      this.opts.events?.ready?.(info, this.startupMs, preferred);
      if (this.opts.afterStart) {
        await this.opts.afterStart((method, params) => connection.request(method, params)).catch((e: Error) => this.opts.events?.workerError?.(e));
      }
      return info;
    }, (e: Error) => {
      // diagnostics and everything else keep working; entity features say why they are empty
      this.opts.events?.initFailed?.(e);
      throw e;
    });
    return this.ready;
  }

  /** A request to the worker, started if it is not running. */
  async request<M extends Method>(method: M, params: Params<M>, opts?: { token?: CancellationToken; onProgress?: (p: Progress<M>) => void }): Promise<Result<M>> {
    await this.start();
    return this.send(method, params, opts);
  }

  private send<M extends Method>(method: M, params: Params<M>, opts?: { token?: CancellationToken; onProgress?: (p: Progress<M>) => void }): Promise<Result<M>> {
    if (!this.connection) return Promise.reject(new Error('the analysis worker is not running'));
    return this.connection.request(method, params, opts);
  }

  /** The analysis of a document version; concurrent callers share one request, and `token` only stops this caller waiting. */
  analyse(key: string, version: number, params: Params<'analyse'>, token?: CancellationToken): Promise<DocumentAnalysis> {
    let entry = this.cache.get(key);
    if (entry?.version !== version) {
      entry?.source.cancel(); // (an edit replaced that version)
      entry = this.track(key, version, params);
    }
    return untilCancelled(entry.result, token);
  }

  /** A new entry for the version: cached now, `analysed` when it lands while it is still the entry. */
  private track(key: string, version: number, params: Params<'analyse'>, again = false): Entry {
    const source = new CancellationSource();
    const result = this.request('analyse', params, { token: source.token });
    const entry: Entry = { version, result, source };
    this.cache.set(key, entry);
    result.then((analysis) => {
      if (this.cache.get(key) === entry) this.opts.events?.analysed?.(key, analysis, again);
    }, () => { if (this.cache.get(key) === entry) this.cache.delete(key); });
    return entry;
  }

  /** The cached analysis if it is for this version (never starts work: hovers use this). */
  cached(key: string, version: number): Promise<DocumentAnalysis> | undefined {
    const hit = this.cache.get(key);
    return hit?.version === version ? hit.result : undefined;
  }

  /** The document is closed: its entry goes, and its request with it. */
  forget(key: string): void {
    this.cache.get(key)?.source.cancel();
    this.cache.delete(key);
  }

  /**
   * Analyses every cached open document again; each keeps its current result (for hovers) until the new one
   * lands. Entries of closed or edited documents go.
   */
  private refreshOpen(): void {
    for (const [key, entry] of this.cache) {
      const now = this.opts.current(key);
      if (now?.version !== entry.version) { this.forget(key); continue; }
      const next = this.send('analyse', now.params, { token: entry.source.token });
      next.then((analysis) => {
        if (this.cache.get(key) !== entry) return;
        entry.result = next;
        this.opts.events?.analysed?.(key, analysis, true);
      }, () => undefined); // (the current result stays)
    }
  }

  /** The preferred backend replaced the quick-start one: open articles are analysed again with it. */
  private onUpgraded(info: InitResult): void {
    this.info = info;
    this.upgradedMs = performance.now() - this.spawnedAt;
    this.opts.events?.upgraded?.(info, this.upgradedMs);
    this.refreshOpen();
  }

  private onExit(connection: WorkerConnection, code: number): void {
    if (this.connection !== connection) return; // (a worker this service stopped itself)
    this.connection = undefined;
    this.ready = undefined;
    this.cache.clear();
    if (this.disposed) return;
    this.crashes++;
    const fellBack = this.crashes >= 2 && this.backend === 'nodejieba';
    if (fellBack) this.backend = 'jieba-wasm';
    this.opts.events?.crashed?.(new Error(`the analysis worker stopped (exit code ${code})`), this.crashes, fellBack);
    this.restartTimer?.cancel();
    this.restartTimer = this.schedule(() => { if (!this.disposed) void this.start().catch(() => undefined); }, restartDelay(this.crashes));
  }

  private schedule(run: () => void, ms: number): { cancel(): void } {
    if (this.opts.schedule) return this.opts.schedule(run, ms);
    const t = setTimeout(run, ms);
    return { cancel: () => clearTimeout(t) };
  }

  /** The worker takes the dictionary as it is now; open documents are analysed again with it (no gap for hovers). */
  async reloadDictionary(): Promise<void> {
    if (!this.connection) { this.cache.clear(); return; }
    await this.send('setDictionary', { dictionary: this.opts.dictionary() });
    this.refreshOpen();
  }

  /**
   * A setting that the worker takes only at its start changed (corpusLens.segmenter): the worker stops (its
   * requests fail with CancelledError) and the open documents are analysed again by a new one with it.
   */
  restart(backend: SegmenterBackend): void {
    this.backend = backend;
    this.crashes = 0;
    this.restartTimer?.cancel();
    const old = this.connection;
    this.connection = undefined;
    this.ready = undefined;
    const keys = [...this.cache.keys()];
    for (const key of keys) this.forget(key);
    if (old) { old.fail(new CancelledError()); stopWorker(old.worker); }
    for (const key of keys) {
      const now = this.opts.current(key);
      if (now) this.track(key, now.version, now.params, true);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.restartTimer?.cancel();
    if (this.connection) this.ended = stopWorker(this.connection.worker);
  }
  /** Resolves once the worker of a disposed service has exited (at once if it had none). */
  stopped(): Promise<void> { return this.ended; }
  private ended = Promise.resolve();
}

/**
 * Ends a worker as it asks to be ended (ShutdownMessage: it exits between two pieces of work), and from outside only
 * if it has not done so within 30 s (a worker stuck in a loop of its own: never one inside nodejieba, which would take
 * the process down with it). Resolves when it has exited.
 */
export function stopWorker(worker: WorkerLike): Promise<void> {
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.on('exit', () => { exited = true; resolve(); }));
  try { worker.postMessage({ method: 'shutdown' }); } catch { void worker.terminate(); return exit; }
  const late = setTimeout(() => { if (!exited) void worker.terminate(); }, 30000);
  late.unref?.();
  return exit;
}
