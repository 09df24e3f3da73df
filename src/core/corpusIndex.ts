/**
 * The corpus index: every article's analysis, keyed by file, with the content hash it was made from,
 * and the aggregates the hover, the panel, the concordance and the timeline ask for. Serialisable for
 * the on-disk cache (reopening a corpus re-analyses only the files whose hash changed).
 */
import type { DocumentAnalysis } from './analysis';
import type { EntityType } from './ner/types';
import { ConcordanceLine, ContextOptions, kwic } from './concordance';
import { entityConfidence } from './mentionConfidence';

export interface IndexedDoc { file: string; hash: string; analysis: DocumentAnalysis }

export interface EntitySummary {
  key: string;
  name: string;
  type: EntityType;
  aliases: string[];
  roles: string[];
  mentions: number;
  articles: number;
  /** the surest mention's confidence across the corpus (core/mentionConfidence.ts; 1 for analyses without confidences) */
  confidence: number;
  /** ISO datelines of the first and last article that mention it (well-formed datelines only) */
  first?: string;
  last?: string;
}

export const entityKey = (type: string, name: string) => `${type}:${name}`;

export type { ConcordanceLine } from './concordance';

/** Up to `width` characters (code points) each side of [start, end), line breaks folded into one space. */
export function kwicContext(text: string, start: number, end: number, width: number): { left: string; right: string } {
  const flat = (x: string) => x.replace(/\s*[\r\n]+\s*/g, ' ');
  return {
    left: Array.from(flat(text.slice(Math.max(0, start - width * 2), start))).slice(-width).join(''),
    right: Array.from(flat(text.slice(end, end + width * 2))).slice(0, width).join(''),
  };
}

/** From the first to the last month with a count, gaps filled with zeros (the chart's x axis is continuous). */
export function fillMonths(byMonth: Map<string, { mentions: number; articles: number }>): { month: string; mentions: number; articles: number }[] {
  const months = [...byMonth.keys()].sort();
  const filled: { month: string; mentions: number; articles: number }[] = [];
  if (!months.length) return filled;
  let [y, mo] = months[0].split('-').map(Number);
  const [ly, lm] = months[months.length - 1].split('-').map(Number);
  while (y < ly || (y === ly && mo <= lm)) {
    const k = `${y}-${String(mo).padStart(2, '0')}`;
    filled.push({ month: k, ...(byMonth.get(k) ?? { mentions: 0, articles: 0 }) });
    mo++; if (mo > 12) { mo = 1; y++; }
  }
  return filled;
}

export class CorpusIndex {
  private readonly docs = new Map<string, IndexedDoc>();
  private summaries: Map<string, EntitySummary> | undefined;

  get size(): number { return this.docs.size; }
  files(): string[] { return [...this.docs.keys()]; }
  get(file: string): IndexedDoc | undefined { return this.docs.get(file); }
  hashes(): Record<string, string> { return Object.fromEntries([...this.docs].map(([f, d]) => [f, d.hash])); }

  set(file: string, hash: string, analysis: DocumentAnalysis): void {
    this.docs.set(file, { file, hash, analysis });
    this.summaries = undefined;
  }
  delete(file: string): boolean {
    const had = this.docs.delete(file);
    if (had) this.summaries = undefined;
    return had;
  }
  rename(from: string, to: string): void {
    const d = this.docs.get(from);
    if (!d) return;
    this.docs.delete(from);
    this.docs.set(to, { ...d, file: to, analysis: { ...d.analysis, path: to } });
    this.summaries = undefined;
  }
  clear(): void { this.docs.clear(); this.summaries = undefined; }

  /** Entities across the corpus, merged by type and canonical name. */
  entities(): Map<string, EntitySummary> {
    if (this.summaries) return this.summaries;
    const out = new Map<string, EntitySummary>();
    for (const d of this.docs.values()) {
      const date = d.analysis.date ?? undefined;
      for (const e of d.analysis.entities) {
        const key = entityKey(e.type, e.name);
        let s = out.get(key);
        if (!s) { s = { key, name: e.name, type: e.type, aliases: [], roles: [], mentions: 0, articles: 0, confidence: 0 }; out.set(key, s); }
        s.mentions += e.mentions.length;
        s.confidence = Math.max(s.confidence, entityConfidence(e));
        s.articles++;
        for (const a of e.aliases) if (!s.aliases.includes(a)) s.aliases.push(a);
        for (const r of e.roles) if (!s.roles.includes(r)) s.roles.push(r);
        if (date) {
          if (!s.first || date < s.first) s.first = date;
          if (!s.last || date > s.last) s.last = date;
        }
      }
    }
    this.summaries = out;
    return out;
  }

