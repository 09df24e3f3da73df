import { strict as assert } from 'node:assert';
import { DocumentAnalysis, locateEntities } from '../../src/core/analysis';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AtomicFileWriter, FileExistsError } from '../../src/core/atomic';
import { streamExport, toBratAnn, toConll, toCsv, toJson, toJsonLines, toTsv } from '../../src/core/export/writers';

// A hand-made analysis (no model): an astral character before the names and CRLF line ends.
const text = '𠮷报\r\n\r\n17.10.2018  06:24\r\n\r\n  市长王小明在晋中市,会见"王小明"。';
const at = (s: string, from = 0) => text.indexOf(s, from);
const entities = locateEntities(text, [
  { name: '王小明', type: 'PER', aliases: [], roles: ['市长'], mentions: [
    { start: at('王小明'), end: at('王小明') + 3, type: 'PER', text: '王小明', confidence: 0.91234 },
    { start: at('王小明', at('王小明') + 1), end: at('王小明', at('王小明') + 1) + 3, type: 'PER', text: '王小明' }] },
  { name: '晋中市', type: 'LOC', aliases: [], roles: [], mentions: [{ start: at('晋中市'), end: at('晋中市') + 3, type: 'LOC', text: '晋中市' }] },
]);
const doc: DocumentAnalysis = { path: 'a/001.txt', title: '𠮷报', dateline: '17.10.2018  06:24', date: '2018-10-17T06:24', entities };

describe('export writers', () => {
  it('locates mentions by UTF-16 offset and line/character', () => {
    const m = entities[0].mentions[0];
    assert.equal(text.slice(m.start, m.end), '王小明');
    assert.deepEqual([m.start, m.line, m.character], [32, 4, 4]);
  });

  it('JSON has the documented shape and offsets that slice the text', () => {
    const j = JSON.parse(toJson([doc]));
    assert.deepEqual(Object.keys(j.documents[0]), ['path', 'title', 'dateline', 'entities']);
    assert.deepEqual(j.documents[0].entities[0], {
      name: '王小明', type: 'PER', aliases: [], roles: ['市长'],
      mentions: [{ start: 32, end: 35, text: '王小明', line: 4, character: 4, confidence: 0.912 }, { start: 43, end: 46, text: '王小明', line: 4, character: 15 }],
    });
    for (const e of j.documents[0].entities) for (const m of e.mentions) assert.equal(text.slice(m.start, m.end), m.text);
  });

  it('JSON lines: one document per line', () => {
    const out = toJsonLines([doc, { ...doc, path: 'b.txt' }]);
    assert.deepEqual(out.trimEnd().split('\n').map((l) => JSON.parse(l).path), ['a/001.txt', 'b.txt']);
  });

  it('CSV: RFC 4180 quoting, BOM, one row per mention, 1-based line and character', () => {
    const csv = toCsv([doc]);
    // the confidence last, rounded to 3 decimals (empty for a mention without one)
    assert.equal(csv, '\ufeffpath,dateline,entity,type,aliases,roles,mention,start,end,line,character,confidence\r\n' +
      'a/001.txt,17.10.2018  06:24,王小明,PER,,市长,王小明,32,35,5,5,0.912\r\n' +
      'a/001.txt,17.10.2018  06:24,王小明,PER,,市长,王小明,43,46,5,16,\r\n' +
      'a/001.txt,17.10.2018  06:24,晋中市,LOC,,,晋中市,36,39,5,9,\r\n');
    assert.ok(toCsv([{ ...doc, path: 'a,"b".txt' }]).split('\r\n')[1].startsWith('"a,""b"".txt",17.10.2018  06:24,王小明'));
  });

  it('TSV: tabs and newlines in fields become spaces', () => {
    const tsv = toTsv([{ ...doc, path: 'x\ty.txt' }]);
    assert.equal(tsv.split('\n')[1], 'x y.txt\t17.10.2018  06:24\t王小明\tPER\t\t市长\t王小明\t32\t35\t5\t5\t0.912');
  });

  it('CoNLL: one character per line with BIO tags, white space skipped, astral characters whole', () => {
    const lines = toConll([{ analysis: doc, text }]).split('\n');
    assert.deepEqual(lines.slice(0, 5), ['-DOCSTART- O', '', '𠮷 O', '报 O', '']);
    const body = lines.slice(lines.indexOf('市 O'));
    assert.deepEqual(body.slice(0, 9), ['市 O', '长 O', '王 B-PER', '小 I-PER', '明 I-PER', '在 O', '晋 B-LOC', '中 I-LOC', '市 I-LOC']);
  });

  it('brat: offsets in code points (the astral character counts once), notes with roles', () => {
    const ann = toBratAnn(doc, text);
    // 𠮷 is two UTF-16 units but one code point: brat offsets are one less than the UTF-16 ones
    assert.equal(ann, 'T1\tPER 31 34\t王小明\n#1\tAnnotatorNotes T1\troles: 市长\nT2\tLOC 35 38\t晋中市\nT3\tPER 42 45\t王小明\n#2\tAnnotatorNotes T3\troles: 市长\n');
    const cps = Array.from(text);
    assert.equal(cps.slice(31, 34).join(''), '王小明');
  });

  it('streams each format one document at a time, chunk for chunk the same as the whole export', () => {
    const other: DocumentAnalysis = { ...doc, path: 'b/002.txt', dateline: null, entities: [] };
    for (const docs of [[], [doc], [doc, other, doc]]) {
      const whole = { json: toJson(docs), jsonl: toJsonLines(docs), csv: toCsv(docs), tsv: toTsv(docs), conll: toConll(docs.map((analysis) => ({ analysis, text }))) };
      for (const format of ['json', 'jsonl', 'csv', 'tsv', 'conll'] as const) {
        const chunks: string[] = [];
        const s = streamExport(format, (c) => chunks.push(c));
        const afterEach: number[] = [];
        for (const d of docs) { s.add({ analysis: d, text }); afterEach.push(chunks.length); }
        s.end();
        assert.equal(chunks.join(''), whole[format], `${format} × ${docs.length}`);
        // something is written per document (nothing waits for the end) except for a document without mentions in the tables
        if (format === 'json' || format === 'jsonl' || format === 'conll') assert.deepEqual(afterEach, docs.map((_, i) => i + 1));
      }
      // JSON written in pieces is still the same JSON
      assert.deepEqual(JSON.parse(whole.json), { documents: docs.map(({ path: p, title, dateline, entities: e }) => ({ path: p, title, dateline, entities: e })) });
    }
  });

  it('writes a file in pieces that replaces the target only on commit, and refuses to overwrite when asked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-atomic-'));
    try {
      const target = path.join(dir, 'entities.jsonl');
      fs.writeFileSync(target, 'old\n');
      const w = new AtomicFileWriter(target);
      w.write('new 1\n'); w.write('new 2\n');
      assert.equal(fs.readFileSync(target, 'utf8'), 'old\n'); // untouched until commit
      w.commit();
      assert.equal(fs.readFileSync(target, 'utf8'), 'new 1\nnew 2\n');
      const aborted = new AtomicFileWriter(target);
      aborted.write('half');
      aborted.abort();
      assert.equal(fs.readFileSync(target, 'utf8'), 'new 1\nnew 2\n');
      assert.throws(() => new AtomicFileWriter(target, { overwrite: false }), FileExistsError);
      assert.throws(() => aborted.write('more'), /after commit or abort/);
      assert.deepEqual(fs.readdirSync(dir), ['entities.jsonl']); // no temporary file left behind
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
