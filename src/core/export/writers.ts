/**
 * Export formats shared by `corpus-lens extract` and the extension's "Extract entities" command:
 * JSON, JSON lines, CSV, TSV (one row per mention), CoNLL (character + BIO tag), brat standoff.
 */
import { stringify } from 'csv-stringify/sync';
import type { DocumentAnalysis } from '../analysis';

export const FORMATS = ['json', 'jsonl', 'csv', 'tsv', 'conll', 'brat'] as const;
export type ExportFormat = (typeof FORMATS)[number];

export function toJson(docs: DocumentAnalysis[]): string {
  return JSON.stringify({ documents: docs.map(({ path, title, dateline, entities }) => ({ path, title, dateline, entities })) }, null, 2) + '\n';
}

export function toJsonLines(docs: DocumentAnalysis[]): string {
  return docs.map(({ path, title, dateline, entities }) => JSON.stringify({ path, title, dateline, entities })).join('\n') + (docs.length ? '\n' : '');
}

const TABLE_HEADER = ['path', 'dateline', 'entity', 'type', 'aliases', 'roles', 'mention', 'start', 'end', 'line', 'character'];

function rows(docs: DocumentAnalysis[]): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (const d of docs) for (const e of d.entities) for (const m of e.mentions) {
    out.push([d.path, d.dateline ?? '', e.name, e.type, e.aliases.join('|'), e.roles.join('|'), m.text, m.start, m.end, m.line + 1, m.character + 1]);
  }
  return out;
}

/** RFC 4180 CSV with a header row, one row per mention (line and character 1-based, offsets 0-based UTF-16). */
export function toCsv(docs: DocumentAnalysis[]): string {
  return '\ufeff' + stringify([TABLE_HEADER, ...rows(docs)], { record_delimiter: '\r\n' }); // BOM: spreadsheet programs then read UTF-8
}

/** TSV: tabs and line breaks inside fields become spaces, so every row stays one line. */
export function toTsv(docs: DocumentAnalysis[]): string {
  const clean = (v: string | number) => String(v).replace(/[\t\r\n]+/g, ' ');
  return [TABLE_HEADER, ...rows(docs)].map((r) => r.map(clean).join('\t')).join('\n') + '\n';
}

/** Character-per-line BIO tags; one blank line between the text's lines, -DOCSTART- between documents. White space is skipped. */
export function toConll(docs: { analysis: DocumentAnalysis; text: string }[]): string {
  const out: string[] = [];
  for (const { analysis, text } of docs) {
    out.push(`-DOCSTART- O`, '');
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
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/** brat counts offsets in Unicode code points of the .txt file it shows. */
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

/**
 * Every export as named files: one `entities.<ext>` for the table and JSON formats; for brat, a copy of
 * each text and its .ann (names made unique) plus annotation.conf. Shared by the CLI and the extension.
 */
export function renderExport(format: ExportFormat, docs: { analysis: DocumentAnalysis; text: string }[]): { name: string; data: string }[] {
  const analyses = docs.map((d) => d.analysis);
  switch (format) {
    case 'json': return [{ name: 'entities.json', data: toJson(analyses) }];
    case 'jsonl': return [{ name: 'entities.jsonl', data: toJsonLines(analyses) }];
    case 'csv': return [{ name: 'entities.csv', data: toCsv(analyses) }];
    case 'tsv': return [{ name: 'entities.tsv', data: toTsv(analyses) }];
    case 'conll': return [{ name: 'entities.conll', data: toConll(docs) }];
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
