/**
 * Corpus rules: stable codes, precise messages, exact ranges (UTF-16 offsets), severities that users
 * can set per rule, and fixes. `safe` fixes are the unambiguous ones: `--fix`, fix-all and fix-on-save
 * apply only those.
 */
import * as l10n from '@vscode/l10n';
import { LRUCache } from 'lru-cache';
import { Article, DATELINE_LINE, parseArticle } from './article';
import {
  DateReading, dateProblem, formatDate, formatDateline, LooseDateline, pad2, WELL_FORMED_SEPARATORS,
} from './dateline';
import { compileGlob } from './glob';
import { messagesGeneration } from './messages';
import { SETTINGS, SeveritySetting } from './settings';
import { isCjk } from './text';

export type { SeveritySetting };
export type Severity = Exclude<SeveritySetting, 'off'>;

export interface Edit { start: number; end: number; newText: string }
export interface Fix { title: string; edits: Edit[]; safe: boolean }

export interface CorpusDiagnostic {
  code: RuleCode;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fixes: Fix[];
}

/** Each rule's default severity and its documentation (Markdown: the README's rule table and the settings UI show it). */
export const RULES = {
  'dateline-missing': { severity: 'error', description: 'No dateline among the first lines of the article.' },
  'dateline-position': { severity: 'warning', description: 'The dateline is not on line 3 (title, empty line, dateline).' },
  'dateline-format': { severity: 'error', description: 'The date is not written DD.MM.YYYY (slashes, dashes, year first, 年月日).' },
  'dateline-short-year': { severity: 'error', description: 'The year has two digits instead of four.' },
  'dateline-padding': { severity: 'error', description: 'Day, month or hour written with one digit instead of two.' },
  'dateline-fullwidth-digits': { severity: 'error', description: 'Full-width digits or punctuation in the dateline.' },
  'dateline-missing-time': { severity: 'error', description: 'The dateline has a date but no HH:MM time.' },
  'dateline-invalid-date': { severity: 'error', description: 'A date that does not exist (32.10.2018, 29.02.2018, month 13).' },
  'dateline-invalid-time': { severity: 'error', description: 'A time that does not exist (25:10, 06:61).' },
  'dateline-separator': { severity: 'error', description: 'Date and time not separated by two spaces or a space and a no-break space.' },
  'dateline-seconds': { severity: 'warning', description: 'The time has seconds (HH:MM:SS); the corpus writes HH:MM.' },
  'dateline-leading-space': { severity: 'warning', description: 'White space before the dateline.' },
  'dateline-trailing-space': { severity: 'warning', description: 'White space after the dateline.' },
  'dateline-future': { severity: 'warning', description: 'The dateline is in the future.' },
  'dateline-too-early': { severity: 'warning', description: 'The dateline is before the configured start year (`#corpusLens.dateline.startYear#`).' },
  'title-missing': { severity: 'warning', description: 'The article has no title line.' },
  'encoding-damage': { severity: 'warning', description: 'Text damaged by a wrong decoding: `?` or U+FFFD among Chinese characters, or UTF-8 read as Latin-1.' },
  'halfwidth-punctuation': { severity: 'warning', description: 'Punctuation between Chinese characters in the form the article does not write: of each mark, the half- or full-width form in the minority (a tie counts for full width). `"punctuation"` in `.corpus-lens.json` sets the form instead: `fullwidth`, `halfwidth` or `article` (the default).' },
  'paragraph-indent': { severity: 'warning', description: 'A paragraph without its two-space indent.' },
  'file-encoding': { severity: 'error', description: 'The file is not UTF-8 (GB18030/GBK, Big5, UTF-16): reopen it with its encoding or convert it.' },
  'file-too-large': { severity: 'information', description: 'The file is over `#corpusLens.maxFileSizeMB#` and is not analysed.' },
  'entity-type-conflict': { severity: 'information', description: 'A name recognised here as one type (a person, a place, an organisation) and as another type in other articles of the corpus.' },
  'dateline-out-of-range': { severity: 'information', description: "The dateline's year lies outside the corpus's own datelines: the years of their 1st to 99th percentile (in a corpus of 20 dated articles or more)." },
  'dateline-out-of-order': { severity: 'information', description: "In a folder whose file names are numbered (`001_…`, `002_…`) and whose datelines follow the numbers (rising or falling for 80 % of neighbouring dated articles, 5 or more), a dateline that breaks that order while the articles before and after it keep it." },
  'entity-missed': { severity: 'information', description: 'A name the corpus recognises in other articles is not recognised here.' },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export type RuleCode = keyof typeof RULES;
export const RULE_CODES = Object.keys(RULES) as RuleCode[];

export interface RuleOptions {
  /** per-rule severity overrides; 'off' switches a rule off */
  severities?: Partial<Record<string, SeveritySetting>>;
  /** datelines before this year get dateline-too-early */
  startYear?: number;
  /** "today", for dateline-future (injectable for tests) */
  now?: Date;
  /** the separator written by fixes: two spaces (default) or space + NBSP */
  separator?: string;
  /** which punctuation between Chinese characters halfwidth-punctuation flags (default `article`) */
  punctuation?: PunctuationConvention;
}

interface Ctx { article: Article; opts: Required<Omit<RuleOptions, 'severities'>> & RuleOptions; out: CorpusDiagnostic[] }

function report(ctx: Ctx, code: RuleCode, start: number, end: number, message: string, fixes: Fix[] = []) {
  const setting = ctx.opts.severities?.[code];
  if (setting === 'off') return;
  const severity: Severity = setting ?? RULES[code].severity;
  ctx.out.push({ code, severity, message, start, end, fixes });
}

const show = (s: string) => s.replace(/\u00a0/g, '⍽').replace(/\u3000/g, '□');

/** "U+0020 U+00A0": the code points of white space that shows as nothing */
const codePoints = (s: string) => [...s].map((c) => 'U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')).join(' ');

