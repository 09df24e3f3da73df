/** Corpus Lens: activate() only wires the feature adapters; each lives in its own file. */
import * as vscode from 'vscode';
import { AnalysisClient, workerPath } from './analysisClient';
import { registerCodeActions } from './codeActions';
import { CommandId } from './commands';
import { getConfig } from './config';
import { analysisFingerprint, CorpusIndexer } from './corpusIndexer';
import { CorpusDiagnostics } from './diagnostics';
import { readDictionary, registerDictionary } from './dictionary';
import { registerDocumentAnalyser } from './documentAnalyser';
import { registerEntitiesView } from './entitiesView';
import { registerExtractCommand } from './extractCommand';
import { registerHover } from './hover';
import { LANGUAGE_ID, registerLanguageDetection } from './languageDetection';
import { log } from './log';
import { registerOutline } from './outline';
import { registerSemanticTokens } from './semanticTokens';
import { switchOffRule } from './switchOffRule';
import { onTrustGranted } from './trust';
import { registerConcordance } from './concordanceView';
import { registerTimeline } from './timelineView';

function command(context: vscode.ExtensionContext, id: CommandId, fn: (...args: any[]) => unknown) {
  context.subscriptions.push(vscode.commands.registerCommand(id, fn));
}

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  // the worker starts on the first request, never during activation
  const client = new AnalysisClient(workerPath(context), getConfig().segmenter, readDictionary);
  const diagnostics = new CorpusDiagnostics((text, options) => client.check(text, options));
  context.subscriptions.push(diagnostics, log);
  registerLanguageDetection(context);
  registerOutline(context, (text) => client.outline(text));
  const actions = registerCodeActions(context, diagnostics);

  const indexer = new CorpusIndexer(client, context.storageUri, () => analysisFingerprint(context, readDictionary()));
  context.subscriptions.push(client, indexer);
  registerDocumentAnalyser(context, client);
  const hover = registerHover(context, client, indexer);
  const tokens = registerSemanticTokens(context, client);
  const tree = registerEntitiesView(context, client, indexer);
  registerExtractCommand(context, client, indexer);
  registerConcordance(context, indexer);
  registerTimeline(context, indexer);
  const dictionary = registerDictionary(context, client, indexer, () => { tokens.refresh(); tree.refresh(); });
  // Restricted Mode ignored the workspace's dictionary and .corpus-lens.json: read them once it is trusted
  context.subscriptions.push(onTrustGranted(() => { diagnostics.refreshAll(); void dictionary.reload(); }));
  // index in the background once the workspace turns out to be a corpus
  context.subscriptions.push(indexer.startWhenNeeded());

  command(context, 'corpusLens.fixAll', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== LANGUAGE_ID) return false;
    const a = actions.fixAll(editor.document);
    return a?.edit ? vscode.workspace.applyEdit(a.edit) : false;
  });
  command(context, 'corpusLens.switchOffRule', switchOffRule);
  command(context, 'corpusLens.setLanguage', async () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc) await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  });
  command(context, 'corpusLens.showLog', () => log.show());
  command(context, 'corpusLens.reindex', async () => { indexer.index.clear(); await indexer.reindex(); });
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { diagnostics, client, indexer, tree, dictionary, activationMs, hoverTimes: () => [...hover.times] };
}

export function deactivate() { /* disposables do the work */ }
