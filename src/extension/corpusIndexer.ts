/**
 * Keeps the corpus index current: all corpus files in the workspace, analysed in the worker in the background
 * with progress in the status bar; honours files.exclude and corpusLens.index.exclude; follows edits (unsaved
 * text counts), saves, creations, deletions and renames. The index itself is the worker's SQLite database in the
 * extension's storage (never in the user's folder; docs/index-database.md): the host keeps the set of indexed
 * paths and asks the rest (`queries`).
 * With corpusLens.problems.scope "workspace", the worker also checks every file it reads against the corpus rules
 * (files unchanged since they were indexed too: it reads them for that), and the findings are kept here for the
 * Problems view. They are not stored: they depend on the settings, the .corpus-lens.json files, the display
 * language and the date as much as on the text.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { formatCount } from '../core/messages';
import { CorpusIndex } from '../core/corpusIndex';
import type { CorpusQueries } from '../core/corpusQueries';
import { MemoryCorpusQueries } from '../core/memoryQueries';
import { readCorpusFile } from '../core/files';
import { containsCorpusFile, SKIPPED_SHOWN } from '../core/corpusListing';
import { whenQuiet } from '../core/spacing';
import type { IndexedFinding } from '../core/findings';
import type { CheckParams, FileResult, Method, Params, Result } from '../worker/protocol';
import { WorkerCorpusQueries } from '../worker/indexClient';
import type { CancellationToken } from '../worker/client';
import { SerialRuns } from '../worker/serialRuns';
import { AnalysisClient, CancelledError } from './analysisClient';
import type { CommandId, FeatureCommands } from './commands';
import { getConfig, ruleOptions } from './config';
import { onTrustGranted, workspaceTrusted } from './trust';
import { LANGUAGE_ID } from './languageDetection';
import { punctuationSummary } from './conventions';
import { log } from './log';
import { documentText } from './documentLength';

/** the index database, in the extension's workspace storage (docs/index-database.md) */
const DATABASE_FILE = 'index.db';
/** the whole-corpus JSON cache that versions before the database wrote there */
const OLD_CACHE_FILE = 'corpus-index.json';
/**
 * The status bar's count during an index run is said again at most once a second, not at every progress message
 * (up to five a second): each new text crosses to the window and is laid out and drawn again there.
 */
const STATUS_EVERY_MS = 1000;

/**
 * What every cached analysis depends on besides the article: extension version, model file and its record (which
 * holds the calibration of the mentions' confidences), segmenter, corpus dictionary.
 */
export function analysisFingerprint(context: vscode.ExtensionContext, dict: { tsv?: string; stop?: string }, modelFile?: string): string {
  let model = '';
  // the shipped model and its record, or the workspace's own model (corpusLens.model)
  for (const file of modelFile ? [modelFile] : ['ner.model', 'ner.model.json'].map((f) => path.join(context.extensionPath, 'models', f))) {
    try { const st = fs.statSync(file); model += `${file}:${st.size}:${st.mtimeMs};`; } catch { /* no model */ }
  }
  // the segmenter too: another one cuts the text otherwise, and the tagger sees its words
  return createHash('sha1').update(`${context.extension.packageJSON.version}\0${model}\0${getConfig().segmenter}\0${dict.tsv ?? ''}\0${dict.stop ?? ''}`).digest('hex');
}


