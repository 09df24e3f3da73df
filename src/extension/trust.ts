/**
 * Workspace Trust (package.json declares untrustedWorkspaces "limited"). In Restricted Mode Corpus Lens writes
 * nothing into the workspace (dictionary, rule switches, exports into it) and reads none of the files a
 * workspace ships to steer it (.corpus-lens.json, the .corpus-lens dictionary); VS Code itself ignores the
 * workspace's values of the restrictedConfigurations. And in any workspace, a write goes ahead only when its
 * real path (symbolic links resolved) stays inside the real workspace folder.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { writeStaysInside } from '../core/realPath';
import { log } from './log';

/** Whether the workspace may steer the extension (its own config files are read only then). */
export function workspaceTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** Runs `fn` once the user trusts the workspace (the files it ships are read from then on). */
export function onTrustGranted(fn: () => void): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(fn);
}

/**
 * Whether the extension may write `target` (a workspace file the user asked to change); when not, tells the
 * user why in one line and returns false. Nothing is written in Restricted Mode, nor outside the real
 * workspace folder (a `.corpus-lens` folder or `.corpus-lens.json` that links elsewhere).
 */
export function mayWriteInWorkspace(target: vscode.Uri): boolean {
  const shown = vscode.workspace.asRelativePath(target);
  if (!workspaceTrusted()) {
    refuse(vscode.l10n.t('Restricted Mode: Corpus Lens writes nothing into this workspace; {0} is unchanged. Trust the workspace to allow it.', shown));
    return false;
  }
  const folder = vscode.workspace.getWorkspaceFolder(target);
  if (target.scheme !== 'file' || !folder || folder.uri.scheme !== 'file') {
    refuse(vscode.l10n.t('Corpus Lens writes only inside the workspace folder; {0} is unchanged.', shown));
    return false;
  }
  if (!writeStaysInside(target.fsPath, folder.uri.fsPath)) {
    refuse(vscode.l10n.t('{0} leads outside the workspace folder (a symbolic link); Corpus Lens writes only inside it, nothing was changed.', shown));
    return false;
  }
  // a file without a write bit is kept as it is, as the command line keeps one (root could write it all the same)
  let mode: number | undefined;
  try { mode = fs.statSync(target.fsPath).mode; } catch { mode = undefined; }
  if (mode !== undefined && (mode & 0o222) === 0) {
    refuse(vscode.l10n.t('{0} is read-only; Corpus Lens leaves it unchanged.', shown));
    return false;
  }
  return true;
}

function refuse(message: string) {
  log.warn(message);
  void vscode.window.showErrorMessage(message);
}
