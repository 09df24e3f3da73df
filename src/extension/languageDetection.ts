/**
 * Detects article-shaped .txt files (a dateline-shaped line among the first lines) and files matching
 * the user's corpusLens.files globs, and switches them to the `corpus` language.
 */
import * as vscode from 'vscode';
import { looksLikeArticle } from '../core/detect';
import type { FeatureCommands } from './commands';
import { getConfig } from './config';

export const LANGUAGE_ID = 'corpus';

function matchesUserGlobs(doc: vscode.TextDocument, globs: string[]): boolean {
  return globs.some((pattern) => vscode.languages.match({ pattern }, doc) > 0);
}

async function maybeSwitch(doc: vscode.TextDocument): Promise<void> {
  if (doc.languageId !== 'plaintext' || doc.uri.scheme === 'output') return;
  const cfg = getConfig(doc.uri);
  const byGlob = matchesUserGlobs(doc, cfg.files);
  if (!byGlob && !(cfg.autoDetect && doc.fileName.toLowerCase().endsWith('.txt') && looksLikeArticle(doc.getText(new vscode.Range(0, 0, 12, 0))))) return;
  await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
}

/** Switches articles as they open, and the handler of the command that switches one by hand. */
export function registerLanguageDetection(context: vscode.ExtensionContext) {
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument((d) => void maybeSwitch(d)));
  for (const d of vscode.workspace.textDocuments) void maybeSwitch(d);
  return {
    'corpusLens.setLanguage': async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc) await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
    },
  } satisfies FeatureCommands;
}
