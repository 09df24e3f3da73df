/**
 * User dictionary: TSV `name<TAB>type<TAB>aliases,comma,separated` with `#` comments, and a
 * not-entities list (one string per line). Both override the model.
 */
import type { EntityType } from './types';
import { parseDictionary, parseStopList, type Dictionary, type DictionaryEntry, type DictionaryError } from '../dictionaryParse';

export { parseDictionary, parseStopList } from '../dictionaryParse';
export type { Dictionary, DictionaryEntry, DictionaryError } from '../dictionaryParse';

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
