/**
 * The CLI's outputs (issue 15, cases 4, 6, 8, 9, 15), driven through bin/corpus-lens.js as a separate process on
 * real files: /dev/full and a small tmpfs for a full disk, file names with control characters, a pipe that the
 * test writes to line by line.
 */
import { strict as assert } from 'node:assert';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';

const BIN = path.resolve(__dirname, '../../bin/corpus-lens.js');
// Fictional names only (never the shared sample article's).
const ARTICLE = '晋北市召开座谈会\n\n17.10.2018  06:24\n\n  市委书记周国平在晋北市主持会议。周国平指出，华晋能源集团要做好工作。\n';
const BAD_DATELINE = '标题三\n\n2018-10-17 06:24\n\n  正文。\n';

type Stdio = 'pipe' | 'ignore' | number;
/** Runs the CLI as its own process; stdout to a file descriptor (a file, /dev/full) or captured. */
async function cli(args: string[], opts: { cwd?: string; stdout?: Stdio } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout?.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((res) => child.on('close', res));
  return { code, stdout, stderr };
}
/** cli() with stdout opened on a file (truncated) or a device. */
async function cliInto(file: string, args: string[], cwd?: string) {
  const fd = fs.openSync(file, 'w');
  try { return await cli(args, { cwd, stdout: fd }); } finally { fs.closeSync(fd); }
}

/** A small disk: a tmpfs of `size` mounted on a new folder (we run as root; mount needs it). */
function smallDisk(size: string): { dir: string; grow(to: string): void; remove(): void } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-disk-'));
  try { execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' }); } catch { fs.rmdirSync(dir); return undefined; }
  return {
    dir,
    grow: (to) => execFileSync('mount', ['-o', `remount,size=${to}`, dir]),
    remove: () => { execFileSync('umount', [dir]); fs.rmdirSync(dir); },
  };
}

