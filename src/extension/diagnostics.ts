/**
 * Corpus diagnostics: re-checked on open and (debounced) on edit, cached per document version,
 * stale runs dropped. The core's findings, with their fixes, are kept for the code-action provider.
 * Articles that are not open show the corpus index's findings (the worker checked the file on disk); an open
 * corpus document's own findings replace them for its URI, and when it closes the indexed ones come back.
 * A status bar item counts what the collection holds and opens the Problems view.
 */
import * as vscode from 'vscode';
import { ConfigCache, resolveRuleOptions } from '../core/config';
import { checkArticle, CorpusDiagnostic, fileFinding, RuleOptions } from '../core/rules';
import { IndexedFinding, mostSevere } from '../core/findings';
import { readCorpusFile } from '../core/files';
import { getConfig, ruleOptions } from './config';
import { toCode, toRange, toSeverity } from './convert';
import { documentText, isLongDocument } from './documentLength';
import { LANGUAGE_ID } from './languageDetection';
import { workspaceTrusted } from './trust';
import { log } from './log';

export const DIAGNOSTIC_SOURCE = 'corpus-lens';
const DEBOUNCE_MS = 250;

/** Where the corpus index's findings come from (the CorpusIndexer). */
export interface IndexedFindings {
  readonly onDidChangeFindings: vscode.Event<string[]>;
  findingsOf(file: string): IndexedFinding[] | undefined;
}

