/**
 * The corpus index in an SQLite database (docs/index-database.md): every article's analysis with its content hash,
 * stat and dateline, the entities with running totals, each entity's occurrence per article with its mentions, and a
 * trigram full-text index of the articles' text. It answers every question of CorpusQueries (core/corpusQueries.ts)
 * by SQL, with CorpusIndex's semantics (core/corpusIndex.ts is the oracle of the tests).
 *
 * Invariants: an entity row exists while at least one occurrence of it does, and its totals (mentions, articles,
 * first, last, confidence, aliases, roles) are those of its occurrences; every write changes them incrementally in
 * the write's own transaction, recomputing a value from that entity's rows only when the article removed held its
 * extreme. The store is written from one thread only (the analysis worker's); all calls are synchronous.
 */
import { rmSync } from 'node:fs';
import type { DocumentAnalysis, DocumentEntity, LocatedMention } from '../analysis';
import { ConcordanceLine, ContextOptions, kwic } from '../concordance';
import {
  certainSummaries, consistencyFindings, ConsistencyFinding, CorpusDatelines, corpusDatelines, corpusNames, CorpusNames,
} from '../consistency';
import { surveyPunctuation, type PunctuationSurvey } from '../conventions';
import { entityKey, fillMonths, kwicContext, type EntitySummary } from '../corpusIndex';
import type { CorpusTotals, EntityTimeline, IndexedArticle } from '../corpusQueries';
import { DEFAULT_MAX_BYTES, readCorpusFile } from '../files';
import { entityConfidence, isUncertain } from '../mentionConfidence';
import type { EntityType } from '../ner/types';
import { migrate, SCHEMA_VERSION } from './schema';
import { EngineName, openDatabase, Row, SqlDatabase } from './sqlite';

/** What an index's analyses were made with (model, dictionary, segmenter, version): another one makes them stale. */
export type Fingerprint = string;

export interface PutArticle {
  file: string;
  /** the content hash ('editor' for an open editor's unsaved text) */
  hash: string;
  /** the file's stat when it was read (ms, bytes); -1 when the text is not the file's */
  mtime: number;
  size: number;
  analysis: DocumentAnalysis;
  /** the text analysed (the full-text index's) */
  text: string;
}

export interface OpenOptions {
  engine?: EngineName;
  /** what happened at open that the user may want to know (a database rebuilt, and why) */
  log?: (message: string) => void;
  /** the largest article read back for concordance and search (corpusLens.maxFileSizeMB) */
  maxBytes?: number;
}

export interface SearchHit { file: string; offsets: number[] }
export interface SearchResult { hits: SearchHit[]; truncated: boolean; method: 'fts' | 'scan' }

class Stale extends Error {}

/** the next place in the articles' order (CorpusIndex's: first put, a renamed one last) */
const NEXT_SEQ = '(SELECT coalesce(max(seq), 0) + 1 FROM articles)';
/** an entity's first article in that order, from its occurrences (where `entities` is the row being updated) */
const FIRST_SEQ = '(SELECT min(a.seq) FROM occurrences o JOIN articles a ON a.id = o.article_id WHERE o.entity_id = entities.id)';

/** the index uncertainCounts reads (CorpusStore.beginBulk drops it for a long run of puts) */
const OCCURRENCES_LOW = 'CREATE INDEX IF NOT EXISTS occurrences_low ON occurrences(low) WHERE low IS NOT NULL';

/** Full-text queries of fewer code points than this cannot use the trigram index (the articles are scanned). */
export const TRIGRAM = 3;

export class CorpusStore {
  private generation = 0;
  private names: { generation: number; threshold: number; names: CorpusNames } | undefined;
  private dates: { generation: number; value: ReturnType<CorpusStore['computeDatelines']> } | undefined;

  private constructor(private readonly db: SqlDatabase, readonly file: string, private readonly maxBytes: number, readonly rebuilt?: string) {}

  get engine(): EngineName { return this.db.engine; }

