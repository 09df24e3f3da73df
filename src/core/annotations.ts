/**
 * The user's corrections, per mention, in `.corpus-lens/annotations.jsonl` (beside dictionary.tsv): one JSON object a
 * line, sorted by path and offset so that diffs stay small.
 *   {"path": "a/001.txt", "start": 12, "end": 15, "text": "王建平", "type": "PER", "before": "书记", "after": "主持"}
 *   {"path": "a/001.txt", "status": "reviewed"}
 * `path` is relative to the folder that holds `.corpus-lens` (with `/`); start/end are UTF-16 offsets into the text as
 * VS Code shows it (after a BOM). `type` PER, LOC or ORG says "this span is this entity" (whether the model found it,
 * typed it otherwise or missed it); "O" says "not an entity here". `before`/`after` (optional) keep a few characters
 * of context, for placing the decision again after the article changed. A status "reviewed" says every mention of the
 * article, after its decisions, is gold.
 * Precedence: a decision at a place, then the dictionary, then the model (the dictionary and the model have acted by
 * the time decisions apply: applyDecisions works on an analysis).
 */
import { createHash } from 'node:crypto';
import * as nodePath from 'node:path';
import type { DocumentAnalysis, DocumentEntity, LocatedMention } from './analysis';
import type { EntityType } from './ner/types';
import { LineIndex } from './text';

export { ANNOTATIONS_FILE } from './dictionaryFiles';
/** characters of context kept on each side of a decision */
export const CONTEXT_CHARS = 8;

export type DecisionType = EntityType | 'O';
export interface MentionDecision { path: string; start: number; end: number; text: string; type: DecisionType; before?: string; after?: string }
export interface Annotations {
  /** by path, sorted by start */
  decisions: Map<string, MentionDecision[]>;
  reviewed: Set<string>;
}
export interface AnnotationError { line: number; message: string }

const TYPES = new Set<DecisionType>(['PER', 'LOC', 'ORG', 'O']);
const isOffset = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** Reads annotations.jsonl; a malformed line is reported with its 1-based number and skipped (the rest stands). */
export function parseAnnotations(text: string): { annotations: Annotations; errors: AnnotationError[] } {
  const decisions = new Map<string, MentionDecision[]>();
  const reviewed = new Set<string>();
  const errors: AnnotationError[] = [];
  text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let o: Record<string, unknown>;
    try { o = JSON.parse(raw); } catch (e) { errors.push({ line, message: `not JSON: ${(e as Error).message}` }); return; }
    if (!o || typeof o !== 'object' || Array.isArray(o)) { errors.push({ line, message: 'not a JSON object' }); return; }
    if (typeof o.path !== 'string' || !o.path) { errors.push({ line, message: 'no "path"' }); return; }
    if ('status' in o) {
      if (o.status !== 'reviewed') { errors.push({ line, message: `unknown status ${JSON.stringify(o.status)} (only "reviewed")` }); return; }
      reviewed.add(o.path);
      return;
    }
    if (!isOffset(o.start) || !isOffset(o.end) || o.end <= o.start) { errors.push({ line, message: '"start" and "end" must be offsets with start < end' }); return; }
    if (typeof o.text !== 'string' || o.text.length !== o.end - o.start) { errors.push({ line, message: '"text" must be the mention, end - start code units long' }); return; }
    if (!TYPES.has(o.type as DecisionType)) { errors.push({ line, message: `"type" must be PER, LOC, ORG or O, not ${JSON.stringify(o.type)}` }); return; }
    const d: MentionDecision = { path: o.path, start: o.start, end: o.end, text: o.text, type: o.type as DecisionType };
    if (typeof o.before === 'string') d.before = o.before;
    if (typeof o.after === 'string') d.after = o.after;
    let list = decisions.get(d.path);
    if (!list) decisions.set(d.path, list = []);
    // one decision per span: a later line for the same span replaces the earlier one
    const same = list.findIndex((x) => x.start === d.start && x.end === d.end);
    if (same >= 0) list[same] = d; else list.push(d);
  });
  for (const list of decisions.values()) list.sort(byOffset);
  return { annotations: { decisions, reviewed }, errors };
}

