import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CorpusIndex } from '../../src/core/corpusIndex';
import type { CorpusQueries } from '../../src/core/corpusQueries';
import { CorpusStore } from '../../src/core/store/corpusStore';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/core/store/schema';
import { openDatabase } from '../../src/core/store/sqlite';
import { generateArticle, Generated, oracle } from './store-fixtures';

const FP = 'model=1;dictionary=a;segmenter=nodejieba;version=0.1.0';

/** Every CorpusQueries question, asked of one implementation, with the arguments the tests vary over. */
async function answers(q: CorpusQueries, probe: Generated[]) {
  const entities = await q.entities();
  const keys = entities.map((e) => e.key).sort();
  const byKey = Object.fromEntries(entities.map((e) => [e.key, e]));
  const perEntity: Record<string, unknown> = {};
  for (const key of keys) {
    perEntity[key] = {
      entity: await q.entity(key),
      timeline: await q.timeline(key),
      concordance: await q.concordance(key, 6),
      sentence: await q.concordance(key, { width: 10, bound: 'sentence' }, { limit: 3 }),
    };
  }
  const names = [...new Set(entities.flatMap((e) => [e.name, ...e.aliases])), '无此名'];
  const found: Record<string, unknown> = {};
  for (const n of names) for (const t of [undefined, 'PER', 'LOC', 'ORG'] as const) found[`${n}/${t}`] = (await q.find(n, t))?.key;
  const consistency: Record<string, unknown> = {};
  for (const g of probe) for (const th of [0, 0.5, 0.9]) consistency[`${g.file}@${th}`] = await q.consistency(g.text, g.analysis.entities, th);
  return {
    totals: await q.totals(), articles: await q.articles(), byKey, perEntity, found, consistency,
    analyses: await Promise.all((await q.articles()).map((a) => q.analysis(a.file))), missing: await q.analysis('/nowhere.txt'),
    perMonth: await q.articlesPerMonth(), uncertain: [await q.uncertainCounts(0.5), await q.uncertainCounts(0.9)],
    datelines: await q.datelines(), punctuation: await q.punctuation(),
  };
}

/** The store as CorpusQueries (the worker's client does the same over the wire). */
const asQueries = (s: CorpusStore): CorpusQueries => ({
  totals: async () => s.totals(), articles: async () => s.articles(), analysis: async (f) => s.analysis(f), entities: async () => s.entities(),
  entity: async (k) => s.entity(k), find: async (n, t) => s.find(n, t), timeline: async (k) => s.timeline(k), articlesPerMonth: async () => s.articlesPerMonth(),
  concordance: async (k, c, o) => s.concordance(k, c, o), uncertainCounts: async (t) => s.uncertainCounts(t),
  consistency: async (t, e, th) => s.consistency(t, e, th), datelines: async () => s.datelines(), punctuation: async () => s.punctuation(),
});

function tmp(): string { return fs.mkdtempSync(path.join(os.tmpdir(), 'cl-store-')); }
function write(g: Generated) { fs.mkdirSync(path.dirname(g.file), { recursive: true }); fs.writeFileSync(g.file, g.text); }

describe('CorpusStore (SQLite, node-sqlite3-wasm on this Node)', () => {
  let dir: string;
  beforeEach(() => { dir = tmp(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers every CorpusQueries question as CorpusIndex does, through puts, edits, deletes and renames', async () => {
    const store = CorpusStore.open(path.join(dir, 'index.db'), FP);
    const index = new CorpusIndex();
    const put = (g: Generated) => { write(g); index.set(g.file, `h${g.text.length}`, g.analysis); store.put({ file: g.file, hash: `h${g.text.length}`, mtime: 1, size: g.text.length, analysis: g.analysis, text: g.text }); };
    const corpus = Array.from({ length: 60 }, (_, i) => generateArticle(path.join(dir, 'corpus'), i, 1));
    for (const g of corpus) put(g);
    const probe = [generateArticle(path.join(dir, 'other'), 500, 2), corpus[3]];
    assert.deepEqual(await answers(asQueries(store), probe), await answers(oracle(index), probe));
    // edit (another text and analysis for the same file), delete, rename
    for (const i of [1, 5, 9, 30]) put(generateArticle(path.join(dir, 'corpus'), i, 1, 1));
    for (const i of [2, 7, 44]) { index.delete(corpus[i].file); store.delete(corpus[i].file); fs.rmSync(corpus[i].file); }
    const to = path.join(dir, 'corpus', 'a', '900_renamed.txt');
    fs.renameSync(corpus[12].file, to);
    index.rename(corpus[12].file, to);
    store.rename(corpus[12].file, to);
    assert.deepEqual(await answers(asQueries(store), probe), await answers(oracle(index), probe));
    store.close();
  });
});
