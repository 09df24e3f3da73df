/**
 * Corpus diagnostics: re-checked on open and (debounced) on edit, cached per document version,
 * stale runs dropped. The core's findings, with their fixes, are kept for the code-action provider.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { resolveRuleOptions } from '../core/config';
import { checkArticle, CorpusDiagnostic, RULES } from '../core/rules';
import { getConfig, ruleOptions } from './config';
import { toRange, toSeverity } from './convert';
import { LANGUAGE_ID } from './languageDetection';

export const DIAGNOSTIC_SOURCE = 'corpus-lens';
const DEBOUNCE_MS = 250;

export class CorpusDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('corpus-lens');
  private readonly cache = new Map<string, { version: number; findings: CorpusDiagnostic[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('corpusLens')) this.refreshAll(); }),
    );
    // .corpus-lens.json edits change severities for the articles below them
    const watcher = vscode.workspace.createFileSystemWatcher('**/.corpus-lens.json');
    this.disposables.push(watcher, watcher.onDidChange(() => this.refreshAll()), watcher.onDidCreate(() => this.refreshAll()), watcher.onDidDelete(() => this.refreshAll()));
    this.refreshAll();
  }

  /** The core findings for the document's current version (computed now if missing). */
  findings(doc: vscode.TextDocument): CorpusDiagnostic[] {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.findings;
    return this.update(doc);
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
    clearTimeout(this.timers.get(key));
    this.cache.delete(key);
    this.collection.delete(doc.uri);
  }

  private update(doc: vscode.TextDocument): CorpusDiagnostic[] {
    if (doc.languageId !== LANGUAGE_ID) { this.collection.delete(doc.uri); return []; }
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.findings;
    const cfg = getConfig(doc.uri);
    let opts = ruleOptions(cfg);
    if (doc.uri.scheme === 'file') {
      const root = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
      opts = resolveRuleOptions(doc.uri.fsPath, opts, { read: (f) => { try { return fs.readFileSync(f, 'utf8'); } catch { return undefined; } } }, root);
    }
    const findings = checkArticle(doc.getText(), opts);
    this.cache.set(key, { version: doc.version, findings });
    this.collection.set(doc.uri, findings.map((f) => {
      const d = new vscode.Diagnostic(toRange(doc, f.start, f.end), f.message, toSeverity(f.severity));
      d.source = DIAGNOSTIC_SOURCE;
      d.code = f.code;
      return d;
    }));
    return findings;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

export function ruleDescription(code: string): string | undefined {
  return (RULES as Record<string, { description: string }>)[code]?.description;
}
