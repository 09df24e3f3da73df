/**
 * The concordance (KWIC) over a corpus: matching a string or a regular expression, the context of a match bounded by
 * its sentence or its paragraph, AntConc's multi-level sort (1L…3R in words where given, else characters; match,
 * date, article), and the lines as CSV or TSV.
 * Offsets are UTF-16 code units into the article's text (as VS Code counts); context widths and sort positions
 * count code points, so 𠮷 is one character.
 */
import * as l10n from '@vscode/l10n';
import { stringify } from 'csv-stringify/sync';
import { FORMULA_NEUTRALISED, notFormula, tsvField } from './export/writers';
import { LineIndex } from './text';

export interface ConcordanceLine {
  file: string;
  dateline: string | null;
  date: string | null;
  left: string;
  match: string;
  right: string;
  start: number;
  end: number;
  /** 0-based line and UTF-16 character of `start` */
  line: number;
  character: number;
}

export type ContextBound = 'sentence' | 'paragraph';
export interface ContextOptions {
  /** characters (code points) at most on each side */
  width: number;
  bound: ContextBound;
}
export const DEFAULT_CONTEXT: ContextOptions = { width: 30, bound: 'sentence' };
export const MIN_WIDTH = 1;
export const MAX_WIDTH = 200;

export interface ConcordanceQuery {
  pattern: string;
  regex?: boolean;
  caseSensitive?: boolean;
}

/** A query as a command takes it: a string (plain, case-insensitive) or { pattern, regex?, caseSensitive? }; else undefined. */
export function toQuery(arg: unknown): Required<ConcordanceQuery> | undefined {
  if (typeof arg === 'string') return { pattern: arg, regex: false, caseSensitive: false };
  if (!arg || typeof arg !== 'object' || typeof (arg as { pattern?: unknown }).pattern !== 'string') return undefined;
  const q = arg as ConcordanceQuery;
  return { pattern: q.pattern, regex: q.regex === true, caseSensitive: q.caseSensitive === true };
}

/** What the palette's input box takes: `/pattern/` is a case-sensitive regular expression, `/pattern/i` one that ignores case, anything else a plain string. */
export function queryFromInput(input: string): Required<ConcordanceQuery> {
  const m = /^\/(.+)\/(i?)$/s.exec(input);
  return m ? { pattern: m[1], regex: true, caseSensitive: m[2] !== 'i' } : { pattern: input, regex: false, caseSensitive: false };
}

export type CompiledQuery = { ok: true; re: RegExp } | { ok: false; message: string };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');

/**
 * The query as a global Unicode RegExp (a plain string escaped); an empty pattern or an invalid expression is a
 * message for the user, never an exception.
 */
export function compileQuery(q: ConcordanceQuery): CompiledQuery {
  if (!q.pattern) return { ok: false, message: l10n.t('Type a string or a regular expression to search for.') };
  const flags = 'gu' + (q.caseSensitive ? '' : 'i');
  try {
    return { ok: true, re: new RegExp(q.regex ? q.pattern : escapeRegExp(q.pattern), flags) };
  } catch (e) {
    return { ok: false, message: l10n.t('Not a valid regular expression: {0}', (e as Error).message) };
  }
}

/** Every non-empty match of a global RegExp in `text` (empty matches are stepped over by one code point). */
export function* matchesIn(text: string, re: RegExp): Generator<{ start: number; end: number }> {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let m: RegExpExecArray | null;
  while ((m = g.exec(text)) !== null) {
    if (m[0].length === 0) {
      const c = text.codePointAt(m.index);
      g.lastIndex = m.index + (c !== undefined && c > 0xffff ? 2 : 1);
      continue;
    }
    yield { start: m.index, end: m.index + m[0].length };
  }
}

/** Characters that end a sentence; closing quotes and brackets right after one belong to that sentence. */
const SENTENCE_END = new Set(['。', '！', '？', '!', '?']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '》', '"', '\'']);
const isBreak = (c: number) => c === 10 || c === 13;
/** White space at a context's edges: ASCII, tab, no-break space, the full-width (ideographic) space, a BOM. */
const isSpace = (ch: string) => /^[\s\u00a0\u3000\ufeff]$/.test(ch);

/**
 * The span a match's context may come from: its paragraph (the line, or lines, holding it: a title or a dateline is
 * a line of its own, so never part of a body line's context), or within that, its sentence. White space at the
 * span's edges (a paragraph's indent, a CR) is left out.
 */
