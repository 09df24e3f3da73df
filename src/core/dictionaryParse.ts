/**
 * The user dictionary's files as text: TSV `name<TAB>type<TAB>aliases,comma,separated` with `#` comments, and the
 * not-entities list (one string per line). Apart from the matcher (ner/dictionary.ts) so that the extension host,
 * which shows where an entity's type comes from, can read them without bundling the recogniser.
 */
import { EntityType, normaliseType } from './ner/types';

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
