/**
 * The extension host's side of the analysis worker: worker/client.ts's AnalysisService (lazy start, restart
 * with back-off, the per-version cache) over documents, with its events as VS Code events and its news told
 * to the user (once) and the log.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../core/analysis';
import type { CorpusDiagnostic, RuleOptions } from '../core/rules';
import type { OutlineResult } from '../core/outline';
import type { DictionarySource } from '../core/engine';
import type { SegmenterBackend } from '../core/segment/segmenter';
import type { InitResult, Method, Params, Progress, Result } from '../worker/protocol';
import { AnalysisService, CancellationToken, ServiceOptions, WorkerLike } from '../worker/client';
import { getConfig } from './config';
import { log, tellOnce } from './log';
import { documentText } from './documentLength';

export { CancelledError } from '../worker/client';

/** Settings the worker takes only when it starts: a change restarts it (rust-analyzer's requiresServerReloadOpts). */
const RESTART_SETTINGS = ['corpusLens.segmenter', 'corpusLens.model'];

export class AnalysisClient implements vscode.Disposable {
  private readonly service: AnalysisService;
  /** the documents behind the service's keys, for the events */
  private readonly uris = new Map<string, vscode.Uri>();
  private readonly changed = new vscode.EventEmitter<{ uri: vscode.Uri; analysis: DocumentAnalysis }>();
  /** Fires when an open document's analysis is ready. */
  readonly onDidAnalyse = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when an open document was analysed again without an edit (the dictionary or the segmenter changed, or nodejieba took over). */
  readonly onDidRefresh = this.refreshed.event;
  private readonly settingsWatch: vscode.Disposable;
  /** the running worker thread (the integration suite ends it as a crash would) */
  private worker: WorkerLike | undefined;
  /** the index's part: what each new worker must open first, and the file an open document is indexed as */
  private index: { afterStart(request: Parameters<NonNullable<ServiceOptions['afterStart']>>[0]): Promise<void>; fileOf(doc: vscode.TextDocument): string | undefined } | undefined;