/**
 * dateline-format's message: how the date is written (年月日, year first, or another separator) and what it should
 * be; whole sentences, so that a translation can order its parts. Only `/` and `-` dates are ambiguous, and then
 * their readings are day first, month first.
 */
function formatMessage(d: LooseDateline, valid: DateReading[]): string {
  const date = d.date.text, sep = d.fieldSeparator;
  const [one] = valid;
  if (sep === '年月日') {
    return one ? l10n.t('Date "{0}" is written year 年 month 月 day 日; expected DD.MM.YYYY ({1}).', date, formatDate(one))
      : l10n.t('Date "{0}" is written year 年 month 月 day 日; expected DD.MM.YYYY.', date);
  }
  if (d.readings[0].order === 'YMD') {
    return one ? l10n.t('Date "{0}" is written year-month-day with "{1}"; expected DD.MM.YYYY ({2}).', date, sep, formatDate(one))
      : l10n.t('Date "{0}" is written year-month-day with "{1}"; expected DD.MM.YYYY.', date, sep);
  }
  if (valid.length > 1) {
    return l10n.t('Date "{0}" is written with "{1}" instead of "."; expected DD.MM.YYYY; it is ambiguous: {2} (day first) or {3} (month first).',
      date, sep, formatDate(valid.find((r) => r.order === 'DMY')!), formatDate(valid.find((r) => r.order === 'MDY')!));
  }
  return one ? l10n.t('Date "{0}" is written with "{1}" instead of "."; expected DD.MM.YYYY ({2}).', date, sep, formatDate(one))
    : l10n.t('Date "{0}" is written with "{1}" instead of "."; expected DD.MM.YYYY.', date, sep);
}

/** dateline-padding's message: which fields lack their leading zero, and the rewrite when there is exactly one. */
function paddingMessage(raw: string, dayMonth: boolean, hour: boolean, rewrite: string | undefined): string {
  if (dayMonth && hour) {
    return rewrite === undefined ? l10n.t('"{0}": day and month need two digits, the hour needs two digits (DD.MM.YYYY  HH:MM).', raw)
      : l10n.t('"{0}": day and month need two digits, the hour needs two digits (DD.MM.YYYY  HH:MM, here {1}).', raw, rewrite);
  }
  if (dayMonth) {
    return rewrite === undefined ? l10n.t('"{0}": day and month need two digits (DD.MM.YYYY  HH:MM).', raw)
      : l10n.t('"{0}": day and month need two digits (DD.MM.YYYY  HH:MM, here {1}).', raw, rewrite);
  }
  return rewrite === undefined ? l10n.t('"{0}": the hour needs two digits (DD.MM.YYYY  HH:MM).', raw)
    : l10n.t('"{0}": the hour needs two digits (DD.MM.YYYY  HH:MM, here {1}).', raw, rewrite);
}

function validReadings(d: LooseDateline): DateReading[] {
  return d.readings.filter((r) => !dateProblem(r));
}

