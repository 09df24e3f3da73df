import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { keywordTablesOff, loadSegmenter, nodeRsDictionary } from '../../src/core/segment/backends';
import { SEGMENTER_BACKENDS } from '../../src/core/segment/segmenter';
import { WordTags, jiebaRsSpecialTag, specialRuleTag } from '../../src/core/segment/wordTags';
import { splitChunks } from '../../src/core/ner/recogniser';
import { SETTINGS } from '../../src/core/settings';

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
const root = path.resolve(__dirname, '../..');
const sampleTexts = () => {
  const dir = path.join(root, 'sample/corpus');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
};
/** Text where the segmenters' rules differ: ASCII, digits, full-width forms, spaces, astral characters, CRLF. */
const ODD = ['云计算和区块链与蓝翔还有韩玉鉴赏', 'GDP增长6.5%，iPhone X售价8999元，A股3000点，COVID-19和5G。', '１２３ＡＢＣ　全角 and ascii 42', 'a-b_c.d+e#f&g%h 𠮷田 😀\r\n\t 2018年10月', '\n\r\n \u00a0'];

/** A require that gives @node-rs/jieba with its Jieba's tag and cut calls counted. */
function countingNodeRs() {
  const lib = require('@node-rs/jieba');
  const calls = { tag: 0, cut: 0 };
  const counting = Object.assign((id: string) => (id === '@node-rs/jieba'
    ? { Jieba: { withDict: (d: Uint8Array) => {
      const j = lib.Jieba.withDict(d);
      return { tag: (s: string, h: boolean) => { calls.tag++; return j.tag(s, h); }, cut: (s: string, h: boolean) => { calls.cut++; return j.cut(s, h); } };
    } } }
    : require(id)), { resolve: require.resolve }) as unknown as NodeRequire;
  return { counting, calls };
}

