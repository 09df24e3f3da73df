/**
 * Keeps the corpus index current: all corpus files in the workspace, analysed in the worker in the
 * background with progress in the status bar; honours files.exclude and corpusLens.index.exclude; follows
 * edits (unsaved text counts), saves, creations, deletions and renames; cached on disk by content hash in
 * the extension's storage (never in the user's folder).
 * With corpusLens.problems.scope "workspace", the worker also checks every file it reads against the corpus rules
 * (files unchanged since the cache too: it reads them anyway, to hash them), and the findings are kept here for
 * the Problems view. They are not cached on disk: they depend on the settings, the .corpus-lens.json files, the
 * display language and the date as much as on the text.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CorpusIndex } from '../core/corpusIndex';
import type { CorpusQueries } from '../core/corpusQueries';
import { MemoryCorpusQueries } from '../core/memoryQueries';
import { readCorpusFile } from '../core/files';
import { compileGlob } from '../core/glob';
import { DocumentAnalysis } from '../core/analysis';
import type { IndexedFinding } from '../core/findings';
import type { CheckParams, FileResult } from '../worker/protocol';
import { AnalysisClient, CancelledError } from './analysisClient';
import type { CommandId, FeatureCommands } from './commands';
import { getConfig, ruleOptions } from './config';
import { onTrustGranted, workspaceTrusted } from './trust';
import { LANGUAGE_ID } from './languageDetection';
import { punctuationSummary } from './conventions';
import { log } from './log';
import { documentText } from './documentLength';

const CACHE_FILE = 'corpus-index.json';

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
  /** every article's analysis: read by nothing but this class and `queries` (the features ask `queries`) */
  private readonly index = new CorpusIndex();
  /** the indexed paths, kept from the worker's per-file results: what the host knows of each article */
  private readonly paths = new Set<string>();
  /** What the features ask of the corpus index (asynchronously: the answers are computed where the index lives). */
  readonly queries: CorpusQueries = new MemoryCorpusQueries(this.index, (f) => {
    const read = readCorpusFile(f, getConfig().maxFileSizeMB * 1048576);
    return read.ok ? read.text : undefined;
  });
  private readonly status = vscode.window.createStatusBarItem('corpusLens.index', vscode.StatusBarAlignment.Left, 10);
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (debounced) whenever the index changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pendingFiles = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private running: vscode.CancellationTokenSource | undefined;
  private readonly skipped = new Map<string, string>();
  /** the corpus rules' findings per file, as the worker last checked the file on disk */
  private readonly findings = new Map<string, IndexedFinding[]>();
  private readonly findingsChanged = new vscode.EventEmitter<string[]>();
  /** Fires with the files whose findings changed (or went). */
  readonly onDidChangeFindings = this.findingsChanged.event;
  private recheckTimer: NodeJS.Timeout | undefined;
  /** resolves when the first full indexing pass is done (tests and the extract command wait on it) */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;

  /**
   * @param fingerprint what the cached analyses depend on besides each file's text (extension version,
   *   model file, corpus dictionary); a cache written under another fingerprint is not used
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
      folders.onDidCreate((u) => { if (u.scheme === 'file' && !isArticlePath(u) && this.started) void this.addFolder(u); }),
      folders.onDidDelete((u) => { if (u.scheme === 'file' && !isArticlePath(u)) this.folderGone(u.fsPath); }),
      watcher.onDidCreate((u) => this.queue(u)),
      watcher.onDidChange((u) => this.queue(u)),
      watcher.onDidDelete((u) => this.remove(u.fsPath)),
      vscode.workspace.onDidRenameFiles((e) => { for (const f of e.files) { this.move(f.oldUri.fsPath, f.newUri.fsPath); this.dropFindings([f.oldUri.fsPath]); this.queue(f.newUri); } this.fireChanged(); }),
      // unsaved text counts: an open article's latest analysis replaces the indexed one
      client.onDidAnalyse(({ uri, analysis }) => this.fromEditor(uri, analysis)),
      // a closed document's unsaved edits are gone: take the file from disk again
      vscode.workspace.onDidCloseTextDocument((d) => { if (this.index.get(d.uri.fsPath)?.hash === 'editor') this.queue(d.uri); }),
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

  // the index and the set of paths change together, only here
  private put(file: string, hash: string, analysis: DocumentAnalysis) { this.index.set(file, hash, analysis); this.paths.add(file); }
  private drop(file: string): boolean { this.paths.delete(file); return this.index.delete(file); }
  private move(from: string, to: string) { if (this.paths.delete(from)) { this.index.rename(from, to); this.paths.add(to); } }

  /** Rebuilds the index from nothing (the cache is not read). */
  async rebuild(): Promise<void> {
    this.index.clear();
    this.paths.clear();
    await this.reindex();
  }

  /** Text of an indexed file: the open editor's (unsaved) text, else the file on disk. */
  textOf(file: string): string | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    if (open) return documentText(open);
    // decoded as the worker decodes (a BOM dropped), so the indexed offsets fit
    const read = readCorpusFile(file, getConfig().maxFileSizeMB * 1048576);
    return read.ok ? read.text : undefined;
  }

  private fromEditor(uri: vscode.Uri, analysis: DocumentAnalysis) {
    // an editor still open on a file deleted from disk (or its folder) holds no article of the corpus any more
    if (uri.scheme !== 'file' || !fs.existsSync(uri.fsPath)) return;
    this.put(uri.fsPath, 'editor', { ...analysis, path: uri.fsPath });
    this.fireChanged();
  }

  /** The corpus files of the workspace, or of one folder in it. */
  private async listFiles(under?: vscode.Uri): Promise<string[]> {
    // undefined exclude: VS Code applies files.exclude; our own excludes are matched on top (in time bounded by the
    // glob's length times the path's, core/glob: a workspace's settings may carry any glob)
    const extra = getConfig().indexExclude.flatMap((g) => {
      const c = compileGlob(g);
      if (!c.ok) log.warn(`corpusLens.index.exclude: ${c.message}; ignored`);
      return c.ok ? [c.match] : [];
    });
    const uris = await vscode.workspace.findFiles(under ? new vscode.RelativePattern(under, '**/*.{txt,corpus}') : '**/*.{txt,corpus}', undefined);
    return uris
      .filter((u) => u.scheme === 'file' && !(extra.length && extra.some((m) => m(vscode.workspace.asRelativePath(u, false)))))
      .map((u) => u.fsPath).sort();
  }

  /** Full pass: analyse every corpus file whose content hash is not already indexed. */
  async reindex(): Promise<void> {
    this.started = true;
    this.running?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.running = cts;
    await this.loadCache();
    const files = await this.listFiles();
    const keep = new Set(files);
    for (const f of [...this.paths]) if (!keep.has(f)) this.drop(f);
    this.dropFindings([...this.findings.keys()].filter((f) => !keep.has(f)));
    const started = Date.now();
    try {
      // a file an open editor has analysed is not read again: the editor's text is at least as new as the
      // disk's (when the editor closes, the file is queued and read from disk)
      await this.analyseFiles(files.filter((f) => this.index.get(f)?.hash !== 'editor'), cts.token);
      log.info(`indexed ${files.length} files in ${Date.now() - started} ms (${this.size} articles, ${this.skipped.size} skipped)`);
    } catch (e) {
      if (!(e instanceof CancelledError)) log.error(`indexing failed: ${(e as Error).message}`);
    } finally {
      if (this.running === cts) this.running = undefined;
      this.showIdle();
      this.resolveReady();
    }
  }

  private started = false;
  /**
   * Indexes the workspace once it is a corpus: a .corpus file in it, or a corpus article open (a folder of
   * unrelated .txt files never starts the worker). Later opens of corpus articles start it too.
   */
  startWhenNeeded(): vscode.Disposable {
    const start = () => {
      if (this.started) return;
      this.started = true;
      void this.reindex();
    };
    const sub = vscode.workspace.onDidOpenTextDocument((d) => { if (d.languageId === LANGUAGE_ID) start(); });
    if (vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID)) start();
    else void vscode.workspace.findFiles('**/*.corpus', undefined, 1).then((found) => { if (found.length) start(); });
    return sub;
  }

  /** The first full pass, started now if the workspace had not asked for it yet (a command needs the index). */
  ensureStarted(): Promise<void> {
    if (!this.started) void this.reindex();
    return this.ready;
  }

  /** Re-analyses indexed files (those containing `containing`, or all) after the dictionary changed. */
  async reanalyse(containing?: string): Promise<void> {
    const files = this.index.files().filter((f) => this.index.get(f)?.hash !== 'editor' && (!containing || (this.textOf(f) ?? '').includes(containing)));
    if (files.length === 0) return;
    const maxBytes = getConfig().maxFileSizeMB * 1048576;
    await this.client.request('analyseFiles', { files, maxBytes, known: {}, check: this.checkParams() }, { onProgress: (p) => this.apply(p.results) });
    this.showIdle();
  }

  /**
   * Re-analyses these indexed files where what their analysis depends on changed (the worker compares each file's
   * hash, which covers the user's decisions for it, with the index's): after annotations.jsonl changed.
   */
  async refreshFiles(files: string[]): Promise<void> {
    const indexed = files.filter((f) => this.index.get(f) && this.index.get(f)!.hash !== 'editor');
    if (indexed.length === 0) return;
    const known = Object.fromEntries(indexed.map((f) => [f, this.index.get(f)!.hash]));
    const maxBytes = getConfig().maxFileSizeMB * 1048576;
    await this.client.request('analyseFiles', { files: indexed, maxBytes, known, check: this.checkParams() }, { onProgress: (p) => this.apply(p.results) });
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
   * The rule options changed: every indexed file is checked again. Their hashes are known, so the worker reads,
   * hashes and checks each without analysing it again. Files open in an editor show their own findings and are
   * read from disk when they close.
   */
  private async recheck(): Promise<void> {
    await this.ready;
    const check = this.checkParams();
    if (!check) { this.dropFindings([...this.findings.keys()]); return; }
    const files = this.index.files().filter((f) => this.index.get(f)?.hash !== 'editor');
    if (files.length === 0) return;
    await this.client.request('analyseFiles', { files, maxBytes: getConfig().maxFileSizeMB * 1048576, known: this.index.hashes(), check }, { onProgress: (p) => this.apply(p.results) });
  }

  private dropFindings(files: string[]) {
    const gone = files.filter((f) => this.findings.delete(f));
    if (gone.length) this.findingsChanged.fire(gone);
  }

  private async analyseFiles(files: string[], token?: vscode.CancellationToken): Promise<void> {
    if (files.length === 0) return;
    const maxBytes = getConfig().maxFileSizeMB * 1048576;
    const known = this.index.hashes();
    this.status.text = `$(sync~spin) ${vscode.l10n.t('Corpus Lens: indexing {0}/{1}', 0, files.length)}`;
    this.status.show();
    await this.client.request('analyseFiles', { files, maxBytes, known, check: this.checkParams() }, { token, onProgress: (p) => {
      this.apply(p.results);
      this.status.text = `$(sync~spin) ${vscode.l10n.t('Corpus Lens: indexing {0}/{1}', p.done, p.total)}`;
    } });
  }

  private apply(results: FileResult[]) {
    const checked: string[] = [];
    for (const r of results) {
      if (r.findings) { this.findings.set(r.file, r.findings); checked.push(r.file); } else if (this.findings.delete(r.file)) checked.push(r.file);
      if (r.notArticle) {
        if (this.drop(r.file)) this.fireChanged();
        continue;
      }
      if (r.error) {
        this.skipped.set(r.file, r.error);
        if (this.drop(r.file)) this.fireChanged();
        continue;
      }
      this.skipped.delete(r.file);
      if (r.unchanged || !r.analysis || !r.hash) continue;
      // an open, edited document's analysis wins over the file on disk
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === r.file);
      if (open?.isDirty && this.index.get(r.file)?.hash === 'editor') continue;
      this.put(r.file, r.hash, r.analysis);
    }
    if (checked.length) this.findingsChanged.fire(checked);
    if (results.length) { this.fireChanged(); this.scheduleSave(); }
  }

  private queue(u: vscode.Uri) {
    if (u.scheme !== 'file') return;
    this.pendingFiles.add(u.fsPath);
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      const files = [...this.pendingFiles];
      this.pendingFiles.clear();
      void this.analyseFiles(files).catch((e) => log.warn(`re-indexing failed: ${(e as Error).message}`)).finally(() => this.showIdle());
    }, 300);
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
   * of a burst are gathered and the index is walked once for them, each file's folders looked up in the set (a
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
    for (const f of gone) this.drop(f);
    this.fireChanged();
    this.scheduleSave();
  }

  private idleRun = 0;
  /** The status bar at rest: the count at once, the tooltip once the index has answered (a later call's answer wins). */
  private showIdle() {
    const n = this.size;
    const run = ++this.idleRun;
    this.status.text = `$(book) ${vscode.l10n.t('{0} articles', n.toLocaleString())}`;
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

  private cacheUri(): vscode.Uri | undefined {
    return this.storage ? vscode.Uri.joinPath(this.storage, CACHE_FILE) : undefined;
  }

  /**
   * The on-disk cache, read once, when indexing first starts (never during activation: for a large corpus
   * it is megabytes of JSON). Entries the editor has already put in the index (unsaved text) are kept.
   */
  private cacheLoad: Promise<void> | undefined;
  private loadCache(): Promise<void> {
    this.cacheLoad ??= (async () => {
      const u = this.cacheUri();
      if (!u) return;
      try {
        const raw = JSON.parse(await fs.promises.readFile(u.fsPath, 'utf8'));
        if (raw?.fingerprint !== this.fingerprint()) { log.info('index cache: made with another model, dictionary or version; indexing anew'); return; }
        const loaded = CorpusIndex.fromJSON(raw);
        for (const f of loaded.files()) { if (this.paths.has(f)) continue; const d = loaded.get(f)!; this.put(f, d.hash, d.analysis); }
        log.info(`index cache: ${loaded.size} articles from ${u.fsPath}`);
      } catch { /* no cache yet, or an old one: index from scratch */ }
    })();
    return this.cacheLoad;
  }

  private scheduleSave() {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveCache(), 2000);
  }

  private saveCache() {
    const u = this.cacheUri();
    if (!u) return;
    try {
      fs.mkdirSync(path.dirname(u.fsPath), { recursive: true });
      const tmp = u.fsPath + '.tmp';
      const data = this.index.toJSON();
      data.docs = data.docs.filter((d) => d.hash !== 'editor');
      fs.writeFileSync(tmp, JSON.stringify({ ...data, fingerprint: this.fingerprint() }));
      fs.renameSync(tmp, u.fsPath);
    } catch (e) {
      log.warn(`could not write the index cache: ${(e as Error).message}`);
    }
  }

  dispose() {
    clearTimeout(this.flushTimer); clearTimeout(this.changeTimer); clearTimeout(this.recheckTimer); clearTimeout(this.goneTimer);
    if (this.saveTimer) { clearTimeout(this.saveTimer); this.saveCache(); }
    this.running?.cancel();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

export const isCorpusDoc = (d: vscode.TextDocument) => d.languageId === LANGUAGE_ID;

/** The handler of the command that rebuilds the index from nothing (the cache is not read). */
export function indexerCommands(indexer: CorpusIndexer) {
  return { 'corpusLens.reindex': () => indexer.rebuild() } satisfies FeatureCommands;
}