function checkDateline(ctx: Ctx) {
  const { article } = ctx;
  const dl = article.dateline;
  if (!dl) {
    const c = article.datelineCandidate;
    if (c) {
      // a line that starts with a date stands where the dateline stands, but what follows the date is not a time
      report(ctx, 'dateline-missing', c.start, c.end,
        l10n.t('No readable dateline: line {0} "{1}" starts with a date but is not a dateline "DD.MM.YYYY  HH:MM" (e.g. 17.10.2018  06:24); rewrite it by hand.', c.line + 1, c.text.trim()));
      return;
    }
    const l = article.lines;
    const at = Math.min(DATELINE_LINE, l.lineCount - 1);
    const start = l.starts[at], end = l.lineEnd(at);
    report(ctx, 'dateline-missing', start, end > start ? end : start,
      l10n.t('No dateline: expected a line "DD.MM.YYYY  HH:MM" (e.g. 17.10.2018  06:24) on line {0}, after the title and an empty line.', DATELINE_LINE + 1));
    return;
  }
  const d = dl.parsed;
  const base = dl.start;
  const lineSpan = { start: dl.start, end: dl.end };
  const dateStart = base + d.date.start, dateEnd = base + d.date.end;
  const valid = validReadings(d);
  const time = d.time;
  const timeValid = !!time && time.hour <= 23 && time.minute <= 59 && (time.seconds === undefined || time.seconds <= 59);
  const sepOk = !!d.sep && WELL_FORMED_SEPARATORS.includes(d.sep.text);
  const separator = sepOk ? d.sep!.text : ctx.opts.separator;

  // The canonical rewrite of the whole line, one per reading that is a real date.
  const rewrites: Fix[] = time && timeValid
    ? valid.map((r) => {
      const newText = formatDateline(r, time.hour, time.minute, separator);
      const title = valid.length === 1 ? l10n.t('Rewrite the dateline as "{0}"', show(newText))
        : r.order === 'DMY' ? l10n.t('Rewrite the dateline as "{0}" (day first)', show(newText))
          : l10n.t('Rewrite the dateline as "{0}" (month first)', show(newText));
      return { title,
        edits: [{ ...lineSpan, newText }], safe: valid.length === 1 };
    })
    : [];
  const canonical = (): Fix[] => rewrites;

  if (d.fullwidth) {
    report(ctx, 'dateline-fullwidth-digits', base + d.leading.length, base + (time ? time.end : d.date.end),
      l10n.t('Full-width digits or punctuation in the dateline "{0}": write ASCII digits, DD.MM.YYYY  HH:MM.', d.raw.trim()), canonical());
  }
  if (d.leading) {
    report(ctx, 'dateline-leading-space', base, base + d.leading.length,
      l10n.t('White space before the dateline: it must start at the beginning of the line.'), [{ title: l10n.t('Remove the white space before the dateline'), edits: [{ start: base, end: base + d.leading.length, newText: '' }], safe: true }]);
  }
  if (d.trailing) {
    report(ctx, 'dateline-trailing-space', dl.end - d.trailing.length, dl.end,
      l10n.t('White space after the dateline "{0}": the line must end after HH:MM.', d.raw.trim()), [{ title: l10n.t('Remove the white space after the dateline'), edits: [{ start: dl.end - d.trailing.length, end: dl.end, newText: '' }], safe: true }]);
  }

  const wrongOrder = d.readings[0].order !== 'DMY' || d.fieldSeparator !== '.';
  if (wrongOrder) {
    report(ctx, 'dateline-format', dateStart, dateEnd, formatMessage(d, valid), canonical());
  }
  if (d.shortYear) {
    const yearText = d.fields[2];
    const yEnd = dateEnd, yStart = dateEnd - yearText.length;
    report(ctx, 'dateline-short-year', yStart, yEnd,
      l10n.t('Two-digit year "{0}": write the year with four digits ({1}).', yearText, d.readings[0].year), canonical());
  }
  const unpadded = d.readings[0].order !== 'YMD' && d.fieldSeparator !== '年月日'
    ? d.fields.slice(0, 2).some((f) => f.length === 1)
    : d.fields.slice(1).some((f) => f.length === 1);
  const unpaddedHour = !!time && time.hourDigits === 1;
  if (unpadded || unpaddedHour) {
    report(ctx, 'dateline-padding', base + d.leading.length, base + (time ? time.end : d.date.end),
      paddingMessage(d.raw.trim(), unpadded, unpaddedHour, rewrites.length === 1 ? show(rewrites[0].edits[0].newText) : undefined), canonical());
  }
  if (valid.length === 0) {
    const problems = [...new Set(d.readings.map((r) => dateProblem(r)!))];
    report(ctx, 'dateline-invalid-date', dateStart, dateEnd, l10n.t('Date "{0}" does not exist: {1}.', d.date.text, problems.join(l10n.t('; '))));
  }
  if (!time) {
    report(ctx, 'dateline-missing-time', base + d.leading.length, base + d.date.end,
      l10n.t('The dateline "{0}" has no time: expected DD.MM.YYYY  HH:MM (24-hour), e.g. {1}  06:24.', d.raw.trim(), valid.length === 1 ? formatDate(valid[0]) : '17.10.2018'));
  } else {
    if (!timeValid) {
      report(ctx, 'dateline-invalid-time', base + time.start, base + time.end, time.hour > 23
        ? l10n.t('Time "{0}" does not exist: hour {1} does not exist (hours run 00 to 23).', time.text, time.hour)
        : time.minute > 59 ? l10n.t('Time "{0}" does not exist: minute {1} does not exist (minutes run 00 to 59).', time.text, time.minute)
          : l10n.t('Time "{0}" does not exist: second {1} does not exist.', time.text, time.seconds!));
    }
    if (time.seconds !== undefined) {
      report(ctx, 'dateline-seconds', base + time.start, base + time.end, l10n.t('Time "{0}" has seconds; the corpus writes HH:MM ({1}).', time.text, `${pad2(time.hour)}:${pad2(time.minute)}`), canonical());
    }
    if (!sepOk) {
      const s = d.sep!;
      const message = s.text.length === 0 ? l10n.t('Date and time are separated by nothing; expected two spaces, or a space and a no-break space.')
        : l10n.t('Date and time are separated by "{0}" ({1}); expected two spaces, or a space and a no-break space.', show(s.text), codePoints(s.text));
      report(ctx, 'dateline-separator', base + s.start, base + Math.max(s.end, s.start), message,
        rewrites.length ? canonical() : [{ title: l10n.t('Separate date and time with two spaces'), edits: [{ start: base + s.start, end: base + s.end, newText: ctx.opts.separator }], safe: true }]);
    }
  }
  if (valid.length >= 1 && !wrongOrder) {
    const r = valid[0];
    const when = Date.UTC(r.year, r.month - 1, r.day);
    const today = ctx.opts.now;
    const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
    if (when > todayUtc + 86400000) {
      report(ctx, 'dateline-future', dateStart, dateEnd, l10n.t('Date {0} is in the future (today is {1}).', formatDate(r), formatDate({ day: today.getDate(), month: today.getMonth() + 1, year: today.getFullYear() })));
    } else if (r.year < ctx.opts.startYear) {
      report(ctx, 'dateline-too-early', dateStart, dateEnd, l10n.t('Date {0} is before {1}, the corpus start year (setting corpusLens.dateline.startYear).', formatDate(r), ctx.opts.startYear));
    }
  }
  checkPosition(ctx);
}

