// Bad input, in the core and through the CLI: nothing throws, nothing hangs, every offset stays exact,
// and what cannot be read is reported with a clear reason.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseArticle } from '../../src/core/article';
import { decodeCorpusBytes } from '../../src/core/files';
import { checkArticle } from '../../src/core/rules';
import { createEngine } from '../../src/core/engine';
import { runCli } from '../helpers/cli';

const brief = (text: string) => checkArticle(text, { now: new Date(2026, 0, 1) }).map((d) => d.code);

describe('bad input: the core', () => {
  it('empty file, title only, no paragraphs, dateline only', () => {
    assert.deepEqual(brief(''), ['dateline-missing']);
    assert.deepEqual(brief('只有标题'), ['dateline-missing']);
    assert.deepEqual(brief('标题\n\n17.10.2018  06:24\n导语'), []);
    assert.deepEqual(brief('17.10.2018  06:24'), ['title-missing', 'dateline-position']);
  });

  it('CR-only and mixed line ends parse like LF', () => {
    for (const eol of ['\r', '\r\n']) {
      const text = ['标题', '', '17.10.2018  06:24', '导语', '', '  第一段。', '', '  第二段。'].join(eol);
      const a = parseArticle(text);
      assert.deepEqual([a.title?.text, a.dateline?.text, a.lead?.text, a.paragraphs.map((p) => p.text)], ['标题', '17.10.2018  06:24', '导语', ['  第一段。', '  第二段。']]);
      assert.equal(a.eol, eol);
    }
    const mixed = '标题\r\n\n17.10.2018  06:24\r导语\n\r\n  段。';
    const m = parseArticle(mixed);
    assert.deepEqual([m.dateline?.line, m.lead?.text, m.paragraphs.map((p) => mixed.slice(p.start, p.end))], [2, '导语', ['  段。']]);
    assert.deepEqual(brief(mixed), []);
  });

  it('names the encoding of GB18030, Big5 and UTF-16 files and never decodes them as garbage', () => {
    const gbk = decodeCorpusBytes(Buffer.from('bdfab1b1cad0d5d9bfaad7f9ccb8bbe1a3acd7f9ccb8bbe1', 'hex'), 'gbk.txt');
    const big5 = decodeCorpusBytes(Buffer.from('bb4fa55fa5aba56cb67dae79bdcdb77ca141a5abaaf8a544abf9b77cc4b3a143', 'hex'), 'big5.txt');
    const utf16 = decodeCorpusBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('晋北市召开座谈会', 'utf16le')]), 'u16.txt');
    assert.deepEqual([gbk.ok, !gbk.ok && gbk.encoding], [false, 'GB18030 (GBK)']);
    assert.deepEqual([big5.ok, !big5.ok && big5.encoding], [false, 'Big5']);
    assert.deepEqual([utf16.ok, !utf16.ok && utf16.encoding], [false, 'UTF-16 LE']);
    const bom = decodeCorpusBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('标题\n', 'utf8')]));
    assert.deepEqual(bom, { ok: true, text: '标题\n', bytes: 10 });
  });

  it('a 1 MB line without a line break is checked in bounded work', () => {
    const line = '晋北市召开座谈会，研究部署有关工作。'.repeat(20000);
    const ds = checkArticle(`标题\n\n17.10.2018  06:24\n\n  ${line}`);
    assert.deepEqual(ds.map((d) => d.code), []);
  });
});

describe('bad input: the recogniser on random Unicode', function () {
  this.timeout(120000);
  const engine = createEngine();
  const pieces = ['晋北市', '周国平', '𠮷', '😀', 'e\u0301', '\u00a0', '\u3000', '\r\n', '\n', '\r', '·', '市委书记', '华晋能源集团', '?', '\ufffd', '臺灣', '\ufeff', 'ABC'];
  const text = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 40 }).map((a) => a.join(''));

  it('never throws; every mention lies inside the text and slices to its text', () => {
    fc.assert(fc.property(text, (t) => {
      for (const e of engine.recogniser.analyse(t)) {
        for (const m of e.mentions) {
          assert.ok(0 <= m.start && m.start < m.end && m.end <= t.length, `${m.start}-${m.end} of ${t.length}`);
          assert.equal(t.slice(m.start, m.end), m.text);
          assert.ok(!/[\r\n]/.test(m.text));
        }
      }
    }), { numRuns: 300 });
  });
});

