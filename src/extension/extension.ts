/** Corpus Lens: activate() only wires the feature adapters; each lives in its own file. */
import * as vscode from 'vscode';
import { AnalysisClient, workerPath } from './analysisClient';
import { registerCodeActions } from './codeActions';
import { CommandHandler, CommandHandlers } from './commands';
import { getConfig } from './config';
import { analysisFingerprint, CorpusIndexer, indexerCommands } from './corpusIndexer';
import { CorpusDiagnostics } from './diagnostics';
import { readDictionary, registerDictionary } from './dictionary';
import { DictionaryEntries } from './dictionaryEntries';
import { AnnotationsStore } from './annotationsStore';
import { registerReview } from './review';
import { learnCommands, modelSetting } from './learn';
import { registerDocumentAnalyser } from './documentAnalyser';
import { registerEntitiesView } from './entitiesView';
import { conventionsCommands } from './conventions';
import { extractCommands } from './extractCommand';
import { fixCorpusCommands } from './fixCorpus';
import { registerHover } from './hover';
import { registerLanguageDetection } from './languageDetection';
import { log, logCommands } from './log';
import { registerOutline } from './outline';
import { registerSemanticTokens } from './semanticTokens';
import { registerEntityDecorations } from './entityDecorations';
import { onTrustGranted } from './trust';
import { registerConcordance } from './concordanceView';
import { registerTimeline } from './timelineView';
import { useMessages } from '../core/messages';

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  // the core's rule messages and fix titles in VS Code's display language, as vscode.l10n gives the extension's own
  // (the worker gets the same bundle with its init)
  useMessages(vscode.l10n.bundle);
  // the worker starts on the first request, never during activation
  const client = new AnalysisClient(workerPath(context), getConfig().segmenter, readDictionary, modelSetting);
  const diagnostics = new CorpusDiagnostics((text, options) => client.check(text, options));
  context.subscriptions.push(diagnostics, log);
  const languageCommands = registerLanguageDetection(context);
  registerOutline(context, (text) => client.outline(text));
  const actionCommands = registerCodeActions(context, diagnostics);

  const indexer = new CorpusIndexer(client, context.storageUri, () => analysisFingerprint(context, readDictionary(), modelSetting()));
  context.subscriptions.push(client, indexer, diagnostics.showIndexed(indexer));
  registerDocumentAnalyser(context, client);
  const dictionaryEntries = new DictionaryEntries(readDictionary);
  const annotations = new AnnotationsStore();
  context.subscriptions.push(annotations);
  const hover = registerHover(context, client, indexer, dictionaryEntries, annotations);
  const tokens = registerSemanticTokens(context, client);
  const entityColours = registerEntityDecorations(context, client);
  const { tree, commands: entityCommands } = registerEntitiesView(context, client, indexer, dictionaryEntries, annotations);
  const { view: concordance, commands: concordanceCommands } = registerConcordance(context, indexer, client);
  const timelineCommands = registerTimeline(context, indexer);
  const { review, commands: reviewCommands } = registerReview(context, client, indexer, annotations);
  const learn = learnCommands(client, indexer, annotations, (message) => { tree.estimate = message; tree.refresh(); });
  context.subscriptions.push(learn.disposable);
  const { dictionary, commands: dictionaryCommands } = registerDictionary(context, client, indexer, () => { dictionaryEntries.refresh(); tokens.refresh(); entityColours.refresh(); tree.refresh(); });
  // Restricted Mode ignored the workspace's dictionary and .corpus-lens.json: read them once it is trusted
  context.subscriptions.push(onTrustGranted(() => { diagnostics.refreshAll(); annotations.reload(); if (modelSetting()) client.restart(); void dictionary.reload(); }));
  // index in the background once the workspace turns out to be a corpus
  context.subscriptions.push(indexer.startWhenNeeded());

  // one handler for every command of the table: a missing or unknown id does not compile
  const commands = {
    ...actionCommands,
    ...languageCommands,
    ...logCommands,
    ...indexerCommands(indexer),
    ...extractCommands(client, indexer),
    ...conventionsCommands(indexer),
    ...fixCorpusCommands(indexer, client),
    ...entityCommands,
    ...concordanceCommands,
    ...timelineCommands,
    ...dictionaryCommands,
    ...reviewCommands,
    ...learn.commands,
  } as const satisfies CommandHandlers;
  for (const [id, handler] of Object.entries<CommandHandler>(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { diagnostics, client, indexer, tree, dictionary, concordance, review, annotations, activationMs, hoverTimes: () => [...hover.times] };
}

/** What activate() returns: the extension's `exports`, which the integration tests and the host benchmark use. */
export type CorpusLensApi = ReturnType<typeof activate>;

export function deactivate() { /* disposables do the work */ }