function checkPosition(ctx: Ctx) {
  const { article } = ctx;
  const dl = article.dateline!;
  if (dl.line === DATELINE_LINE && article.title?.line === 0) return;
  const l = article.lines;
  const eol = article.eol;
  const fixes: Fix[] = [];
  const title = article.title;
  if (title && title.line === 0) {
    const between = [];
    for (let k = title.line + 1; k < dl.line; k++) between.push(l.lineText(k));
    if (between.every((s) => s.trim() === '')) {
      // only empty lines between: make it exactly one (unambiguous)
      fixes.push({ title: l10n.t('Put exactly one empty line between title and dateline'), edits: [{ start: title.end, end: dl.start, newText: eol + eol }], safe: true });
    } else {
      // a line (a lead, a paragraph) stands between: move the dateline up under the title
      const lineEndWithBreak = dl.line + 1 < l.lineCount ? l.starts[dl.line + 1] : dl.end;
      const removeStart = dl.line + 1 < l.lineCount ? dl.start : l.lineEnd(dl.line - 1);
      // insert after the empty line under the title (or add that empty line), then drop the old line
      const insert = l.lineText(1).trim() === '' && dl.line > 2
        ? { start: l.starts[2], end: l.starts[2], newText: dl.text + eol }
        : { start: title.end, end: title.end, newText: eol + eol + dl.text };
      fixes.push({
        title: l10n.t('Move the dateline to line {0}, under the title', DATELINE_LINE + 1),
        edits: [insert, { start: removeStart, end: lineEndWithBreak, newText: '' }],
        safe: false,
      });
    }
  }
  const message = !title ? l10n.t('The dateline is expected on line {0} (title, empty line, dateline), but there is no title line before it.', DATELINE_LINE + 1)
    : dl.line === title.line + 1 ? l10n.t('The dateline is expected on line {0} (title, empty line, dateline), but the empty line between title and dateline is missing.', DATELINE_LINE + 1)
      : l10n.t('The dateline is expected on line {0} (title, empty line, dateline), but it is on line {1}.', DATELINE_LINE + 1, dl.line + 1);
  report(ctx, 'dateline-position', dl.start, dl.end, message, fixes);
}

// "?" or U+FFFD standing for a character lost in decoding, and UTF-8 bytes shown as Latin-1 (å±±è¥¿ for 山西)
const MOJIBAKE = /(?:[\u00e2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122\u00a0-\u00bf]{2}){2,}/g;

interface RawFinding { code: RuleCode; start: number; end: number; message: string; fixes: Fix[] }

