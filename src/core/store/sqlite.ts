/**
 * One small interface over the two SQLite engines the index can run on: `node:sqlite` (DatabaseSync, in Node 22.13+
 * and the Node 24 of code-server's extension host) and `node-sqlite3-wasm` (SQLite compiled to WebAssembly with a
 * VFS on real files, for Node 20: the unit tests and the command line here). Both are synchronous, so the store's
 * writes and queries run to their end on the worker's one thread. Parameters are positional (`?`).
 */
import { existsSync, rmSync } from 'node:fs';

export type SqlValue = number | bigint | string | Uint8Array | null;
export type Row = Record<string, SqlValue>;

export interface SqlStatement {
  run(...params: SqlValue[]): void;
  /** the first row (for statements of at most one row: it runs the statement to its end) */
  get(...params: SqlValue[]): Row | undefined;
  all(...params: SqlValue[]): Row[];
}

export type EngineName = 'node:sqlite' | 'node-sqlite3-wasm';

export interface SqlDatabase {
  readonly engine: EngineName;
  exec(sql: string): void;
  /** a prepared statement, kept for the connection's life (prepare each SQL text once) */
  prepare(sql: string): SqlStatement;
  /** fn inside BEGIN … COMMIT (ROLLBACK when it throws); not nested */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** What the store uses of node:sqlite (its types are not in @types/node 20, the Node the project builds for). */
interface NodeSqliteStatement { run(...p: SqlValue[]): unknown; get(...p: SqlValue[]): unknown; all(...p: SqlValue[]): unknown[] }
interface NodeSqliteDatabase { exec(sql: string): void; prepare(sql: string): NodeSqliteStatement; close(): void }
interface NodeSqliteModule { DatabaseSync: new (file: string) => NodeSqliteDatabase }

/** node:sqlite's module, when this Node has it and its SQLite has FTS5 with the trigram tokenizer. */
let probed: { mod: NodeSqliteModule | undefined } | undefined;
function nodeSqlite(): NodeSqliteModule | undefined {
  probed ??= { mod: probeNodeSqlite() };
  return probed.mod;
}
function probeNodeSqlite(): NodeSqliteModule | undefined {
  try {
    // (a plain require: Node 20 has no such module, and the bundle must load there all the same)
    const mod = require('node:sqlite') as NodeSqliteModule;
    const probe = new mod.DatabaseSync(':memory:');
    try { probe.exec("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')"); } finally { probe.close(); }
    return mod;
  } catch {
    return undefined;
  }
}

/** Which engine openDatabase picks on this Node (node:sqlite where it works, else the WebAssembly build). */
export function availableEngine(): EngineName {
  return nodeSqlite() ? 'node:sqlite' : 'node-sqlite3-wasm';
}

/**
 * Opens (creating) the database file with `engine`, or the best one this Node has. node-sqlite3-wasm locks a file
 * with a directory `FILE.lock` that a killed process leaves behind; the index has one writer (the worker that opens
 * it), so a lock found at open is stale and is removed.
 */
export function openDatabase(file: string, engine: EngineName = availableEngine()): SqlDatabase {
  if (engine === 'node:sqlite') {
    const mod = nodeSqlite();
    if (!mod) throw new Error('node:sqlite with FTS5 is not available in this Node');
    return wrapNode(new mod.DatabaseSync(file));
  }
  if (file !== ':memory:' && existsSync(`${file}.lock`)) rmSync(`${file}.lock`, { recursive: true, force: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Database } = require('node-sqlite3-wasm') as typeof import('node-sqlite3-wasm');
  return wrapWasm(new Database(file));
}

function withTransaction<T>(db: SqlDatabase, fn: () => T): T {
  db.exec('BEGIN');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (e) {
    try { db.exec('ROLLBACK'); } catch { /* (the error that matters is the first) */ }
    throw e;
  }
}

function wrapNode(db: NodeSqliteDatabase): SqlDatabase {
  const cache = new Map<string, SqlStatement>();
  const self: SqlDatabase = {
    engine: 'node:sqlite',
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      let s = cache.get(sql);
      if (!s) {
        const st = db.prepare(sql);
        s = {
          run: (...p) => { st.run(...p); },
          get: (...p) => st.get(...p) as Row | undefined,
          all: (...p) => st.all(...p) as Row[],
        };
        cache.set(sql, s);
      }
      return s;
    },
    transaction: (fn) => withTransaction(self, fn),
    close: () => { cache.clear(); db.close(); },
  };
  return self;
}

function wrapWasm(db: import('node-sqlite3-wasm').Database): SqlDatabase {
  const cache = new Map<string, { s: SqlStatement; finalize(): void }>();
  const self: SqlDatabase = {
    engine: 'node-sqlite3-wasm',
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      let c = cache.get(sql);
      if (!c) {
        const st = db.prepare(sql);
        c = {
          s: {
            run: (...p) => { st.run(p); },
            // (all, not get: a statement stepped once stays in progress, and COMMIT then fails)
            get: (...p) => (st.all(p) as Row[])[0],
            all: (...p) => st.all(p) as Row[],
          },
          finalize: () => st.finalize(),
        };
        cache.set(sql, c);
      }
      return c.s;
    },
    transaction: (fn) => withTransaction(self, fn),
    close: () => { for (const c of cache.values()) c.finalize(); cache.clear(); db.close(); },
  };
  return self;
}
