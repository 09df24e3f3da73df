/**
 * User dictionary: TSV `name<TAB>type<TAB>aliases,comma,separated` with `#` comments, and a
 * not-entities list (one string per line). Both override the model.
 */
import { EntityType, normaliseType } from './types';

export interface DictionaryEntry { name: string; type: EntityType; aliases: string[]; line: number }
export interface DictionaryError { line: number; message: string }
export interface Dictionary {
  entries: DictionaryEntry[];
  /** strings never reported as entities */
  stop: Set<string>;
}

export function parseDictionary(text: string): { entries: DictionaryEntry[]; errors: DictionaryError[] } {
  const entries: DictionaryEntry[] = [];
  const errors: DictionaryError[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const body = raw.replace(/\s+$/, '');
    if (!body.trim() || body.trimStart().startsWith('#')) return;
    const cols = body.split('\t');
    if (cols.length < 2) {
      errors.push({ line, message: `expected "name<TAB>type[<TAB>aliases]" but found no tab-separated type in "${body}"` });
      return;
    }
    if (cols.length > 3) {
      errors.push({ line, message: `too many columns (${cols.length}); expected name, type and comma-separated aliases` });
      return;
    }
    const name = cols[0].trim();
    if (!name) { errors.push({ line, message: 'empty name' }); return; }
    const type = normaliseType(cols[1]);
    if (!type) {
      errors.push({ line, message: `unknown type "${cols[1].trim()}" (use PER, LOC, ORG or person, place, organisation)` });
      return;
    }
    const aliases = (cols[2] ?? '').split(/[,，]/).map((s) => s.trim()).filter((s) => s && s !== name);
    const prev = seen.get(name);
    if (prev !== undefined) {
      errors.push({ line, message: `duplicate entry "${name}" (first defined on line ${prev}); this line is ignored` });
      return;
    }
    seen.set(name, line);
    entries.push({ name, type, aliases, line });
  });
  return { entries, errors };
}

/** Not-entities list: one string per line; blank lines and `#` comments ignored. */
export function parseStopList(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const s = raw.trim();
    if (s && !s.startsWith('#')) out.add(s);
  }
  return out;
}

export function createDictionary(opts: { tsv?: string; stop?: string; entries?: DictionaryEntry[]; stopWords?: Iterable<string> } = {}): { dictionary: Dictionary; errors: DictionaryError[] } {
  const parsed = opts.tsv !== undefined ? parseDictionary(opts.tsv) : { entries: [], errors: [] };
  const stop = opts.stop !== undefined ? parseStopList(opts.stop) : new Set<string>();
  for (const s of opts.stopWords ?? []) stop.add(s);
  return { dictionary: { entries: [...parsed.entries, ...(opts.entries ?? [])], stop }, errors: parsed.errors };
}

/** Compiled matcher: every surface form (names and aliases) → entry, longest-first scanning. */
export class DictionaryMatcher {
  private forms = new Map<string, DictionaryEntry>();
  private maxLen = 0;
  private firstChars = new Set<string>();
  constructor(readonly dict: Dictionary) {
    for (const e of dict.entries) {
      for (const f of [e.name, ...e.aliases]) {
        if (!f || this.forms.has(f)) continue;
        this.forms.set(f, e);
        this.maxLen = Math.max(this.maxLen, f.length);
        this.firstChars.add(f[0]);
      }
    }
  }
  get empty(): boolean { return this.forms.size === 0; }
  /** Non-overlapping longest matches, left to right, in UTF-16 offsets. */
  find(text: string): { start: number; end: number; entry: DictionaryEntry }[] {
    const out: { start: number; end: number; entry: DictionaryEntry }[] = [];
    if (this.empty) return out;
    for (let i = 0; i < text.length;) {
      let hit: DictionaryEntry | undefined, len = 0;
      if (this.firstChars.has(text[i])) {
        for (let L = Math.min(this.maxLen, text.length - i); L >= 1; L--) {
          const e = this.forms.get(text.substr(i, L));
          if (e) { hit = e; len = L; break; }
        }
      }
      if (hit) { out.push({ start: i, end: i + len, entry: hit }); i += len; } else i++;
    }
    return out;
  }
}
