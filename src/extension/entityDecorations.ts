/**
 * Entities coloured by type through decorations with contributed theme colours (corpusLens.person / .place /
 * .organisation in package.json contributes.colors). The built-in themes colour the semantic tokens' scopes
 * alike (Light/Dark 2026 colour every entity.name orange) or not at all (themes without semanticHighlighting,
 * e.g. Dark Modern, High Contrast Light), so the colour comes from here: it has a default per theme kind and
 * users restyle it with workbench.colorCustomizations. A decoration's colour wins over a token's colour, so
 * the semantic tokens (kept for their types) never fight it. corpusLens.highlightEntities switches both off.
 */
import * as vscode from 'vscode';
import type { EntityType } from '../core/ner/types';
import { AnalysisClient, CancelledError } from './analysisClient';
import { getConfig } from './config';
import { isLongDocument } from './documentLength';
import { LANGUAGE_ID } from './languageDetection';

/** The contributed colour of each type; the Entities view's type icons use the same ones as the legend. */
export const ENTITY_COLOR: Record<EntityType, string> = { PER: 'corpusLens.person', LOC: 'corpusLens.place', ORG: 'corpusLens.organisation' };

const MARGIN = 100;

export function registerEntityDecorations(context: vscode.ExtensionContext, client: AnalysisClient): { refresh(): void } {
  const types = Object.keys(ENTITY_COLOR) as EntityType[];
  const decoration = Object.fromEntries(types.map((t) => [t, vscode.window.createTextEditorDecorationType({ color: new vscode.ThemeColor(ENTITY_COLOR[t]) })])) as Record<EntityType, vscode.TextEditorDecorationType>;
  // one pending run per document: a newer run cancels the older one
  const pending = new Map<string, vscode.CancellationTokenSource>();

  async function decorate(doc: vscode.TextDocument) {
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === doc);
    if (!editors.length || doc.languageId !== LANGUAGE_ID) return;
    const key = doc.uri.toString();
    pending.get(key)?.cancel();
    const cts = new vscode.CancellationTokenSource();
    pending.set(key, cts);
    const ranges: Record<EntityType, vscode.Range[]> = { PER: [], LOC: [], ORG: [] };
    if (getConfig(doc.uri).highlightEntities) {
      let analysis;
      try { analysis = isLongDocument(doc) ? await client.settled(doc, cts.token) : await client.analyse(doc, cts.token); } catch (e) { if (e instanceof CancelledError) return; } finally { if (pending.get(key) === cts) pending.delete(key); }
      // no analysis (outdated by an edit, or failed): keep the colours, which VS Code moves along with edits
      if (cts.token.isCancellationRequested || !analysis) return;
      // long articles: only the lines on screen (with a screen's margin), as for their semantic tokens, so
      // an edit never makes the extension host build tens of thousands of ranges
      const shown = isLongDocument(doc) ? editors.flatMap((ed) => ed.visibleRanges.map((r) => [r.start.line - MARGIN, r.end.line + MARGIN])) : [[0, Number.MAX_SAFE_INTEGER]];
      // mentions never cross a line (the worker located each as line + UTF-16 character)
      for (const e of analysis.entities) for (const m of e.mentions) {
        if (shown.some(([from, to]) => m.line >= from && m.line <= to)) ranges[e.type].push(new vscode.Range(m.line, m.character, m.line, m.character + m.end - m.start));
      }
    }
    for (const ed of vscode.window.visibleTextEditors.filter((e) => e.document === doc)) for (const t of types) ed.setDecorations(decoration[t], ranges[t]);
  }
  const refresh = () => { for (const doc of new Set(vscode.window.visibleTextEditors.map((e) => e.document))) void decorate(doc); };

  context.subscriptions.push(
    ...Object.values(decoration),
    vscode.window.onDidChangeVisibleTextEditors(refresh),
    vscode.window.onDidChangeTextEditorVisibleRanges((e) => { if (isLongDocument(e.textEditor.document)) void decorate(e.textEditor.document); }),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) void decorate(e.document); }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('corpusLens.highlightEntities')) refresh(); }),
    client.onDidRefresh(refresh),
    { dispose: () => { for (const c of pending.values()) c.cancel(); } },
  );
  refresh();
  return { refresh };
}
