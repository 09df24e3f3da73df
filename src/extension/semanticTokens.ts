/**
 * Entities coloured by type through semantic tokens (corpusPerson, corpusPlace, corpusOrganisation), so
 * themes and users can restyle them (editor.semanticTokenColorCustomizations); corpusLens.highlightEntities
 * switches it off.
 */
import * as vscode from 'vscode';
import type { EntityType } from '../core/ner/types';
import { AnalysisClient, CancelledError } from './analysisClient';
import { getConfig } from './config';
import { isLongDocument } from './documentLength';
import { LANGUAGE_ID } from './languageDetection';

export const LEGEND = new vscode.SemanticTokensLegend(['corpusPerson', 'corpusPlace', 'corpusOrganisation'], []);
const TYPE_INDEX: Record<EntityType, number> = { PER: 0, LOC: 1, ORG: 2 };

class EntityTokens implements vscode.DocumentSemanticTokensProvider, vscode.DocumentRangeSemanticTokensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeSemanticTokens = this.changed.event;
  constructor(private readonly client: AnalysisClient) {}
  refresh() { this.changed.fire(); }

  /**
   * Long articles get no whole-document tokens: building and diffing tens of thousands of tokens on the
   * extension host after every edit blocks it, and VS Code then asks the range provider for what is on screen.
   */
  async provideDocumentSemanticTokens(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.SemanticTokens | undefined> {
    if (isLongDocument(doc)) return undefined;
    return this.tokens(doc, token);
  }

  /** The visible range (VS Code asks for it on long documents, and first on others): only its lines are encoded. */
  async provideDocumentRangeSemanticTokens(doc: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.SemanticTokens | undefined> {
    return this.tokens(doc, token, range.start.line, range.end.line);
  }

  private async tokens(doc: vscode.TextDocument, token: vscode.CancellationToken, fromLine = 0, toLine = Number.MAX_SAFE_INTEGER): Promise<vscode.SemanticTokens | undefined> {
    const builder = new vscode.SemanticTokensBuilder(LEGEND);
    if (!getConfig(doc.uri).highlightEntities) return builder.build();
    let analysis;
    // long articles: wait for the document analyser's (debounced) run instead of asking for one per token request
    if (isLongDocument(doc)) analysis = await this.client.settled(doc, token);
    else {
      try { analysis = await this.client.analyse(doc, token); } catch (e) { if (e instanceof CancelledError) return undefined; return builder.build(); }
    }
    if (!analysis || token.isCancellationRequested) return undefined;
    // the worker already located every mention (line, UTF-16 character); mentions never cross a line
    const spans: { line: number; character: number; length: number; type: number }[] = [];
    for (const e of analysis.entities) {
      const t = TYPE_INDEX[e.type];
      for (const m of e.mentions) if (m.line >= fromLine && m.line <= toLine) spans.push({ line: m.line, character: m.character, length: m.end - m.start, type: t });
    }
    spans.sort((a, b) => a.line - b.line || a.character - b.character);
    for (const s of spans) builder.push(s.line, s.character, s.length, s.type, 0);
    return builder.build();
  }
}

export function registerSemanticTokens(context: vscode.ExtensionContext, client: AnalysisClient): { refresh(): void } {
  const p = new EntityTokens(client);
  context.subscriptions.push(
    vscode.languages.registerDocumentSemanticTokensProvider({ language: LANGUAGE_ID }, p, LEGEND),
    vscode.languages.registerDocumentRangeSemanticTokensProvider({ language: LANGUAGE_ID }, p, LEGEND),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('corpusLens.highlightEntities')) p.refresh(); }),
    // analysed again without an edit (dictionary change, nodejieba after the quick start): new colours
    client.onDidRefresh(() => p.refresh()),
  );
  return p;
}
