/**
 * The corpus index as the extension host sees it: CorpusQueries answered by the analysis worker from its index
 * database (worker/protocol.ts `query.*`), over any request function of a worker (WorkerConnection.request or
 * AnalysisService.request). The host holds nothing per article; each answer is plain data of one question.
 * The database is the worker's: after the worker restarts, the owner sends `openIndex` again before asking.
 */
import type { DocumentAnalysis } from '../core/analysis';
import type { ConcordanceLine, ContextOptions } from '../core/concordance';
import type { CorpusQueries } from '../core/corpusQueries';
import type { EntityType } from '../core/ner/types';
import type { Method, Params, QueryAnswer, QueryMember, QueryMethod, Result } from './protocol';

/** What the client needs of a worker: one typed request (WorkerConnection.request, AnalysisService.request). */
export type RequestFn = <M extends Method>(method: M, params: Params<M>) => Promise<Result<M>>;

export class WorkerCorpusQueries implements CorpusQueries {
  constructor(private readonly request: RequestFn) {}

  private ask<K extends QueryMember>(member: K, ...args: Parameters<CorpusQueries[K]>): Promise<QueryAnswer<K>> {
    // (`query.${K}`'s parameters and answer are those of member K: protocol.ts's QueryApi maps one to the other)
    return this.request(`query.${member}` as QueryMethod, { args } as never) as Promise<QueryAnswer<K>>;
  }

  totals() { return this.ask('totals'); }
  articles() { return this.ask('articles'); }
  analysis(file: string) { return this.ask('analysis', file); }
  entities() { return this.ask('entities'); }
  entity(key: string) { return this.ask('entity', key); }
  find(name: string, type?: EntityType) { return this.ask('find', name, type); }
  timeline(key: string) { return this.ask('timeline', key); }
  articlesPerMonth() { return this.ask('articlesPerMonth'); }
  concordance(key: string, context: number | ContextOptions, opts?: { limit?: number; texts?: Record<string, string> }): Promise<ConcordanceLine[]> { return this.ask('concordance', key, context, opts); }
  uncertainCounts(threshold: number) { return this.ask('uncertainCounts', threshold); }
  consistency(text: string, entities: DocumentAnalysis['entities'], threshold: number) { return this.ask('consistency', text, entities, threshold); }
  datelines() { return this.ask('datelines'); }
  punctuation() { return this.ask('punctuation'); }
}