export class CorpusDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('corpus-lens');
  /**
   * Per URI: the findings of one document object's version. The object is part of the key: an untitled
   * document closed and a new one opened get the same URI and both start at version 1.
   */
  private readonly cache = new Map<string, { doc: vscode.TextDocument; version: number; findings: CorpusDiagnostic[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly status = vscode.window.createStatusBarItem('corpusLens.problems', vscode.StatusBarAlignment.Left, 9);
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.status];
  private indexed: IndexedFindings | undefined;
  /** the item shows once an article was checked (open, or by the index): a workspace without articles has no count */
  private checkedAny = false;
  /**
   * .corpus-lens.json files, each read (at most 1 MB), parsed and compiled once per change, not on every check;
   * their problems are logged once per change
   */
  private readonly configs = new ConfigCache((problems) => { for (const p of problems) log.warn(`${p.file}: ${p.message}`); });
  /** how long the last check took (npm run bench:host) */
  lastCheckMs = 0;
  /** the longest check since it was last reset (npm run bench:host) */
  maxCheckMs = 0;

  /** @param offload runs the rules off the extension host's thread (the analysis worker) */
  constructor(private readonly offload?: (text: string, opts: RuleOptions) => Promise<CorpusDiagnostic[]>) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('corpusLens')) this.refreshAll(); }),
    );
    // .corpus-lens.json edits change severities for the articles below them
    const watcher = vscode.workspace.createFileSystemWatcher('**/.corpus-lens.json');
    this.disposables.push(watcher, watcher.onDidChange(() => this.refreshAll()), watcher.onDidCreate(() => this.refreshAll()), watcher.onDidDelete(() => this.refreshAll()));
    this.status.name = vscode.l10n.t('Corpus Lens problems');
    this.status.command = 'workbench.actions.view.problems';
    this.refreshAll();
  }

  /** Shows the corpus index's findings for the articles that are not open, kept current as it changes them. */
  showIndexed(source: IndexedFindings): vscode.Disposable {
    this.indexed = source;
    return source.onDidChangeFindings((files) => { this.checkedAny = true; for (const f of files) this.publishIndexed(vscode.Uri.file(f)); this.scheduleStatus(); });
  }

  /** The index's findings for a URI that no open corpus document speaks for (none: nothing shown). */
  private publishIndexed(uri: vscode.Uri): void {
    const key = uri.toString();
    if (vscode.workspace.textDocuments.some((d) => !d.isClosed && d.languageId === LANGUAGE_ID && d.uri.toString() === key)) return;
    const findings = uri.scheme === 'file' ? this.indexed?.findingsOf(uri.fsPath) : undefined;
    if (findings?.length) {
      this.collection.set(uri, findings.map((f) => {
        const d = new vscode.Diagnostic(new vscode.Range(...f.range), f.message, toSeverity(f.severity));
        d.source = DIAGNOSTIC_SOURCE;
        d.code = toCode(f.code);
        return d;
      }));
    } else {
      this.collection.delete(uri);
    }
    this.scheduleStatus();
  }

  /** Errors, warnings and other findings in the collection, and the files they are in (the status bar item's count). */
  counts(): { errors: number; warnings: number; others: number; files: number } {
    const c = { errors: 0, warnings: 0, others: 0, files: 0 };
    this.collection.forEach((_uri, diags) => {
      if (diags.length) c.files++;
      for (const d of diags) {
        if (d.severity === vscode.DiagnosticSeverity.Error) c.errors++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) c.warnings++;
        else c.others++;
      }
    });
    return c;
  }

  /** the status bar item's text, for the tests */
  get statusText(): string { return this.status.text; }

  private scheduleStatus(): void {
    if (this.statusTimer || !this.checkedAny) return;
    this.statusTimer = setTimeout(() => { this.statusTimer = undefined; this.showStatus(); }, 100);
  }

  private showStatus(): void {
    const c = this.counts();
    this.status.text = `$(error) ${c.errors} $(warning) ${c.warnings}`;
    this.status.tooltip = vscode.l10n.t('Corpus Lens: {0} errors, {1} warnings and {2} other findings in {3} articles. Click to open the Problems view.', c.errors, c.warnings, c.others, c.files);
    this.status.show();
  }

  /** The findings cached for this document object's current version. */
  private cached(doc: vscode.TextDocument): CorpusDiagnostic[] | undefined {
    const hit = this.cache.get(doc.uri.toString());
    return hit && hit.doc === doc && hit.version === doc.version ? hit.findings : undefined;
  }

  /** The core findings for the document's current version (computed now if missing). */
  findings(doc: vscode.TextDocument): CorpusDiagnostic[] {
    return this.cached(doc) ?? this.update(doc, true);
  }

  /**
   * For automatic requests (the light bulb after every cursor move): the findings of this version if they
   * are ready; a long article's pending check is not redone on the host thread for them.
   */
  findingsIfCheap(doc: vscode.TextDocument): CorpusDiagnostic[] {
    const hit = this.cached(doc);
    if (hit) return hit;
    return isLongDocument(doc) && this.offload ? [] : this.findings(doc);
  }

  refreshAll(): void {
    this.cache.clear();
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.languageId !== LANGUAGE_ID) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.update(doc); }, DEBOUNCE_MS));
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    // (a new document under the same URI, open already, keeps its findings)
    if ((hit && hit.doc !== doc) || vscode.workspace.textDocuments.some((d) => d !== doc && d.uri.toString() === key && !d.isClosed)) return;
    clearTimeout(this.timers.get(key));
    this.cache.delete(key);
    this.publishIndexed(doc.uri);
  }

  private update(doc: vscode.TextDocument, sync = false): CorpusDiagnostic[] {
    if (doc.languageId !== LANGUAGE_ID) { this.cache.delete(doc.uri.toString()); this.publishIndexed(doc.uri); return []; }
    const hit = this.cached(doc);
    if (hit) return hit;
    const before = this.cache.get(doc.uri.toString()); // (an earlier version's findings of this document)
    const cfg = getConfig(doc.uri);
    let opts = ruleOptions(cfg);
    if (doc.uri.scheme === 'file' && workspaceTrusted()) { // (Restricted Mode: the workspace's .corpus-lens.json is not read)
      const root = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
      opts = resolveRuleOptions(doc.uri.fsPath, opts, this.configs, root);
    }
    // a long article is checked in the worker, so typing in it never waits for the whole-text check
    // (a caller that needs the findings now, such as a code action the user asked for, checks here)
    const version = doc.version;
    const text = documentText(doc);
    const fileLevel = this.fileLevel(doc, text, opts, cfg.maxFileSizeMB);
    if (!fileLevel && !sync && this.offload && isLongDocument(doc)) {
      const t0 = performance.now();
      void this.offload(text, opts).then((findings) => {
        this.lastCheckMs = performance.now() - t0;
        if (doc.isClosed || doc.version !== version) return; // an edit came since: its own check follows
        this.publish(doc, findings);
      }, () => { if (!doc.isClosed && doc.version === version) this.publish(doc, checkArticle(text, opts)); });
      return before?.doc === doc ? before.findings : [];
    }
    const t0 = performance.now();
    const findings = fileLevel ?? checkArticle(text, opts);
    this.lastCheckMs = performance.now() - t0;
    this.maxCheckMs = Math.max(this.maxCheckMs, this.lastCheckMs);
    this.publish(doc, findings);
    return findings;
  }

  private publish(doc: vscode.TextDocument, findings: CorpusDiagnostic[]) {
    if (doc.isClosed) return; // a late check of a closed document must not cover a new one under its URI
    this.cache.set(doc.uri.toString(), { doc, version: doc.version, findings });
    // VS Code shows at most 1,000 diagnostics a file: keep the most severe, and do not build the rest
    this.checkedAny = true;
    this.collection.set(doc.uri, mostSevere(findings).map((f) => {
      const d = new vscode.Diagnostic(toRange(doc, f.start, f.end), f.message, toSeverity(f.severity));
      d.source = DIAGNOSTIC_SOURCE;
      d.code = toCode(f.code);
      return d;
    }));
    this.scheduleStatus();
  }

  /** File-level findings that replace the rules: an oversized file gets one notice; text that is a wrong decoding gets one error. */
  private fileLevel(doc: vscode.TextDocument, text: string, opts: RuleOptions, maxMB: number): CorpusDiagnostic[] | undefined {
    const bytes = text.length > (maxMB * 1048576) / 3 ? Buffer.byteLength(text, 'utf8') : 0;
    if (bytes > maxMB * 1048576) {
      return fileFinding('file-too-large', vscode.l10n.t('This file is {0} MB, over the {1} MB limit (corpusLens.maxFileSizeMB): Corpus Lens does not check or analyse it.', (bytes / 1048576).toFixed(1), maxMB), opts);
    }
    if (doc.uri.scheme === 'file' && text.includes('\ufffd')) {
      // many replacement characters: VS Code decoded the file with the wrong encoding
      const replaced = text.split('\ufffd').length - 1;
      if (replaced >= 3) {
        // (a regular file only, within the size limit: anything else is checked as the text it is)
        const read = readCorpusFile(doc.uri.fsPath, maxMB * 1048576);
        if (!read.ok && read.reason === 'encoding') {
          return fileFinding('file-encoding', read.encoding
            ? vscode.l10n.t('This file is not UTF-8; it looks like {0}. Reopen it with that encoding (status bar → encoding → Reopen with Encoding), or convert it to UTF-8. Nothing is analysed until then.', read.encoding)
            : vscode.l10n.t('This file is not valid UTF-8. Reopen it with its real encoding, or convert it to UTF-8. Nothing is analysed until then.'), opts);
        }
      }
    }
    return undefined;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    clearTimeout(this.statusTimer);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
