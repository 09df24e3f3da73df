import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shardOf } from '../../src/cli/inputs';

// `corpus-lens extract --shard K/N` and `--files-from`, run as a separate process on real files, as a cluster's
// jobs would run it. Fictional names only.
const BIN = path.resolve(__dirname, '../../bin/corpus-lens.js');
const README = path.resolve(__dirname, '../../README.md');
const day = (i: number) => String((i % 28) + 1).padStart(2, '0');
// (every third with a dateline that check reports)
const article = (i: number) => `晋北市第${i}次座谈会\n\n${i % 3 ? `${day(i)}.10.2018  06:24` : `2018-10-${day(i)} 06:24`}\n\n  市委书记周国平在晋北市主持会议。华晋能源集团的王${'明亮'[i % 2]}出席。\n`;

/** The corpus: folders and names whose walk order is not their byte order (x/a/… is walked before x/a-c.txt). */
const NAMES = ['x/a/b.txt', 'x/a-c.txt', 'x/a b.txt', 'x/A.txt', 'y/深圳.txt', 'y/z/1.txt', 'y/z/10.txt', 'y/z/2.txt', 'top.corpus',
  ...Array.from({ length: 15 }, (_, i) => `many/${String(i).padStart(2, '0')}.txt`)];

function run(args: string[], opts: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', env: opts.env ?? process.env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** lines in the order `LC_ALL=C sort` puts them: by their UTF-8 bytes */
const byteSorted = (lines: string[]) => [...lines].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
const linesOf = (jsonl: string) => jsonl.split('\n').filter(Boolean);

describe('corpus-lens extract on more than one machine: --shard, --files-from', function () {
  this.timeout(180000);
  let dir: string;
  let whole: string; // one run over the whole corpus, JSON lines
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-shard-'));
    NAMES.forEach((n, i) => { fs.mkdirSync(path.dirname(path.join(dir, 'corpus', n)), { recursive: true }); fs.writeFileSync(path.join(dir, 'corpus', n), article(i)); });
    const r = run(['extract', 'corpus', '--format', 'jsonl'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    whole = r.stdout;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one run\'s JSON lines in the order of their paths, as LC_ALL=C sort orders them', () => {
    const lines = linesOf(whole);
    assert.equal(lines.length, NAMES.length);
    assert.deepEqual(lines, byteSorted(lines));
    // (the walk reaches x/a/b.txt before x/a-c.txt; by path, '-' comes before '/'; 'z' before 深)
    assert.deepEqual(lines.map((l) => JSON.parse(l).path), [...Array.from({ length: 15 }, (_, i) => `corpus/many/${String(i).padStart(2, '0')}.txt`),
      'corpus/top.corpus', 'corpus/x/A.txt', 'corpus/x/a b.txt', 'corpus/x/a-c.txt', 'corpus/x/a/b.txt', 'corpus/y/z/1.txt', 'corpus/y/z/10.txt', 'corpus/y/z/2.txt', 'corpus/y/深圳.txt']);
  });

  it('puts each file in exactly one of N shards, and the shards\' lines sorted are one run\'s lines byte for byte', () => {
    for (const n of [1, 3, 7]) {
      const shards = Array.from({ length: n }, (_, k) => run(['extract', 'corpus', '--format', 'jsonl', '--shard', `${k + 1}/${n}`], { cwd: dir }));
      for (const s of shards) assert.equal(s.code, 0, s.stderr);
      const paths = shards.flatMap((s) => linesOf(s.stdout).map((l) => JSON.parse(l).path as string));
      assert.deepEqual([...paths].sort(), NAMES.map((x) => `corpus/${x}`).sort(), `each file once over ${n} shards`);
      for (const s of shards) assert.deepEqual(linesOf(s.stdout), byteSorted(linesOf(s.stdout))); // (so sort -m merges them)
      assert.equal(byteSorted(shards.flatMap((s) => linesOf(s.stdout))).join('\n') + '\n', whole);
      if (n === 3) assert.ok(shards.every((s) => linesOf(s.stdout).length > 0), 'no shard of 3 is empty for 24 files');
    }
  });

  it('chooses a shard by the path below the input folder: a copy elsewhere, named another way, splits the same', () => {
    const copy = path.join(dir, 'elsewhere', 'copy');
    fs.cpSync(path.join(dir, 'corpus'), copy, { recursive: true });
    for (const k of [1, 2, 3]) {
      const here = run(['extract', 'corpus', '--format', 'jsonl', '--shard', `${k}/3`], { cwd: dir });
      const there = run(['extract', copy, '--format', 'jsonl', '--shard', `${k}/3`], { cwd: os.tmpdir() });
      // each output's paths, from its run's working folder to below its corpus folder
      const below = (out: string, cwd: string, root: string) => linesOf(out).map((l) => path.relative(root, path.resolve(cwd, JSON.parse(l).path)));
      assert.deepEqual(below(there.stdout, os.tmpdir(), copy), below(here.stdout, dir, path.join(dir, 'corpus')));
      assert.ok(linesOf(here.stdout).length > 0);
    }
    // the documented hash: 1 + (first four bytes of SHA-256 of the key, big-endian) mod N
    for (const key of ['x/a/b.txt', 'y/深圳.txt']) assert.equal(shardOf(key, 5), 1 + (createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) % 5));
  });

  it('reads --files-from - (stdin) and FILE: relative to the working folder, blank lines and CRLF ignored, the same lines as one run', () => {
    const list = NAMES.map((n) => `corpus/${n}`).reverse();
    const fromStdin = run(['extract', '--files-from', '-', '--format', 'jsonl'], { cwd: dir, input: '\n' + list.join('\r\n') + '\n\n  \n' });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, whole);
    fs.writeFileSync(path.join(dir, 'list.txt'), list.slice(0, 10).join('\n'));
    const fromFile = run(['extract', '--files-from', 'list.txt', ...list.slice(10), '--format', 'jsonl'], { cwd: dir });
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(fromFile.stdout, whole);
    // sharded, a listed file falls in the same shard as when it is named on the command line
    const listed = run(['extract', '--files-from', '-', '--format', 'jsonl', '--shard', '2/3'], { cwd: dir, input: list.join('\n') });
    const named = run(['extract', ...list, '--format', 'jsonl', '--shard', '2/3'], { cwd: dir });
    assert.equal(listed.stdout, named.stdout);
    assert.ok(linesOf(listed.stdout).length > 0 && linesOf(listed.stdout).length < NAMES.length);
  });

  it('reports a listed file that is missing as a missing argument is (exit 2, nothing analysed), a named pipe as skipped', () => {
    const missing = run(['extract', '--files-from', '-', '--format', 'jsonl'], { cwd: dir, input: 'corpus/top.corpus\ncorpus/gone.txt\n' });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'corpus-lens extract: cannot read "corpus/gone.txt": no such file or folder\n');
    assert.equal(missing.stdout, '');
    fs.mkdirSync(path.join(dir, 'odd'));
    assert.equal(spawnSync('mkfifo', [path.join(dir, 'odd', 'pipe.txt')]).status, 0);
    const pipe = run(['extract', '--files-from', '-', '--format', 'jsonl'], { cwd: dir, input: 'odd/pipe.txt\ncorpus/top.corpus\n' });
    assert.equal(pipe.code, 0, pipe.stderr);
    assert.match(pipe.stderr, /^corpus-lens extract: odd\/pipe\.txt: not a regular file \(a named pipe\); skipped\n1 article, 1 skipped: /);
    assert.equal(linesOf(pipe.stdout).length, 1);
    const bad = run(['extract', 'corpus', '--shard', '4/3'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'corpus-lens extract: --shard must be K/N with K from 1 to N (1/4 … 4/4), not "4/3"\n');
  });

  it('check takes --shard and --files-from too: the shards\' findings together are one run\'s', () => {
    const all = run(['check', 'corpus', '--format', 'json'], { cwd: dir });
    const parts = [1, 2].map((k) => run(['check', '--files-from', '-', '--format', 'json', '--shard', `${k}/2`], { cwd: dir, input: 'corpus\n' }));
    const key = (d: { path: string; code: string; range: { start: { line: number } } }) => `${d.path}:${d.range.start.line}:${d.code}`;
    const findings = (out: string) => (JSON.parse(out).diagnostics as Parameters<typeof key>[0][]).map(key);
    assert.equal(findings(all.stdout).length, 2 * 8); // (dateline-format and dateline-separator in 8 articles)
    assert.deepEqual(parts.flatMap((p) => findings(p.stdout)).sort(), findings(all.stdout).sort());
  });

  it('runs the README\'s GNU parallel recipe (Debian\'s parallel, local jobs): byte for byte one run\'s output', function () {
    const recipe = /<!-- parallel-recipe: run by test\/unit\/cli-shard\.test\.ts -->\n```sh\n([\s\S]*?)```/.exec(fs.readFileSync(README, 'utf8'))?.[1];
    assert.ok(recipe, 'the recipe in README.md');
    assert.equal(spawnSync('parallel', ['--version']).status, 0, 'GNU parallel is installed (scripts/setup.sh)');
    // `corpus-lens` on the PATH, as an installed checkout gives it
    const binDir = path.join(dir, 'bin');
    fs.mkdirSync(binDir, { recursive: true });
    fs.symlinkSync(BIN, path.join(binDir, 'corpus-lens'));
    const r = spawnSync('/bin/sh', ['-c', recipe], { cwd: dir, encoding: 'utf8', input: '', env: { ...process.env, PATH: `${binDir}:${process.env.PATH}` } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'entities.jsonl'), 'utf8'), whole);
  });
});