export class CorpusIndexer implements vscode.Disposable {
  /** the indexed paths, kept from the worker's per-file results: all the host holds of each article */
  private readonly paths = new Set<string>();
  /** indexed articles whose analysis is an open editor's text (the worker keeps it until the editor closes) */
  private readonly editorFiles = new Set<string>();
  /**
   * What the features ask of the corpus index: the worker answers from its database (an empty index until indexing
   * started: nothing is opened, and no worker started, for a workspace that is no corpus).
   */
  readonly queries: CorpusQueries = new WorkerCorpusQueries((method, params) => this.ask(method, params));
  private readonly empty = new MemoryCorpusQueries(new CorpusIndex(), () => undefined);
  private readonly status = vscode.window.createStatusBarItem('corpusLens.index', vscode.StatusBarAlignment.Left, 10);
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (debounced) whenever the index changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pendingFiles = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private readonly skipped = new Map<string, string>();
  /** the corpus rules' findings per file with any, as the worker last checked the file on disk */
  private readonly findings = new Map<string, IndexedFinding[]>();
  private readonly findingsChanged = new vscode.EventEmitter<string[]>();
  /** Fires with the files whose findings changed (or went); with none after a check that changed nothing. */
  readonly onDidChangeFindings = this.findingsChanged.event;
  private recheckTimer: NodeJS.Timeout | undefined;
  /** resolves when the first full indexing pass is done (tests and the extract command wait on it) */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  /** the full passes (reindex, rebuild): one at a time, the newest wins (worker/serialRuns says why) */
  private readonly passes = new SerialRuns();
  /** a rebuild was asked for: the next full pass that starts empties the database first */
  private emptyFirst = false;