describe('segmenters', function () {
  this.timeout(30000);
  for (const backend of SEGMENTER_BACKENDS) {
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

  /** a require in which one module fails to load with this message, as a native module that was not built does */
  const failingFor = (module: string, message: string) => ((id: string) => {
    if (id === module) throw new Error(message);
    return require(id);
  }) as NodeRequire;

  it('falls back to jieba-wasm, and says why, when nodejieba cannot load', () => {
    const { segmenter, fallbackReason } = loadSegmenter('nodejieba', failingFor('nodejieba', 'Cannot find module \'../build/Release/nodejieba.node\'\nRequire stack: …'));
    assert.equal(segmenter.backend, 'jieba-wasm');
    assert.equal(fallbackReason, "nodejieba could not load (Cannot find module '../build/Release/nodejieba.node'); using jieba-wasm instead");
    assert.ok(segmenter.tag('晋北市').length > 0);
  });

  it('falls back to jieba-wasm, and says why, when @node-rs/jieba cannot load', () => {
    const { segmenter, fallbackReason } = loadSegmenter('@node-rs/jieba', failingFor('@node-rs/jieba', 'Cannot find native binding. npm has a bug related to optional dependencies\n…'));
    assert.equal(segmenter.backend, 'jieba-wasm');
    assert.equal(fallbackReason, '@node-rs/jieba could not load (Cannot find native binding. npm has a bug related to optional dependencies); using jieba-wasm instead');
  });

  it('the setting offers exactly the backends, nodejieba the default', () => {
    assert.deepEqual(SETTINGS.segmenter.enum, [...SEGMENTER_BACKENDS]);
    assert.equal(SETTINGS.segmenter.enumDescriptions?.length, SEGMENTER_BACKENDS.length);
    assert.equal(SETTINGS.segmenter.default, 'nodejieba');
  });

  it('@node-rs/jieba gives exactly the words and tags of jieba-wasm (both jieba-rs): sample corpus, its sentences, odd text', () => {
    const rs = loadSegmenter('@node-rs/jieba').segmenter, wasm = loadSegmenter('jieba-wasm').segmenter;
    assert.equal(rs.backend, '@node-rs/jieba');
    const texts = sampleTexts();
    const sentences = texts.flatMap((t) => splitChunks(t).map(([a, b]) => t.slice(a, b)));
    let words = 0;
    for (const t of [...texts, ...sentences, ...ODD, TEXT]) {
      const expected = wasm.tag(t);
      assert.deepEqual(rs.tag(t), expected, t);
      words += expected.length;
    }
    assert.ok(words > 6000, `${words}`);
    // the sentences of a batch, as the recogniser asks for them
    assert.deepEqual(rs.tagMany!(sentences), sentences.map((t) => wasm.tag(t)));
  });

  it('@node-rs/jieba loads from the files the VSIX ships: its dictionary without idf.txt (which its dict module reads too)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-node-rs-'));
    try {
      const from = path.dirname(require.resolve('@node-rs/jieba/package.json'));
      const to = path.join(tmp, 'node_modules/@node-rs/jieba');
      fs.mkdirSync(to, { recursive: true });
      // (.vscodeignore's allowlist for the package; its platform's binary package beside it, as npm put it)
      for (const f of ['package.json', 'index.js', 'dict.js', 'dict.txt', 'LICENSE']) fs.copyFileSync(path.join(from, f), path.join(to, f));
      for (const d of fs.readdirSync(path.dirname(from)).filter((d) => d.startsWith('jieba-'))) fs.symlinkSync(path.join(path.dirname(from), d), path.join(tmp, 'node_modules/@node-rs', d));
      const shipped = createRequire(path.join(tmp, 'extension.js'));
      assert.throws(() => shipped('@node-rs/jieba/dict'), /ENOENT.*idf\.txt/, 'the package\'s own dict module needs idf.txt');
      const { segmenter, fallbackReason } = loadSegmenter('@node-rs/jieba', shipped);
      assert.equal(fallbackReason, undefined);
      assert.equal(segmenter.backend, '@node-rs/jieba');
      assert.deepEqual(segmenter.tag('王建平在晋中市').map((t) => t.word).join('|'), loadSegmenter('@node-rs/jieba').segmenter.tag('王建平在晋中市').map((t) => t.word).join('|'));
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  });

  it('@node-rs/jieba: cut plus the JavaScript tag lookup gives exactly what its tag() gives, one cut per call or batch', () => {
    const viaTag = loadSegmenter('@node-rs/jieba', require, { tagLookup: false }).segmenter;
    const { counting, calls } = countingNodeRs();
    // (a fresh module registry entry: the counting library is another object, so it loads its own Jieba)
    const viaCut = loadSegmenter('@node-rs/jieba', counting).segmenter;
    const texts = [...sampleTexts(), ...ODD, TEXT];
    for (const t of texts) assert.deepEqual(viaCut.tag(t), viaTag.tag(t), t);
    assert.deepEqual(calls, { tag: 0, cut: texts.length });
    const tags = new Set(viaCut.tag('云计算和区块链与蓝翔，A股3000点，COVID-19').map((t) => `${t.word}/${t.tag}`));
    // the dictionary's tags (A股 is in jieba-rs's), else its rule: 蓝翔 x, 3000 m, COVID-19 eng
    for (const wt of ['和/c', 'A股/n', '蓝翔/x', '3000/m', 'COVID-19/eng']) assert.ok(tags.has(wt), `${wt} in ${[...tags].join(' ')}`);
    // tagMany: one cut for texts without a line break; a text with one, or ending in "\r" ("\r\n" is one word), alone
    const batch = ['甲乙。', 'A股 3000点', '𠮷田'];
    calls.cut = 0;
    assert.deepEqual(viaCut.tagMany!(batch), batch.map((t) => viaTag.tag(t)));
    assert.equal(calls.cut, 1);
    const awkward = ['甲乙\r', '丙\n丁', '戊'];
    calls.cut = 0;
    assert.deepEqual(viaCut.tagMany!(awkward), awkward.map((t) => viaTag.tag(t)));
    assert.equal(calls.cut, 3);
  });

  it('jieba-rs\'s dictionary is what WordTags reads as jieba-rs does: "word freq tag" lines, no word twice; its rule for other words', () => {
    const lines = nodeRsDictionary().toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const words = new Set<string>();
    for (const line of lines) {
      const f = line.split(' ');
      assert.ok(f.length === 3 && f[0] && /^\d+$/.test(f[1]) && f[2] && !line.includes('\r'), line);
      assert.ok(!words.has(f[0]), `twice: ${f[0]}`);
      words.add(f[0]);
    }
    assert.ok(words.size > 300000);
    assert.equal(jiebaRsSpecialTag('2018'), 'm');
    assert.equal(jiebaRsSpecialTag('A股'), 'eng');
    assert.equal(jiebaRsSpecialTag('12ab'), 'eng');   // every character counts (cppjieba: m)
    assert.equal(jiebaRsSpecialTag('，'), 'x');
    assert.equal(jiebaRsSpecialTag(' '), 'x');        // only letters and digits count (cppjieba: eng)
    assert.equal(jiebaRsSpecialTag('6.5%'), 'm');
    assert.equal(jiebaRsSpecialTag('１２３'), 'x');    // full-width digits are not ASCII
  });

  it('the command line takes @node-rs/jieba: extract (two threads) and tag find what jieba-wasm finds; an unknown backend is a usage error', function () {
    this.timeout(120000); // (four runs of the command, on a busy machine)
    const bin = path.join(root, 'bin/corpus-lens.js');
    const run = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input, cwd: root, maxBuffer: 1 << 26 });
    const corpus = path.join(root, 'sample/corpus');
    const rs = run(['extract', corpus, '--format', 'jsonl', '--segmenter', '@node-rs/jieba', '--jobs', '2']);
    const wasm = run(['extract', corpus, '--format', 'jsonl', '--segmenter', 'jieba-wasm', '--jobs', '1']);
    assert.equal(rs.status, 0, rs.stderr);
    assert.equal(wasm.status, 0, wasm.stderr);
    assert.equal(rs.stderr, wasm.stderr); // (the summary; no fallback)
    assert.match(rs.stderr, /^13 articles: \d+ entities, \d+ mentions\n$/);
    assert.equal(rs.stdout.split('\n').filter(Boolean).length, 13);
    assert.ok(rs.stdout.includes('"type":"PER"'));
    assert.equal(rs.stdout, wasm.stdout);
    const line = '省委书记周国平率团赴晋北市考察。\n';
    const tagRs = run(['tag', '--jsonl', '--backend', '@node-rs/jieba'], line), tagWasm = run(['tag', '--jsonl', '--backend', 'jieba-wasm'], line);
    assert.equal(tagRs.status, 0, tagRs.stderr);
    assert.equal(tagRs.stdout, tagWasm.stdout);
    const bad = run(['extract', corpus, '--segmenter', 'jieba']);
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /--segmenter must be nodejieba, @node-rs\/jieba or jieba-wasm, not "jieba"/);
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
