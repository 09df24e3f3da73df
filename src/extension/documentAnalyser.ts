/**
 * Analyses open corpus articles in the worker: on open, and debounced on edit (longer for articles whose
 * analysis takes long). Results land in the client's per-version cache, which cancels the run for a version
 * that an edit has replaced, or for a closed document.
 */
import * as vscode from 'vscode';
import { AnalysisClient, CancelledError } from './analysisClient';
import { getConfig } from './config';
import { LANGUAGE_ID } from './languageDetection';
import { log, tellOnce } from './log';
import { documentBytesOver } from './documentLength';

const DEBOUNCE_MS = 300;
/** the debounce grows with the article's last analysis time (half of it; a 1 MB article takes seconds), up to this */
const MAX_DEBOUNCE_MS = 1000;

export function registerDocumentAnalyser(context: vscode.ExtensionContext, client: AnalysisClient): void {
  const timers = new Map<string, NodeJS.Timeout>();
  /** how long the last analysis of each article took */
  const lastMs = new Map<string, number>();

  const run = (doc: vscode.TextDocument) => {
    if (doc.languageId !== LANGUAGE_ID || doc.isClosed) return;
    const key = doc.uri.toString();
    const max = getConfig(doc.uri).maxFileSizeMB * 1048576;
    const size = documentBytesOver(doc, max);
    if (size !== undefined) {
      tellOnce(`size:${key}`, vscode.l10n.t('Corpus Lens: {0} is {1} MB, over the {2} MB limit (corpusLens.maxFileSizeMB); entities are not analysed.', vscode.workspace.asRelativePath(doc.uri), (size / 1048576).toFixed(1), getConfig(doc.uri).maxFileSizeMB));
      return;
    }
    const started = performance.now();
    client.analyse(doc).then(() => { lastMs.set(key, performance.now() - started); }, (e) => {
      if (!(e instanceof CancelledError)) log.warn(`analysis of ${doc.uri.fsPath} failed: ${(e as Error).message}`);
    });
  };
  const schedule = (doc: vscode.TextDocument, delay?: number) => {
    if (doc.languageId !== LANGUAGE_ID) return;
    const key = doc.uri.toString();
    delay ??= Math.min(MAX_DEBOUNCE_MS, Math.max(DEBOUNCE_MS, (lastMs.get(key) ?? 0) / 2));
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => { timers.delete(key); run(doc); }, delay));
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) schedule(e.document); }),
    vscode.workspace.onDidCloseTextDocument((d) => { const k = d.uri.toString(); clearTimeout(timers.get(k)); lastMs.delete(k); client.forget(d.uri); }),
    { dispose: () => { for (const t of timers.values()) clearTimeout(t); } },
  );
  for (const d of vscode.workspace.textDocuments) schedule(d, 0);
}
