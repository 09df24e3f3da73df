/**
 * Quick fixes for corpus findings, a fix-all (source.fixAll.corpusLens, for editor.codeActionsOnSave),
 * and actions that switch a rule off for a file or a folder through .corpus-lens.json. Every change goes
 * through a WorkspaceEdit the user chose, so it can be undone.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { collectSafeEdits, CorpusDiagnostic, describeRuleCounts, RuleCode } from '../core/rules';
import { commandOf, FeatureCommands } from './commands';
import { codeValue, toRange, toWorkspaceEdit } from './convert';
import { CorpusDiagnostics, DIAGNOSTIC_SOURCE } from './diagnostics';
import { LANGUAGE_ID } from './languageDetection';
import { switchOffRule } from './switchOffRule';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('corpusLens');

/**
 * The quick-fix menu's "fix all" entry: offered without its edit, which is built only when the user picks it
 * (resolveCodeAction). The light bulb asks for code actions on every cursor move; building every safe edit of
 * a long article for each of those requests blocked the extension host (10.75 s a move with 36,000 commas).
 */
class FixAllQuickFix extends vscode.CodeAction {
  constructor(readonly doc: vscode.TextDocument) {
    super('Fix all auto-fixable corpus problems in this file', vscode.CodeActionKind.QuickFix);
  }
}

export class CorpusCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly diagnostics: CorpusDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): vscode.CodeAction[] {
    const only = context.only;
    const wantsFixAll = !!only && (FIX_ALL_KIND.contains(only) || only.contains(FIX_ALL_KIND));
    // a request for other kinds (refactor, source.organizeImports) gets nothing, and costs nothing
    if (only && !wantsFixAll && !only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(only)) return [];
    const findings = context.triggerKind === vscode.CodeActionTriggerKind.Automatic ? this.diagnostics.findingsIfCheap(doc) : this.diagnostics.findings(doc);
    if (token.isCancellationRequested) return [];
    if (wantsFixAll) {
      const fixAll = this.fixAll(doc, findings);
      return fixAll ? [fixAll] : [];
    }
    const actions: vscode.CodeAction[] = [];
    const seenRules = new Set<string>();
    // the findings near the range, by offset (a number compare each; positions only for those near): those
    // that touch the range or its first line (an empty finding anywhere on the line counts)
    const line = doc.lineAt(range.start.line).range;
    const from = doc.offsetAt(line.start), to = Math.max(doc.offsetAt(range.end), doc.offsetAt(line.end));
    for (const f of findings) {
      if (f.end < from || f.start > to) continue;
      const r = toRange(doc, f.start, f.end);
      if (!r.intersection(range) && !(r.isEmpty && r.start.line === range.start.line)) continue;
      const diag = context.diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && codeValue(d.code) === f.code && d.range.isEqual(r));
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
    // offered when a safe fix is here and the file has any; its edit is built when it is picked (resolveCodeAction)
    if (actions.some((a) => a.isPreferred && a.edit) && findings.some((f) => f.fixes.some((x) => x.safe))) actions.push(new FixAllQuickFix(doc));
    return actions;
  }

  /** Builds the quick-fix menu's fix-all edit, for the document as it is when the entry is picked. */
  resolveCodeAction(action: vscode.CodeAction, token: vscode.CancellationToken): vscode.CodeAction {
    if (action instanceof FixAllQuickFix && !action.edit && !token.isCancellationRequested && !action.doc.isClosed) {
      action.edit = this.fixAll(action.doc)?.edit;
    }
    return action;
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
      a.command = commandOf('corpusLens.switchOffRule', title, args);
      if (diag) a.diagnostics = [diag];
      return a;
    };
    return [
      make(`Switch off "${f.code}" for this file`, [f.code, doc.uri.toString(), 'file']),
      make(`Switch off "${f.code}" for the folder ${path.basename(folder)}`, [f.code, doc.uri.toString(), 'folder']),
    ];
  }
}

/** The quick fixes, and the handlers of the commands they and the palette run. */
export function registerCodeActions(context: vscode.ExtensionContext, diagnostics: CorpusDiagnostics) {
  const provider = new CorpusCodeActions(diagnostics);
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider({ language: LANGUAGE_ID }, provider, CorpusCodeActions.metadata));
  return {
    /** Applies every safe fix of the active article and says what it fixed (the message is also returned). */
    'corpusLens.fixAll': async (): Promise<{ applied: boolean; message?: string }> => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== LANGUAGE_ID) return { applied: false };
      const edits = collectSafeEdits(diagnostics.findings(editor.document));
      if (edits.length === 0) {
        const message = vscode.l10n.t('Nothing in this file can be fixed automatically.');
        void vscode.window.showInformationMessage(message);
        return { applied: false, message };
      }
      if (!await vscode.workspace.applyEdit(toWorkspaceEdit(editor.document, edits))) return { applied: false };
      // each finding a fix mends counts, by rule (a dateline rewrite mends several)
      const byRule: Partial<Record<RuleCode, number>> = {};
      let problems = 0;
      for (const e of edits) for (const f of e.from) { problems++; byRule[f.code] = (byRule[f.code] ?? 0) + 1; }
      const message = problems === 1 ? vscode.l10n.t('Fixed 1 problem in this file ({0}).', describeRuleCounts(byRule))
        : vscode.l10n.t('Fixed {0} problems in this file ({1}).', problems, describeRuleCounts(byRule));
      void vscode.window.showInformationMessage(message);
      return { applied: true, message };
    },
    'corpusLens.switchOffRule': switchOffRule,
  } satisfies FeatureCommands;
}
