import type * as vscode from 'vscode';

/** The document's length in UTF-16 code units, without building its text (getText() copies the whole document). */
export function documentLength(doc: vscode.TextDocument): number {
  return doc.lineCount === 0 ? 0 : doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}