  /** The entity of that name (canonical or alias) and type, or of any type when none is given. */
  find(name: string, type?: EntityType): EntitySummary | undefined {
    const all = this.entities();
    if (type) {
      const direct = all.get(entityKey(type, name));
      if (direct) return direct;
    }
    for (const s of all.values()) if ((!type || s.type === type) && (s.name === name || s.aliases.includes(name))) return s;
    return undefined;
  }

  /**
   * Mentions per month (YYYY-MM) by dateline, from the first to the last month with a mention; articles without
   * a well-formed dateline are counted apart (their mentions and their number).
   */
  timeline(key: string): { months: { month: string; mentions: number; articles: number }[]; undated: number; undatedArticles: number } {
    const byMonth = new Map<string, { mentions: number; articles: number }>();
    let undated = 0;
    let undatedArticles = 0;
    for (const d of this.docs.values()) {
      const e = d.analysis.entities.find((x) => entityKey(x.type, x.name) === key);
      if (!e) continue;
      if (!d.analysis.date) { undated += e.mentions.length; undatedArticles++; continue; }
      const m = d.analysis.date.slice(0, 7);
      const cur = byMonth.get(m) ?? { mentions: 0, articles: 0 };
      cur.mentions += e.mentions.length;
      cur.articles++;
      byMonth.set(m, cur);
    }
    return { months: fillMonths(byMonth), undated, undatedArticles };
  }

  /** Indexed articles with a well-formed dateline per month (YYYY-MM): the denominators of relative frequencies. */
  articlesPerMonth(): Map<string, number> {
    const out = new Map<string, number>();
    for (const d of this.docs.values()) {
      const m = d.analysis.date?.slice(0, 7);
      if (m) out.set(m, (out.get(m) ?? 0) + 1);
    }
    return out;
  }

  /**
   * KWIC lines for an entity; `text(file)` supplies each article's current text (open editor or disk). `context`: a
   * width (the context runs across line breaks, folded into spaces: kwicContext) or a width bounded by the mention's
   * sentence or paragraph (core/concordance).
   */
  concordance(key: string, text: (file: string) => string | undefined, context: number | ContextOptions = 20): ConcordanceLine[] {
    const out: ConcordanceLine[] = [];
    for (const d of this.docs.values()) {
      const e = d.analysis.entities.find((x) => entityKey(x.type, x.name) === key);
      if (!e) continue;
      const t = text(d.file);
      if (t === undefined) continue;
      for (const m of e.mentions) {
        if (t.slice(m.start, m.end) !== m.text) continue; // the file changed since it was indexed
        const { left, right } = typeof context === 'number' ? kwicContext(t, m.start, m.end, context) : kwic(t, m.start, m.end, context);
        out.push({ file: d.file, dateline: d.analysis.dateline, date: d.analysis.date, left, match: m.text, right, start: m.start, end: m.end, line: m.line, character: m.character });
      }
    }
    return out.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.file.localeCompare(b.file) || a.start - b.start);
  }

  toJSON(): { version: number; docs: IndexedDoc[] } { return { version: INDEX_FORMAT, docs: [...this.docs.values()] }; }

  static fromJSON(data: unknown): CorpusIndex {
    const idx = new CorpusIndex();
    const d = data as { version?: number; docs?: IndexedDoc[] };
    if (d?.version !== INDEX_FORMAT || !Array.isArray(d.docs)) return idx;
    for (const doc of d.docs) if (doc && typeof doc.file === 'string' && typeof doc.hash === 'string' && doc.analysis) idx.docs.set(doc.file, doc);
    return idx;
  }
}

/** Bump when the analysis shape or the model changes: old caches are then ignored. */
export const INDEX_FORMAT = 2;