  /**
   * Opens the store in `file` (':memory:' for none), creating or migrating its schema. A database of another
   * fingerprint, of a newer schema or that cannot be read (corrupt, not a database) is replaced by an empty one,
   * said through `log`: the analyses are rebuilt from the articles, never trusted.
   */
  static open(file: string, fingerprint: Fingerprint, opts: OpenOptions = {}): CorpusStore {
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    try {
      return new CorpusStore(openChecked(file, fingerprint, opts.engine), file, maxBytes);
    } catch (e) {
      const reason = e instanceof Stale ? e.message : `it could not be read (${(e as Error).message})`;
      opts.log?.(`The index database ${file} was replaced by an empty one: ${reason}.`);
      removeDatabase(file);
      return new CorpusStore(openChecked(file, fingerprint, opts.engine), file, maxBytes, reason);
    }
  }

  close(): void { this.db.close(); }

  // ---- writes ---------------------------------------------------------------------------------------------------

  /**
   * Puts articles (new or changed) in one transaction. Their full texts go in last: FTS5 writes the terms it holds
   * to disk at each later statement that opens a savepoint (an insert into a table with a unique key, such as the
   * next article's), which made one small segment an article, and merging them cost more than the rest of the put
   * (put-profile, 30,000 articles: 1.95 → 1.72 ms an article).
   */
  put(...articles: PutArticle[]): void {
    this.db.transaction(() => {
      const texts = articles.map((a) => [this.putOne(a), a.text] as const);
      const insert = this.db.prepare('INSERT INTO texts (rowid, text) VALUES (?, ?)');
      for (const [id, text] of texts) insert.run(id, text);
    });
    this.generation++;
  }

  /**
   * A long run of puts begins (a corpus indexed for the first time, or after the model changed): the index of the
   * occurrences' lowest confidence is dropped until endBulk builds it again in one pass, which is cheaper than
   * keeping it through every put (put-profile, 30,000 articles: 0.18 ms an article, against 0.3 s to build it).
   * uncertainCounts scans the occurrences meanwhile (same answers, slower). A run that never ends (the process
   * died) leaves no gap: open builds a missing index.
   */
  beginBulk(): void { this.db.exec('DROP INDEX IF EXISTS occurrences_low'); }

  endBulk(): void { this.db.exec(OCCURRENCES_LOW); }

  /** The stored hash and stat of a file (undefined: not indexed). */
  stat(file: string): { hash: string; mtime: number; size: number } | undefined {
    const r = this.db.prepare('SELECT hash, mtime, size FROM articles WHERE path = ?').get(file);
    return r && { hash: String(r.hash), mtime: Number(r.mtime), size: Number(r.size) };
  }

  /**
   * The analyses now follow `fingerprint` (the dictionary changed and the articles it touches were analysed again):
   * a later open with it keeps them.
   */
  adopt(fingerprint: Fingerprint): void {
    this.db.prepare("UPDATE meta SET value = ? WHERE key = 'fingerprint'").run(fingerprint);
  }

  /**
   * An editor closed on these files: their rows (an editor's text, hash 'editor') are to be read from disk again,
   * so the next analyseFiles replaces them (a stat and a hash that match nothing).
   */
  release(...files: string[]): void {
    this.db.transaction(() => { for (const f of files) this.db.prepare("UPDATE articles SET hash = '', mtime = -1, size = -1 WHERE path = ? AND hash = 'editor'").run(f); });
  }

  /** Records a new stat for an article whose text is unchanged (a touched file: same hash). */
  touch(file: string, mtime: number, size: number): void {
    this.db.prepare('UPDATE articles SET mtime = ?, size = ? WHERE path = ?').run(mtime, size, file);
  }

  delete(...files: string[]): number {
    let n = 0;
    this.db.transaction(() => {
      for (const file of files) {
        const id = this.idOf(file);
        if (id === undefined) continue;
        this.removeContent(id);
        this.db.prepare('DELETE FROM articles WHERE id = ?').run(id);
        n++;
      }
    });
    if (n) this.generation++;
    return n;
  }

  /**
   * Deletes every article not among `files` (the corpus as listed now); answers how many went. When none is kept (a
   * rebuild from nothing: corpusLens.reindex), the tables are emptied at once (clear).
   */
  retain(files: Iterable<string>): number {
    return this.retainOnly(files).length;
  }

