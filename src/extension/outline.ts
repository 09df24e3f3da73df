/** Outline (title, dateline, lead, each paragraph by its first words) and folding by paragraph. */
import * as vscode from 'vscode';
import { Article, parseArticle } from '../core/article';
import { outline } from '../core/outline';
import { toRange } from './convert';
import { LANGUAGE_ID } from './languageDetection';

const KIND: Record<string, vscode.SymbolKind> = {
  title: vscode.SymbolKind.File, dateline: vscode.SymbolKind.Event, lead: vscode.SymbolKind.String, paragraph: vscode.SymbolKind.String,
};

/** One parse per document version, shared by the outline and folding (both asked for after every edit). */
const parsed = new WeakMap<vscode.TextDocument, { version: number; article: Article }>();
function articleOf(doc: vscode.TextDocument): Article {
  const hit = parsed.get(doc);
  if (hit && hit.version === doc.version) return hit.article;
  const article = parseArticle(doc.getText());
  parsed.set(doc, { version: doc.version, article });
  return article;
}

class OutlineProvider implements vscode.DocumentSymbolProvider, vscode.FoldingRangeProvider {
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    return outline(articleOf(doc)).map((s) => {
      const r = toRange(doc, s.start, s.end);
      return new vscode.DocumentSymbol(s.name, s.detail, KIND[s.kind], r, r);
    });
  }
  provideFoldingRanges(doc: vscode.TextDocument): vscode.FoldingRange[] {
    const a = articleOf(doc);
    const ranges: vscode.FoldingRange[] = [];
    // the header (title to lead) folds as one; each paragraph block folds from its first line
    const headerEnd = a.lead?.line ?? a.dateline?.line;
    if (a.title && headerEnd !== undefined && headerEnd > a.title.line) ranges.push(new vscode.FoldingRange(a.title.line, headerEnd, vscode.FoldingRangeKind.Region));
    // each paragraph folds down to the line before the next one (its wrapped lines and the empty line after it)
    a.paragraphs.forEach((p, i) => {
      const next = a.paragraphs[i + 1];
      const last = next ? next.line - 1 : doc.lineCount - 1;
      if (last > p.line) ranges.push(new vscode.FoldingRange(p.line, last));
    });
    return ranges;
  }
}

export function registerOutline(context: vscode.ExtensionContext): void {
  const p = new OutlineProvider();
  context.subscriptions.push(
    vscode.languages.registerDocumentSymbolProvider({ language: LANGUAGE_ID }, p, { label: 'Corpus Lens' }),
    vscode.languages.registerFoldingRangeProvider({ language: LANGUAGE_ID }, p),
  );
}
