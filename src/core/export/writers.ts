/**
 * Export formats shared by `corpus-lens extract` and the extension's "Extract entities" command:
 * JSON, JSON lines, CSV, TSV (one row per mention), CoNLL (character + BIO tag), brat standoff.
 * Offsets, lines and characters count in each document's text as read, which begins after a byte order mark
 * (BOM) if the file has one (TextDecoder drops it), as VS Code counts; brat's .txt copy is that text, without
 * the BOM, and its .ann counts code points of the copy.
 */
import { stringify } from 'csv-stringify/sync';
import type { DocumentAnalysis } from '../analysis';

export const FORMATS = ['json', 'jsonl', 'csv', 'tsv', 'conll', 'brat'] as const;
export type ExportFormat = (typeof FORMATS)[number];

type Doc = { analysis: DocumentAnalysis; text: string };
const fields = ({ path, title, dateline, entities }: DocumentAnalysis) => ({ path, title, dateline, entities });

/**
 * JSON with every control character escaped: JSON.stringify escapes C0 (\n, \u001b, …) but leaves DEL, C1
 * (\u009b starts an escape sequence on some terminals) and the line and paragraph separators (U+2028/2029, which
 * some line readers break at) as they are. They can only stand inside strings, where \uXXXX means the same.
 */
export const jsonText = (json: string): string => json.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * A single-file export written one document at a time, so that `corpus-lens extract` over tens of thousands
 * of articles holds one analysis at a time rather than all of them. The chunks concatenate to exactly what
 * the to* functions below return for the same documents.
 */
export interface ExportStream { add(doc: Doc): void; end(): void }

export function streamExport(format: Exclude<ExportFormat, 'brat'>, write: (chunk: string) => void): ExportStream {
  let count = 0;
  switch (format) {
    case 'json':
      // JSON.stringify({ documents }, null, 2), one document at a time (its lines indented two levels)
      return {
        add: ({ analysis }) => { write((count++ ? ',\n' : '{\n  "documents": [\n') + jsonText(JSON.stringify(fields(analysis), null, 2)).replace(/^/gm, '    ')); },
        end: () => write(count ? '\n  ]\n}\n' : '{\n  "documents": []\n}\n'),
      };
    case 'jsonl':
      return { add: ({ analysis }) => write(jsonText(JSON.stringify(fields(analysis))) + '\n'), end: () => undefined };
    case 'csv':
      // RFC 4180 with a header row and a BOM (spreadsheet programs then read UTF-8); a neutralised cell is quoted
      write('\ufeff' + stringify([TABLE_HEADER], { record_delimiter: '\r\n' }));
      return { add: ({ analysis }) => { const r = rows(analysis).map((row) => row.map(notFormula)); if (r.length) write(stringify(r, { record_delimiter: '\r\n', quoted_match: FORMULA_NEUTRALISED })); }, end: () => undefined };
    case 'tsv':
      write(TABLE_HEADER.join('\t') + '\n');
      return { add: ({ analysis }) => { for (const r of rows(analysis)) write(r.map((v) => notFormula(tsvField(v))).join('\t') + '\n'); }, end: () => undefined };
    case 'conll':
      return { add: (d) => write(conllLines(d).join('\n') + '\n'), end: () => undefined };
  }
}

function collect(format: Exclude<ExportFormat, 'brat'>, docs: Doc[]): string {
  const parts: string[] = [];
  const s = streamExport(format, (c) => parts.push(c));
  for (const d of docs) s.add(d);
  s.end();
  return parts.join('');
}
const asDocs = (analyses: DocumentAnalysis[]): Doc[] => analyses.map((analysis) => ({ analysis, text: '' }));

export function toJson(docs: DocumentAnalysis[]): string {
  return collect('json', asDocs(docs));
}

export function toJsonLines(docs: DocumentAnalysis[]): string {
  return collect('jsonl', asDocs(docs));
}

const TABLE_HEADER = ['path', 'dateline', 'entity', 'type', 'aliases', 'roles', 'mention', 'start', 'end', 'line', 'character', 'confidence'];

function rows(d: DocumentAnalysis): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (const e of d.entities) for (const m of e.mentions) {
    // (an analysis made before mentions had confidences: an empty cell)
    out.push([d.path, d.dateline ?? '', e.name, e.type, e.aliases.join('|'), e.roles.join('|'), m.text, m.start, m.end, m.line + 1, m.character + 1, m.confidence ?? '']);
  }
  return out;
}

