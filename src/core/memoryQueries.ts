/**
 * CorpusQueries over an in-memory CorpusIndex: the answers the worker's database must give (the unit tests'
 * oracle), and the path the editor and the command line take while the index still lives in memory. Every answer is
 * computed from the index as it is when asked; what is costly to build over the whole corpus (the names of the
 * consistency findings, the dateline range and order) is kept until the index changes.
 */
import type { DocumentAnalysis } from './analysis';
import type { ConcordanceLine, ContextOptions } from './concordance';
import {
  certainSummaries, consistencyFindings, CorpusDatelines, corpusDatelines, CorpusNames, corpusNames, ConsistencyFinding,
} from './consistency';
import { surveyPunctuation, type PunctuationSurvey } from './conventions';
import type { CorpusIndex, EntitySummary } from './corpusIndex';
import type { CorpusQueries, CorpusTotals, EntityTimeline, IndexedArticle } from './corpusQueries';
import { readCorpusFile } from './files';
import { isUncertain } from './mentionConfidence';
import type { EntityType } from './ner/types';

/** An article's text as the worker reads it (a BOM dropped, so that the indexed offsets fit), or undefined. */
export type TextReader = (file: string) => string | undefined;

const readFromDisk: TextReader = (file) => {
  const r = readCorpusFile(file);
  return r.ok ? r.text : undefined;
};

export class MemoryCorpusQueries implements CorpusQueries {
  /**
   * What was built for one state of the index: CorpusIndex.entities() returns the same Map until the index changes
   * (set, delete, rename, clear), so that Map stands for the state.
   */
  private built: { state: unknown; names: Map<number, CorpusNames>; datelines?: CorpusDatelines } | undefined;

  /** @param read the text of an article not in `texts` (concordance): from disk by default */
  constructor(private readonly index: CorpusIndex, private readonly read: TextReader = readFromDisk) {}

  private analyses(): DocumentAnalysis[] { return this.index.files().map((f) => this.index.get(f)!.analysis); }

  private current() {
    const state = this.index.entities();
    if (this.built?.state !== state) this.built = { state, names: new Map() };
    return this.built;
  }

  async totals(): Promise<CorpusTotals> {
    let mentions = 0;
    const all = this.index.entities();
    for (const s of all.values()) mentions += s.mentions;
    return { articles: this.index.size, entities: all.size, mentions };
  }

  async articles(): Promise<IndexedArticle[]> {
    return this.index.files().sort().map((file) => {
      const d = this.index.get(file)!;
      return { file, hash: d.hash, dateline: d.analysis.dateline, date: d.analysis.date };
    });
  }

  async analysis(file: string): Promise<DocumentAnalysis | undefined> { return this.index.get(file)?.analysis; }

  async entities(): Promise<EntitySummary[]> { return [...this.index.entities().values()]; }

  async entity(key: string): Promise<EntitySummary | undefined> { return this.index.entities().get(key); }

  async find(name: string, type?: EntityType): Promise<EntitySummary | undefined> { return this.index.find(name, type); }

  async timeline(key: string): Promise<EntityTimeline> { return this.index.timeline(key); }

  async articlesPerMonth(): Promise<Record<string, number>> {
    return Object.fromEntries([...this.index.articlesPerMonth()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  async concordance(key: string, context: number | ContextOptions, opts: { limit?: number; texts?: Record<string, string> } = {}): Promise<ConcordanceLine[]> {
    const texts = opts.texts;
    const lines = this.index.concordance(key, (f) => (texts && Object.hasOwn(texts, f) ? texts[f] : this.read(f)), context);
    return opts.limit === undefined ? lines : lines.slice(0, Math.max(0, opts.limit));
  }

  async uncertainCounts(threshold: number): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const file of this.index.files().sort()) {
      let n = 0;
      for (const e of this.index.get(file)!.analysis.entities) for (const m of e.mentions) if (isUncertain(m, threshold)) n++;
      if (n) out[file] = n;
    }
    return out;
  }

  async consistency(text: string, entities: DocumentAnalysis['entities'], threshold: number): Promise<ConsistencyFinding[]> {
    const built = this.current();
    let names = built.names.get(threshold);
    if (!names) {
      // the corpus's names from its articles' certain mentions only
      names = corpusNames(certainSummaries(this.analyses(), threshold));
      built.names.set(threshold, names);
    }
    return consistencyFindings(text, entities, names, threshold);
  }

  async datelines(): Promise<CorpusDatelines> {
    const built = this.current();
    built.datelines ??= corpusDatelines(this.index.files().map((file) => ({ file, date: this.index.get(file)!.analysis.date })));
    return built.datelines;
  }

  async punctuation(): Promise<PunctuationSurvey> { return surveyPunctuation(this.analyses()); }
}
