import * as vscode from 'vscode';
import type { FeatureCommands } from './commands';

/** The extension's output channel ("Corpus Lens"). */
export const log = vscode.window.createOutputChannel('Corpus Lens', { log: true });

export const logCommands = { 'corpusLens.showLog': () => log.show() } satisfies FeatureCommands;

const said = new Set<string>();
/** Tells the user something once per session (e.g. a degraded mode), and logs it every time. */
export function tellOnce(key: string, message: string): void {
  log.warn(message);
  if (said.has(key)) return;
  said.add(key);
  void vscode.window.showWarningMessage(message);
}

/**
 * A query of the corpus index failed (the worker restarting, its database unreadable): logged, and the user told
 * when a command of theirs is left without an answer (`tell`). A view keeps what it showed.
 */
export function indexUnanswered(e: unknown, what: string, tell = true): void {
  const reason = e instanceof Error ? e.message : String(e);
  log.warn(`the corpus index could not answer (${what}): ${reason}`);
  if (tell) void vscode.window.showErrorMessage(vscode.l10n.t('The corpus index could not answer: {0}', reason));
}
