import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { autoJobs } from '../../src/cli/pool';
import { runCli } from '../helpers/cli';

// Fictional names only (never the shared sample article's).
const ARTICLE = '晋北市召开座谈会\n\n17.10.2018  06:24\n\n  市委书记周国平在晋北市主持会议。周国平指出，华晋能源集团要做好工作。\n';

describe('corpus-lens extract', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-extract-'));
    fs.writeFileSync(path.join(dir, 'a.txt'), ARTICLE);
    fs.writeFileSync(path.join(dir, 'b.txt'), ARTICLE.replace(/\n/g, '\r\n').replace('晋北市召开', '𠮷晋北市召开'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints JSON whose offsets slice the file text (CRLF and astral characters included)', async () => {
    const r = await runCli(['extract', dir]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.documents.length, 2);
    for (const d of json.documents) {
      const text = fs.readFileSync(d.path, 'utf8');
      assert.deepEqual(Object.keys(d), ['path', 'title', 'dateline', 'entities']);
      assert.equal(d.dateline, '17.10.2018  06:24');
      const person = d.entities.find((e: any) => e.name === '周国平');
      assert.ok(person, `周国平 in ${d.entities.map((e: any) => e.name).join(', ')}`);
      assert.equal(person.type, 'PER');
      assert.deepEqual(person.roles, ['市委书记']);
      assert.equal(person.mentions.length, 2);
      for (const e of d.entities) for (const m of e.mentions) {
        assert.equal(text.slice(m.start, m.end), m.text);
        // every mention's confidence, in [0, 1] with at most 3 decimals
        assert.ok(m.confidence >= 0 && m.confidence <= 1 && Math.round(m.confidence * 1000) === m.confidence * 1000, `${m.text}: ${m.confidence}`);
        const lines = text.split(/\r\n|\n/);
        assert.equal(lines[m.line].slice(m.character, m.character + m.text.length), m.text);
      }
    }
  });

  it('--jobs 2 gives the same result as one thread (a .txt that is not article-shaped included)', async () => {
    fs.writeFileSync(path.join(dir, 'c.txt'), '晋北市的周国平说了一句话。\n');
    const one = await runCli(['extract', dir, '--format', 'jsonl']);
    const two = await runCli(['extract', dir, '--format', 'jsonl', '--jobs', '2']);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(two.stdout, one.stdout);
    assert.equal(one.stdout.trim().split('\n').length, 3);
    assert.equal(two.stderr, one.stderr);
  });

  it('writes brat standoff with --out and never overwrites without --force', async () => {
    const out = path.join(dir, 'out');
    const r = await runCli(['extract', path.join(dir, 'a.txt'), '--format', 'brat', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ['a.ann', 'a.txt', 'annotation.conf']);
    assert.equal(fs.readFileSync(path.join(out, 'a.txt'), 'utf8'), ARTICLE);
    const ann = fs.readFileSync(path.join(out, 'a.ann'), 'utf8');
    assert.match(ann, /^T\d+\tPER \d+ \d+\t周国平$/m);
    const again = await runCli(['extract', path.join(dir, 'a.txt'), '--format', 'brat', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /3 files already exist in .*out \(e\.g\. a\.txt\); nothing was written\. Use --force/);
    const forced = await runCli(['extract', path.join(dir, 'a.txt'), '--format', 'brat', '--out', out, '--force']);
    assert.equal(forced.code, 0);
  });

  it('writes a single-file format with --out as it goes, and never overwrites without --force (nothing analysed first)', async () => {
    const out = path.join(dir, 'out');
    const r = await runCli(['extract', dir, '--format', 'jsonl', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^2 articles: \d+ entities, \d+ mentions; wrote 1 file to /m);
    const lines = fs.readFileSync(path.join(out, 'entities.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => path.basename(l.path)), ['a.txt', 'b.txt']);
    fs.writeFileSync(path.join(out, 'entities.jsonl'), 'mine\n');
    const again = await runCli(['extract', dir, '--format', 'jsonl', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /1 file already exists in .*out \(e\.g\. entities\.jsonl\); nothing was written\. Use --force/);
    assert.doesNotMatch(again.stderr, /\d+ articles?:/); // refused before any analysis
    assert.equal(fs.readFileSync(path.join(out, 'entities.jsonl'), 'utf8'), 'mine\n');
    assert.deepEqual(fs.readdirSync(out), ['entities.jsonl']);
    const forced = await runCli(['extract', dir, '--format', 'jsonl', '--out', out, '--force', '--jobs', '2']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(fs.readFileSync(path.join(out, 'entities.jsonl'), 'utf8').trimEnd().split('\n').length, 2);
  });

  it('stops quietly when the reader closes the pipe early (`| head`)', async () => {
    // many batches (core/analysis BATCH is 32 articles), so that the run is still going when the reader closes
    for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(dir, `c${String(i).padStart(3, '0')}.txt`), ARTICLE);
    const bin = path.resolve(__dirname, '../../bin/corpus-lens.js');
    for (const jobs of ['1', '2']) {
      const child = spawn(process.execPath, [bin, 'extract', dir, '--format', 'jsonl', '--jobs', jobs], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      child.stdout.once('data', () => child.stdout.destroy()); // the reader has seen enough
      const code = await new Promise<number | null>((res) => child.on('close', res));
      assert.equal(code, 0, `--jobs ${jobs}: ${stderr}`);
      assert.equal(stderr, '', `--jobs ${jobs}`); // no stack trace, no summary of a run that did not finish
    }
    // the other commands too (bin/corpus-lens.js ends quietly on EPIPE)
    const tag = spawn(process.execPath, [bin, 'tag', '--jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let tagErr = '';
    tag.stderr.on('data', (c) => (tagErr += c));
    tag.stdout.once('data', () => tag.stdout.destroy());
    tag.stdin.on('error', () => undefined); // it may stop reading before we stop writing
    tag.stdin.end('市委书记周国平在晋北市主持会议。\n'.repeat(5000));
    assert.equal(await new Promise<number | null>((res) => tag.on('close', res)), 0, tagErr);
    assert.doesNotMatch(tagErr, /EPIPE|node:events/);
  });

  it('on Ctrl-C with the output redirected to a file, the run winds down: whole lines, exit 130', async () => {
    // (the interrupt no longer ends the process at once: a worker thread ended while it is inside nodejieba aborts
    // it, "terminate called after throwing an instance of 'Napi::Error'"; pool.test.ts checks that no batch is cut
    // short, this checks the command's side: exit 130 and whole lines)
    for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(dir, `c${String(i).padStart(4, '0')}.txt`), ARTICLE);
    const bin = path.resolve(__dirname, '../../bin/corpus-lens.js');
    const outFile = path.join(os.tmpdir(), `cl-sigint-${process.pid}.jsonl`);
    try {
      for (const jobs of ['1', '2']) {
        fs.writeFileSync(outFile, '');
        const fd = fs.openSync(outFile, 'w');
        const child = spawn(process.execPath, [bin, 'extract', dir, '--format', 'jsonl', '--jobs', jobs], { stdio: ['ignore', fd, 'pipe'] });
        fs.closeSync(fd);
        let stderr = '';
        child.stderr!.on('data', (c) => (stderr += c));
        // a few pieces of output (64K characters each) reach the file: every thread is busy, interrupt the run
        const watcher = fs.watch(outFile, () => { if (fs.statSync(outFile).size > 300_000) { watcher.close(); child.kill('SIGINT'); } });
        const [code, signal] = await new Promise<[number | null, string | null]>((res) => child.on('close', (c, sig) => res([c, sig])));
        watcher.close();
        assert.equal(signal, null, `--jobs ${jobs}: ended by ${signal}: ${stderr}`);
        assert.equal(code, 130, `--jobs ${jobs}: ${stderr}`);
        assert.doesNotMatch(stderr, /terminate called|Napi/);
        const lines = fs.readFileSync(outFile, 'utf8').split('\n').filter(Boolean);
        assert.ok(lines.length > 0 && lines.length < 3000, `--jobs ${jobs}: ${lines.length} lines`);
        for (const l of lines) assert.equal(JSON.parse(l).entities.some((e: { name: string }) => e.name === '周国平'), true);
      }
    } finally { fs.rmSync(outFile, { force: true }); }
  });

  it('writes CSV, TSV and CoNLL', async () => {
    for (const [fmt, check] of [
      ['csv', (s: string) => s.startsWith('\ufeffpath,dateline,entity,type,aliases,roles,mention,start,end,line,character,confidence\r\n')],
      ['tsv', (s: string) => s.split('\n')[0] === 'path\tdateline\tentity\ttype\taliases\troles\tmention\tstart\tend\tline\tcharacter\tconfidence'],
      ['conll', (s: string) => s.startsWith('-DOCSTART- O\n\n晋 ') && /^周 B-PER\n国 I-PER\n平 I-PER$/m.test(s)],
    ] as const) {
      const r = await runCli(['extract', path.join(dir, 'a.txt'), '--format', fmt]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(check(r.stdout), `${fmt}: ${r.stdout.slice(0, 200)}`);
    }
  });

  it('reads the corpus dictionary and reports a malformed line with its number', async () => {
    fs.mkdirSync(path.join(dir, '.corpus-lens'));
    fs.writeFileSync(path.join(dir, '.corpus-lens/dictionary.tsv'), '# names\n座谈会\tORG\nbroken line without type\n');
    fs.writeFileSync(path.join(dir, '.corpus-lens/not-entities.txt'), '周国平\n');
    const r = await runCli(['extract', path.join(dir, 'a.txt')]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /dictionary\.tsv:3: .*\(line skipped\)/);
    const names = JSON.parse(r.stdout).documents[0].entities.map((e: any) => `${e.type}:${e.name}`);
    assert.ok(names.includes('ORG:座谈会'), names.join(', '));
    assert.ok(!names.some((n: string) => n.endsWith(':周国平')), names.join(', '));
  });

  it('exits 2 on bad arguments with one clear line', async () => {
    assert.deepEqual(await runCli(['extract', dir, '--format', 'xml']), { code: 2, stdout: '', stderr: 'corpus-lens extract: --format must be one of json, jsonl, csv, tsv, conll, brat, not "xml"\n' });
    assert.deepEqual(await runCli(['extract', dir, '--format', 'brat']), { code: 2, stdout: '', stderr: 'corpus-lens extract: --format brat writes several files: give --out DIR\n' });
    assert.equal((await runCli(['extract', dir, '--jobs', '0'])).code, 2);
    assert.equal((await runCli(['extract', path.join(dir, 'missing')])).code, 2);
  });

  it('works with the WASM segmenter too', async () => {
    const r = await runCli(['extract', path.join(dir, 'a.txt'), '--segmenter', 'jieba-wasm']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).documents[0].entities.some((e: any) => e.name === '周国平' && e.type === 'PER'));
  });
});

describe('corpus-lens extract without --jobs', () => {
  it('takes one thread below 1,000 files, else one a core, at most four', () => {
    assert.deepEqual([1, 300, 999].map((n) => autoJobs(n, 2)), [1, 1, 1]);
    assert.deepEqual([1000, 10000].map((n) => autoJobs(n, 2)), [2, 2]);
    assert.equal(autoJobs(10000, 1), 1);
    assert.equal(autoJobs(10000, 16), 4);
  });
});