  /** retain, answering the paths that went (the extension host drops those from what it holds) */
  retainOnly(files: Iterable<string>): string[] {
    const keep = new Set(files);
    const all = this.paths();
    const gone = all.filter((f) => !keep.has(f));
    if (gone.length > 0 && gone.length === all.length) this.clear(); else this.delete(...gone);
    return gone;
  }

  /**
   * Deletes every article: each table emptied in one statement (and the full-text index by FTS5's delete-all), not
   * article by article, whose removal recomputes each of its entities' extremes and names from the occurrences left:
   * a time that grows with the square of the corpus (3,000 articles: 8.6 s; 10,000: most of a 198 s rebuild).
   */
  clear(): number {
    const n = Number(this.db.prepare('SELECT count(*) AS n FROM articles').get()!.n);
    this.db.transaction(() => {
      this.db.exec("DELETE FROM occurrences; DELETE FROM entity_aliases; DELETE FROM entities; DELETE FROM articles; INSERT INTO texts(texts) VALUES('delete-all');");
    });
    if (n) this.generation++;
    return n;
  }

  rename(from: string, to: string): void {
    if (from === to || this.idOf(from) === undefined) return;
    this.db.transaction(() => {
      const target = this.idOf(to);
      if (target !== undefined) { this.removeContent(target); this.db.prepare('DELETE FROM articles WHERE id = ?').run(target); }
      const id = this.idOf(from)!;
      const old = Number(this.db.prepare('SELECT seq FROM articles WHERE id = ?').get(id)!.seq);
      this.db.prepare(`UPDATE articles SET path = ?, seq = ${NEXT_SEQ} WHERE id = ?`).run(to, id);
      // the entities it came first for now come first with another (or with it, moved)
      this.db.prepare(`UPDATE entities SET first_seq = ${FIRST_SEQ} WHERE first_seq = ? AND id IN (SELECT entity_id FROM occurrences WHERE article_id = ?)`).run(old, id);
      // a renamed article comes last: its entities' names move with it
      for (const r of this.db.prepare("SELECT entity_id FROM occurrences WHERE article_id = ? AND (aliases <> '[]' OR roles <> '[]')").all(id)) this.recomputeNames(Number(r.entity_id));
    });
    this.generation++;
  }

  private idOf(file: string): number | undefined {
    const r = this.db.prepare('SELECT id FROM articles WHERE path = ?').get(file);
    return r ? Number(r.id) : undefined;
  }

  private paths(): string[] { return this.db.prepare('SELECT path FROM articles').all().map((r) => String(r.path)); }

  private putOne(a: PutArticle): number {
    // the analysis but its path and entities (those are the occurrences and mentions: not stored twice)
    const { path: _path, entities: _entities, ...header } = a.analysis;
    const json = JSON.stringify(header);
    const p = a.analysis.punctuation;
    const fields = [a.hash, a.mtime, a.size, a.analysis.dateline, a.analysis.date, p?.half ?? null, p?.full ?? null, json] as const;
    let id = this.idOf(a.file);
    const existing = id !== undefined;
    if (id !== undefined) {
      this.removeContent(id);
      this.db.prepare('UPDATE articles SET hash = ?, mtime = ?, size = ?, dateline = ?, date = ?, half = ?, full = ?, header = ? WHERE id = ?').run(...fields, id);
    } else {
      id = Number(this.db.prepare(`INSERT INTO articles (seq, path, hash, mtime, size, dateline, date, half, full, header) VALUES (${NEXT_SEQ}, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`).get(a.file, ...fields)!.id);
    }
    this.addContent(id, a.analysis, existing);
    return id;
  }

