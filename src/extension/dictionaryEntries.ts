/**
 * Which names the corpus dictionary fixes: its entries by every surface form (name and aliases), read from the same
 * source the worker's engine gets (readDictionary: open editors first, nothing in Restricted Mode). The hover and the
 * Entities panel mark an entity that comes from the dictionary rather than from the model. The dictionary is small
 * (a user's list) and parsed in one pass on reload only.
 */
import { parseDictionary } from '../core/dictionaryParse';
import type { DictionarySource } from '../core/dictionaryFiles';
import type { EntityType } from '../core/ner/types';

export interface DictionaryMark { name: string; type: EntityType; line: number }

export class DictionaryEntries {
  /** read when first asked (a hover, the panel), not during activation; dropped when the dictionary changes */
  private forms: Map<string, DictionaryMark> | undefined;

  constructor(private readonly read: () => DictionarySource) {}

  refresh(): void { this.forms = undefined; }

  private load(): Map<string, DictionaryMark> {
    const forms = new Map<string, DictionaryMark>();
    const tsv = this.read().tsv;
    if (tsv !== undefined) {
      for (const e of parseDictionary(tsv).entries) {
        for (const f of [e.name, ...e.aliases]) if (!forms.has(f)) forms.set(f, { name: e.name, type: e.type, line: e.line });
      }
    }
    return forms;
  }

  /** The entry an entity of this name and type comes from (the dictionary overrides the model, so the type agrees). */
  of(name: string, type: EntityType, aliases: readonly string[] = []): DictionaryMark | undefined {
    const forms = (this.forms ??= this.load());
    for (const f of [name, ...aliases]) {
      const m = forms.get(f);
      if (m && m.type === type) return m;
    }
    return undefined;
  }
}