export function contextBounds(text: string, start: number, end: number, bound: ContextBound): { from: number; to: number } {
  let from = start;
  while (from > 0 && !isBreak(text.charCodeAt(from - 1))) from--;
  let to = end;
  while (to < text.length && !isBreak(text.charCodeAt(to))) to++;
  if (bound === 'sentence') {
    for (let i = start - 1; i >= from; i--) {
      if (SENTENCE_END.has(text[i])) {
        let j = i + 1;
        while (j < start && CLOSERS.has(text[j])) j++;
        from = j;
        break;
      }
    }
    for (let i = end; i < to; i++) {
      if (SENTENCE_END.has(text[i])) {
        let j = i + 1;
        while (j < to && CLOSERS.has(text[j])) j++;
        to = j;
        break;
      }
    }
  }
  while (from < start && isSpace(text[from])) from++;
  while (to > end && isSpace(text[to - 1])) to--;
  return { from, to };
}

/** Up to `width` code points each side of [start, end), within the match's sentence or paragraph. */
export function kwic(text: string, start: number, end: number, opts: ContextOptions): { left: string; right: string } {
  const { from, to } = contextBounds(text, start, end, opts.bound);
  // 2 × width code units hold at least width code points (a cut surrogate pair falls outside the last width)
  const left = Array.from(text.slice(Math.max(from, start - 2 * opts.width), start)).slice(-opts.width).join('');
  const right = Array.from(text.slice(end, Math.min(to, end + 2 * opts.width))).slice(0, opts.width).join('');
  return { left, right };
}

export interface ArticleSource {
  file: string;
  text: string;
  dateline: string | null;
  date: string | null;
}

export interface SearchLimits {
  /** lines returned at most */
  maxLines: number;
  /** matches counted at most (beyond it the count reads "M+") */
  maxCount: number;
}
export const DEFAULT_LIMITS: SearchLimits = { maxLines: 5000, maxCount: 100_000 };

export interface SearchResult {
  /** the first `maxLines` matches, in the articles' order and by offset within each */
  lines: ConcordanceLine[];
  /** matches counted; `more`: counting stopped at maxCount, there may be more */
  total: number;
  more: boolean;
  articles: number;
}

/** A KWIC line for [start, end) of an article. */
export function lineAt(a: ArticleSource, lines: LineIndex, start: number, end: number, opts: ContextOptions): ConcordanceLine {
  const { left, right } = kwic(a.text, start, end, opts);
  const pos = lines.positionAt(start);
  return { file: a.file, dateline: a.dateline, date: a.date, left, match: a.text.slice(start, end), right, start, end, line: pos.line, character: pos.character };
}

/** The query's matches in the articles, as KWIC lines (the first maxLines) and a count (up to maxCount). */
export function searchArticles(articles: Iterable<ArticleSource>, re: RegExp, opts: ContextOptions, limits: SearchLimits = DEFAULT_LIMITS): SearchResult {
  const out: ConcordanceLine[] = [];
  let total = 0;
  let articlesWith = 0;
  for (const a of articles) {
    let lines: LineIndex | undefined;
    let found = false;
    for (const m of matchesIn(a.text, re)) {
      if (total >= limits.maxCount) return { lines: out, total, more: true, articles: articlesWith };
      total++;
      if (!found) { found = true; articlesWith++; }
      if (out.length < limits.maxLines) out.push(lineAt(a, (lines ??= new LineIndex(a.text)), m.start, m.end, opts));
    }
  }
  return { lines: out, total, more: false, articles: articlesWith };
}

// ---------------------------------------------------------------------------------------------------------
// sorting

export const SORT_KEYS = ['1L', '2L', '3L', '1R', '2R', '3R', 'match', 'date', 'article'] as const;
export type SortKey = typeof SORT_KEYS[number];
export const MAX_SORT_LEVELS = 3;

/**
 * The sort positions of a context when no segmentation is at hand: characters (code points), white space skipped,
 * and a run of Latin letters or digits (half- or full-width) counted as one position, since a number or a Latin word
 * is read as one.
 */