  /**
   * Adds an article's entities and occurrences (with their mentions), and its part of each entity's totals.
   * `edited`: the article was indexed before (it keeps its place in the order, which may not be the last).
   */
  private addContent(articleId: number, analysis: DocumentAnalysis, edited: boolean): void {
    const date = analysis.date;
    const seq = Number(this.db.prepare('SELECT seq FROM articles WHERE id = ?').get(articleId)!.seq);
    let ord = 0;
    for (const e of mergeByKey(analysis.entities)) {
      const key = entityKey(e.type, e.name);
      const conf = entityConfidence(e);
      const certain = e.mentions.length === 0 ? -1 : e.mentions.some((m) => m.confidence === undefined) ? null : conf;
      const row = this.db.prepare('SELECT id, aliases, roles, first, last, confidence FROM entities WHERE key = ?').get(key);
      let entityId: number;
      if (!row) {
        entityId = Number(this.db.prepare('INSERT INTO entities (type, name, key, aliases, roles, mentions, articles, first, last, confidence, first_seq) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id')
          .get(e.type, e.name, key, JSON.stringify(e.aliases), JSON.stringify(e.roles), e.mentions.length, date, date, conf, seq)!.id);
        for (const alias of new Set(e.aliases)) this.db.prepare('INSERT OR IGNORE INTO entity_aliases (alias, entity_id) VALUES (?, ?)').run(alias, entityId);
      } else {
        entityId = Number(row.id);
        const aliases = union(JSON.parse(String(row.aliases)) as string[], e.aliases);
        const roles = union(JSON.parse(String(row.roles)) as string[], e.roles);
        const first = row.first === null ? date : date !== null && date < String(row.first) ? date : String(row.first);
        const last = row.last === null ? date : date !== null && date > String(row.last) ? date : String(row.last);
        this.db.prepare('UPDATE entities SET mentions = mentions + ?, articles = articles + 1, first = ?, last = ?, confidence = max(confidence, ?), aliases = ?, roles = ?, first_seq = min(first_seq, ?) WHERE id = ?')
          .run(e.mentions.length, first, last, conf, JSON.stringify(aliases), JSON.stringify(roles), seq, entityId);
        for (const alias of e.aliases) this.db.prepare('INSERT OR IGNORE INTO entity_aliases (alias, entity_id) VALUES (?, ?)').run(alias, entityId);
      }
      let low: number | null = null;
      for (const m of e.mentions) if (m.confidence !== undefined && (low === null || m.confidence < low)) low = m.confidence;
      this.db.prepare('INSERT INTO occurrences (entity_id, article_id, ord, mentions, confidence, certain, low, aliases, roles, spans) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(entityId, articleId, ord++, e.mentions.length, conf, certain, low, JSON.stringify(e.aliases), JSON.stringify(e.roles), packSpans(e));
      // an edited article keeps its place: its names go where its place puts them, not at the end
      // (a new article is the last: nothing comes after it, and the query would read all the entity's occurrences)
      if (edited && row && (e.aliases.length || e.roles.length) && this.db.prepare('SELECT 1 AS later FROM occurrences o JOIN articles a ON a.id = o.article_id WHERE o.entity_id = ? AND a.seq > (SELECT seq FROM articles WHERE id = ?) LIMIT 1').get(entityId, articleId)) this.recomputeNames(entityId);
    }
  }

  /** Removes an article's occurrences (with their mentions) and full text, and its part of each entity's totals. */
  private removeContent(articleId: number): void {
    const article = this.db.prepare('SELECT date, seq FROM articles WHERE id = ?').get(articleId)!;
    const date = article.date ?? null;
    const occs = this.db.prepare(`SELECT o.entity_id, o.mentions, o.confidence, o.aliases, o.roles, e.articles AS total, e.first, e.last, e.confidence AS top, e.first_seq
      FROM occurrences o JOIN entities e ON e.id = o.entity_id WHERE o.article_id = ?`).all(articleId);
    this.db.prepare('DELETE FROM occurrences WHERE article_id = ?').run(articleId);
    this.db.prepare('DELETE FROM texts WHERE rowid = ?').run(articleId);
    for (const o of occs) {
      const id = Number(o.entity_id);
      if (Number(o.total) <= 1) {
        this.db.prepare('DELETE FROM entities WHERE id = ?').run(id);
        this.db.prepare('DELETE FROM entity_aliases WHERE entity_id = ?').run(id);
        continue;
      }
      this.db.prepare('UPDATE entities SET mentions = mentions - ?, articles = articles - 1 WHERE id = ?').run(Number(o.mentions), id);
      // an extreme is recomputed (from this entity's occurrences only) when the article removed held it
      if (date !== null && (date === o.first || date === o.last)) {
        this.db.prepare(`UPDATE entities SET first = (SELECT min(a.date) FROM occurrences x JOIN articles a ON a.id = x.article_id WHERE x.entity_id = ?1),
          last = (SELECT max(a.date) FROM occurrences x JOIN articles a ON a.id = x.article_id WHERE x.entity_id = ?1) WHERE id = ?1`).run(id);
      }
      if (Number(o.confidence) >= Number(o.top)) {
        this.db.prepare('UPDATE entities SET confidence = (SELECT max(confidence) FROM occurrences WHERE entity_id = ?1) WHERE id = ?1').run(id);
      }
      if (o.aliases !== '[]' || o.roles !== '[]') this.recomputeNames(id);
      if (o.first_seq === article.seq) {
        this.db.prepare(`UPDATE entities SET first_seq = ${FIRST_SEQ} WHERE id = ?`).run(id);
      }
    }
  }

  /** An entity's aliases and roles: the union of its occurrences', in article order. */
  private recomputeNames(id: number): void {
    let aliases: string[] = [];
    let roles: string[] = [];
    for (const r of this.db.prepare('SELECT o.aliases, o.roles FROM occurrences o JOIN articles a ON a.id = o.article_id WHERE o.entity_id = ? ORDER BY a.seq').all(id)) {
      aliases = union(aliases, JSON.parse(String(r.aliases)) as string[]);
      roles = union(roles, JSON.parse(String(r.roles)) as string[]);
    }
    this.db.prepare('UPDATE entities SET aliases = ?, roles = ? WHERE id = ?').run(JSON.stringify(aliases), JSON.stringify(roles), id);
    this.db.prepare('DELETE FROM entity_aliases WHERE entity_id = ?').run(id);
    for (const alias of aliases) this.db.prepare('INSERT OR IGNORE INTO entity_aliases (alias, entity_id) VALUES (?, ?)').run(alias, id);
  }

  // ---- queries (CorpusQueries) ----------------------------------------------------------------------------------

  totals(): CorpusTotals {
    const r = this.db.prepare('SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM entities) AS entities, (SELECT coalesce(sum(mentions), 0) FROM entities) AS mentions').get()!;
    return { articles: Number(r.articles), entities: Number(r.entities), mentions: Number(r.mentions) };
  }

  articles(): IndexedArticle[] {
    return this.db.prepare('SELECT path, hash, dateline, date FROM articles ORDER BY path').all()
      .map((r) => ({ file: String(r.path), hash: String(r.hash), dateline: str(r.dateline), date: str(r.date) }));
  }

  /** An article's analysis as it was put: its header, its entities in their order, each one's mentions in theirs. */
  analysis(file: string): DocumentAnalysis | undefined {
    const r = this.db.prepare('SELECT id, header FROM articles WHERE path = ?').get(file);
    if (!r) return undefined;
    const entities = this.db.prepare('SELECT e.name, e.type, o.aliases, o.roles, o.spans FROM occurrences o JOIN entities e ON e.id = o.entity_id WHERE o.article_id = ? ORDER BY o.ord').all(r.id)
      .map((o): DocumentEntity => ({ name: String(o.name), type: o.type as EntityType, aliases: JSON.parse(String(o.aliases)) as string[], roles: JSON.parse(String(o.roles)) as string[], mentions: unpackSpans(String(o.spans), String(o.name)) }));
    return { path: file, ...(JSON.parse(String(r.header)) as Omit<DocumentAnalysis, 'path' | 'entities'>), entities };
  }

  /** Entities across the corpus, in the order of the first article that names each (CorpusIndex's). */
  entities(): EntitySummary[] {
    return this.db.prepare('SELECT * FROM entities ORDER BY first_seq, id').all().map(summary);
  }

  entity(key: string): EntitySummary | undefined {
    const r = this.db.prepare('SELECT * FROM entities WHERE key = ?').get(key);
    return r && summary(r);
  }

  find(name: string, type?: EntityType): EntitySummary | undefined {
    if (type) {
      const direct = this.entity(entityKey(type, name));
      if (direct) return direct;
    }
    const r = this.db.prepare(`SELECT * FROM entities WHERE id IN (
        SELECT id FROM entities WHERE name = ?1 UNION SELECT entity_id FROM entity_aliases WHERE alias = ?1)
      AND (?2 IS NULL OR type = ?2) ORDER BY first_seq, id LIMIT 1`).get(name, type ?? null);
    return r && summary(r);
  }

  timeline(key: string): EntityTimeline {
    const rows = this.db.prepare(`SELECT substr(a.date, 1, 7) AS month, sum(o.mentions) AS mentions, count(*) AS articles
      FROM entities e JOIN occurrences o ON o.entity_id = e.id JOIN articles a ON a.id = o.article_id WHERE e.key = ? GROUP BY month`).all(key);
    let undated = 0, undatedArticles = 0;
    const byMonth = new Map<string, { mentions: number; articles: number }>();
    for (const r of rows) {
      if (r.month === null || r.month === '') { undated += Number(r.mentions); undatedArticles += Number(r.articles); continue; }
      byMonth.set(String(r.month), { mentions: Number(r.mentions), articles: Number(r.articles) });
    }
    return { months: fillMonths(byMonth), undated, undatedArticles };
  }

  articlesPerMonth(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db.prepare("SELECT substr(date, 1, 7) AS month, count(*) AS n FROM articles WHERE date IS NOT NULL AND date <> '' GROUP BY month ORDER BY month").all()) out[String(r.month)] = Number(r.n);
    return out;
  }

