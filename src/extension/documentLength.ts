import type * as vscode from 'vscode';

/** The document's length in UTF-16 code units, without building its text (getText() copies the whole document). */
export function documentLength(doc: vscode.TextDocument): number {
  return doc.lineCount === 0 ? 0 : doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}

/**
 * Over this many UTF-16 code units (about 300 KB) an article is long: its rules, outline and folding run in
 * the worker, and its semantic tokens cover the visible range only.
 */
export const LONG_DOCUMENT_CHARS = 100_000;

export function isLongDocument(doc: vscode.TextDocument): boolean {
  return documentLength(doc) > LONG_DOCUMENT_CHARS;
}
