/**
 * Outline (title, dateline, lead, each paragraph by its first words) and folding by paragraph. Long
 * articles (over 100,000 characters) are parsed in the worker, not on the extension host's thread.
 */
import * as vscode from 'vscode';
import { Article, parseArticle } from '../core/article';
import { foldingRanges, outline, OutlineResult } from '../core/outline';
import { documentText, isLongDocument } from './documentLength';
import { LANGUAGE_ID } from './languageDetection';

const KIND: Record<string, vscode.SymbolKind> = {
  title: vscode.SymbolKind.File, dateline: vscode.SymbolKind.Event, lead: vscode.SymbolKind.String, paragraph: vscode.SymbolKind.String,
};

/** One parse per document version, shared by the outline and folding (both asked for after every edit). */
const parsed = new WeakMap<vscode.TextDocument, { version: number; result: Promise<OutlineResult> | OutlineResult }>();

class OutlineProvider implements vscode.DocumentSymbolProvider, vscode.FoldingRangeProvider {
  constructor(private readonly inWorker: (text: string) => Promise<OutlineResult>) {}

  private resultOf(doc: vscode.TextDocument): Promise<OutlineResult> | OutlineResult {
    const hit = parsed.get(doc);
    if (hit && hit.version === doc.version) return hit.result;
    let result: Promise<OutlineResult> | OutlineResult;
    if (isLongDocument(doc)) {
      // (if the worker cannot run, parse here rather than show nothing)
      const text = documentText(doc);
      result = this.inWorker(text).catch(() => local(parseArticle(text)));
    } else result = local(parseArticle(documentText(doc)));
    parsed.set(doc, { version: doc.version, result });
    return result;
  }

  async provideDocumentSymbols(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const version = doc.version;
    const { symbols } = await this.resultOf(doc);
    if (doc.version !== version) return [];
    return symbols.map((s) => {
      // (positions from the parse, not doc.positionAt: see OutlineItem.range)
      const r = new vscode.Range(s.range[0], s.range[1], s.range[2], s.range[3]);
      return new vscode.DocumentSymbol(s.name, s.detail, KIND[s.kind], r, r);
    });
  }

  async provideFoldingRanges(doc: vscode.TextDocument): Promise<vscode.FoldingRange[]> {
    const { folding } = await this.resultOf(doc);
    return folding.map((f) => new vscode.FoldingRange(f.start, f.end, f.region ? vscode.FoldingRangeKind.Region : undefined));
  }
}

function local(a: Article): OutlineResult { return { symbols: outline(a), folding: foldingRanges(a) }; }

export function registerOutline(context: vscode.ExtensionContext, inWorker: (text: string) => Promise<OutlineResult>): void {
  const p = new OutlineProvider(inWorker);
  context.subscriptions.push(
    vscode.languages.registerDocumentSymbolProvider({ language: LANGUAGE_ID }, p, { label: 'Corpus Lens' }),
    vscode.languages.registerFoldingRangeProvider({ language: LANGUAGE_ID }, p),
  );
}
