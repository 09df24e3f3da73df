/**
 * Quick fixes for corpus findings, a fix-all (source.fixAll.corpusLens, for editor.codeActionsOnSave),
 * and actions that switch a rule off for a file or a folder through .corpus-lens.json. Every change goes
 * through a WorkspaceEdit the user chose, so it can be undone.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { collectSafeEdits, CorpusDiagnostic } from '../core/rules';
import { toRange, toWorkspaceEdit } from './convert';
import { CorpusDiagnostics, DIAGNOSTIC_SOURCE } from './diagnostics';
import { LANGUAGE_ID } from './languageDetection';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('corpusLens');

export class CorpusCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly diagnostics: CorpusDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): vscode.CodeAction[] {
    const findings = context.triggerKind === vscode.CodeActionTriggerKind.Automatic ? this.diagnostics.findingsIfCheap(doc) : this.diagnostics.findings(doc);
    if (token.isCancellationRequested) return [];
    if (context.only && FIX_ALL_KIND.contains(context.only) || context.only?.contains(FIX_ALL_KIND)) {
      const fixAll = this.fixAll(doc, findings);
      return fixAll ? [fixAll] : [];
    }
    const actions: vscode.CodeAction[] = [];
    const seenRules = new Set<string>();
    for (const f of findings) {
      const r = toRange(doc, f.start, f.end);
      if (!r.intersection(range) && !(r.isEmpty && r.start.line === range.start.line)) continue;
      const diag = context.diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && d.code === f.code && d.range.isEqual(r));
      if (f.code === 'file-encoding') {
        const reopen = new vscode.CodeAction(vscode.l10n.t('Reopen with Encoding…'), vscode.CodeActionKind.QuickFix);
        reopen.command = { command: 'workbench.action.editor.changeEncoding', title: reopen.title };
        reopen.isPreferred = true;
        if (diag) reopen.diagnostics = [diag];
        actions.push(reopen);
      }
      for (const fix of f.fixes) {
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = toWorkspaceEdit(doc, fix.edits);
        a.isPreferred = fix.safe;
        if (diag) a.diagnostics = [diag];
        actions.push(a);
      }
      if (!seenRules.has(f.code)) {
        seenRules.add(f.code);
        actions.push(...this.switchOffActions(doc, f, diag));
      }
    }
    const all = this.fixAll(doc, findings);
    if (all && actions.some((a) => a.isPreferred)) {
      const q = new vscode.CodeAction('Fix all auto-fixable corpus problems in this file', vscode.CodeActionKind.QuickFix);
      q.edit = all.edit;
      actions.push(q);
    }
    return actions;
  }

  /** One edit with every unambiguous fix (overlapping fixes wait for the next run). */
  fixAll(doc: vscode.TextDocument, findings: CorpusDiagnostic[] = this.diagnostics.findings(doc)): vscode.CodeAction | undefined {
    const edits = collectSafeEdits(findings);
    if (edits.length === 0) return undefined;
    const a = new vscode.CodeAction('Corpus Lens: fix all auto-fixable problems', FIX_ALL_KIND);
    a.edit = toWorkspaceEdit(doc, edits);
    return a;
  }

  private switchOffActions(doc: vscode.TextDocument, f: CorpusDiagnostic, diag?: vscode.Diagnostic): vscode.CodeAction[] {
    if (doc.uri.scheme !== 'file') return [];
    const folder = path.dirname(doc.uri.fsPath);
    const make = (title: string, args: unknown[]) => {
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.command = { command: 'corpusLens.switchOffRule', title, arguments: args };
      if (diag) a.diagnostics = [diag];
      return a;
    };
    return [
      make(`Switch off "${f.code}" for this file`, [f.code, doc.uri.toString(), 'file']),
      make(`Switch off "${f.code}" for the folder ${path.basename(folder)}`, [f.code, doc.uri.toString(), 'folder']),
    ];
  }
}

export function registerCodeActions(context: vscode.ExtensionContext, diagnostics: CorpusDiagnostics): CorpusCodeActions {
  const provider = new CorpusCodeActions(diagnostics);
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider({ language: LANGUAGE_ID }, provider, CorpusCodeActions.metadata));
  return provider;
}