  /**
   * KWIC lines of an entity's mentions, sorted by date, file, offset (CorpusIndex.concordance's order); `texts`
   * wins over the file on disk; a mention whose text no longer stands there is left out. Files are read in that
   * order, only until `limit` lines are in hand.
   */
  concordance(key: string, context: number | ContextOptions, opts: { limit?: number; texts?: Record<string, string> } = {}): ConcordanceLine[] {
    const rows = this.db.prepare(`SELECT a.path, a.dateline, a.date, e.name, o.spans
      FROM entities e JOIN occurrences o ON o.entity_id = e.id JOIN articles a ON a.id = o.article_id WHERE e.key = ?`).all(key)
      .flatMap((r) => unpackSpans(String(r.spans), String(r.name)).map((m) => ({ file: String(r.path), dateline: str(r.dateline), date: str(r.date), start: m.start, end: m.end, line: m.line, character: m.character, match: m.text })));
    rows.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.file.localeCompare(b.file) || a.start - b.start);
    const limit = opts.limit ?? Infinity;
    const out: ConcordanceLine[] = [];
    let file: string | undefined;
    let text: string | undefined;
    for (const r of rows) {
      if (out.length >= limit) break;
      if (r.file !== file) { file = r.file; text = this.text(r.file, opts.texts); }
      if (text === undefined || text.slice(r.start, r.end) !== r.match) continue; // the file changed since it was indexed
      const { left, right } = typeof context === 'number' ? kwicContext(text, r.start, r.end, context) : kwic(text, r.start, r.end, context);
      out.push({ file: r.file, dateline: r.dateline, date: r.date, left, match: r.match, right, start: r.start, end: r.end, line: r.line, character: r.character });
    }
    return out;
  }

  uncertainCounts(threshold: number): Record<string, number> {
    const out: Record<string, number> = {};
    // the occurrences with an uncertain mention (their lowest confidence is below the threshold: the partial index)
    for (const r of this.db.prepare('SELECT a.path, o.spans FROM occurrences o JOIN articles a ON a.id = o.article_id WHERE o.low < ?').all(threshold)) {
      const n = unpackSpans(String(r.spans), '').filter((m) => isUncertain(m, threshold)).length;
      const file = String(r.path);
      out[file] = (out[file] ?? 0) + n;
    }
    return out;
  }

  /** The corpus's names from its articles' certain mentions (certainSummaries), built once per store change and threshold. */
  corpusNames(threshold: number): CorpusNames {
    if (this.names?.generation === this.generation && this.names.threshold === threshold) return this.names.names;
    // (in the order of the first article that names each: a name's first type is the one its article came first with)
    const rows = this.db.prepare(`SELECT e.name, e.type, count(*) AS n FROM occurrences o JOIN entities e ON e.id = o.entity_id JOIN articles a ON a.id = o.article_id
      WHERE o.certain IS NULL OR o.certain >= ? GROUP BY o.entity_id ORDER BY min(a.seq), o.entity_id`).all(threshold);
    const names = corpusNames(rows.map((r) => ({ name: String(r.name), type: r.type as EntityType, articles: Number(r.n) })));
    this.names = { generation: this.generation, threshold, names };
    return names;
  }

  consistency(text: string, entities: DocumentAnalysis['entities'], threshold: number): ConsistencyFinding[] {
    return consistencyFindings(text, entities, this.corpusNames(threshold), threshold);
  }

  datelines(): CorpusDatelines {
    if (this.dates?.generation === this.generation) return { ...this.dates.value, computeMs: 0 };
    const t0 = performance.now();
    this.dates = { generation: this.generation, value: this.computeDatelines() };
    return { ...this.dates.value, computeMs: performance.now() - t0 };
  }

  private computeDatelines() {
    return corpusDatelines(this.db.prepare('SELECT path, date FROM articles').all().map((r) => ({ file: String(r.path), date: str(r.date) })));
  }

  punctuation(): PunctuationSurvey {
    const rows = this.db.prepare('SELECT half, full FROM articles').all();
    return surveyPunctuation(rows.map((r) => (r.half === null ? undefined : { punctuation: { half: Number(r.half), full: Number(r.full) } })));
  }

  /**
   * The articles that may hold a string of 3 characters or more, in path order, without reading any: those whose
   * indexed text held it (the trigram index) and those of `texts` (an open editor's unsaved text may hold what the
   * indexed text did not). Undefined for a shorter string, which trigrams cannot answer.
   */
  candidates(query: string, texts?: Record<string, string>): string[] | undefined {
    if ([...query].length < TRIGRAM) return undefined;
    const indexed = this.db.prepare('SELECT a.path FROM texts JOIN articles a ON a.id = texts.rowid WHERE texts MATCH ?').all(`"${query.replace(/"/g, '""')}"`).map((r) => String(r.path));
    return [...new Set([...indexed, ...Object.keys(texts ?? {})])].sort();
  }

  /**
   * Where `query` stands in the articles (every non-overlapping occurrence, as indexOf finds them), files in path
   * order. Queries of TRIGRAM code points or more ask the trigram index for the articles that hold it, then find
   * the offsets in the text as it is now (`texts`, or the file); shorter ones scan every article. `limit`: at most
   * this many offsets in all.
   */
  search(query: string, opts: { limit?: number; texts?: Record<string, string> } = {}): SearchResult {
    const limit = opts.limit ?? Infinity;
    if (!query) return { hits: [], truncated: false, method: 'scan' };
    const candidates = this.candidates(query, opts.texts);
    const fts = candidates !== undefined;
    const files = candidates ?? [...new Set([...this.paths(), ...Object.keys(opts.texts ?? {})])].sort();
    const hits: SearchHit[] = [];
    let count = 0;
    for (const file of files) {
      const text = this.text(file, opts.texts);
      if (text === undefined) continue;
      const offsets: number[] = [];
      for (let at = text.indexOf(query); at >= 0; at = text.indexOf(query, at + query.length)) {
        if (count >= limit) return { hits: offsets.length ? [...hits, { file, offsets }] : hits, truncated: true, method: fts ? 'fts' : 'scan' };
        offsets.push(at);
        count++;
      }
      if (offsets.length) hits.push({ file, offsets });
    }
    return { hits, truncated: false, method: fts ? 'fts' : 'scan' };
  }

  private text(file: string, texts: Record<string, string> | undefined): string | undefined {
    const open = texts?.[file];
    if (open !== undefined) return open;
    const read = readCorpusFile(file, this.maxBytes);
    return read.ok ? read.text : undefined;
  }
}