export function positions(context: string): string[] {
  return context.match(/[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+|[^\s\u00a0\u3000\ufeff]/gu) ?? [];
}

export type PositionKey = '1L' | '2L' | '3L' | '1R' | '2R' | '3R';
/** A line's contexts as words (jieba's, from the analysis worker), the sort positions where they are known. */
export interface ContextWords { left: string[]; right: string[] }

/**
 * The word at a position: 1L is the one right before the match, 1R the one right after; '' where there is none.
 * `words`: the contexts segmented; without them, positions() of the contexts.
 */
export function positionWord(l: ConcordanceLine, key: PositionKey, words?: ContextWords): string {
  const n = Number(key[0]);
  if (key[1] === 'L') { const p = words?.left ?? positions(l.left); return p[p.length - n] ?? ''; }
  return (words?.right ?? positions(l.right))[n - 1] ?? '';
}

/** Whether sorting by these keys needs the contexts' words. */
export const needsWords = (keys: readonly SortKey[]): boolean => keys.some((k) => /^[123][LR]$/.test(k));

/**
 * The lines in the order of up to three sort keys (AntConc's levels), each ascending, then by date (undated last),
 * article and offset, so the order is total and stable. `collator` compares words (pinyin order for Chinese where
 * the runtime has it); `article` is how an article is named to the user (its relative path); `words` gives a line's
 * contexts as words (positions count characters for a line without).
 */
export function sortLines(lines: readonly ConcordanceLine[], keys: readonly SortKey[], collator: Intl.Collator = defaultCollator(),
  article: (file: string) => string = (f) => f, words: (l: ConcordanceLine) => ContextWords | undefined = () => undefined): ConcordanceLine[] {
  const byDate = (a: ConcordanceLine, b: ConcordanceLine) =>
    (!!a.date !== !!b.date ? (a.date ? -1 : 1) : (a.date ?? '').localeCompare(b.date ?? ''));
  const cmp = (k: SortKey) => (a: ConcordanceLine, b: ConcordanceLine): number => {
    switch (k) {
      case 'date': return byDate(a, b);
      case 'article': return collator.compare(article(a.file), article(b.file));
      case 'match': return collator.compare(a.match, b.match);
      default: return collator.compare(positionWord(a, k, words(a)), positionWord(b, k, words(b)));
    }
  };
  const levels = [...keys.slice(0, MAX_SORT_LEVELS).map(cmp), byDate, (a: ConcordanceLine, b: ConcordanceLine) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
    (a: ConcordanceLine, b: ConcordanceLine) => a.start - b.start];
  return [...lines].sort((a, b) => { for (const c of levels) { const r = c(a, b); if (r) return r; } return 0; });
}

export function defaultCollator(): Intl.Collator {
  try { return new Intl.Collator('zh-u-co-pinyin'); } catch { return new Intl.Collator('zh'); }
}

// ---------------------------------------------------------------------------------------------------------
// copy and export

export const EXPORT_COLUMNS = ['article', 'dateline', 'date', 'start', 'end', 'line', 'left', 'match', 'right'] as const;
export type ExportFormat = 'csv' | 'tsv';

/**
 * The lines as CSV (RFC 4180) or TSV with a header row: the article (as `article` names it), dateline, ISO date,
 * start and end (UTF-16 offsets), line (1-based), left, match, right; as Extract Entities writes them: CSV with a BOM
 * (spreadsheets then read UTF-8) and CRLF, cells a spreadsheet would run as a formula with a `'` in front, and in
 * TSV tabs and line breaks inside a cell as spaces.
 */
export function formatLines(lines: readonly ConcordanceLine[], format: ExportFormat, article: (file: string) => string = (f) => f, header = true): string {
  const rows: (string | number)[][] = lines.map((l) => [article(l.file), l.dateline ?? '', l.date ?? '', l.start, l.end, l.line + 1, l.left, l.match, l.right]);
  if (format === 'csv') {
    return (header ? '\ufeff' + stringify([[...EXPORT_COLUMNS]], { record_delimiter: '\r\n' }) : '')
      + stringify(rows.map((r) => r.map(notFormula)), { record_delimiter: '\r\n', quoted_match: FORMULA_NEUTRALISED });
  }
  const out = rows.map((r) => r.map((v) => notFormula(tsvField(v))).join('\t'));
  if (header) out.unshift(EXPORT_COLUMNS.join('\t'));
  return out.map((r) => r + '\n').join('');
}

/** Selected lines for the clipboard: left, match, right, article, dateline, tab-separated, one line each. */
export function copyText(lines: readonly ConcordanceLine[], article: (file: string) => string = (f) => f): string {
  return lines.map((l) => [l.left, l.match, l.right, article(l.file), l.dateline ?? ''].map(tsvField).join('\t')).join('\n');
}
