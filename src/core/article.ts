/**
 * The article parser: title, dateline, lead, paragraphs, each with UTF-16 offsets into the text as
 * given (a BOM, CRLF/CR line ends, a missing final newline and NBSP are all tolerated).
 */
import { LineIndex, Span } from './text';
import { parseDatelineLoose, LooseDateline } from './dateline';

export interface ArticleLine extends Span {
  /** 0-based line number */
  line: number;
  text: string;
}

export interface Paragraph extends ArticleLine {
  /** leading whitespace of the paragraph's first line (two spaces when well-formed) */
  indent: string;
}

export interface Article {
  text: string;
  lines: LineIndex;
  bom: boolean;
  /** the dominant line end, used when a fix inserts lines */
  eol: '\n' | '\r\n' | '\r';
  title?: ArticleLine;
  /** the dateline-shaped line, wherever it was found among the first lines */
  dateline?: ArticleLine & { parsed: LooseDateline };
  lead?: ArticleLine;
  paragraphs: Paragraph[];
}

/** How far down a misplaced dateline is still looked for. */
export const DATELINE_SEARCH_LINES = 8;
/** The line a well-formed article has its dateline on (0-based: title, empty, dateline). */
export const DATELINE_LINE = 2;

function lineAt(lines: LineIndex, line: number): ArticleLine {
  const start = lines.starts[line];
  const end = lines.lineEnd(line);
  return { line, start, end, text: lines.text.slice(start, end) };
}

function dominantEol(text: string): Article['eol'] {
  let crlf = 0, lf = 0, cr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) { if (text.charCodeAt(i + 1) === 10) { crlf++; i++; } else cr++; }
    else if (c === 10) lf++;
  }
  if (crlf >= lf && crlf >= cr && crlf > 0) return '\r\n';
  if (cr > lf) return '\r';
  return '\n';
}

const isBlank = (s: string) => /^[\s\u00a0\u3000\ufeff]*$/.test(s);

export function parseArticle(text: string): Article {
  const lines = new LineIndex(text);
  const bom = text.charCodeAt(0) === 0xfeff;
  const article: Article = { text, lines, bom, eol: dominantEol(text), paragraphs: [] };
  const n = lines.lineCount;

  // The title: the first line (after a BOM); if it is blank, the first non-blank line before the dateline.
  let titleLine = -1;
  for (let l = 0; l < Math.min(n, DATELINE_SEARCH_LINES); l++) {
    const lt = lineAt(lines, l);
    if (isBlank(lt.text)) continue;
    if (parseDatelineLoose(lt.text)) break; // a dateline before any title: no title
    titleLine = l;
    break;
  }
  if (titleLine >= 0) {
    const t = lineAt(lines, titleLine);
    if (bom && t.start === 0) { t.start = 1; t.text = t.text.slice(1); }
    article.title = t;
  }

  // The dateline: the first dateline-shaped line among the first lines.
  let datelineLine = -1;
  for (let l = titleLine + 1; l < Math.min(n, DATELINE_SEARCH_LINES); l++) {
    const lt = lineAt(lines, l);
    if (bom && lt.start === 0) { lt.start = 1; lt.text = lt.text.slice(1); }
    const parsed = parseDatelineLoose(lt.text);
    if (parsed) {
      article.dateline = { ...lt, parsed };
      datelineLine = l;
      break;
    }
  }

  // The lead: a non-blank, unindented line directly under the dateline.
  let bodyFrom = (datelineLine >= 0 ? datelineLine : titleLine) + 1;
  if (datelineLine >= 0 && datelineLine + 1 < n) {
    const lt = lineAt(lines, datelineLine + 1);
    if (!isBlank(lt.text) && !/^[ \t\u3000\u00a0]/.test(lt.text)) {
      article.lead = lt;
      bodyFrom = datelineLine + 2;
    }
  }

  // Paragraphs: every non-blank line after the header (one line a paragraph, as the corpus writes them).
  for (let l = Math.max(0, bodyFrom); l < n; l++) {
    if (l === titleLine || l === datelineLine) continue;
    const lt = lineAt(lines, l);
    if (isBlank(lt.text)) continue;
    const indent = /^[ \t\u3000\u00a0]*/.exec(lt.text)![0];
    // (the fields written out, in the spread's order: parseArticle 130–230 → 55–105 ms over six passes of
    // 1,000 articles)
    article.paragraphs.push({ line: lt.line, start: lt.start, end: lt.end, text: lt.text, indent });
  }
  return article;
}