/** "?"/U+FFFD runs and mojibake within one line (neither crosses a line break); offsets relative to the line. */
function encodingInLine(t: string, out: RawFinding[]) {
  if (t.includes('?') || t.includes('\ufffd')) {
    const chars = Array.from(t);
    const offs: number[] = [];
    let off = 0;
    for (const c of chars) { offs.push(off); off += c.length; }
    offs.push(off);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c !== '?' && c !== '\ufffd') continue;
      let j = i;
      while (j < chars.length && (chars[j] === '?' || chars[j] === '\ufffd')) j++;
      const run = chars.slice(i, j);
      const prev = chars[i - 1], next = chars[j];
      const hasFffd = run.includes('\ufffd');
      const betweenCjk = prev !== undefined && next !== undefined && isCjk(prev) && isCjk(next);
      if (hasFffd || betweenCjk) {
        out.push({ code: 'encoding-damage', start: offs[i], end: offs[j], fixes: [], message: hasFffd
          ? l10n.t('U+FFFD REPLACEMENT CHARACTER: a character was lost when this text was decoded with the wrong encoding. Recover it from the source, or reopen the file with its real encoding.')
          : l10n.t('"{0}": "?" between Chinese characters usually stands for a character lost in a wrong decoding (a name\'s · or a rare character). Check the source text.', prev + run.join('') + next) });
      }
      i = j - 1;
    }
  }
  MOJIBAKE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MOJIBAKE.exec(t))) {
    let recovered = '';
    try {
      const bytes = Uint8Array.from(Array.from(m[0]).map((ch) => WIN1252_BYTE.get(ch) ?? ch.charCodeAt(0)));
      recovered = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch { /* not UTF-8 after all */ }
    if (!recovered) continue;
    out.push({ code: 'encoding-damage', start: m.index, end: m.index + m[0].length,
      message: l10n.t('"{0}" looks like UTF-8 read as Latin-1/Windows-1252 (mojibake for "{1}").', m[0], recovered),
      fixes: [{ title: l10n.t('Replace with "{0}"', recovered), edits: [{ start: m.index, end: m.index + m[0].length, newText: recovered }], safe: false }] });
  }
}

/** Windows-1252 characters 0x80–0x9F, for reversing mojibake. */
const WIN1252_BYTE = new Map<string, number>([
  ['€', 0x80], ['‚', 0x82], ['ƒ', 0x83], ['„', 0x84], ['…', 0x85], ['†', 0x86], ['‡', 0x87], ['ˆ', 0x88], ['‰', 0x89],
  ['Š', 0x8a], ['‹', 0x8b], ['Œ', 0x8c], ['Ž', 0x8e], ['‘', 0x91], ['’', 0x92], ['“', 0x93], ['”', 0x94], ['•', 0x95],
  ['–', 0x96], ['—', 0x97], ['˜', 0x98], ['™', 0x99], ['š', 0x9a], ['›', 0x9b], ['œ', 0x9c], ['ž', 0x9e], ['Ÿ', 0x9f],
]);

const FULL_PUNCT: Record<string, string> = { ',': '，', ';': '；', ':': '：', '!': '！', '(': '（', ')': '）' };
const HALF_PUNCT: Record<string, string> = Object.fromEntries(Object.entries(FULL_PUNCT).map(([h, f]) => [f, h]));

/**
 * Which form of punctuation between Chinese characters is flagged: `fullwidth` flags every half-width mark,
 * `halfwidth` every full-width one, `article` (the default) the minority form of each mark in the article
 * (a tie counts for full width), so an article written consistently either way gets no finding.
 */
export type PunctuationConvention = 'fullwidth' | 'halfwidth' | 'article';
export const PUNCTUATION_CONVENTIONS: readonly PunctuationConvention[] = ['fullwidth', 'halfwidth', 'article'];

/** A punctuation mark between Chinese characters, in either form; `off` relative to its line. */
interface PunctMark { off: number; c: string; half: boolean }

/** The mark a count is kept for: the half-width character, ( and ) counted together as one pair of brackets. */
const markClass = (m: PunctMark) => { const h = m.half ? m.c : HALF_PUNCT[m.c]; return h === ')' ? '(' : h; };

/** The marks punctuationInLine looks at: , ; : ! ( ) and their full-width forms ，；：！（） (no match object per mark). */
const isPunctMark = (code: number) => code === 0x2c || code === 0x3b || code === 0x3a || code === 0x21 || code === 0x28 || code === 0x29 ||
  code === 0xff0c || code === 0xff1b || code === 0xff1a || code === 0xff01 || code === 0xff08 || code === 0xff09;

/**
 * Punctuation marks (half- or full-width) between Chinese characters in `text` (a line, or a whole text: a line
 * break beside a mark is no Chinese character, as a line's end is not), offsets relative to it. The characters either
 * side of a mark are read as code points (𠮷 is one), without splitting the text into characters.
 */