describe('bad input: the CLI', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bad-')); });
  afterEach(() => { fs.chmodSync(dir, 0o700); fs.rmSync(dir, { recursive: true, force: true }); });

  it('checks empty, title-only and dateline-only files without crashing', async () => {
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    fs.writeFileSync(path.join(dir, 'title.txt'), '只有标题');
    fs.writeFileSync(path.join(dir, 'dateline.txt'), '17.10.2018  06:24\n');
    const r = await runCli(['check', dir, '--format', 'json']);
    assert.equal(r.code, 1);
    const got = JSON.parse(r.stdout).diagnostics.map((d: any) => `${path.basename(d.path)} ${d.code}`);
    assert.deepEqual(got, ['dateline.txt title-missing', 'dateline.txt dateline-position', 'empty.txt dateline-missing', 'title.txt dateline-missing']);
    const x = await runCli(['extract', dir, '--format', 'jsonl']);
    assert.equal(x.code, 0, x.stderr);
    assert.equal(x.stdout.trim().split('\n').length, 3);
  });

  it('reports a file over --max-size and Big5 / UTF-16 files by path and encoding', async () => {
    fs.writeFileSync(path.join(dir, 'big.txt'), `标题\n\n17.10.2018  06:24\n\n  ${'字'.repeat(400000)}`);
    fs.writeFileSync(path.join(dir, 'big5.txt'), Buffer.from('bb4fa55fa5aba56cb67dae79bdcdb77ca141a5abaaf8a544abf9b77cc4b3a143', 'hex'));
    fs.writeFileSync(path.join(dir, 'u16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('晋北市召开座谈会', 'utf16le')]));
    const r = await runCli(['check', dir, '--max-size', '1', '--format', 'json']);
    assert.match(r.stderr, /big\.txt: 1\.1 MB is over the 1\.0 MB limit/);
    assert.match(r.stderr, /big5\.txt: not UTF-8; it looks like Big5/);
    assert.match(r.stderr, /u16\.txt: not UTF-8; it looks like UTF-16 LE/);
    const codes = JSON.parse(r.stdout).diagnostics.map((d: any) => `${path.basename(d.path)} ${d.code} ${d.severity}`);
    assert.deepEqual(codes, ['big.txt file-too-large information', 'big5.txt file-encoding error', 'u16.txt file-encoding error']);
    assert.equal(r.code, 1);
  });

  it('a write that fails (read-only folder) says so and leaves the previous export untouched', async function () {
    if (process.getuid?.() === 0) {
      // root ignores permission bits: make the target a directory instead, which no write can replace
      fs.writeFileSync(path.join(dir, 'a.txt'), '标题\n\n17.10.2018  06:24\n\n  市委书记周国平主持会议。');
      const out = path.join(dir, 'out');
      fs.mkdirSync(path.join(out, 'entities.json'), { recursive: true });
      const r = await runCli(['extract', path.join(dir, 'a.txt'), '--out', out, '--force']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^corpus-lens extract: cannot write output to .*out\/entities\.json: [a-z ]+ \((EISDIR|EPERM|ENOTEMPTY|EEXIST)\)\n$/);
      assert.ok(fs.statSync(path.join(out, 'entities.json')).isDirectory());
      assert.deepEqual(fs.readdirSync(out), ['entities.json'], 'no temporary file left behind');
      return;
    }
    fs.writeFileSync(path.join(dir, 'a.txt'), '标题\n\n17.10.2018  06:24\n\n  市委书记周国平主持会议。');
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'entities.json'), 'previous');
    fs.chmodSync(out, 0o500);
    const r = await runCli(['extract', path.join(dir, 'a.txt'), '--out', out, '--force']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write output to/);
    assert.equal(fs.readFileSync(path.join(out, 'entities.json'), 'utf8'), 'previous');
  });
});
