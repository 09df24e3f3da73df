/** Core (UTF-16 offsets) ↔ VS Code conversions. Both count UTF-16 code units, so offsets map one to one. */
import * as vscode from 'vscode';
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