function punctuationInLine(text: string, out: PunctMark[]) {
  for (let i = 0; i < text.length; i++) {
    if (!isPunctMark(text.charCodeAt(i))) continue;
    const c = text[i];
    const half = c in FULL_PUNCT;
    const h = half ? c : HALF_PUNCT[c];
    const low = text.charCodeAt(i - 1);
    const prev = i === 0 ? undefined : low >= 0xdc00 && low <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text.charAt(i - 1);
    const next = i + 1 < text.length ? String.fromCodePoint(text.codePointAt(i + 1)!) : undefined;
    let between: boolean;
    if (h === '(') between = next !== undefined && isCjk(next) && (prev === undefined || !/[A-Za-z0-9]/.test(prev));
    else if (h === ')') between = prev !== undefined && isCjk(prev) && (next === undefined || !/[A-Za-z0-9]/.test(next));
    else between = prev !== undefined && next !== undefined && isCjk(prev) && (isCjk(next) || /[“‘《「（(]/.test(next));
    if (between) out.push({ off: i, c, half });
  }
}

/**
 * How an article writes punctuation between Chinese characters: the marks of each form, over every line (the
 * dateline has none between Chinese characters). What the corpus's convention is detected from (core/conventions).
 */
export function punctuationForms(text: string): { half: number; full: number } {
  const marks: PunctMark[] = [];
  punctuationInLine(text, marks);
  let half = 0;
  for (const m of marks) if (m.half) half++;
  return { half, full: marks.length - half };
}

/**
 * The line-level rules, cached by line text: while someone types in a long article only the edited
 * line is checked again, the rest comes from the cache (bounded, the least recently used dropped first). An LRU
 * cache, not a Map whose oldest key is deleted: V8 leaves a deleted key's slot until the table is rebuilt, and
 * finding the oldest key walks those slots, 18 µs a line once the cache is full (an index run checks every line of
 * every article once: 0.24 ms an article, 24 s of the worker's thread at 100,000 articles); lru-cache, 0.6 µs.
 */
const LINE_CACHE = new LRUCache<string, { findings: RawFinding[]; punct: PunctMark[] }>({ max: 50000 });
/** the messages' language the cached findings are written in (core/messages) */
let lineCacheGeneration = messagesGeneration();

function lineFindings(text: string, prose: boolean): { findings: RawFinding[]; punct: PunctMark[] } {
  if (lineCacheGeneration !== messagesGeneration()) { LINE_CACHE.clear(); lineCacheGeneration = messagesGeneration(); }
  const key = (prose ? 'p' : 'n') + text;
  const hit = LINE_CACHE.get(key);
  if (hit) return hit;
  const findings: RawFinding[] = [], punct: PunctMark[] = [];
  encodingInLine(text, findings);
  if (prose) punctuationInLine(text, punct);
  findings.sort((a, b) => a.start - b.start);
  const entry = { findings, punct };
  LINE_CACHE.set(key, entry);
  return entry;
}

function checkLines(ctx: Ctx) {
  const a = ctx.article;
  // every line but the dateline is prose (title, lead, paragraphs, and the other lines of the header)
  const datelineLine = a.dateline?.line;
  const lines = a.lines;
  const marks: PunctMark[] = []; // offsets in the article
  for (let l = 0; l < lines.lineCount; l++) {
    const start = lines.starts[l];
    const end = lines.lineEnd(l);
    if (end === start) continue;
    const { findings, punct } = lineFindings(a.text.slice(start, end), l !== datelineLine);
    for (const f of findings) {
      report(ctx, f.code, f.start + start, f.end + start, f.message,
        f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ start: e.start + start, end: e.end + start, newText: e.newText })) })));
    }
    for (const m of punct) marks.push({ ...m, off: m.off + start });
  }
  checkPunctuation(ctx, marks);
}

/** halfwidth-punctuation: the form the convention (or, by default, the article's majority per mark) does not write. */
function checkPunctuation(ctx: Ctx, marks: PunctMark[]) {
  if (!marks.length || ctx.opts.severities?.['halfwidth-punctuation'] === 'off') return;
  const convention = ctx.opts.punctuation ?? 'article';
  const counts = new Map<string, { half: number; full: number }>();
  for (const m of marks) {
    const k = markClass(m);
    const n = counts.get(k) ?? { half: 0, full: 0 };
    if (m.half) n.half++; else n.full++;
    counts.set(k, n);
  }
  const writesHalf = (k: string) => convention === 'halfwidth' || (convention === 'article' && counts.get(k)!.half > counts.get(k)!.full);
  for (const m of marks) {
    const k = markClass(m), n = counts.get(k)!;
    if (m.half === writesHalf(k)) continue;
    const other = m.half ? FULL_PUNCT[m.c] : HALF_PUNCT[m.c];
    const message = m.half ? l10n.t('Half-width "{0}" between Chinese characters; Chinese text uses the full-width "{1}".', m.c, other)
      : convention === 'halfwidth' ? l10n.t('Full-width "{0}" between Chinese characters; this corpus writes the half-width "{1}" (.corpus-lens.json "punctuation").', m.c, other)
        : l10n.t('Full-width "{0}" between Chinese characters; this article writes the half-width "{1}" ({2} of {3} times).', m.c, other, n.half, n.half + n.full);
    report(ctx, 'halfwidth-punctuation', m.off, m.off + 1, message,
      [{ title: l10n.t('Replace "{0}" with "{1}"', m.c, other), edits: [{ start: m.off, end: m.off + 1, newText: other }], safe: true }]);
  }
}

