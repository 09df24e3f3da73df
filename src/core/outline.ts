import { Article } from './article';

export interface OutlineItem {
  kind: 'title' | 'dateline' | 'lead' | 'paragraph'; name: string; detail: string; start: number; end: number;
  /**
   * The same span as line and UTF-16 character of its start and end: the extension makes its ranges from these
   * instead of asking the document for positions (after an edit of a 1 MB article, the extension host's
   * positionAt rebuilt its line index: a 23–39 ms block per outline).
   */
  range: [startLine: number, startCharacter: number, endLine: number, endCharacter: number];
}

const firstWords = (s: string, n = 16) => { const t = s.trim(); const cps = Array.from(t.slice(0, n * 2 + 2)); return cps.length > n ? cps.slice(0, n).join('') + '…' : t; };

/** More paragraphs than this are not listed one by one (an outline of thousands helps no one, and costs every edit). */
export const MAX_OUTLINE_PARAGRAPHS = 300;

/** Document symbols of an article: title, dateline, lead and each paragraph named by its first words. */
export function outline(a: Article): OutlineItem[] {
  const out: OutlineItem[] = [];
  const span = (x: { start: number; end: number }) => {
    const s = a.lines.positionAt(x.start), e = a.lines.positionAt(x.end);
    return { start: x.start, end: x.end, range: [s.line, s.character, e.line, e.character] as OutlineItem['range'] };
  };
  if (a.title) out.push({ kind: 'title', name: firstWords(a.title.text, 40) || '(untitled)', detail: 'title', ...span(a.title) });
  if (a.dateline) out.push({ kind: 'dateline', name: a.dateline.text.trim(), detail: 'dateline', ...span(a.dateline) });
  if (a.lead) out.push({ kind: 'lead', name: firstWords(a.lead.text, 24), detail: 'lead', ...span(a.lead) });
  a.paragraphs.slice(0, MAX_OUTLINE_PARAGRAPHS).forEach((p, i) => out.push({ kind: 'paragraph', name: firstWords(p.text), detail: `¶${i + 1}`, ...span(p) }));
  const rest = a.paragraphs.length - MAX_OUTLINE_PARAGRAPHS;
  if (rest > 0) {
    const from = a.paragraphs[MAX_OUTLINE_PARAGRAPHS], last = a.paragraphs[a.paragraphs.length - 1];
    out.push({ kind: 'paragraph', name: `… ${rest} more paragraphs`, detail: `¶${MAX_OUTLINE_PARAGRAPHS + 1}–¶${a.paragraphs.length}`, ...span({ start: from.start, end: last.end }) });
  }
  return out;
}

export interface FoldingItem { start: number; end: number; region?: boolean }

/** Folding by line: the header (title to lead) as one region; each paragraph down to the line before the next. */
export function foldingRanges(a: Article): FoldingItem[] {
  const out: FoldingItem[] = [];
  const headerEnd = a.lead?.line ?? a.dateline?.line;
  if (a.title && headerEnd !== undefined && headerEnd > a.title.line) out.push({ start: a.title.line, end: headerEnd, region: true });
  const lastLine = a.lines.lineCount - 1;
  a.paragraphs.forEach((p, i) => {
    const next = a.paragraphs[i + 1];
    const last = next ? next.line - 1 : lastLine;
    if (last > p.line) out.push({ start: p.line, end: last });
  });
  return out;
}

/** Both, from one parse (what the worker returns for long articles). */
export interface OutlineResult { symbols: OutlineItem[]; folding: FoldingItem[] }
