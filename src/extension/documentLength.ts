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

const texts = new WeakMap<vscode.TextDocument, { version: number; text: string }>();
/**
 * The document's text, one copy per version shared by every feature. getText() copies the whole
 * document each time (about 10 ms and 2 MB of garbage for a 1 MB article); analysis, rules, outline and
 * consistency each asked for it after every edit. The cost: one copy of the latest text per open article,
 * dropped with the document.
 */
export function documentText(doc: vscode.TextDocument): string {
  const hit = texts.get(doc);
  if (hit && hit.version === doc.version) return hit.text;
  const text = doc.getText();
  texts.set(doc, { version: doc.version, text });
  return text;
}

/** The document's size in UTF-8 bytes when it may exceed `limit` (a length check first: no copy for short ones). */
export function documentBytesOver(doc: vscode.TextDocument, limit: number): number | undefined {
  if (documentLength(doc) * 3 <= limit) return undefined; // at most 3 UTF-8 bytes per UTF-16 code unit
  const bytes = Buffer.byteLength(documentText(doc), 'utf8');
  return bytes > limit ? bytes : undefined;
}
