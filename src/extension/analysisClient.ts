/**
 * The extension host's side of the analysis worker: started lazily on the first request, requests with
 * cancellation, results cached per document version, restart with back-off when the worker dies, and
 * a fall-back to the WASM segmenter when the native one cannot load (said once).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../core/analysis';
import type { CorpusDiagnostic, RuleOptions } from '../core/rules';
import type { OutlineResult } from '../core/outline';
import type { DictionarySource } from '../core/engine';
import type { SegmenterBackend } from '../core/segment/segmenter';
import type { FileResult, InitResult, Request, RequestBody, Response } from '../worker/protocol';
import { log, tellOnce } from './log';
import { documentText } from './documentLength';

type Pending = { resolve(v: unknown): void; reject(e: Error): void; onProgress?: (p: { done: number; total: number; results: FileResult[] }) => void };

export class CancelledError extends Error { constructor() { super('cancelled'); } }

export class AnalysisClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private ready: Promise<InitResult> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly cache = new Map<string, { version: number; result: Promise<DocumentAnalysis> }>();
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private backend: SegmenterBackend;
  private readonly changed = new vscode.EventEmitter<{ uri: vscode.Uri; analysis: DocumentAnalysis }>();
  /** Fires when an open document's analysis is ready. */
  readonly onDidAnalyse = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when an open document was analysed again without an edit (the dictionary changed, or nodejieba took over). */
  readonly onDidRefresh = this.refreshed.event;
  info: InitResult | undefined;
  /** worker start to ready (segmenter and model loaded), for the benchmarks */
  startupMs: number | undefined;
  /** worker start to the preferred backend's engine after a quick start, for the benchmarks */
  upgradedMs: number | undefined;
  private spawnedAt = 0;

  constructor(private readonly workerPath: string, preferred: SegmenterBackend, private dictionary: () => DictionarySource) {
    this.backend = preferred;
  }

  private start(): Promise<InitResult> {
    if (this.ready) return this.ready;
    const spawned = performance.now();
    const w = new Worker(this.workerPath, { stdout: false, stderr: false });
    this.worker = w;
    w.on('message', (m: Response) => this.onMessage(m));
    w.on('error', (e) => log.error(`analysis worker error: ${e.stack ?? e.message}`));
    w.on('exit', (code) => this.onExit(w, code));
    this.spawnedAt = spawned;
    // quick start: jieba-wasm answers the first articles while nodejieba's dictionary loads
    this.ready = this.send<InitResult>({ kind: 'init', backend: this.backend, dictionary: this.dictionary(), quickStart: this.backend === 'nodejieba', messages: vscode.l10n.bundle }).then((info) => {
      this.info = info;
      this.startupMs = performance.now() - spawned;
      this.crashes = 0;
      log.info(`analysis worker ready: ${info.backend}${info.provisional ? ` (quick start; ${this.backend} loads when the first articles are done)` : ''}, segmenter ${info.loadMs.segmenter.toFixed(0)} ms, model ${info.loadMs.model.toFixed(0)} ms, ${info.memoryMB} MB`);
      if (info.fallbackReason) tellOnce('fallback', vscode.l10n.t('Corpus Lens: {0}. Entity recognition works, a little slower.', info.fallbackReason));
      for (const e of info.dictionaryErrors) tellOnce(`dict:${e.file}:${e.line}:${e.message}`, vscode.l10n.t('Corpus dictionary {0}, line {1}: {2} (the rest of the dictionary still applies)', e.file, e.line, e.message));
      return info;
    }, (e: Error) => {
      // diagnostics and everything else keep working; entity features say why they are empty
      tellOnce('init-failed', vscode.l10n.t('Corpus Lens: entity recognition is unavailable: {0}', e.message));
      throw e;
    });
    return this.ready;
  }

  private onMessage(m: Response) {
    if ('kind' in m && m.kind === 'upgraded') { this.onUpgraded(m.info); return; }
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('kind' in m) { p.onProgress?.(m); return; }
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(m.cancelled ? new CancelledError() : new Error(m.error));
  }

  /**
   * The preferred backend replaced the quick-start one: open articles are analysed again with it (their
   * current results stay in place, for hovers, until the new ones arrive).
   */
  private onUpgraded(info: InitResult) {
    this.info = info;
    this.upgradedMs = performance.now() - this.spawnedAt;
    log.info(`analysis worker: ${info.backend} loaded (segmenter ${info.loadMs.segmenter.toFixed(0)} ms, ${info.memoryMB} MB); open articles are analysed again`);
    if (info.fallbackReason) tellOnce('fallback', vscode.l10n.t('Corpus Lens: {0}. Entity recognition works, a little slower.', info.fallbackReason));
    this.refreshOpen();
  }

  /** Analyses every cached open document again; each keeps its current result (for hovers) until the new one lands. */
  private refreshOpen() {
    for (const [key, entry] of this.cache) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (doc && !doc.isClosed && doc.version === entry.version) this.requestAnalysis(doc, key);
      else this.cache.delete(key);
    }
  }

  private onExit(w: Worker, code: number) {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.ready = undefined;
    this.cache.clear();
    const err = new Error(`the analysis worker stopped (exit code ${code})`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (this.disposed) return;
    this.crashes++;
    log.error(`${err.message}; crash ${this.crashes}`);
    if (this.crashes >= 2 && this.backend === 'nodejieba') {
      this.backend = 'jieba-wasm';
      tellOnce('worker-fallback', vscode.l10n.t('Corpus Lens: the analysis worker stopped twice with nodejieba; switching to the WASM segmenter.'));
    } else if (this.crashes === 1) {
      tellOnce('worker-crash', vscode.l10n.t('Corpus Lens: the analysis worker stopped; restarting it.'));
    }
    const delay = Math.min(30000, 500 * 2 ** (this.crashes - 1));
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => { if (!this.disposed) void this.start().catch(() => undefined); }, delay);
  }

  private send<T>(req: RequestBody, token?: vscode.CancellationToken, onProgress?: Pending['onProgress']): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.worker) { reject(new Error('the analysis worker is not running')); return; }
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ ...req, id } as Request);
      token?.onCancellationRequested(() => {
        if (!this.pending.has(id)) return;
        this.worker?.postMessage({ id: this.nextId++, kind: 'cancel', target: id } satisfies Request);
      });
    });
  }

  async request<T>(req: RequestBody, token?: vscode.CancellationToken, onProgress?: Pending['onProgress']): Promise<T> {
    await this.start();
    return this.send<T>(req, token, onProgress);
  }

  /** The analysis of the document's current version; concurrent callers share one request. */
  analyse(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentAnalysis> {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.result;
    const result = this.request<DocumentAnalysis>(analyseRequest(doc), token);
    this.track(doc, key, doc.version, result, true);
    return result;
  }

  /** Caches a result for a document version and fires onDidAnalyse when it lands (if still current). */
  private track(doc: vscode.TextDocument, key: string, version: number, result: Promise<DocumentAnalysis>, cacheNow: boolean) {
    if (cacheNow) this.cache.set(key, { version, result });
    result.then((analysis) => {
      const cur = this.cache.get(key);
      if (cur?.version !== version) return;
      if (!cacheNow) this.cache.set(key, { version, result });
      this.changed.fire({ uri: doc.uri, analysis });
      if (!cacheNow) this.refreshed.fire(doc.uri);
    }, () => { if (cacheNow && this.cache.get(key)?.result === result) this.cache.delete(key); });
  }

  /** Analyses the document again, keeping the cached result until the new one arrives. */
  private requestAnalysis(doc: vscode.TextDocument, key: string) {
    const result = this.send<DocumentAnalysis>(analyseRequest(doc));
    this.track(doc, key, doc.version, result, false);
  }

  /** Outline and folding of a text, in the worker (for long articles). */
  outline(text: string): Promise<OutlineResult> {
    return this.request<OutlineResult>({ kind: 'outline', text });
  }

  /** The corpus rules over a text, in the worker (for long articles). */
  check(text: string, options: RuleOptions): Promise<CorpusDiagnostic[]> {
    return this.request<CorpusDiagnostic[]>({ kind: 'check', text, options });
  }

  /**
   * The analysis of the document's current version as the document analyser (debounced) produces it:
   * the cached one, or the next to land for this version; never sends a request itself. Resolves
   * undefined when cancelled or when an edit makes the version stale.
   */
  settled(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<DocumentAnalysis | undefined> {
    const hit = this.cached(doc);
    if (hit) return hit;
    const version = doc.version;
    return new Promise((resolve) => {
      const finish = (v: DocumentAnalysis | undefined) => { sub.dispose(); cancel.dispose(); resolve(v); };
      const sub = this.onDidAnalyse(({ uri, analysis }) => {
        if (uri.toString() !== doc.uri.toString()) return;
        finish(doc.version === version ? analysis : undefined);
      });
      const cancel = token.onCancellationRequested(() => finish(undefined));
    });
  }

  /** The cached analysis if it is for the current version (never starts work: hovers use this). */
  cached(doc: vscode.TextDocument): Promise<DocumentAnalysis> | undefined {
    const hit = this.cache.get(doc.uri.toString());
    return hit && hit.version === doc.version ? hit.result : undefined;
  }

  forget(uri: vscode.Uri) { this.cache.delete(uri.toString()); }

  /** The worker takes the dictionary as it is now; open documents are analysed again with it (no gap for hovers). */
  async reloadDictionary(): Promise<void> {
    if (!this.worker) { this.cache.clear(); return; }
    await this.send({ kind: 'setDictionary', dictionary: this.dictionary() });
    this.refreshOpen();
  }

  dispose() {
    this.disposed = true;
    clearTimeout(this.restartTimer);
    void this.worker?.terminate();
    this.changed.dispose();
    this.refreshed.dispose();
  }
}

/** The worker request for a document's current text. */
function analyseRequest(doc: vscode.TextDocument): RequestBody {
  return { kind: 'analyse', path: vscode.workspace.asRelativePath(doc.uri, false), text: documentText(doc) };
}

export function workerPath(context: vscode.ExtensionContext): string {
  return path.join(context.extensionPath, 'dist', 'worker.js');
}
