/**
 * Entities coloured by type through semantic tokens (corpusPerson, corpusPlace, corpusOrganisation), so
 * themes and users can restyle them (editor.semanticTokenColorCustomizations); corpusLens.highlightEntities
 * switches it off.
 */
import * as vscode from 'vscode';
import type { EntityType } from '../core/ner/types';
import { AnalysisClient, CancelledError } from './analysisClient';
import { getConfig } from './config';
import { LANGUAGE_ID } from './languageDetection';

export const LEGEND = new vscode.SemanticTokensLegend(['corpusPerson', 'corpusPlace', 'corpusOrganisation'], []);
const TYPE_INDEX: Record<EntityType, number> = { PER: 0, LOC: 1, ORG: 2 };

class EntityTokens implements vscode.DocumentSemanticTokensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeSemanticTokens = this.changed.event;
  constructor(private readonly client: AnalysisClient) {}
  refresh() { this.changed.fire(); }

  async provideDocumentSemanticTokens(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.SemanticTokens | undefined> {
    const builder = new vscode.SemanticTokensBuilder(LEGEND);
    if (!getConfig(doc.uri).highlightEntities) return builder.build();
    let analysis;
    try { analysis = await this.client.analyse(doc, token); } catch (e) { if (e instanceof CancelledError) return undefined; return builder.build(); }
    if (token.isCancellationRequested) return undefined;
    const spans = analysis.entities.flatMap((e) => e.mentions.map((m) => ({ m, t: TYPE_INDEX[e.type] }))).sort((a, b) => a.m.start - b.m.start);
    for (const { m, t } of spans) {
      const start = doc.positionAt(m.start), end = doc.positionAt(m.end);
      if (start.line !== end.line) continue; // mentions never cross lines; be safe
      builder.push(start.line, start.character, end.character - start.character, t, 0);
    }
    return builder.build();
  }
}

export function registerSemanticTokens(context: vscode.ExtensionContext, client: AnalysisClient): { refresh(): void } {
  const p = new EntityTokens(client);
  context.subscriptions.push(
    vscode.languages.registerDocumentSemanticTokensProvider({ language: LANGUAGE_ID }, p, LEGEND),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('corpusLens.highlightEntities')) p.refresh(); }),
  );
  return p;
}