  constructor(workerPath: string, preferred: SegmenterBackend, dictionary: () => DictionarySource, modelPath: () => string | undefined = () => undefined) {
    this.service = new AnalysisService({
      // (below the host's thread: worker/priority.ts)
      spawn: () => (this.worker = new Worker(workerPath, { stdout: false, stderr: false, workerData: { background: true } })),
      backend: preferred,
      dictionary,
      modelPath,
      messages: vscode.l10n.bundle,
      current: (key) => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
        return doc && !doc.isClosed ? { version: doc.version, params: this.analyseParams(doc) } : undefined;
      },
      afterStart: (request) => this.index?.afterStart(request) ?? Promise.resolve(),
      events: {
        ready: (info, _ms, asked) => {
          log.info(`analysis worker ready: ${info.backend}${info.provisional ? ` (quick start; ${asked} loads when the first articles are done)` : ''}, segmenter ${info.loadMs.segmenter.toFixed(0)} ms, model ${info.loadMs.model.toFixed(0)} ms, ${info.memoryMB} MB`);
          tellFallback(info);
          for (const e of info.dictionaryErrors) tellOnce(`dict:${e.file}:${e.line}:${e.message}`, vscode.l10n.t('Corpus dictionary {0}, line {1}: {2} (the rest of the dictionary still applies)', e.file, e.line, e.message));
        },
        initFailed: (e) => tellOnce('init-failed', vscode.l10n.t('Corpus Lens: entity recognition is unavailable: {0}', e.message)),
        upgraded: (info) => {
          log.info(`analysis worker: ${info.backend} loaded (segmenter ${info.loadMs.segmenter.toFixed(0)} ms, ${info.memoryMB} MB); open articles are analysed again`);
          tellFallback(info);
        },
        crashed: (err, crashes, fellBack) => {
          log.error(`${err.message}; crash ${crashes}`);
          if (fellBack) tellOnce('worker-fallback', vscode.l10n.t('Corpus Lens: the analysis worker stopped twice with nodejieba; switching to the WASM segmenter.'));
          else if (crashes === 1) tellOnce('worker-crash', vscode.l10n.t('Corpus Lens: the analysis worker stopped; restarting it.'));
        },
        workerError: (e) => log.error(`analysis worker error: ${e.stack ?? e.message}`),
        analysed: (key, analysis, again) => {
          const uri = this.uris.get(key) ?? vscode.Uri.parse(key);
          this.changed.fire({ uri, analysis });
          if (again) this.refreshed.fire(uri);
        },
      },
    });
    this.settingsWatch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) return;
      log.info(`${RESTART_SETTINGS.filter((s) => e.affectsConfiguration(s)).join(', ')} changed: the analysis worker restarts`);
      this.service.restart(getConfig().segmenter);
    });
  }

  get info(): InitResult | undefined { return this.service.info; }

  /** Starts a new worker (another model to load: corpusLens.model, or the workspace became trusted). */
  restart(): void { this.service.restart(getConfig().segmenter); }
  /** worker start to ready (segmenter and model loaded), for the benchmarks */
  get startupMs(): number | undefined { return this.service.startupMs; }
  /** worker start to the preferred backend's engine after a quick start, for the benchmarks */
  get upgradedMs(): number | undefined { return this.service.upgradedMs; }

  request<M extends Method>(method: M, params: Params<M>, opts?: { token?: CancellationToken; onProgress?: (p: Progress<M>) => void }): Promise<Result<M>> {
    return this.service.request(method, params, opts);
  }

  /** The analysis of the document's current version; concurrent callers share one request, `token` only stops this caller waiting. */
  analyse(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentAnalysis> {
    const key = doc.uri.toString();
    this.uris.set(key, doc.uri);
    return this.service.analyse(key, doc.version, this.analyseParams(doc), token);
  }

  /**
   * The corpus index joins: `afterStart` runs as each worker starts (it opens the index database), and an open
   * document's analysis also goes into the index as `fileOf(doc)` (undefined: not an article of the index).
   */
  attachIndex(index: NonNullable<AnalysisClient['index']>): vscode.Disposable {
    const before = this.index;
    this.index = index;
    return { dispose: () => { if (this.index === index) this.index = before; } };
  }

  /** The worker request for a document's current text. */
  private analyseParams(doc: vscode.TextDocument): Params<'analyse'> {
    const indexAs = this.index?.fileOf(doc);
    return { path: vscode.workspace.asRelativePath(doc.uri, false), text: documentText(doc), ...(indexAs && { indexAs }) };
  }

  /** Outline and folding of a text, in the worker (for long articles). */
  outline(text: string): Promise<OutlineResult> {
    return this.service.request('outline', { text });
  }

  /** The corpus rules over a text, in the worker (for long articles). */
  check(text: string, options: RuleOptions): Promise<CorpusDiagnostic[]> {
    return this.service.request('check', { text, options });
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
    return this.service.cached(doc.uri.toString(), doc.version);
  }

  /** The document is closed: its analysis (and a request still out for it) goes. */
  forget(uri: vscode.Uri) {
    this.service.forget(uri.toString());
    this.uris.delete(uri.toString());
  }

  /** The worker takes the dictionary as it is now; open documents are analysed again with it (no gap for hovers). */
  reloadDictionary(): Promise<void> { return this.service.reloadDictionary(); }

  /** Resolves once the worker of a disposed client has exited (its shutdown: the index closed, its heap released). */
  stopped(): Promise<void> { return this.service.stopped(); }

  dispose() {
    this.settingsWatch.dispose();
    this.service.dispose();
    this.changed.dispose();
    this.refreshed.dispose();
  }
}

function tellFallback(info: InitResult) {
  if (info.fallbackReason) tellOnce('fallback', vscode.l10n.t('Corpus Lens: {0}. Entity recognition works, a little slower.', info.fallbackReason));
}

export function workerPath(context: vscode.ExtensionContext): string {
  return path.join(context.extensionPath, 'dist', 'worker.js');
}