/**
 * A text cell that a spreadsheet would take for a formula (it begins with =, +, -, @, a tab or a carriage
 * return: a file name, a name from the user's dictionary) gets a single quote in front, as OWASP advises
 * against CSV injection ("=HYPERLINK(…)" would otherwise run when the file is opened); CSV also quotes it.
 * Numbers (offsets, lines) are never negative and stay numbers.
 */
export const notFormula = (v: string | number): string | number => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
export const FORMULA_NEUTRALISED = /^'[=+\-@\t\r]/;

/** RFC 4180 CSV with a header row, one row per mention (line and character 1-based, offsets 0-based UTF-16, the mention's confidence last). */
export function toCsv(docs: DocumentAnalysis[]): string {
  return collect('csv', asDocs(docs));
}

/** TSV: tabs and line breaks inside fields become spaces, so every row stays one line. */
export const tsvField = (v: string | number) => String(v).replace(/[\t\r\n]+/g, ' ');
export function toTsv(docs: DocumentAnalysis[]): string {
  return collect('tsv', asDocs(docs));
}

/** Character-per-line BIO tags; one blank line between the text's lines, -DOCSTART- between documents. White space is skipped. */
export function toConll(docs: Doc[]): string {
  return collect('conll', docs);
}
function conllLines({ analysis, text }: Doc): string[] {
  const out: string[] = [`-DOCSTART- O`, ''];
  const tags = new Array<string>(text.length).fill('O');
  for (const e of analysis.entities) for (const m of e.mentions) {
    for (let i = m.start; i < m.end; i++) tags[i] = (i === m.start ? 'B-' : 'I-') + e.type;
  }
  let line: string[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ch === '\n' || ch === '\r') { if (line.length) { out.push(...line, ''); line = []; } }
    else if (!/\s|\ufeff/.test(ch)) line.push(`${ch} ${tags[i]}`);
    i += ch.length;
  }
  if (line.length) out.push(...line, '');
  return out;
}

/** brat counts offsets in Unicode code points of the .txt file it shows (our copy: the text as read, no BOM). */
function codePointOffset(text: string, utf16: number): number {
  let n = 0;
  for (let i = 0; i < utf16; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

/** brat standoff for one document: T lines for mentions, AnnotatorNotes with the canonical name and roles. */
export function toBratAnn(analysis: DocumentAnalysis, text: string): string {
  const lines: string[] = [];
  let t = 0, n = 0;
  const mentions = analysis.entities.flatMap((e) => e.mentions.map((m) => ({ e, m }))).sort((a, b) => a.m.start - b.m.start);
  for (const { e, m } of mentions) {
    t++;
    lines.push(`T${t}\t${e.type} ${codePointOffset(text, m.start)} ${codePointOffset(text, m.end)}\t${m.text.replace(/[\r\n]/g, ' ')}`); // a line break would end the .ann line
    const note = [m.text !== e.name ? `canonical: ${e.name}` : '', e.roles.length ? `roles: ${e.roles.join('、')}` : ''].filter(Boolean).join('; ');
    if (note) lines.push(`#${++n}\tAnnotatorNotes T${t}\t${note}`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

export const BRAT_ANNOTATION_CONF = `[entities]
PER
LOC
ORG

[relations]

[events]

[attributes]
`;

/** The file a single-file export is written to under `--out DIR`. */
export const exportFileName = (format: Exclude<ExportFormat, 'brat'>): string => `entities.${format}`;

/**
 * Every export as named files: one `entities.<ext>` for the table and JSON formats; for brat, a copy of
 * each text and its .ann (names made unique) plus annotation.conf. Shared by the CLI and the extension.
 */
export function renderExport(format: ExportFormat, docs: { analysis: DocumentAnalysis; text: string }[]): { name: string; data: string }[] {
  switch (format) {
    case 'json': case 'jsonl': case 'csv': case 'tsv': case 'conll':
      return [{ name: exportFileName(format), data: collect(format, docs) }];
    case 'brat': {
      const out: { name: string; data: string }[] = [];
      const used = new Set<string>();
      for (const d of docs) {
        const stem = d.analysis.path.split(/[\\/]/).pop()!.replace(/\.(txt|corpus)$/i, '');
        let name = stem;
        for (let k = 2; used.has(name); k++) name = `${stem}-${k}`;
        used.add(name);
        out.push({ name: `${name}.txt`, data: d.text }, { name: `${name}.ann`, data: toBratAnn(d.analysis, d.text) });
      }
      out.push({ name: 'annotation.conf', data: BRAT_ANNOTATION_CONF });
      return out;
    }
  }
}