  /**
   * @param storage the extension's workspace storage, where the index database lives (none: a database in memory)
   * @param fingerprint what the indexed analyses depend on besides each file's text (extension version, model file,
   *   corpus dictionary, segmenter); a database written under another fingerprint is rebuilt
   */
  constructor(private readonly client: AnalysisClient, private readonly storage: vscode.Uri | undefined, private readonly fingerprint: () => string = () => '') {
    this.ready = new Promise((r) => (this.resolveReady = r));
    this.status.name = 'Corpus Lens index';
    this.status.command = 'corpusLens.focusEntities' satisfies CommandId;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{txt,corpus}');
    const configWatcher = vscode.workspace.createFileSystemWatcher('**/.corpus-lens.json');
    // a folder created or deleted whole (a copy, a checkout, rm -r) is reported once, as the folder, which the
    // files' glob does not match: its articles come and go with it
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const isArticlePath = (u: vscode.Uri) => /\.(txt|corpus)$/i.test(u.path);
    this.disposables.push(
      this.status, this.changed, this.findingsChanged, watcher, configWatcher, folders,
      // each worker opens the database before it answers; an open article's analysis goes in as that file (an editor
      // still open on a file deleted from disk, or its folder, holds no article of the corpus any more)
      client.attachIndex({
        afterStart: (request) => this.openIndex(request),
        fileOf: (doc) => (this.started && doc.uri.scheme === 'file' && fs.existsSync(doc.uri.fsPath) ? doc.uri.fsPath : undefined),
      }),
      folders.onDidCreate((u) => { if (u.scheme === 'file' && !isArticlePath(u) && this.started) void this.addFolder(u); }),
      folders.onDidDelete((u) => { if (u.scheme === 'file' && !isArticlePath(u)) this.folderGone(u.fsPath); }),
      watcher.onDidCreate((u) => this.queue(u)),
      watcher.onDidChange((u) => this.queue(u)),
      watcher.onDidDelete((u) => this.remove(u.fsPath)),
      vscode.workspace.onDidRenameFiles((e) => { for (const f of e.files) this.move(f.oldUri.fsPath, f.newUri); }),
      // unsaved text counts: the worker put the open article's latest analysis in place of the file's
      client.onDidAnalyse(({ uri }) => this.fromEditor(uri)),
      // a closed document's unsaved edits are gone: take the file from disk again
      vscode.workspace.onDidCloseTextDocument((d) => { if (this.editorFiles.delete(d.uri.fsPath)) void this.release(d.uri); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('corpusLens.index') || e.affectsConfiguration('files.exclude')) void this.reindex();
        else if (['rules', 'dateline', 'problems'].some((s) => e.affectsConfiguration(`corpusLens.${s}`))) this.scheduleRecheck();
      }),
      // the rule options of the files below them changed; Restricted Mode's end lets them apply
      configWatcher.onDidChange(() => this.scheduleRecheck()), configWatcher.onDidCreate(() => this.scheduleRecheck()), configWatcher.onDidDelete(() => this.scheduleRecheck()),
      onTrustGranted(() => this.scheduleRecheck()),
    );
  }

  /** Whether the file is an indexed article (cheap: a set of paths). */
  has(file: string): boolean { return this.paths.has(file); }
  /** The number of indexed articles. */
  get size(): number { return this.paths.size; }

  /** The current text of the indexed articles open in an editor (the `texts` of a concordance query). */
  openTexts(): Record<string, string> {
    const texts: Record<string, string> = {};
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'file' && this.paths.has(d.uri.fsPath)) texts[d.uri.fsPath] = documentText(d);
    return texts;
  }

  /**
   * The indexed articles that may hold a string, from the database's trigram index without reading any (`texts`:
   * open editors' text); undefined for fewer than 3 characters.
   */
  async candidates(query: string, texts: Record<string, string>): Promise<string[] | undefined> {
    if (!this.started) return [];
    return (await this.client.request('indexCandidates', { query, texts })) ?? undefined;
  }

  /** Text of an indexed file: the open editor's (unsaved) text, else the file on disk. */
  textOf(file: string): string | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    if (open) return documentText(open);
    // decoded as the worker decodes (a BOM dropped), so the indexed offsets fit
    const read = readCorpusFile(file, getConfig().maxFileSizeMB * 1048576);
    return read.ok ? read.text : undefined;
  }

  private dbPath(): string {
    return this.storage ? path.join(this.storage.fsPath, DATABASE_FILE) : ':memory:';
  }

  /**
   * Opens the index database in a worker that just started (AnalysisClient's afterStart: before any other request
   * reaches it). One whose fingerprint is not the current one comes back empty: while articles are known, they are
   * indexed again (a new model or segmenter restarted the worker); a full pass that opens it indexes them itself.
   */
  private async openIndex(request: Parameters<Parameters<AnalysisClient['attachIndex']>[0]['afterStart']>[0], inPass = false): Promise<void> {
    if (!this.started) return;
    if (this.storage) await fs.promises.mkdir(this.storage.fsPath, { recursive: true });
    const opened = await request('openIndex', { dbPath: this.dbPath(), fingerprint: this.fingerprint(), maxBytes: getConfig().maxFileSizeMB * 1048576 });
    log.info(opened.message);
    if (opened.rebuilt && this.paths.size > 0 && !inPass) setImmediate(() => void this.reindex());
  }

  /** A question for the worker's database; the empty index answers until indexing started. */
  private ask<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.started) {
      const member = method.slice('query.'.length) as keyof CorpusQueries;
      return (this.empty[member] as (...a: unknown[]) => Promise<Result<M>>)(...(params as { args: unknown[] }).args);
    }
    return this.client.request(method, params);
  }

  private fromEditor(uri: vscode.Uri) {
    if (!this.started || uri.scheme !== 'file' || !fs.existsSync(uri.fsPath)) return;
    this.paths.add(uri.fsPath);
    this.editorFiles.add(uri.fsPath);
    this.fireChanged();
  }

  /** The editor closed: the file as it is on disk replaces its unsaved text in the index. */
  private async release(uri: vscode.Uri) {
    try { await this.client.request('indexRelease', { files: [uri.fsPath] }); } catch (e) { log.warn(`the index kept the editor's text of ${uri.fsPath}: ${(e as Error).message}`); }
    this.queue(uri);
  }

  /**
   * The corpus files of a folder that appeared, in no particular order: walked by the worker (core/corpusListing),
   * leaving out what files.exclude and corpusLens.index.exclude name. Not findFiles: in a remote host (code-server) it
   * parses the search's output on this thread, 287 ms in one piece for 30,000 files. (A full pass lists in the worker
   * and keeps the list there: indexListing.)
   */
  private async listFiles(under: vscode.Uri): Promise<string[]> {
    const roots = this.listingRoots(under);
    if (!roots.length) return [];
    const listing = await this.client.request('listCorpus', { roots });
    this.logListing(listing.refused, listing.skipped, listing.skipped.length);
    return listing.files;
  }

  private logListing(refused: string[], skipped: string[], skippedCount: number) {
    for (const m of refused) log.warn(`corpusLens.index.exclude or files.exclude: ${m}; ignored`);
    for (const m of skipped.slice(0, SKIPPED_SHOWN)) log.info(m);
    if (skippedCount > SKIPPED_SHOWN) log.info(`… and ${skippedCount - SKIPPED_SHOWN} more left out of the corpus index`);
  }

  /** the folders to list (the workspace's, or one in it), each with the globs that leave files out */
  private listingRoots(under?: vscode.Uri) {
    const folders = under ? [under] : (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
    return folders.filter((u) => u.scheme === 'file').map((u) => {
      const excluded = vscode.workspace.getConfiguration('files', u).get<Record<string, unknown>>('exclude') ?? {};
      return {
        root: u.fsPath,
        base: (vscode.workspace.getWorkspaceFolder(u)?.uri ?? u).fsPath,
        // (a files.exclude entry with a "when" condition is not applied: it names a sibling file to look for)
        exclude: [...Object.entries(excluded).filter(([, on]) => on === true).map(([g]) => g), ...getConfig(u).indexExclude],
      };
    });
  }

  /**
   * Full pass: the worker opens the database, forgets the articles no longer listed, and analyses every file whose
   * stat or hash is not the one indexed (a reopened corpus: a stat per file, no analysis). Resolves when the index is
   * complete: this pass ended, or a newer one that replaced it.
   */
  reindex(): Promise<void> { return this.runPass(); }

  /** Rebuilds the index from nothing: every article analysed again (resolves as reindex does). */
  rebuild(): Promise<void> { this.emptyFirst = true; return this.runPass(); }

  private async runPass(): Promise<void> {
    this.started = true;
    await this.passes.run((token) => this.fullPass(token));
    await this.passes.whenIdle();
  }

  private async fullPass(token: CancellationToken): Promise<void> {
    const started = Date.now();
    // the host's own event loop while the pass lasts: its longest block goes into the log and lastPass
    const delay = monitorEventLoopDelay({ resolution: 2 });
    delay.enable();
    try {
      this.dropOldCache();
      // (a running worker is asked here; one that starts now opens it in afterStart, and this asks again: a no-op)
      await this.openIndex((method, params) => this.client.request(method, params), true);
      if (this.emptyFirst) await this.emptyIndex();
      if (token.isCancellationRequested) throw new CancelledError();
      // the worker lists the corpus, keeps the index to it and keeps the list for the run: this thread holds neither
      // (100,000 paths received, put in a Set and sent back twice took it about 150 ms in one piece)
      const listing = await this.client.request('indexListing', { roots: this.listingRoots() });
      this.logListing(listing.refused, listing.skipped, listing.skippedCount);
      for (const f of listing.gone) { this.paths.delete(f); this.editorFiles.delete(f); }
      if (listing.gone.length) this.fireChanged();
      this.dropFindings(listing.gone);
      if (token.isCancellationRequested) throw new CancelledError();
      await this.analyseFiles({ listing: listing.listing, count: listing.count }, token);
      await this.indexUnsaved();
      this.lastPass = { ms: Date.now() - started, longestBlockMs: delay.max / 1e6 };
      log.info(`indexed ${listing.count} files in ${this.lastPass.ms} ms (${this.size} articles, ${this.skipped.size} skipped; the extension host's longest block meanwhile ${this.lastPass.longestBlockMs.toFixed(1)} ms)`);
    } catch (e) {
      // (a newer pass replaces a cancelled one: nothing to say)
      if (!(e instanceof CancelledError) && !token.isCancellationRequested) log.error(`indexing failed: ${(e as Error).message}`);
    } finally {
      delay.disable();
      this.showIdle();
      // (a cancelled pass has a newer one after it, which completes the index)
      if (!token.isCancellationRequested) this.resolveReady();
    }
  }

  /** A rebuild's start: every article out of the database (the pass then analyses each again). */
  private async emptyIndex(): Promise<void> {
    try {
      await this.client.request('indexRetain', { files: [] });
    } catch (e) { log.warn(`emptying the index failed: ${(e as Error).message}`); }
    this.emptyFirst = false;
    this.paths.clear();
    this.editorFiles.clear();
    this.fireChanged();
  }

  /**
   * The unsaved text of open articles into the database: an editor's analysis that landed before the database was
   * open (a window restored with unsaved edits) or that a rebuild emptied away is not lost until the next edit.
   */
  private async indexUnsaved(): Promise<void> {
    for (const doc of vscode.workspace.textDocuments) {
      if (!doc.isDirty || doc.languageId !== LANGUAGE_ID || doc.uri.scheme !== 'file' || !fs.existsSync(doc.uri.fsPath)) continue;
      try {
        await this.client.request('analyse', { path: vscode.workspace.asRelativePath(doc.uri, false), text: documentText(doc), indexAs: doc.uri.fsPath });
        this.fromEditor(doc.uri);
      } catch (e) { log.warn(`the index could not take the unsaved text of ${doc.uri.fsPath}: ${(e as Error).message}`); }
    }
  }

  private started = false;
  /**
   * Indexes the workspace once it is a corpus: a .corpus file in it, or a corpus article open (a folder of
   * unrelated .txt files never starts the worker). Later opens of corpus articles start it too.
   */
  startWhenNeeded(): vscode.Disposable {
    // the first pass waits (at most 10 s) for the host to be quiet: VS Code's own start-up goes on for a few seconds
    // after this activation, and indexing beside it slowed it and blocked with it (core/spacing whenQuiet); a command
    // that needs the index starts it at once (ensureStarted)
    let waiting = false;
    const start = () => {
      if (this.started || waiting) return;
      waiting = true;
      void whenQuiet().then((ms) => {
        if (this.started) return;
        log.info(`the first index pass starts after ${ms.toFixed(0)} ms, once the extension host is quiet`);
        void this.reindex();
      });
    };
    const sub = vscode.workspace.onDidOpenTextDocument((d) => { if (d.languageId === LANGUAGE_ID) start(); });
    if (vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID)) start();
    // (not findFiles: core/corpusListing containsCorpusFile says why)
    else {
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
      void containsCorpusFile(folders).then((found) => { if (found) start(); }, (e) => log.warn(`looking for .corpus files failed: ${(e as Error).message}`));
    }
    return sub;
  }

  /**
   * Resolves when the index holds the corpus as it is known now: the first pass done (started now if need be), no
   * full pass or rebuild under way or waiting (a rebuild empties the database first), and the files changed on disk
   * analysed. What reads the whole corpus at once and keeps the result (an export, training, the conventions written
   * into .corpus-lens.json) waits for it; a view that follows the index does not.
   */
  async whenCurrent(): Promise<void> {
    await this.ensureStarted();
    await this.passes.whenIdle();
    await (this.pendingFiles.size ? this.flushQueue() : this.flushed);
  }

  /** The first full pass, started now if the workspace had not asked for it yet (a command needs the index). */
  ensureStarted(): Promise<void> {
    if (!this.started) void this.reindex();
    return this.ready;
  }

  /**
   * Analyses indexed files again, though unchanged (those containing `containing`, as the index's full-text search
   * finds them, or all), after the dictionary or the model changed; the database then records what its analyses
   * follow (the fingerprint), so the next start keeps them.
   */
  async reanalyse(containing?: string): Promise<void> {
    if (!this.started) return;
    if (containing === undefined) {
      // all of them: a rebuild from nothing (every article analysed again into an emptied database) instead of each
      // article's rows replaced one by one, whose totals are recomputed from the rest (3,000 articles: 28.3 s against
      // 14.7 s, and growing with the square of the corpus)
      await this.rebuild();
      await this.client.request('indexAdopt', { fingerprint: this.fingerprint() });
      return;
    }
    // (the trigram index names the articles; a string of 1 or 2 characters is looked for in the articles' text)
    const files = (await this.client.request('indexCandidates', { query: containing })) ?? (await this.client.request('searchIndex', { query: containing })).hits.map((h) => h.file);
    if (files.length) {
      await this.client.request('analyseFiles', this.indexRun(files, { force: true }), { onProgress: (p) => this.apply(p.results) });
    }
    await this.client.request('indexAdopt', { fingerprint: this.fingerprint() });
    this.showIdle();
  }

  /**
   * Re-analyses these indexed files where what their analysis depends on changed (the worker compares each file's
   * stat, hash and the user's decisions for it with the database's): after annotations.jsonl changed.
   */
  async refreshFiles(files: string[]): Promise<void> {
    const indexed = files.filter((f) => this.paths.has(f));
    if (indexed.length === 0) return;
    await this.client.request('analyseFiles', this.indexRun(indexed), { onProgress: (p) => this.apply(p.results) });
    this.showIdle();
  }

  /** The corpus rules' findings of an indexed file as it is on disk (none while Problems shows open files only). */
  findingsOf(file: string): IndexedFinding[] | undefined { return this.findings.get(file); }

  /** What the worker checks the files with; undefined when Problems shows open files only (nothing to check). */
  private checkParams(): CheckParams | undefined {
    if (getConfig().problemsScope !== 'workspace') return undefined;
    // (a copy: the settings' objects are proxies that cannot cross to the worker)
    const options = (scope?: vscode.Uri) => { const o = ruleOptions(getConfig(scope)); return { ...o, severities: { ...o.severities } }; };
    return {
      options: options(),
      folders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ root: f.uri.fsPath, options: options(f.uri) })),
      configFiles: workspaceTrusted(), // (Restricted Mode: the workspace's .corpus-lens.json files are not read)
    };
  }

  private scheduleRecheck() {
    if (!this.started) return;
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => void this.recheck().catch((e) => log.warn(`re-checking the corpus failed: ${(e as Error).message}`)), 300);
  }

  /**
   * The rule options changed: every indexed file is checked again. The worker reads and checks each without
   * analysing it again (its stat or hash is the database's). Files open in an editor show their own findings.
   */
  private async recheck(): Promise<void> {
    await this.ready;
    const check = this.checkParams();
    if (!check) { this.dropFindings([...this.findings.keys()]); return; }
    const files = [...this.paths].filter((f) => !this.editorFiles.has(f));
    if (files.length === 0) return;
    await this.client.request('analyseFiles', this.indexRun(files, { check }), { onProgress: (p) => this.apply(p.results) });
  }

  private dropFindings(files: string[]) {
    const gone = files.filter((f) => this.findings.delete(f));
    if (gone.length) this.findingsChanged.fire(gone);
  }

  /** An index run of these files as the settings ask for it now (the rule options, the size limit, the helper thread). */
  private indexRun(files: string[], more: Partial<Params<'analyseFiles'>> = {}): Params<'analyseFiles'> {
    const cfg = getConfig();
    return { files, maxBytes: cfg.maxFileSizeMB * 1048576, index: true, helper: cfg.indexHelperThread, ...more, check: more.check ?? this.checkParams() };
  }

  /** these files, or a full pass's listing kept in the worker (indexListing: the worker takes it in path order) */
  private async analyseFiles(files: string[] | { listing: number; count: number }, token?: CancellationToken): Promise<void> {
    const count = Array.isArray(files) ? files.length : files.count;
    if (count === 0) return;
    const say = (done: number) => { this.status.text = `$(sync~spin) ${vscode.l10n.t('Corpus Lens: indexing {0}/{1}', done, count)}`; };
    say(0);
    this.status.show();
    const params = Array.isArray(files) ? this.indexRun(files) : this.indexRun([], { listing: files.listing });
    let said = performance.now();
    const run = await this.client.request('analyseFiles', params, { token, onProgress: (p) => {
      this.apply(p.results);
      if (performance.now() - said >= STATUS_EVERY_MS) { said = performance.now(); say(p.done); }
    } });
    // (the run went on in the worker's own thread: said once, in the log)
    if (run.helperLeft && !this.helperLeftSaid) { this.helperLeftSaid = true; log.warn(`indexing went on without its helper thread: ${run.helperLeft}`); }
    if (run.byHelper) log.info(`indexed ${run.analysed} articles, ${run.byHelper} of them in the helper thread`);
    this.lastRun = run;
  }
  /** the worker's answer to the last index run (the bench's figures: the helper's share, the threads' idle time) */
  lastRun: Result<'analyseFiles'> | undefined;
  /**
   * The last full pass that ended (reindex: listing, analysis, the unsaved texts): its wall time, and the longest
   * block of the extension host's event loop meanwhile (monitorEventLoopDelay, 2 ms resolution), whatever blocked it
   * (VS Code's own start-up overlaps a first pass). For the log and the bench.
   */
  lastPass: { ms: number; longestBlockMs: number } | undefined;
  private helperLeftSaid = false;

  /** The worker's per-file results: the database has taken the analyses; the host keeps which files are articles. */
  private apply(results: FileResult[]) {
    const checked: string[] = [];
    let changed = false, anyChecked = false;
    for (const r of results) {
      if (r.findings) anyChecked = true;
      // a file without findings keeps no entry (the host holds only what the Problems view shows)
      if (r.findings?.length) { this.findings.set(r.file, r.findings); checked.push(r.file); } else if (this.findings.delete(r.file)) checked.push(r.file);
      if (r.notArticle || r.error) {
        if (r.error) this.skipped.set(r.file, r.error);
        if (this.paths.delete(r.file)) changed = true;
        this.editorFiles.delete(r.file);
        continue;
      }
      this.skipped.delete(r.file);
      if (!r.hash) continue;
      if (!this.paths.has(r.file)) { this.paths.add(r.file); changed = true; }
      if (!r.unchanged) changed = true;
    }
    // (fired for a batch of clean files too: the Problems count is then known to be current)
    if (checked.length || anyChecked) this.findingsChanged.fire(checked);
    if (changed) this.fireChanged();
  }

  private queue(u: vscode.Uri) {
    if (u.scheme !== 'file' || !this.started) return;
    this.pendingFiles.add(u.fsPath);
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => void this.flushQueue(), 300);
  }

  /** the runs of queued files, one after the other (whenCurrent waits for the last) */
  private flushed: Promise<void> = Promise.resolve();
  private flushQueue(): Promise<void> {
    clearTimeout(this.flushTimer);
    const files = [...this.pendingFiles];
    this.pendingFiles.clear();
    const run = this.analyseFiles(files).catch((e) => log.warn(`re-indexing failed: ${(e as Error).message}`)).finally(() => this.showIdle());
    this.flushed = Promise.all([this.flushed, run]).then(() => undefined);
    return this.flushed;
  }

  /** A file or folder was renamed: its articles' analyses follow it, and the new path is read. */
  private move(from: string, to: vscode.Uri) {
    this.dropFindings([from]);
    const moved = [...this.paths].filter((f) => f === from || f.startsWith(from + path.sep));
    for (const f of moved) {
      const now = to.fsPath + f.slice(from.length);
      this.paths.delete(f);
      this.paths.add(now);
      if (this.editorFiles.delete(f)) this.editorFiles.add(now);
      void this.client.request('indexRename', { from: f, to: now }).catch((e) => log.warn(`the index could not follow ${f}: ${(e as Error).message}`));
    }
    if (moved.length) this.fireChanged();
    this.queue(to);
  }

  /** A folder appeared: its corpus files are indexed (nothing when it is a file of another kind). */
  private async addFolder(u: vscode.Uri) {
    try {
      if ((await vscode.workspace.fs.stat(u)).type & vscode.FileType.Directory) for (const f of await this.listFiles(u)) this.queue(vscode.Uri.file(f));
    } catch { /* gone again */ }
  }

  private goneFolders = new Set<string>();
  private goneTimer: NodeJS.Timeout | undefined;
  /**
   * A path that is not an article went, perhaps a folder of articles (rm -r reports the folder alone): the deletions
   * of a burst are gathered and the paths are walked once for them, each file's folders looked up in the set (a
   * checkout deleting thousands of other files costs one pass, not one per file).
   */
  private folderGone(dir: string) {
    this.goneFolders.add(dir);
    clearTimeout(this.goneTimer);
    this.goneTimer = setTimeout(() => {
      const gone = this.goneFolders;
      this.goneFolders = new Set();
      const files = [...this.paths].filter((f) => {
        for (let d = path.dirname(f), up = ''; d !== up; up = d, d = path.dirname(d)) if (gone.has(d)) return true;
        return false;
      });
      if (files.length) this.removeFiles(files);
    }, 300);
  }

  /** An article went. */
  private remove(file: string) {
    if (this.paths.has(file)) this.removeFiles([file]);
  }

  private removeFiles(gone: string[]) {
    this.dropFindings(gone);
    for (const f of gone) { this.paths.delete(f); this.editorFiles.delete(f); }
    void this.client.request('indexDelete', { files: gone }).then(() => this.fireChanged(), (e) => log.warn(`the index could not drop ${gone.length} files: ${(e as Error).message}`));
    this.fireChanged();
  }

  private idleRun = 0;
  /** The status bar at rest: the count at once, the tooltip once the index has answered (a later call's answer wins). */
  private showIdle() {
    const n = this.size;
    const run = ++this.idleRun;
    this.status.text = `$(book) ${vscode.l10n.t('{0} articles', formatCount(n))}`;
    if (n > 0) this.status.show(); else this.status.hide();
    void Promise.all([this.queries.totals(), n > 0 ? this.queries.punctuation() : undefined]).then(([totals, punctuation]) => {
      if (run !== this.idleRun) return;
      this.status.tooltip = vscode.l10n.t('Corpus Lens: {0} articles indexed, {1} entities', totals.articles, totals.entities)
        + (this.skipped.size ? `\n${vscode.l10n.t('{0} files skipped (see the log)', this.skipped.size)}` : '')
        + (punctuation ? `\n${punctuationSummary(punctuation)}` : '');
    }, (e) => log.warn(`the index's status: ${(e as Error).message}`));
  }

  private fireChanged() {
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => this.changed.fire(), 150);
  }

  /** The whole-corpus JSON cache of earlier versions, which the database replaces: removed from the storage once. */
  private dropOldCache() {
    if (!this.storage) return;
    fs.promises.rm(path.join(this.storage.fsPath, OLD_CACHE_FILE), { force: true }).catch(() => undefined);
  }

  dispose() {
    clearTimeout(this.flushTimer); clearTimeout(this.changeTimer); clearTimeout(this.recheckTimer); clearTimeout(this.goneTimer);
    this.passes.cancel();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

export const isCorpusDoc = (d: vscode.TextDocument) => d.languageId === LANGUAGE_ID;

/** The handler of the command that rebuilds the index from nothing (every article analysed again). */
export function indexerCommands(indexer: CorpusIndexer) {
  return { 'corpusLens.reindex': () => indexer.rebuild() } satisfies FeatureCommands;
}