describe('corpus-lens outputs', function () {
  this.timeout(180000); // (several runs that each load nodejieba, 3-4 s alone, much longer on a busy machine)
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-outputs-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const corpus = (n: number) => {
    const c = path.join(dir, 'corpus');
    fs.mkdirSync(c, { recursive: true });
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(c, `a${String(i).padStart(3, '0')}.txt`), ARTICLE);
    return c;
  };

  describe('case 4: a failed write ends the run with exit 2 and one line', () => {
    it('check > /dev/full', async () => {
      fs.writeFileSync(path.join(dir, 'bad.txt'), BAD_DATELINE);
      for (const format of ['text', 'json']) {
        const r = await cliInto('/dev/full', ['check', dir, '--format', format]);
        assert.deepEqual([r.code, r.stderr], [2, 'corpus-lens check: cannot write output: no space left on device (ENOSPC)\n'], format);
      }
    });

    it('extract > /dev/full (one thread and two; no summary)', async () => {
      const c = corpus(3);
      for (const jobs of ['1', '2']) for (const format of ['json', 'csv']) {
        const r = await cliInto('/dev/full', ['extract', c, '--format', format, '--jobs', jobs]);
        assert.deepEqual([r.code, r.stderr], [2, 'corpus-lens extract: cannot write output: no space left on device (ENOSPC)\n'], `${format} --jobs ${jobs}`);
      }
    });

    it('extract > file on a full disk (no short write taken for success), and --out DIR leaves no file', async function () {
      const disk = smallDisk('8k');
      if (!disk) this.skip(); // (mount needs root)
      try {
        // 23 KB of JSON lines, one write at the end (less than 64 K characters): the old stdout stream took the
        // 8 KB that fit for all of it and the run ended 0 with its summary
        const c = corpus(30);
        const r = await cliInto(path.join(disk!.dir, 'out.jsonl'), ['extract', c, '--format', 'jsonl']);
        assert.deepEqual([r.code, r.stderr], [2, 'corpus-lens extract: cannot write output: no space left on device (ENOSPC)\n']);
        fs.rmSync(path.join(disk!.dir, 'out.jsonl'));
        const out = path.join(disk!.dir, 'out');
        const o = await cli(['extract', c, '--format', 'jsonl', '--out', out]);
        assert.deepEqual([o.code, o.stderr], [2, `corpus-lens extract: cannot write output to ${out}/entities.jsonl: no space left on device (ENOSPC)\n`]);
        assert.deepEqual(fs.readdirSync(out), []); // no target, no temporary file
      } finally { disk?.remove(); }
    });

    it('brat on a full disk leaves the folder as it was, and the next run (with room) succeeds', async function () {
      const disk = smallDisk('64k');
      if (!disk) this.skip();
      try {
        const c = corpus(40); // 80 files of a page each on tmpfs: more than 64 KB
        const out = path.join(disk!.dir, 'brat');
        const r = await cli(['extract', c, '--format', 'brat', '--out', out]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /^corpus-lens extract: cannot write output to .*: no space left on device \(ENOSPC\)\n$/);
        assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
        disk!.grow('4m');
        const again = await cli(['extract', c, '--format', 'brat', '--out', out]);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(fs.readdirSync(out).length, 81);
      } finally { disk?.remove(); }
    });
  });

  describe('case 6: CSV and TSV cells that a spreadsheet would run as formulas', () => {
    it('prefix = + - @ with a single quote (CSV: and quote the cell)', async () => {
      const c = path.join(dir, 'c');
      fs.mkdirSync(c);
      for (const n of ['=1+2', '+cmd', '-x', '@sum']) fs.writeFileSync(path.join(c, `${n}.txt`), ARTICLE);
      const csv = await cli(['extract', '.', '--format', 'csv'], { cwd: c });
      assert.equal(csv.code, 0, csv.stderr);
      const firstCells = new Set(csv.stdout.split('\r\n').slice(1, -1).map((l) => l.split(',')[0]));
      assert.deepEqual([...firstCells].sort(), [`"'+cmd.txt"`, `"'-x.txt"`, `"'=1+2.txt"`, `"'@sum.txt"`]);
      const tsv = await cli(['extract', '.', '--format', 'tsv'], { cwd: c });
      assert.deepEqual([...new Set(tsv.stdout.split('\n').slice(1, -1).map((l) => l.split('\t')[0]))].sort(), [`'+cmd.txt`, `'-x.txt`, `'=1+2.txt`, `'@sum.txt`]);
      // a name from the dictionary
      fs.mkdirSync(path.join(c, '.corpus-lens'));
      fs.writeFileSync(path.join(c, '.corpus-lens/dictionary.tsv'), '-华晋能源集团\tORG\n');
      fs.writeFileSync(path.join(c, '=1+2.txt'), ARTICLE.replace('华晋能源集团', '-华晋能源集团'));
      const d = await cli(['extract', '=1+2.txt', '--format', 'csv'], { cwd: c });
      assert.match(d.stdout, /^"'=1\+2\.txt",17\.10\.2018  06:24,"'-华晋能源集团",ORG,,,"'-华晋能源集团",/m);
    });
  });

  describe('case 8: control characters in file names', () => {
    it('are escaped in text output and in messages, so no name forges a line', async () => {
      const forged = 'x\n::error file=x::forged\x1b[31m\u009b1m\u2028';
      fs.writeFileSync(path.join(dir, `${forged}.txt`), BAD_DATELINE);
      fs.writeFileSync(path.join(dir, `bin\r\u2028${forged}.txt`), Buffer.from([0, 1, 2]));
      const r = await cli(['check', '.'], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      const esc = 'x\\n::error file=x::forged\\x1b[31m\\x9b1m\\u2028';
      assert.deepEqual(r.stdout.split('\n').map((l) => l.split(':')[0]), [`${esc.split(':')[0]}`, `${esc.split(':')[0]}`, '']);
      assert.ok(r.stdout.startsWith(`${esc}.txt:3:1 error dateline-format `), r.stdout);
      assert.equal(r.stderr.split('\n')[0], `corpus-lens check: bin\\r\\u2028${esc}.txt: a binary file (it contains NUL bytes), not a text article; skipped`);
      assert.equal(r.stderr.split('\n').length, 3); // that line and the summary
      const x = await cli(['extract', '.', '--format', 'jsonl'], { cwd: dir });
      assert.equal(x.stderr.split('\n')[0], `corpus-lens extract: bin\\r\\u2028${esc}.txt: a binary file (it contains NUL bytes), not a text article; skipped`);
      assert.equal(JSON.parse(x.stdout.split('\n')[0]).path, `${forged}.txt`); // escaped as JSON, C1 and U+2028 too
      assert.ok(x.stdout.includes('"path":"x\\n::error file=x::forged\\u001b[31m\\u009b1m\\u2028.txt"'), x.stdout);
      assert.equal(x.stdout.split('\n').length, 2);
      const o = await cli(['extract', '.', '--out', `o\nut`], { cwd: dir });
      assert.match(o.stderr, /wrote 1 file to \S*o\\nut\n$/);
    });
  });

  describe('case 9: tag --jsonl streams', () => {
    const line = '市委书记周国平在晋北市主持会议。';
    const answer = (child: ChildProcess) => new Promise<string>((res) => {
      let buf = '';
      const on = (c: Buffer) => { buf += c; if (buf.includes('\n')) { child.stdout!.off('data', on); res(buf); } };
      child.stdout!.on('data', on);
    });
    it('answers each line while stdin is still open', async () => {
      const child = spawn(process.execPath, [BIN, 'tag', '--jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (c) => (stderr += c));
      const closed = new Promise<number | null>((res) => child.on('close', res));
      child.stdin!.write(line + '\n');
      assert.deepEqual(JSON.parse(await answer(child)).entities.map((e: { text: string }) => e.text), ['市委', '周国平', '晋北市']);
      child.stdin!.write(line.replace('周国平', '郑怀远') + '\n');
      assert.ok(JSON.parse(await answer(child)).entities.some((e: { text: string }) => e.text === '郑怀远'));
      child.stdin!.end();
      assert.equal(await closed, 0, stderr);
    });

    it('holds a batch at a time: 200,000 lines answered before stdin closes, in bounded memory', async () => {
      const child = spawn(process.execPath, [BIN, 'tag', '--jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const closed = new Promise<number | null>((res) => child.on('close', res));
      const peakMB = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
      child.stdin!.write(line + '\n');
      await answer(child); // (the model and the segmenter loaded: the memory that does not depend on the input)
      const base = peakMB();
      const N = 200_000;
      let answered = 0, partial = '';
      const all = new Promise<void>((res) => child.stdout!.on('data', (c: Buffer) => {
        const s = partial + c;
        const parts = s.split('\n');
        partial = parts.pop()!;
        answered += parts.length;
        if (answered === N) res();
      }));
      const chunk = (line + '\n').repeat(1000);
      for (let i = 0; i < N / 1000; i++) if (!child.stdin!.write(chunk)) await new Promise((r) => child.stdin!.once('drain', r));
      await all;
      const peak = peakMB();
      child.stdin!.end();
      assert.equal(await closed, 0);
      // measured: 385 MB after one line, 432 MB after 200,000 (the old tag, which read all of stdin first: 685 MB)
      assert.ok(peak - base < 150, `peak RSS ${base.toFixed(0)} MB after one line, ${peak.toFixed(0)} MB after ${N}`);
    });
  });

  describe('case 15: a file with a BOM', () => {
    it('offsets count from the text after the BOM (as VS Code does), and the help says so', async () => {
      const f = path.join(dir, 'bom.txt');
      fs.writeFileSync(f, '\ufeff' + ARTICLE);
      const content = fs.readFileSync(f, 'utf8');
      assert.equal(content[0], '\ufeff');
      const r = await cli(['extract', f]);
      assert.equal(r.code, 0, r.stderr);
      const mentions = JSON.parse(r.stdout).documents[0].entities.flatMap((e: { mentions: unknown[] }) => e.mentions);
      assert.ok(mentions.length >= 5);
      for (const m of mentions) assert.equal(content.slice(1).slice(m.start, m.end), m.text);
      assert.equal(content.slice(mentions[0].start, mentions[0].end) === mentions[0].text, false); // one character off with the BOM
      // brat: code points of the .txt copy, which is written without the BOM
      const out = path.join(dir, 'out');
      assert.equal((await cli(['extract', f, '--format', 'brat', '--out', out])).code, 0);
      const copy = fs.readFileSync(path.join(out, 'bom.txt'), 'utf8');
      assert.equal(copy, ARTICLE);
      for (const [, s, e, t] of fs.readFileSync(path.join(out, 'bom.ann'), 'utf8').matchAll(/^T\d+\t\w+ (\d+) (\d+)\t(.*)$/gm)) {
        assert.equal([...copy].slice(Number(s), Number(e)).join(''), t);
      }
      const help = (await runCli(['extract', '--help'])).stdout;
      assert.match(help, /after a byte order mark \(BOM\)/);
      const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
      assert.match(readme, /after a byte order mark \(BOM\)/);
    });
  });
});
