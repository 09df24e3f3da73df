/**
 * What the editor asks of the corpus index. Every answer is computed where the index lives (the analysis worker,
 * over its on-disk database) and crosses as plain data: the extension host holds no article's analysis, only what
 * a view shows at the moment. Two implementations answer the same questions: the worker's database
 * (worker/…) and an in-memory one over CorpusIndex (the command line's single pass and the unit tests' oracle).
 */
import type { DocumentAnalysis } from './analysis';
import type { ConcordanceLine, ContextOptions } from './concordance';
import type { ConsistencyFinding, CorpusDatelines } from './consistency';
import type { PunctuationSurvey } from './conventions';
import type { EntitySummary } from './corpusIndex';
import type { EntityType } from './ner/types';

/** One indexed article: what a listing needs without its analysis. */
export interface IndexedArticle { file: string; hash: string; dateline: string | null; date: string | null }

export interface CorpusTotals { articles: number; entities: number; mentions: number }

export interface EntityTimeline {
  /** from the first to the last month with a mention, gaps filled with zeros */
  months: { month: string; mentions: number; articles: number }[];
  undated: number;
  undatedArticles: number;
}

export interface CorpusQueries {
  totals(): Promise<CorpusTotals>;
  /** every indexed article, sorted by path */
  articles(): Promise<IndexedArticle[]>;
  /** one article's analysis as indexed (undefined: not indexed) */
  analysis(file: string): Promise<DocumentAnalysis | undefined>;
  /** entities across the corpus, merged by type and canonical name (CorpusIndex.entities' semantics) */
  entities(): Promise<EntitySummary[]>;
  /** one entity by key (`${type}:${name}`) */
  entity(key: string): Promise<EntitySummary | undefined>;
  /** the entity of that name (canonical or alias) and type, or of any type when none is given */
  find(name: string, type?: EntityType): Promise<EntitySummary | undefined>;
  timeline(key: string): Promise<EntityTimeline>;
  /** well-formed datelines per month (YYYY-MM) */
  articlesPerMonth(): Promise<Record<string, number>>;
  /**
   * KWIC lines of an entity's mentions, sorted by date, file, offset; `texts`: the current text of files open with
   * unsaved edits (the others are read from disk); a mention whose text no longer stands there is left out.
   */
  concordance(key: string, context: number | ContextOptions, opts?: { limit?: number; texts?: Record<string, string> }): Promise<ConcordanceLine[]>;
  /** per article, its mentions with a confidence below `threshold` (articles with none are left out) */
  uncertainCounts(threshold: number): Promise<Record<string, number>>;
  /** the corpus-wide consistency findings of one article's text (core/consistency, names from certain mentions only) */
  consistency(text: string, entities: DocumentAnalysis['entities'], threshold: number): Promise<ConsistencyFinding[]>;
  /** the corpus's dateline years, the order breaks of numbered files and the articles outside those years (core/consistency) */
  datelines(): Promise<CorpusDatelines>;
  /** the articles' punctuation between Chinese characters (core/conventions) */
  punctuation(): Promise<PunctuationSurvey>;
}