function openChecked(file: string, fingerprint: Fingerprint, engine: EngineName | undefined): SqlDatabase {
  const db = openDatabase(file, engine);
  try {
    // a rollback journal, not WAL: node-sqlite3-wasm has no shared memory for a WAL, and the file must open with
    // either engine (the command line on Node 20, the extension host on Node 24). One connection writes and reads
    // (the worker's): it takes the lock once (node-sqlite3-wasm's lock is a directory made and removed per
    // transaction otherwise, 3 ms each here). No fsync (synchronous OFF): the database is a cache of the articles;
    // a process that dies mid-write leaves it whole (the journal), only an OS crash can break it, and a database
    // that cannot be read is rebuilt. Putting 3,000 articles: 17.3 s → 8.1 s on this machine's disk.
    db.exec('PRAGMA journal_mode = DELETE; PRAGMA locking_mode = EXCLUSIVE; PRAGMA synchronous = OFF; PRAGMA cache_size = -16384');
    if (!migrate(db)) throw new Stale(`its schema is newer than ${SCHEMA_VERSION}`);
    db.exec(OCCURRENCES_LOW);
    const stored = db.prepare("SELECT value FROM meta WHERE key = 'fingerprint'").get()?.value;
    if (stored === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('fingerprint', ?)").run(fingerprint);
    else if (stored !== fingerprint) throw new Stale('its analyses were made with another model, dictionary, segmenter or version');
    db.prepare('SELECT count(*) AS n FROM articles').get();
    return db;
  } catch (e) {
    try { db.close(); } catch { /* (the error that matters is the first) */ }
    throw e;
  }
}

function removeDatabase(file: string): void {
  if (file === ':memory:') return;
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`, `${file}.lock`]) rmSync(f, { recursive: true, force: true });
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function summary(r: Row): EntitySummary {
  const s: EntitySummary = {
    key: String(r.key), name: String(r.name), type: r.type as EntityType,
    aliases: JSON.parse(String(r.aliases)) as string[], roles: JSON.parse(String(r.roles)) as string[],
    mentions: Number(r.mentions), articles: Number(r.articles), confidence: Number(r.confidence),
  };
  if (r.first !== null) s.first = String(r.first);
  if (r.last !== null) s.last = String(r.last);
  return s;
}

/**
 * An entity's mentions in one article as one JSON value: [start, end, line, character, confidence or null, text or
 * null when it is the entity's name], one array a mention, in their order. One row an occurrence instead of one a
 * mention (55 an article in the bench) keeps puts and the file small; no question needs a mention by itself.
 */
function packSpans(e: DocumentEntity): string {
  return JSON.stringify(e.mentions.map((m) => [m.start, m.end, m.line, m.character, m.confidence ?? null, m.text === e.name ? null : m.text]));
}

function unpackSpans(spans: string, name: string): LocatedMention[] {
  return (JSON.parse(spans) as [number, number, number, number, number | null, string | null][]).map(([start, end, line, character, confidence, text]) => {
    const m: LocatedMention = { start, end, text: text ?? name, line, character };
    if (confidence !== null) m.confidence = confidence;
    return m;
  });
}

function union(a: string[], b: readonly string[]): string[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

/** An article's entities, one per key (an analysis names each once; two of one key are merged, as one occurrence). */
function mergeByKey(entities: readonly DocumentEntity[]): DocumentEntity[] {
  const byKey = new Map<string, DocumentEntity>();
  for (const e of entities) {
    const key = entityKey(e.type, e.name);
    const had = byKey.get(key);
    if (!had) byKey.set(key, e);
    else byKey.set(key, { ...had, aliases: union(had.aliases, e.aliases), roles: union(had.roles, e.roles), mentions: [...had.mentions, ...e.mentions] });
  }
  return [...byKey.values()];
}

