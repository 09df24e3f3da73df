import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULE_CODES, RULES } from '../../src/core/rules';
import { SETTINGS } from '../../src/core/settings';
import { runCli } from '../helpers/cli';

describe('corpus-lens check', () => {
  let dir: string;
  const write = (name: string, text: string | Buffer) => { fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true }); fs.writeFileSync(path.join(dir, name), text); };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-check-'));
    write('good/001.txt', '标题一\n\n17.10.2018  06:24\n导语\n\n  正文。');
    write('good/002.txt', '标题二\n\n18.10.2018 \u00a007:00\n\n  正文。\n');
    write('bad/003.txt', '标题三\n\n2018-10-17 06:24\n\n  正文。');
    write('bad/004.txt', '标题四\n\n１７.１０.２０１８  ０６:２４\n\n  正文。');
    write('bad/005.txt', '标题五\n\n29.02.2018  10:00\n\n  正文。');
    write('bad/006.txt', '标题六\n\n01/02/2018  06:24\n\n  正文。');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compares each dateline with the other files checked: dateline-out-of-order in numbered folders, dateline-out-of-range by year', async () => {
    // a folder of 120 numbered articles, one day apart from 1 March 1998; 013 is dated 2018 (out of range and out of
    // order; under 100 articles the range is the extremes themselves, so it would be its own range)
    const days = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(1998, 2, 1 + i)));
    const dl = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}  08:00`;
    for (let i = 0; i < 120; i++) {
      const d = i === 12 ? new Date(Date.UTC(2018, 9, 17)) : days[i];
      write(`seq/${String(i + 1).padStart(3, '0')}_a.txt`, `标题\n\n${dl(d)}\n\n  正文。\n`);
    }
    const r = await runCli(['check', path.join(dir, 'seq')]);
    assert.equal(r.code, 0, r.stderr);
    const f = path.join(dir, 'seq', '013_a.txt');
    assert.equal(r.stdout,
      `${f}:3:1 information dateline-out-of-range The dateline "17.10.2018  08:00" is dated 2018, outside the years of this corpus's datelines: 1998 (the 1st to 99th percentile of 120 dated articles).\n` +
      `${f}:3:1 information dateline-out-of-order The dateline "17.10.2018  08:00" (2018-10-17) breaks the order of the file numbers: 012_a.txt before it is dated 1998-03-12, 014_a.txt after it 1998-03-14.\n`);
    // a .corpus-lens.json switches them off like any rule
    write('seq/.corpus-lens.json', JSON.stringify({ rules: { 'dateline-out-of-range': 'off', 'dateline-out-of-order': 'off' } }));
    assert.equal((await runCli(['check', path.join(dir, 'seq')])).stdout, '');
  });

  it('prints path:line:column severity code message, 1-based, and exits 1 on errors', async () => {
    const r = await runCli(['check', path.join(dir, 'bad/003.txt')]);
    assert.equal(r.code, 1);
    const f = path.join(dir, 'bad/003.txt');
    assert.equal(r.stdout,
      `${f}:3:1 error dateline-format Date "2018-10-17" is written year-month-day with "-"; expected DD.MM.YYYY (17.10.2018).\n` +
      `${f}:3:11 error dateline-separator Date and time are separated by " " (U+0020); expected two spaces, or a space and a no-break space.\n`);
  });

  it('--help gives the defaults of the settings table and every rule with its default severity', async () => {
    const help = (await runCli(['check', '--help'])).stdout;
    assert.match(help, new RegExp(`--max-size MB .*\\(default ${SETTINGS.maxFileSizeMB.default}\\)`));
    assert.match(help, new RegExp(`--start-year YYYY .*\\(default ${SETTINGS['dateline.startYear'].default}\\)`));
    const listed = [...help.matchAll(/([a-z-]+) \((error|warning|information|hint)\)/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(listed, RULE_CODES.map((c) => [c, RULES[c].severity]));
  });

  it('reports nothing on well-formed articles and exits 0', async () => {
    const r = await runCli(['check', path.join(dir, 'good')]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /2 files checked: 0 errors/);
  });

  it('emits JSON with 0-based lines and UTF-16 characters, recursing into folders', async () => {
    const r = await runCli(['check', dir, '--format', 'json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    const codes = json.diagnostics.map((d: any) => `${path.basename(d.path)} ${d.code}`);
    assert.deepEqual(codes, ['003.txt dateline-format', '003.txt dateline-separator', '004.txt dateline-fullwidth-digits', '005.txt dateline-invalid-date', '006.txt dateline-format']);
    assert.deepEqual(json.diagnostics[2].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 17 } });
    assert.equal(json.diagnostics[2].severity, 'error');
  });

  it('--fix applies only the unambiguous fixes and says what it changed', async () => {
    const r = await runCli(['check', '--fix', path.join(dir, 'bad')]);
    assert.equal(fs.readFileSync(path.join(dir, 'bad/003.txt'), 'utf8'), '标题三\n\n17.10.2018  06:24\n\n  正文。');
    assert.equal(fs.readFileSync(path.join(dir, 'bad/004.txt'), 'utf8'), '标题四\n\n17.10.2018  06:24\n\n  正文。');
    assert.equal(fs.readFileSync(path.join(dir, 'bad/005.txt'), 'utf8'), '标题五\n\n29.02.2018  10:00\n\n  正文。');
    assert.equal(fs.readFileSync(path.join(dir, 'bad/006.txt'), 'utf8'), '标题六\n\n01/02/2018  06:24\n\n  正文。');
    assert.match(r.stderr, /fixed .*003\.txt: dateline-format, dateline-separator\n/);
    assert.match(r.stderr, /fixed .*004\.txt: dateline-fullwidth-digits\n/);
    assert.equal(r.code, 1, 'the unfixable errors remain');
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ')[2]), ['dateline-invalid-date', 'dateline-format']);
  });

  it('honours .corpus-lens.json: rules off for a folder and for one file', async () => {
    write('bad/.corpus-lens.json', JSON.stringify({ rules: { 'dateline-invalid-date': 'off' }, overrides: [{ files: ['006.txt'], rules: { 'dateline-format': 'warning' } }] }));
    const r = await runCli(['check', path.join(dir, 'bad'), '--format', 'json']);
    const got = JSON.parse(r.stdout).diagnostics.map((d: any) => `${path.basename(d.path)} ${d.code} ${d.severity}`);
    assert.deepEqual(got, ['003.txt dateline-format error', '003.txt dateline-separator error', '004.txt dateline-fullwidth-digits error', '006.txt dateline-format warning']);
  });

  it('exits 2 with a clear message for a missing path, a bad option or no path', async () => {
    const missing = await runCli(['check', path.join(dir, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^corpus-lens check: cannot read ".*nope": no such file or folder\n$/);
    const bad = await runCli(['check', '--format', 'xml', dir]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'corpus-lens check: --format must be text or json, not "xml"\n');
    const none = await runCli(['check']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no PATH given/);
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
  });

  it('writes the rule messages in Chinese when the locale is zh (LANG=zh_CN.UTF-8), in English for LANG=C (the installed CLI: bin/corpus-lens.js, after npm run build)', () => {
    const f = path.relative(os.tmpdir(), path.join(dir, 'bad/003.txt')); // (paths are shown relative to the working folder)
    const run = (LANG: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, LANG };
      delete env.LC_ALL; delete env.LC_MESSAGES;
      // from another folder: the bundle is found beside dist/cli.js, not under the working folder
      return spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/corpus-lens.js'), 'check', path.join(dir, 'bad/003.txt')], { encoding: 'utf8', env, cwd: os.tmpdir() });
    };
    const zh = run('zh_CN.UTF-8');
    assert.equal(zh.status, 1, zh.stderr);
    assert.equal(zh.stdout,
      `${f}:3:1 error dateline-format 日期“2018-10-17”按年-月-日的顺序书写，以“-”分隔；应为 DD.MM.YYYY（17.10.2018）。\n` +
      `${f}:3:11 error dateline-separator 日期与时间以“ ”（U+0020）分隔；应为两个空格，或一个空格加一个不换行空格。\n`);
    const en = run('C');
    assert.equal(en.status, 1, en.stderr);
    assert.equal(en.stdout,
      `${f}:3:1 error dateline-format Date "2018-10-17" is written year-month-day with "-"; expected DD.MM.YYYY (17.10.2018).\n` +
      `${f}:3:11 error dateline-separator Date and time are separated by " " (U+0020); expected two spaces, or a space and a no-break space.\n`);
  });

  it('reports binary and non-UTF-8 files by name and goes on', async () => {
    write('bad/bin.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
    write('bad/gbk.txt', Buffer.from('c9bdcef7cae1b5b3d5feb4fab1edcdc5', 'hex') /* Chinese text encoded as GBK */);
    const r = await runCli(['check', path.join(dir, 'bad')]);
    assert.match(r.stderr, /bin\.txt: a binary file \(it contains NUL bytes\), not a text article; skipped/);
    assert.match(r.stderr, /gbk\.txt: not UTF-8; it looks like GB18030 \(GBK\)/);
    assert.match(r.stderr, /6 files checked, 2 skipped/);
    const json = JSON.parse((await runCli(['check', path.join(dir, 'bad/gbk.txt'), '--format', 'json'])).stdout);
    assert.deepEqual(json.diagnostics.map((d: any) => [d.code, d.severity, d.range.start.line]), [['file-encoding', 'error', 0]]);
    assert.match(json.diagnostics[0].message, /^not UTF-8; it looks like GB18030 \(GBK\)/);
    // the file-level findings follow the locale too
    const zh = JSON.parse((await runCli(['check', path.join(dir, 'bad/gbk.txt'), '--format', 'json'], '', { LANG: 'zh_CN.UTF-8' })).stdout);
    assert.equal(zh.diagnostics[0].message, '不是 UTF-8，看起来是 GB18030 (GBK)。请将其转换为 UTF-8（例如 iconv -f GB18030 -t UTF-8），或以该编码重新打开；已跳过');
  });

  it('looks up .corpus-lens.json once per folder, not once per file per parent (counted in the CLI process)', () => {
    // 40 articles in each of four folders, a config two levels down and one in a folder with its own articles
    for (const sub of ['deep/a/b', 'deep/a', 'deep/c', 'deep']) for (let i = 0; i < 40; i++) write(`${sub}/${String(i).padStart(3, '0')}.txt`, '标题\n\n2018-10-17 06:24\n\n  正文。\n');
    write('deep/a/.corpus-lens.json', JSON.stringify({ rules: { 'dateline-format': 'off' } }));
    write('deep/a/b/.corpus-lens.json', JSON.stringify({ rules: { 'dateline-separator': 'warning' } }));
    // a preload that counts every stat of a .corpus-lens.json in the real CLI (bin/corpus-lens.js, after npm run build)
    const counter = path.join(dir, 'count-config-stats.cjs'), counts = path.join(dir, 'stats.txt');
    fs.writeFileSync(counter, `const fs = require('node:fs'); let n = 0; const stat = fs.statSync;
fs.statSync = function (p, ...rest) { if (String(p).endsWith('/.corpus-lens.json')) n++; return stat.call(this, p, ...rest); };
process.on('exit', () => fs.writeFileSync(${JSON.stringify(counts)}, String(n)));\n`);
    const r = spawnSync(process.execPath, ['--require', counter, path.resolve(__dirname, '../../bin/corpus-lens.js'), 'check', path.join(dir, 'deep'), '--format', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const codes = (sub: string) => [...new Set(JSON.parse(r.stdout).diagnostics.filter((d: any) => path.dirname(d.path) === path.join(dir, sub)).map((d: any) => `${d.code} ${d.severity}`))].sort();
    assert.deepEqual(codes('deep/a/b'), ['dateline-separator warning']); // (both configs apply, the nearest last)
    assert.deepEqual(codes('deep/a'), ['dateline-separator error']);
    assert.deepEqual(codes('deep/c'), ['dateline-format error', 'dateline-separator error']);
    // one look-up for each folder from deep/a/b up to / (each an article's folder or one of their parents), and
    // one more stat when each of the two configs is read
    const folders = new Set<string>();
    for (let d = path.join(dir, 'deep/a/b'); ; d = path.dirname(d)) { folders.add(d); if (path.dirname(d) === d) break; }
    folders.add(path.join(dir, 'deep/c'));
    assert.equal(Number(fs.readFileSync(counts, 'utf8')), folders.size + 2); // (160 articles: 1,000 and more before)
  });
});