const byOffset = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start - b.start || a.end - b.end;
const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** annotations.jsonl's text: by path (code unit order), an article's status first, then its decisions by offset. */
export function serialiseAnnotations(a: Annotations): string {
  const paths = [...new Set([...a.decisions.keys(), ...a.reviewed])].sort(byPath);
  const out: string[] = [];
  for (const p of paths) {
    if (a.reviewed.has(p)) out.push(JSON.stringify({ path: p, status: 'reviewed' }));
    for (const d of [...(a.decisions.get(p) ?? [])].sort(byOffset)) {
      const o: Record<string, unknown> = { path: d.path, start: d.start, end: d.end, text: d.text, type: d.type };
      if (d.before !== undefined) o.before = d.before;
      if (d.after !== undefined) o.after = d.after;
      out.push(JSON.stringify(o));
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** A decision for [start, end) of `text`, with its context. */
export function decisionAt(path: string, text: string, start: number, end: number, type: DecisionType): MentionDecision {
  return { path, start, end, text: text.slice(start, end), type, before: text.slice(Math.max(0, start - CONTEXT_CHARS), start), after: text.slice(end, end + CONTEXT_CHARS) };
}

/** The length of the common suffix of a and b / common prefix. */
function commonSuffix(a: string, b: string): number { let n = 0; while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++; return n; }
function commonPrefix(a: string, b: string): number { let n = 0; while (n < a.length && n < b.length && a[n] === b[n]) n++; return n; }

/**
 * Where a decision stands in the article as it is now: its own span when the text there is still its text; else
 * the occurrence of its text whose context agrees best with the context it was made in (ties: the nearest to its
 * old offset). Undefined when its text is gone, or when several occurrences are left and none shares any context
 * (the decision cannot be placed: it is reported, never silently moved or dropped).
 */
export function placeDecision(text: string, d: MentionDecision): { start: number; end: number } | undefined {
  const stays = text.slice(d.start, d.end) === d.text;
  const score = (i: number) => commonSuffix(d.before ?? '', text.slice(Math.max(0, i - CONTEXT_CHARS), i)) + commonPrefix(d.after ?? '', text.slice(i + d.text.length, i + d.text.length + CONTEXT_CHARS));
  // its own place, when its context is still all there (or none was kept): the common case, no search
  if (stays && score(d.start) === (d.before ?? '').length + (d.after ?? '').length) return { start: d.start, end: d.end };
  const found: number[] = [];
  for (let i = text.indexOf(d.text); i >= 0; i = text.indexOf(d.text, i + 1)) found.push(i);
  if (found.length === 0) return undefined;
  // the best context wins; on a tie the nearest to the old offset (its own place first)
  const ranked = found.map((i) => ({ i, s: score(i), dist: Math.abs(i - d.start) })).sort((a, b) => b.s - a.s || a.dist - b.dist);
  if (found.length > 1 && ranked[0].s === 0 && !stays) return undefined;
  return { start: ranked[0].i, end: ranked[0].i + d.text.length };
}

export interface AppliedDecisions {
  analysis: DocumentAnalysis;
  /** decisions that could not be placed in this text */
  unplaced: MentionDecision[];
  /** decisions that now stand elsewhere than their offsets say (the file's line can be rewritten) */
  moved: { decision: MentionDecision; start: number; end: number }[];
}

/**
 * The analysis with the article's decisions applied: a typed decision replaces the mentions that overlap its span
 * with a mention of its type; an "O" removes the mentions within its span. Mentions keep their entity (name, aliases, roles) where they are kept
 * with their type; a new or retyped mention joins the entity of that type written so (its name or an alias), or
 * makes a new one. Entities left without mentions go.
 */
export function applyDecisions(analysis: DocumentAnalysis, text: string, decisions: readonly MentionDecision[]): AppliedDecisions {
  const unplaced: MentionDecision[] = [];
  const moved: AppliedDecisions['moved'] = [];
  const placed: { d: MentionDecision; start: number; end: number }[] = [];
  for (const d of decisions) {
    const at = placeDecision(text, d);
    if (!at) { unplaced.push(d); continue; }
    if (at.start !== d.start) moved.push({ decision: d, ...at });
    placed.push({ d, ...at });
  }
  if (placed.length === 0) return { analysis, unplaced, moved };
  // a typed span displaces every mention it overlaps; "O" the mentions inside its span (an "O" on 华 does not
  // remove a 新华社 around it: it says the span is no entity, not that nothing around it is)
  const overlaps = (m: { start: number; end: number }) => placed.some((p) => (p.d.type === 'O'
    ? p.start <= m.start && m.end <= p.end
    : m.start < p.end && p.start < m.end));
  const entities: DocumentEntity[] = analysis.entities
    .map((e) => ({ ...e, mentions: e.mentions.filter((m) => !overlaps(m)) }));
  const lines = new LineIndex(text);
  for (const p of placed.sort((a, b) => a.start - b.start)) {
    if (p.d.type === 'O') continue;
    const type = p.d.type;
    const mentionText = text.slice(p.start, p.end);
    const pos = lines.positionAt(p.start);
    const m: LocatedMention = { start: p.start, end: p.end, text: mentionText, line: pos.line, character: pos.character, confidence: 1 }; // the user said so
    let e = entities.find((x) => x.type === type && (x.name === mentionText || x.aliases.includes(mentionText)));
    if (!e) entities.push(e = { name: mentionText, type, aliases: [], roles: [], mentions: [] });
    e.mentions.push(m);
    e.mentions.sort(byOffset);
  }
  return { analysis: { ...analysis, entities: entities.filter((e) => e.mentions.length > 0) }, unplaced, moved };
}

/**
 * The path an article has in annotations.jsonl: '/'-separated, from `base` (the folder that holds .corpus-lens), or
 * undefined outside it. `file` is absolute, or relative to base (the extension names an open article by its path in
 * the workspace folder). The worker, the extension and the command line key the file's lines with it.
 */
export function annotationPath(base: string, file: string): string | undefined {
  const rel = nodePath.relative(base, nodePath.resolve(base, file));
  if (!rel || rel.startsWith('..') || nodePath.isAbsolute(rel)) return undefined;
  return rel.split(nodePath.sep).join('/');
}

/**
 * The decisions of one annotations.jsonl, looked up by an article's absolute path (the file's paths are relative
 * to `base`, the folder that holds .corpus-lens). What the worker applies after recognition; `key` is folded into
 * an article's content hash so that an article whose decisions changed is analysed again and no other.
 */
export class DecisionBook {
  readonly annotations: Annotations;
  readonly errors: AnnotationError[];
  private readonly keys = new Map<string, string>();

  constructor(text: string | undefined, private readonly base: string | undefined) {
    const parsed = text === undefined ? { annotations: { decisions: new Map(), reviewed: new Set<string>() }, errors: [] } : parseAnnotations(text);
    this.annotations = parsed.annotations;
    this.errors = parsed.errors;
  }

  /** The path an article has in annotations.jsonl (annotationPath), or undefined outside base. */
  pathOf(file: string): string | undefined {
    return this.base ? annotationPath(this.base, file) : undefined;
  }

  of(file: string): MentionDecision[] | undefined {
    const p = this.pathOf(file);
    return p === undefined ? undefined : this.annotations.decisions.get(p);
  }

  /** '' for an article without decisions; else a short digest of them */
  key(file: string): string {
    const p = this.pathOf(file);
    const list = p === undefined ? undefined : this.annotations.decisions.get(p);
    if (!list) return '';
    let k = this.keys.get(p!);
    if (k === undefined) this.keys.set(p!, k = ':' + createHash('sha1').update(JSON.stringify(list)).digest('hex').slice(0, 12));
    return k;
  }

  /** The analysis with the article's decisions applied; decisions that cannot be placed ride along (unplacedDecisions). */
  decide(analysis: DocumentAnalysis, file: string, text: string): DocumentAnalysis {
    const list = this.of(file);
    if (!list) return analysis;
    const r = applyDecisions(analysis, text, list);
    return r.unplaced.length ? { ...r.analysis, unplacedDecisions: r.unplaced } : r.analysis;
  }
}

/**
 * An analysis's mentions as typed spans, by offset. Of a reviewed article's analysis with its decisions applied, these
 * are the article's gold (what core/ner/adapt trains on and `eval --from` scores against).
 */
export function mentionSpans(analysis: DocumentAnalysis): { start: number; end: number; type: EntityType }[] {
  return analysis.entities.flatMap((e) => e.mentions.map((m) => ({ start: m.start, end: m.end, type: e.type }))).sort(byOffset);
}
