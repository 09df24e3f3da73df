/**
 * "Switch off … for this file / for the folder" (the code actions of codeActions.ts): writes the rule switch
 * into the folder's .corpus-lens.json as a WorkspaceEdit (undoable; the file is created when missing and
 * saved). The file's name becomes an override glob with glob syntax escaped, so it switches the rule
 * off for that one file; nothing is written in Restricted Mode or through a link leading out of the workspace.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../core/config';
import { globEscape } from '../core/globEscape';
import { mayWriteInWorkspace } from './trust';

export async function switchOffRule(code: string, uriString: string, scope: 'file' | 'folder'): Promise<boolean> {
  const uri = vscode.Uri.parse(uriString);
  const folder = vscode.Uri.file(path.dirname(uri.fsPath));
  const cfgUri = vscode.Uri.joinPath(folder, CONFIG_FILE);
  const name = path.basename(uri.fsPath);
  const glob = globEscape(name);
  if (scope === 'file' && glob === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The file name {0} is too long to be written as a glob; switch the rule off for the folder instead. Nothing was changed.', name));
    return false;
  }
  if (!mayWriteInWorkspace(cfgUri)) return false;
  let current: Record<string, unknown> = {};
  let exists = false;
  try {
    const bytes = await vscode.workspace.fs.readFile(cfgUri);
    exists = true;
    current = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    if (exists) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not valid JSON ({1}); fix it first, nothing was changed.', cfgUri.fsPath, (e as Error).message));
      return false;
    }
  }
  if (scope === 'folder') {
    current.rules = { ...(current.rules as object ?? {}), [code]: 'off' };
  } else {
    const overrides = Array.isArray(current.overrides) ? current.overrides as { files: string[]; rules: Record<string, string> }[] : [];
    const existing = overrides.find((o) => Array.isArray(o.files) && o.files.length === 1 && o.files[0] === glob);
    if (existing) existing.rules = { ...existing.rules, [code]: 'off' };
    else overrides.push({ files: [glob!], rules: { [code]: 'off' } });
    current.overrides = overrides;
  }
  const text = JSON.stringify(current, null, 2) + '\n';
  const edit = new vscode.WorkspaceEdit();
  if (!exists) edit.createFile(cfgUri, { ignoreIfExists: true });
  if (exists) {
    const doc = await vscode.workspace.openTextDocument(cfgUri);
    edit.replace(cfgUri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  } else {
    edit.insert(cfgUri, new vscode.Position(0, 0), text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  const cfgDoc = await vscode.workspace.openTextDocument(cfgUri);
  return cfgDoc.save();
}