function checkParagraphs(ctx: Ctx) {
  // Indenting is safe only when the line is certainly a paragraph: when the header (title, dateline, lead, up
  // to the empty line after them) cannot be delimited, a line taken for a paragraph may be a lead or a source
  // line. The finding is still shown, and the fix offered, but not applied by fix-all, --fix or on save.
  const certain = ctx.article.headerCertain;
  for (const p of ctx.article.paragraphs) {
    if (p.indent === '  ') continue;
    const message = p.indent === ''
      ? (certain ? l10n.t('Paragraph has no indent; paragraphs start with two spaces.')
        : l10n.t('Paragraph has no indent; paragraphs start with two spaces (not fixed automatically: where the header ends is not certain without a dateline followed by an empty line).'))
      : certain ? l10n.t('Paragraph is indented with "{0}" ({1}); paragraphs start with two spaces.', show(p.indent), codePoints(p.indent))
        : l10n.t('Paragraph is indented with "{0}" ({1}); paragraphs start with two spaces (not fixed automatically: where the header ends is not certain without a dateline followed by an empty line).', show(p.indent), codePoints(p.indent));
    report(ctx, 'paragraph-indent', p.start, p.start + Math.max(p.indent.length, Math.min(1, p.text.length)), message,
      [{ title: l10n.t('Indent the paragraph with two spaces'), edits: [{ start: p.start, end: p.start + p.indent.length, newText: '  ' }], safe: certain }]);
  }
}

/** File-level findings, made where the bytes are known (the editor, the CLI), not from the text. */
export function fileFinding(code: 'file-encoding' | 'file-too-large', message: string, options: RuleOptions = {}): CorpusDiagnostic[] {
  const setting = options.severities?.[code];
  if (setting === 'off') return [];
  return [{ code, severity: setting ?? RULES[code].severity, message, start: 0, end: 0, fixes: [] }];
}

export function checkArticle(textOrArticle: string | Article, options: RuleOptions = {}): CorpusDiagnostic[] {
  const article = typeof textOrArticle === 'string' ? parseArticle(textOrArticle) : textOrArticle;
  const ctx: Ctx = {
    article,
    opts: { startYear: SETTINGS['dateline.startYear'].default, now: new Date(), separator: '  ', punctuation: 'article', ...options },
    out: [],
  };
  if (!article.title && article.text.trim() !== '') {
    report(ctx, 'title-missing', 0, 0, l10n.t('The article has no title: line 1 should be the title, followed by an empty line and the dateline.'));
  }
  checkDateline(ctx);
  checkLines(ctx);
  checkParagraphs(ctx);
  return ctx.out.sort((x, y) => x.start - y.start || x.end - y.end);
}

/**
 * The rules that patterns name: each pattern is a rule code or a glob over the codes (`dateline-*`); the codes in
 * RULES order, each once. A pattern that names no rule throws (a typo must not turn into "nothing to fix").
 */
/** "dateline-format ×3, paragraph-indent": fix counts per rule, in the order given (the CLI's fix line, the editor's messages). */
export function formatRuleCounts(counts: Iterable<readonly [string, number]>): string {
  return [...counts].map(([c, n]) => (n > 1 ? `${c} ×${n}` : c)).join(', ');
}

/** formatRuleCounts in the order of the rule table. */
export function describeRuleCounts(byRule: Partial<Record<RuleCode, number>>): string {
  return formatRuleCounts(RULE_CODES.filter((c) => byRule[c]).map((c) => [c, byRule[c]!] as const));
}

export function selectRules(patterns: readonly string[]): RuleCode[] {
  const chosen = new Set<RuleCode>();
  for (const raw of patterns) {
    const pattern = raw.trim();
    const glob = pattern ? compileGlob(pattern) : undefined;
    if (glob && !glob.ok) throw new Error(l10n.t('"{0}" is not a rule pattern: {1}.', pattern, glob.message));
    const matched = glob ? RULE_CODES.filter((c) => glob.match(c)) : [];
    if (matched.length === 0) throw new Error(l10n.t('"{0}" matches no rule; the rules are {1}.', pattern, RULE_CODES.join(', ')));
    for (const c of matched) chosen.add(c);
  }
  return RULE_CODES.filter((c) => chosen.has(c));
}

