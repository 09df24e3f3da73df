/** Corpus Lens: activate() only wires the feature adapters; each lives in its own file. */
import * as vscode from 'vscode';
import { registerCodeActions, switchOffRule } from './codeActions';
import { CommandId } from './commands';
import { CorpusDiagnostics } from './diagnostics';
import { LANGUAGE_ID, registerLanguageDetection } from './languageDetection';
import { log } from './log';
import { registerOutline } from './outline';

function command(context: vscode.ExtensionContext, id: CommandId, fn: (...args: any[]) => unknown) {
  context.subscriptions.push(vscode.commands.registerCommand(id, fn));
}

export function activate(context: vscode.ExtensionContext) {
  const diagnostics = new CorpusDiagnostics();
  context.subscriptions.push(diagnostics, log);
  registerLanguageDetection(context);
  registerOutline(context);
  const actions = registerCodeActions(context, diagnostics);

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
  return { diagnostics };
}

export function deactivate() { /* disposables do the work */ }
