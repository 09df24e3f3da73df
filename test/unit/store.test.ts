import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CorpusIndex } from '../../src/core/corpusIndex';
import { CorpusStore, type PutArticle } from '../../src/core/store/corpusStore';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/core/store/schema';
import { availableEngine, openDatabase, type SqlDatabase } from '../../src/core/store/sqlite';
import { answers, asQueries, generateArticle, Generated, oracle } from './store-fixtures';

const FP = 'model=1;dictionary=a;segmenter=nodejieba;version=0.1.0';

function tmp(): string { return fs.mkdtempSync(path.join(os.tmpdir(), 'cl-store-')); }
function write(g: Generated) { fs.mkdirSync(path.dirname(g.file), { recursive: true }); fs.writeFileSync(g.file, g.text); }

describe(`CorpusStore (SQLite: ${availableEngine()})`, () => {
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

  it('emptied by retain([]) at once (a rebuild), it answers as an empty index, then as the index of what is put again', async () => {
    const store = CorpusStore.open(path.join(dir, 'index.db'), FP);
    const corpus = Array.from({ length: 40 }, (_, i) => generateArticle(path.join(dir, 'corpus'), i, 3));
    const putAll = (list: Generated[]) => { for (const g of list) { write(g); store.put({ file: g.file, hash: `h${g.text.length}`, mtime: 1, size: g.text.length, analysis: g.analysis, text: g.text }); } };
    putAll(corpus);
    const probe = [corpus[0], corpus[27]];
    assert.equal(store.retain([]), 40);
    assert.deepEqual(store.totals(), { articles: 0, entities: 0, mentions: 0 });
    assert.deepEqual(await answers(asQueries(store), probe), await answers(oracle(new CorpusIndex()), probe));
    assert.equal(store.retain([]), 0);
    // what is put again answers as an index of only that (the second half, which now takes the first half's ids)
    const again = corpus.slice(20);
    const index = new CorpusIndex();
    for (const g of again) index.set(g.file, `h${g.text.length}`, g.analysis);
    putAll(again);
    assert.deepEqual(await answers(asQueries(store), probe), await answers(oracle(index), probe));
    // the full-text index was emptied too: the trigram candidates of a string (ids start again) are the articles holding it
    for (const g of [corpus[5], corpus[30], corpus[39]]) {
      const q = g.text.slice(g.text.length - 40, g.text.length - 30);
      assert.deepEqual(store.candidates(q), again.filter((c) => c.text.includes(q)).map((c) => c.file).sort(), q);
    }
    store.close();
  });

  it('datelines say how long they took to compute (not any wait before): 0 when they come from the cache', () => {
    const store = CorpusStore.open(path.join(dir, 'index.db'), FP);
    for (const g of Array.from({ length: 30 }, (_, i) => generateArticle(path.join(dir, 'corpus'), i, 4))) store.put({ file: g.file, hash: 'h', mtime: 1, size: 1, analysis: g.analysis, text: g.text });
    const first = store.datelines();
    assert.ok(typeof first.computeMs === 'number' && first.computeMs > 0, String(first.computeMs));
    const again = store.datelines();
    assert.equal(again.computeMs, 0);
    assert.deepEqual({ ...again, computeMs: undefined }, { ...first, computeMs: undefined });
    store.close();
  });

  /** A hand-written analysis: 周国平's mentions at the given confidences, and 晋北市 once. */
  function art(file: string, date: string | null, confidences: (number | undefined)[], roles: string[] = []): PutArticle {
    const text = `标题\n\n${date ? '17.10.2018  06:24' : '无'}\n\n  ${'周国平'.repeat(confidences.length)}在晋北市。\n`;
    const at = text.indexOf('周国平');
    const mentions = confidences.map((c, i) => ({ start: at + 3 * i, end: at + 3 * i + 3, text: '周国平', line: 4, character: 2 + 3 * i, ...(c !== undefined && { confidence: c }) }));
    const loc = text.indexOf('晋北市');
    return {
      file, hash: `h-${file}-${confidences.join()}`, mtime: 1, size: text.length, text,
      analysis: { path: file, title: '标题', dateline: date && '17.10.2018  06:24', date, entities: [
        ...(mentions.length ? [{ name: '周国平', type: 'PER' as const, aliases: [], roles, mentions }] : []),
        { name: '晋北市', type: 'LOC' as const, aliases: [], roles: [], mentions: [{ start: loc, end: loc + 3, text: '晋北市', line: 4, character: loc - text.lastIndexOf('\n', loc) - 1 }] },
      ] },
    };
  }

  it('keeps the entity totals right through an edit, a rename and a delete (exact numbers)', () => {
    const store = CorpusStore.open(path.join(dir, 'index.db'), FP);
    const per = () => { const e = store.entity('PER:周国平'); return e && [e.mentions, e.articles, e.first, e.last, e.confidence, e.roles]; };
    store.put(art('/c/a.txt', '2018-01-05T06:24', [0.9, 0.4], ['书记']), art('/c/b.txt', '2018-03-01T06:24', [0.5]), art('/c/u.txt', null, [undefined]));
    assert.deepEqual(per(), [4, 3, '2018-01-05T06:24', '2018-03-01T06:24', 1, ['书记']]);
    assert.deepEqual(store.totals(), { articles: 3, entities: 2, mentions: 7 });
    // edit: a.txt no longer names him; the first date and the roles came from it; u.txt's certain mention goes too
    store.put(art('/c/a.txt', '2018-01-05T06:24', []));
    store.put(art('/c/u.txt', null, [0.7]));
    assert.deepEqual(per(), [2, 2, '2018-03-01T06:24', '2018-03-01T06:24', 0.7, []]);
    assert.deepEqual(store.totals(), { articles: 3, entities: 2, mentions: 5 });
    store.rename('/c/b.txt', '/c/d.txt');
    assert.deepEqual(store.articles().map((a) => a.file), ['/c/a.txt', '/c/d.txt', '/c/u.txt']);
    assert.equal(store.analysis('/c/d.txt')?.path, '/c/d.txt');
    assert.equal(store.analysis('/c/b.txt'), undefined);
    assert.deepEqual(store.timeline('PER:周国平'), { months: [{ month: '2018-03', mentions: 1, articles: 1 }], undated: 1, undatedArticles: 1 });
    store.delete('/c/d.txt');
    assert.deepEqual(per(), [1, 1, undefined, undefined, 0.7, []]);
    store.delete('/c/u.txt');
    assert.equal(store.entity('PER:周国平'), undefined, 'an entity whose last mention goes is deleted');
    assert.equal(store.find('周国平'), undefined);
    assert.deepEqual(store.totals(), { articles: 1, entities: 1, mentions: 1 });
    store.close();
  });

  it('a reopened store answers as before, without any analysis', () => {
    const file = path.join(dir, 'index.db');
    const a = CorpusStore.open(file, FP);
    a.put(art('/c/a.txt', '2018-01-05T06:24', [0.9, 0.4]), art('/c/b.txt', '2018-03-01T06:24', [0.5]));
    const before = { totals: a.totals(), entities: a.entities(), analysis: a.analysis('/c/a.txt') };
    a.close();
    const b = CorpusStore.open(file, FP);
    assert.equal(b.rebuilt, undefined);
    assert.deepEqual({ totals: b.totals(), entities: b.entities(), analysis: b.analysis('/c/a.txt') }, before);
    b.close();
  });

  it('rebuilds a store of another fingerprint or of a newer schema, and says why', () => {
    const file = path.join(dir, 'index.db');
    const log: string[] = [];
    const a = CorpusStore.open(file, FP);
    a.put(art('/c/a.txt', null, [0.9]));
    a.close();
    const b = CorpusStore.open(file, FP.replace('model=1', 'model=2'), { log: (m) => log.push(m) });
    assert.deepEqual([b.totals().articles, b.rebuilt], [0, 'its analyses were made with another model, dictionary, segmenter or version']);
    b.put(art('/c/a.txt', null, [0.9]));
    b.close();
    const db = openDatabase(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const c = CorpusStore.open(file, FP, { log: (m) => log.push(m) });
    assert.deepEqual([c.totals().articles, c.rebuilt], [0, `its schema is newer than ${SCHEMA_VERSION}`]);
    assert.equal(log.length, 2);
    assert.match(log[0], /was replaced by an empty one: its analyses were made with another model/);
    c.close();
  });

  it('migrates an empty file to the current schema, one step per version', () => {
    const file = path.join(dir, 'index.db');
    CorpusStore.open(file, FP).close();
    const db = openDatabase(file);
    assert.equal(db.prepare('PRAGMA user_version').get()?.user_version, MIGRATIONS.length);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('articles', 'entities', 'occurrences', 'entity_aliases', 'meta', 'texts') ORDER BY name").all().map((r) => r.name),
      ['articles', 'entities', 'entity_aliases', 'meta', 'occurrences', 'texts']);
    db.close();
  });

  it('migrates a version 1 database to 3, keeping its articles: the full-text index then merges 64 segments at a time', () => {
    const file = path.join(dir, 'index.db');
    const a = CorpusStore.open(file, FP);
    a.put(art('/c/a.txt', '2018-01-05T06:24', [0.9, 0.4]), art('/c/b.txt', null, [0.5]));
    const before = { totals: a.totals(), entities: a.entities(), search: a.candidates('晋北市') };
    a.close();
    // what version 1 left: FTS5's default merge setting, 4
    const db = openDatabase(file);
    db.exec("INSERT INTO texts (texts, rank) VALUES ('automerge', 4); INSERT INTO texts (texts, rank) VALUES ('crisismerge', 16); PRAGMA user_version = 1");
    assert.equal(Number(db.prepare("SELECT v FROM texts_config WHERE k = 'automerge'").get()?.v), 4);
    db.close();
    const b = CorpusStore.open(file, FP);
    assert.equal(b.rebuilt, undefined);
    assert.deepEqual({ totals: b.totals(), entities: b.entities(), search: b.candidates('晋北市') }, before);
    b.close();
    const check = openDatabase(file);
    const setting = (k: string) => Number(check.prepare('SELECT v FROM texts_config WHERE k = ?').get(k)?.v);
    assert.deepEqual([check.prepare('PRAGMA user_version').get()?.user_version, setting('automerge'), setting('crisismerge')], [3, 64, 64]);
    check.close();
  });

  it('a long run of puts keeps the uncertain-mention index aside, answering the same, and builds it at the end (or at the next open)', () => {
    const file = path.join(dir, 'index.db');
    const indexed = (s: CorpusStore) => ({ n: Number((s as unknown as { db: SqlDatabase }).db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'occurrences_low'").get()?.n) });
    const plain = CorpusStore.open(path.join(dir, 'plain.db'), FP);
    const store = CorpusStore.open(file, FP);
    const first = [art('/c/a.txt', '2018-01-05T06:24', [0.9, 0.4]), art('/c/b.txt', '2018-03-01T06:24', [0.5])];
    const more = [art('/c/c.txt', null, [0.2, undefined]), art('/c/d.txt', '2018-04-01T06:24', [0.95])];
    plain.put(...first, ...more);
    store.put(...first);
    assert.deepEqual(indexed(store), { n: 1 });
    store.beginBulk();
    assert.deepEqual(indexed(store), { n: 0 });
    store.put(...more);
    for (const t of [0.3, 0.45, 0.6, 1]) assert.deepEqual(store.uncertainCounts(t), plain.uncertainCounts(t), `threshold ${t}, during the run`);
    assert.deepEqual(store.uncertainCounts(0.45), { '/c/a.txt': 1, '/c/c.txt': 1 });
    store.endBulk();
    assert.deepEqual(indexed(store), { n: 1 });
    for (const t of [0.3, 0.45, 0.6, 1]) assert.deepEqual(store.uncertainCounts(t), plain.uncertainCounts(t), `threshold ${t}, after it`);
    // a run that never ended (the process died): the next open builds the index
    store.beginBulk();
    store.close();
    const reopened = CorpusStore.open(file, FP);
    assert.deepEqual(indexed(reopened), { n: 1 });
    assert.deepEqual(reopened.uncertainCounts(0.6), plain.uncertainCounts(0.6));
    reopened.close();
    plain.close();
  });

  it('replaces a corrupt database file with an empty one and says so, without throwing', () => {
    const file = path.join(dir, 'index.db');
    fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));
    fs.mkdirSync(`${file}.lock`); // (left by a killed process: node-sqlite3-wasm's lock is a directory)
    const log: string[] = [];
    const store = CorpusStore.open(file, FP, { log: (m) => log.push(m) });
    assert.equal(log.length, 1);
    assert.match(log[0], /index\.db was replaced by an empty one: it could not be read \(file is not a database\)/);
    store.put(art('/c/a.txt', null, [0.9]));
    assert.equal(store.totals().articles, 1);
    store.close();
  });

  it('search: the trigram index, then indexOf in the text, equals indexOf over every file (1- and 2-character queries scan)', () => {
    const store = CorpusStore.open(path.join(dir, 'index.db'), FP);
    const corpus = Array.from({ length: 40 }, (_, i) => generateArticle(path.join(dir, 'corpus'), i, 3));
    for (const g of corpus) { write(g); store.put({ file: g.file, hash: 'h', mtime: 1, size: 1, analysis: g.analysis, text: g.text }); }
    // an open editor's unsaved text counts, and a file changed on disk since it was indexed is read as it is now
    const texts = { [corpus[0].file]: `${corpus[0].text}新增的东川大学校区` };
    fs.writeFileSync(corpus[1].file, corpus[1].text.replace(/晋北市/g, '南岭市'));
    const truth = (q: string) => corpus.map((g) => {
      const text = texts[g.file] ?? fs.readFileSync(g.file, 'utf8');
      const offsets: number[] = [];
      for (let at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + q.length)) offsets.push(at);
      return { file: g.file, offsets };
    }).filter((h) => h.offsets.length).sort((a, b) => (a.file < b.file ? -1 : 1));
    for (const q of ['晋北市', '东川大学', '主持会议', '南岭市', '东川大学校区', '会', '晋北', '，', '无此字串', '2018']) {
      const got = store.search(q, { texts });
      assert.deepEqual(got.hits, truth(q), q);
      assert.equal(got.method, [...q].length >= 3 ? 'fts' : 'scan', q);
      // the candidates alone (no article read): every article the search found is among them, in path order
      const named = store.candidates(q, texts);
      if ([...q].length < 3) { assert.equal(named, undefined, q); continue; }
      assert.deepEqual(named, [...named!].sort(), q);
      assert.ok(named!.includes(corpus[0].file), `${q}: an open editor's article is a candidate`);
      for (const h of got.hits) assert.ok(named!.includes(h.file), `${q}: ${h.file}`);
    }
    // named from the index, not read: an article deleted from disk is still named
    const held = store.candidates('晋北市')!;
    fs.rmSync(held[0]);
    assert.deepEqual(store.candidates('晋北市'), held);
    const limited = store.search('会议', { limit: 5 });
    assert.deepEqual([limited.truncated, limited.hits.reduce((n, h) => n + h.offsets.length, 0)], [true, 5]);
    store.close();
  });
});
