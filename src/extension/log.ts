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
