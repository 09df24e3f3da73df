/**
 * Reading exports back: the entity spans of a brat `.ann` or of one document of a CoNLL file, in UTF-16 offsets of
 * the article's text, and the decisions that turn the model's analysis into them. What makes gold exported from
 * reviewed articles round-trip: corrections made in brat (or any CoNLL tool) come back as annotations.jsonl lines.
 */
import type { DocumentAnalysis } from '../analysis';
import { decisionAt, type MentionDecision } from '../annotations';
import { normaliseType, type EntityType } from '../ner/types';

export interface Span { start: number; end: number; type: EntityType }

/** UTF-16 offset of a code point offset (brat counts code points of the .txt it shows). */
function utf16Offset(text: string, codePoints: number): number {
  let i = 0;
  for (let n = 0; n < codePoints && i < text.length; n++) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
  return i;
}

/** The T lines of a .ann over `text` (the .txt brat shows); other lines (notes, relations) are left aside. */
export function spansFromBrat(ann: string, text: string): Span[] {
  const out: Span[] = [];
  for (const line of ann.split(/\r?\n/)) {
    const m = /^T\d+\t(\S+) (\d+) (\d+)\t/.exec(line);
    const type = m && normaliseType(m[1]);
    if (!m || !type) continue; // (a discontinuous span "0 2;4 6" or another type is not an entity of ours)
    out.push({ start: utf16Offset(text, Number(m[2])), end: utf16Offset(text, Number(m[3])), type });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The documents of a CoNLL export (character and BIO tag a line, -DOCSTART- between documents), each its rows. */
export function conllDocuments(conll: string): { char: string; tag: string }[][] {
  const docs: { char: string; tag: string }[][] = [];
  for (const line of conll.split(/\r?\n/)) {
    if (!line.trim()) continue;
    if (line.startsWith('-DOCSTART-')) { docs.push([]); continue; }
    const cut = line.lastIndexOf(' ');
    if (!docs.length) docs.push([]);
    docs[docs.length - 1].push({ char: line.slice(0, cut), tag: line.slice(cut + 1) });
  }
  return docs;
}

/**
 * The spans of one CoNLL document over its article's text: the rows are the text's characters other than white
 * space, in order (as the export writes them). Undefined when the rows do not spell the text.
 */
export function spansFromConll(rows: { char: string; tag: string }[], text: string): Span[] | undefined {
  const out: Span[] = [];
  let k = 0;
  let open: { start: number; end: number; type: EntityType } | undefined;
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (/\s|\ufeff/.test(ch)) { i += ch.length; continue; }
    const row = rows[k++];
    if (!row || row.char !== ch) return undefined;
    const [bio, t] = row.tag.split('-');
    const type = t ? normaliseType(t) : undefined;
    if (bio === 'I' && open && type === open.type) open.end = i + ch.length;
    else {
      if (open) out.push(open);
      open = (bio === 'B' || bio === 'I') && type ? { start: i, end: i + ch.length, type } : undefined;
    }
    i += ch.length;
  }
  if (open) out.push(open);
  return k === rows.length ? out : undefined;
}

/**
 * The decisions that turn `model` (the recogniser's analysis of `text`) into `gold`: a typed decision for every gold
 * span the model does not have with that type, and "O" for every model mention no gold span covers.
 */
export function decisionsFor(path: string, text: string, model: DocumentAnalysis, gold: Span[]): MentionDecision[] {
  const has = new Set(model.entities.flatMap((e) => e.mentions.map((m) => `${m.start}:${m.end}:${e.type}`)));
  const goldKeys = new Set(gold.map((s) => `${s.start}:${s.end}`));
  const out: MentionDecision[] = [];
  for (const s of gold) if (!has.has(`${s.start}:${s.end}:${s.type}`)) out.push(decisionAt(path, text, s.start, s.end, s.type));
  for (const e of model.entities) for (const m of e.mentions) {
    const overlapped = gold.some((s) => s.start < m.end && m.start < s.end);
    if (!goldKeys.has(`${m.start}:${m.end}`) && !overlapped) out.push(decisionAt(path, text, m.start, m.end, 'O'));
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