/**
 * Applies every safe fix (of the rules in `only`, when given): identical edits (several diagnostics sharing one dateline rewrite) count once,
 * overlapping ones wait for the next pass; repeats until nothing changes. Returns the new text and
 * the fixes applied, in order. Each pass is linear in the text and the findings (one check, one collection,
 * one application).
 */
export function applySafeFixes(text: string, options: RuleOptions = {}, maxPasses = 5, only?: readonly RuleCode[]): { text: string; applied: { code: RuleCode; title: string }[] } {
  const applied: { code: RuleCode; title: string }[] = [];
  let cur = text;
  for (let pass = 0; pass < maxPasses; pass++) {
    const edits = collectSafeEdits(checkArticle(cur, options), only);
    if (edits.length === 0) break;
    for (const e of edits) for (const f of e.from) applied.push(f);
    cur = applyEdits(cur, edits);
  }
  return { text: cur, applied };
}

type ChosenEdit = Edit & { from: { code: RuleCode; title: string }[] };

/** The rule for two edits that cannot both be applied at once: ranges that share text, or two insertions at one point. */
const conflict = (e: Edit, c: Edit) => (e.start < c.end && c.start < e.end) || (e.start === e.end && e.start === c.start);

/**
 * Non-overlapping safe edits of a diagnostic list (of the rules in `only`, when given), in text order (duplicates
 * merged). A chosen dateline rule's fix rewrites the whole line, so it also mends that line's other faults. The diagnostics come in
 * text order, so the chosen edits are kept sorted by start as they come (appended, as a rule) and a new edit is
 * compared with its neighbours only; identical edits are found by key: O(n log n) at worst, not a scan of
 * everything chosen for every diagnostic (a 1 MB article with 36,000 commas took 81 s, now milliseconds).
 */
export function collectSafeEdits(diags: CorpusDiagnostic[], only?: readonly RuleCode[]): ChosenEdit[] {
  const chosenRules = only && new Set<RuleCode>(only);
  const chosen: ChosenEdit[] = []; // sorted by start, then end; pairwise free of conflicts
  const byKey = new Map<string, ChosenEdit>();
  const key = (e: Edit) => `${e.start}:${e.end}:${e.newText}`;
  /** the index of the first chosen edit that starts at or after `start` */
  const firstFrom = (start: number) => {
    let lo = 0, hi = chosen.length;
    if (hi > 0 && chosen[hi - 1].start < start) return hi; // the common case: after everything chosen so far
    while (lo < hi) { const mid = (lo + hi) >> 1; if (chosen[mid].start < start) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const conflicts = (e: Edit) => {
    const i = firstFrom(e.start);
    // before: the chosen edits do not overlap, so their ends grow with their starts; stop at the first that ends before e
    for (let j = i - 1; j >= 0 && chosen[j].end >= e.start; j--) if (conflict(e, chosen[j])) return true;
    // from e's start on: only those that start before e ends (or at its start) can conflict
    for (let j = i; j < chosen.length && chosen[j].start <= e.end; j++) if (conflict(e, chosen[j])) return true;
    return false;
  };
  for (const d of diags) {
    if (chosenRules && !chosenRules.has(d.code)) continue;
    const fix = d.fixes.find((f) => f.safe);
    if (!fix) continue;
    const same = fix.edits.map((e) => byKey.get(key(e)));
    if (fix.edits.length > 0 && same.every((c) => c !== undefined)) {
      for (const c of new Set(same)) c!.from.push({ code: d.code, title: fix.title });
      continue;
    }
    if (fix.edits.some(conflicts)) continue;
    fix.edits.forEach((e, k) => {
      const c: ChosenEdit = { ...e, from: k === 0 ? [{ code: d.code, title: fix.title }] : [] };
      const i = firstFrom(e.start);
      let at = i;
      while (at < chosen.length && chosen[at].start === e.start && chosen[at].end <= e.end) at++;
      chosen.splice(at, 0, c);
      byKey.set(key(e), c);
    });
  }
  return chosen;
}

/**
 * Applies non-overlapping edits in one pass, building the result from pieces (not a copy of the whole text per
 * edit). At one position an insertion goes before a replacement that starts there. Overlapping edits are a
 * mistake of the caller and throw: a write changes exactly the bytes it means to, or nothing.
 */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: string[] = [];
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end < e.start || e.end > text.length) throw new Error(`overlapping edits at ${e.start}–${e.end}`);
    parts.push(text.slice(pos, e.start), e.newText);
    pos = e.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}
