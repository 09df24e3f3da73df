/** Core (UTF-16 offsets) ↔ VS Code conversions. Both count UTF-16 code units, so offsets map one to one. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ruleRowLines } from '../core/ruleDocs';
import type { Edit, Severity } from '../core/rules';

export function toRange(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'information': return vscode.DiagnosticSeverity.Information;
    default: return vscode.DiagnosticSeverity.Hint;
  }
}

export function toWorkspaceEdit(doc: vscode.TextDocument, edits: Edit[], into = new vscode.WorkspaceEdit()): vscode.WorkspaceEdit {
  for (const e of edits) into.replace(doc.uri, toRange(doc, e.start, e.end), e.newText);
  return into;
}

/** README.md at the extension's root (this module is bundled into dist/extension.js); vsce packs it into every VSIX. */
const README = path.join(__dirname, '..', 'README.md');
let readmeRows: Map<string, number> | undefined;

/**
 * A rule's code as VS Code shows it: a link to the rule's row of the installed README's rule table, opened in the
 * editor at that line (VS Code's opener reads `#L<n>` as a selection). It works offline and describes the
 * version installed; a code the README does not list (or no README) stays a plain string.
 */
export function toCode(code: string): vscode.Diagnostic['code'] {
  if (!readmeRows) {
    try { readmeRows = ruleRowLines(fs.readFileSync(README, 'utf8')); } catch { readmeRows = new Map(); }
  }
  const line = readmeRows.get(code);
  return line === undefined ? code : { value: code, target: vscode.Uri.file(README).with({ fragment: `L${line}` }) };
}

/** The value of a diagnostic's code, whether it is plain or a `{ value, target }` link. */
export function codeValue(code: vscode.Diagnostic['code']): string | number | undefined {
  return typeof code === 'object' ? code.value : code;
}
