import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { keywordTablesOff, loadSegmenter } from '../../src/core/segment/backends';
import { WordTags, specialRuleTag } from '../../src/core/segment/wordTags';
import { splitChunks } from '../../src/core/ner/recogniser';

/** A require that gives nodejieba with its tag and cut calls counted. */
function countingNodejieba() {
  const lib = require('nodejieba');
  const calls = { tag: 0, cut: 0 };
  const counting = ((id: string) => (id === 'nodejieba'
    ? { ...lib, tag: (s: string) => { calls.tag++; return lib.tag(s); }, cut: (s: string, h: boolean) => { calls.cut++; return lib.cut(s, h); } }
    : require(id))) as NodeRequire;
  return { counting, calls };
}

const TEXT = '𠮷田说：\u3000省委书记周国平率团赴晋北市考察。\r\n😀';

describe('segmenters', function () {
  this.timeout(30000);
  for (const backend of ['nodejieba', 'jieba-wasm'] as const) {
    it(`${backend}: words cover the text with exact UTF-16 offsets (astral, full-width space, CRLF, emoji)`, () => {
      const { segmenter, fallbackReason } = loadSegmenter(backend);
      assert.equal(segmenter.backend, backend);
      assert.equal(fallbackReason, undefined);
      const toks = segmenter.tag(TEXT);
      let pos = 0;
      for (const t of toks) {
        assert.equal(TEXT.slice(t.start, t.end), t.word);
        assert.ok(t.start >= pos, 'in order, no overlap');
        pos = t.end;
      }
      assert.equal(toks.map((t) => t.word).join(''), TEXT);
      assert.ok(toks.some((t) => t.word === '省委书记'));
      assert.ok(toks.some((t) => t.word === '𠮷'));
    });
  }

  it('falls back to jieba-wasm, and says why, when nodejieba cannot load', () => {
    const failing = ((id: string) => {
      if (id === 'nodejieba') throw new Error('Cannot find module \'../build/Release/nodejieba.node\'\nRequire stack: …');
      return require(id);
    }) as NodeRequire;
    const { segmenter, fallbackReason } = loadSegmenter('nodejieba', failing);
    assert.equal(segmenter.backend, 'jieba-wasm');
    assert.equal(fallbackReason, "nodejieba could not load (Cannot find module '../build/Release/nodejieba.node'); using jieba-wasm instead");
    assert.ok(segmenter.tag('晋北市').length > 0);
  });

  it('nodejieba: loaded once per thread, with its keyword extractors\' tables replaced by a valid one-line table', () => {
    const off = keywordTablesOff();
    assert.equal(off, path.resolve(__dirname, '../../models/jieba-keywords-off.utf8'));
    // what cppjieba's idf loader asserts (an empty table or a mean idf of 0 aborts the process)
    const lines = fs.readFileSync(off!, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 1);
    const [word, idf, ...rest] = lines[0].split(' ');
    assert.ok(word && Number(idf) > 0 && rest.length === 0, lines[0]);
    // in a fresh process, where nodejieba has loaded nothing yet: the table goes to the real load(), before the first
    // cut, and a second segmenter does not load again
    const script = [
      "const nj = require('nodejieba'); const calls = []; const load = nj.load, cut = nj.cut;",
      'nj.load = (d) => { calls.push({ load: d }); return load.call(nj, d); };',
      "nj.cut = (...a) => { calls.push('cut'); return cut.apply(nj, a); };",
      'const { loadSegmenter } = require(process.argv[1]);',
      "const a = loadSegmenter('nodejieba').segmenter.tag('省委书记周国平'), b = loadSegmenter('nodejieba').segmenter.tag('省委书记周国平');",
      'console.log(JSON.stringify({ calls, same: JSON.stringify(a) === JSON.stringify(b) }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, path.resolve(__dirname, '../../src/core/segment/backends.ts')], { encoding: 'utf8', cwd: path.resolve(__dirname, '../..') });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { calls: [{ load: { idfDict: off, stopWordDict: off } }, 'cut', 'cut'], same: true });
  });

  it('nodejieba: cut plus the JavaScript tag lookup gives exactly what nodejieba.tag gives (sample corpus, dictionary and user-dictionary words, ASCII, digits, astral, CRLF)', () => {
    const viaTag = loadSegmenter('nodejieba', require, { tagLookup: false }).segmenter;
    // the look-up path must really be taken: count the calls of each nodejieba function
    const { counting, calls } = countingNodejieba();
    const viaCut = loadSegmenter('nodejieba', counting).segmenter;
    const dir = path.join(__dirname, '../../sample/corpus');
    const texts = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    texts.push(TEXT, '云计算和区块链与蓝翔还有韩玉鉴赏', 'GDP增长6.5%，iPhone X售价8999元，A股3000点，COVID-19和5G。', '１２３ＡＢＣ　全角 and ascii 42');
    let words = 0;
    for (const t of texts) {
      const expected = viaTag.tag(t);
      assert.deepEqual(viaCut.tag(t), expected);
      words += expected.length;
    }
    assert.ok(words > 3000);
    assert.deepEqual(calls, { tag: 0, cut: texts.length });
    const tags = new Set(viaCut.tag('云计算和区块链与蓝翔，A股3000点').map((t) => `${t.word}/${t.tag}`));
    for (const wt of ['云计算/x', '区块链/nz', '蓝翔/nz', '和/c', '3000/m']) assert.ok(tags.has(wt), wt);
  });

  it('WordTags reads dictionaries as cppjieba does: a later line wins, user lines of one to four fields, spaces, CRLF as getline keeps or drops it; the special rule for unknown words', () => {
    const main = '甲乙 10 n\r\n丙丁 5 v\n甲乙 3 ns\n坏 行\n';
    const user = '丙丁\r\n戊己 nz\n庚辛 7 nt\n\n壬癸 1 nz x\n子丑 nz  \n寅卯 10\n';
    const posix = new WordTags(main, user, false);
    assert.equal(posix.tag('甲乙'), 'ns');          // the later main-dictionary line
    assert.equal(posix.tag('丙丁'), 'v');           // the user line defined "丙丁\r", not 丙丁
    assert.equal(posix.tag('丙丁\r'), 'eng');       // … in the dictionary without a tag: the special rule (\r is ASCII)
    assert.equal(posix.tag('戊己'), 'nz');          // "word tag"
    assert.equal(posix.tag('庚辛'), 'nt');          // "word freq tag"
    assert.equal(posix.tag('壬癸'), 'x');           // four fields: not added
    assert.equal(posix.tag('子丑'), 'x');           // "子丑 nz  ": three fields, the tag empty
    assert.equal(posix.tag('寅卯'), '10');          // two fields: the second is the tag, whatever it is
    assert.equal(posix.tag('坏'), 'x');             // a main line of two fields is not read
    assert.equal(posix.tag('甲'), 'x');             // not in the dictionary
    assert.equal(posix.tag('甲乙'), 'ns');          // again, from the recent-words cache
    assert.equal(posix.size, 7);                 // 甲乙 丙丁 丙丁\r 戊己 庚辛 子丑 寅卯
    const windows = new WordTags(main, user, true);
    assert.equal(windows.tag('丙丁'), 'x');         // text mode drops the \r: the user line without a tag wins
    assert.equal(windows.tag('甲乙'), 'ns');
    assert.equal(specialRuleTag('2018'), 'm');
    assert.equal(specialRuleTag('ABC'), 'eng');
    assert.equal(specialRuleTag('A股'), 'eng');
    assert.equal(specialRuleTag('12ab'), 'm');   // cppjieba stops counting once half the characters are ASCII
    assert.equal(specialRuleTag('𠮷田'), 'x');
  });

  it('WordTags\' recent-words cache gives the table\'s tags through evictions and hash-slot collisions (long words, special-rule words)', () => {
    let s = 17;
    const rnd = (k: number) => { s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff; return s % k; };
    const word = () => Array.from({ length: 1 + rnd(14) }, () => String.fromCharCode(0x4e00 + rnd(40))).join('');
    const tags = ['n', 'v', 'ns', 'nr', 'nt'];
    const dict = new Map<string, string>();
    while (dict.size < 40000) dict.set(word(), tags[rnd(tags.length)]);
    const wt = new WordTags([...dict].map(([w, t]) => `${w} 1 ${t}`).join('\n'), '', false);
    const queries = [...dict.keys(), 'A股', '2018', 'abc', '𠮷', '甲乙丙丁戊己庚辛壬癸子丑寅'];
    const expected = (w: string) => dict.get(w) ?? specialRuleTag(w);
    // 40,000 words over 16,384 slots: most queries evict another word; every answer is still the table's
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 60000; k++) { const w = queries[rnd(queries.length)]; assert.equal(wt.tag(w), expected(w), w); }
    }
    for (const w of queries) assert.equal(wt.tag(w), expected(w), w);
  });

  it('nodejieba: tagMany gives exactly tag() of each text, in one call (sample corpus sentences; a text holding a line break falls back)', () => {
    const { segmenter } = loadSegmenter('nodejieba');
    const dir = path.join(__dirname, '../../sample/corpus');
    const text = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');
    const sentences = splitChunks(text).map(([s, e]) => text.slice(s, e));
    sentences.push('𠮷田说：\u3000好。', 'A股 3000点，COVID-19。', '甲');
    assert.ok(sentences.length > 100);
    const { counting, calls } = countingNodejieba();
    const counted = loadSegmenter('nodejieba', counting).segmenter;
    const many = counted.tagMany!(sentences);
    assert.deepEqual(calls, { tag: 0, cut: 1 });
    assert.deepEqual(many, sentences.map((s) => segmenter.tag(s)));
    assert.deepEqual(counted.tagMany!(['甲乙', '丙\n丁']), [segmenter.tag('甲乙'), segmenter.tag('丙\n丁')]);
  });
});
