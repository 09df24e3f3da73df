/**
 * The index database's schema: MIGRATIONS[i] takes a database at version i to version i + 1 (`PRAGMA user_version`).
 * Append a step to change the schema, never edit a released one: a database at an older version is migrated on
 * open; one at a newer version (a newer extension wrote it) or whose steps fail is rebuilt from scratch.
 * docs/index-database.md describes the tables.
 */
import type { SqlDatabase } from './sqlite';

export const MIGRATIONS: readonly string[] = [
  // 0 → 1
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE articles (
     id INTEGER PRIMARY KEY,
     seq INTEGER NOT NULL,
     path TEXT NOT NULL UNIQUE,
     hash TEXT NOT NULL,
     mtime REAL NOT NULL,
     size INTEGER NOT NULL,
     dateline TEXT,
     date TEXT,
     half INTEGER,
     full INTEGER,
     header TEXT NOT NULL
   );
   CREATE INDEX articles_date ON articles(date);
   CREATE INDEX articles_seq ON articles(seq);
   CREATE TABLE entities (
     id INTEGER PRIMARY KEY,
     type TEXT NOT NULL,
     name TEXT NOT NULL,
     key TEXT NOT NULL UNIQUE,
     aliases TEXT NOT NULL,
     roles TEXT NOT NULL,
     mentions INTEGER NOT NULL,
     articles INTEGER NOT NULL,
     first TEXT,
     last TEXT,
     confidence REAL NOT NULL,
     first_seq INTEGER NOT NULL
   );
   CREATE INDEX entities_name ON entities(name);
   CREATE TABLE entity_aliases (alias TEXT NOT NULL, entity_id INTEGER NOT NULL, PRIMARY KEY (alias, entity_id)) WITHOUT ROWID;
   CREATE INDEX entity_aliases_entity ON entity_aliases(entity_id);
   CREATE TABLE occurrences (
     entity_id INTEGER NOT NULL,
     article_id INTEGER NOT NULL,
     ord INTEGER NOT NULL,
     mentions INTEGER NOT NULL,
     confidence REAL NOT NULL,
     certain REAL,
     low REAL,
     aliases TEXT NOT NULL,
     roles TEXT NOT NULL,
     spans TEXT NOT NULL,
     PRIMARY KEY (entity_id, article_id)
   ) WITHOUT ROWID;
   CREATE INDEX occurrences_article ON occurrences(article_id);
   CREATE INDEX occurrences_low ON occurrences(low) WHERE low IS NOT NULL;
   CREATE VIRTUAL TABLE texts USING fts5(text, tokenize='trigram', content='', contentless_delete=1);`,
  // 1 → 2: the full-text index merges its segments 16 at a time, not 4 (FTS5's default): less rewriting as it
  // grows (put-profile, 30,000 articles: 1.72 → 1.45 ms an article; a search of 3 characters 0.7 → 0.8 ms)
  `INSERT INTO texts (texts, rank) VALUES ('automerge', 16);`,
  // 2 → 3: 64 at a time, and the "crisis" merge (FTS5's default: any level of 16 segments) at 64 too, which had
  // held the merges at 16 whatever automerge said (put-profile, 100,000 articles: see docs/index-database.md)
  `INSERT INTO texts (texts, rank) VALUES ('automerge', 64);
   INSERT INTO texts (texts, rank) VALUES ('crisismerge', 64);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: SqlDatabase): number {
  return Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
}

/** Brings the database to SCHEMA_VERSION, each step in a transaction of its own; false: it is newer than this code. */
export function migrate(db: SqlDatabase): boolean {
  const from = userVersion(db);
  if (from > SCHEMA_VERSION) return false;
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    });
  }
  return true;
}
