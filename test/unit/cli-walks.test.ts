// Folder walks and config files that must neither hang nor abort the CLI (issue 15, cases 7 and 11): named pipes,
// links to devices, link loops, dangling links, unreadable folders, names that are not UTF-8, and .corpus-lens.json
// files with pathological globs or sizes. The CLI runs as a separate process (bin/corpus-lens.js, needs dist/) with a
// kill timer: a run that hangs fails the test instead of hanging it.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = path.resolve(__dirname, '../../bin/corpus-lens.js');
const GOOD = '标题一\n\n17.10.2018  06:24\n\n  正文。\n';
const BAD = '标题二\n\n2018-10-17  06:24\n\n  正文。\n';
const DATE_FORMAT = 'Date "2018-10-17" is written year-month-day with "-"; expected DD.MM.YYYY (17.10.2018).';

interface Run { code: number | null; signal: NodeJS.Signals | null; killed: boolean; stdout: string; stderr: string }

/** Runs the CLI; after `limitMs` it is killed (killed: true), so a hang is a failure, not a hung test. */
function runBin(args: string[], opts: { limitMs?: number; asNobody?: boolean; cwd?: string } = {}): Promise<Run> {
  const [cmd, argv] = opts.asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...args]]
    : [process.execPath, [bin, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
    let stdout = '', stderr = '', killed = false;
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, opts.limitMs ?? 15000);
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, killed, stdout, stderr }); });
  });
}

describe('corpus-lens: folder walks that must not hang or abort', function () {
  this.timeout(40000);
  let dir: string;
  const p = (name: string) => path.join(dir, name);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-walk-'));
    fs.chmodSync(dir, 0o755); // (the unreadable-folder test runs the CLI as nobody)
    fs.writeFileSync(p('good.txt'), GOOD);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a named pipe called article.txt is skipped with one line by check and extract, which end by themselves', async () => {
    assert.equal(spawnSync('mkfifo', [p('article.txt')]).status, 0);
    const check = await runBin(['check', dir]);
    assert.equal(check.killed, false, 'check ended by itself');
    assert.equal(check.code, 0);
    assert.equal(check.stderr, `corpus-lens check: ${p('article.txt')}: not a regular file (a named pipe); skipped\n1 file checked, 1 skipped: 0 errors, 0 other findings\n`);
    const extract = await runBin(['extract', dir, '--format', 'jsonl', '--segmenter', 'jieba-wasm']);
    assert.equal(extract.killed, false, 'extract ended by itself');
    assert.equal(extract.code, 0);
    assert.match(extract.stderr, new RegExp(`^corpus-lens extract: ${escape(p('article.txt'))}: not a regular file \\(a named pipe\\); skipped\n`));
    assert.equal(extract.stdout.trim().split('\n').length, 1, 'good.txt is extracted');
    // named on the command line, it is skipped the same way (a FIFO is not an article)
    const named = await runBin(['check', p('article.txt'), p('good.txt')]);
    assert.deepEqual([named.killed, named.code], [false, 0]);
    assert.match(named.stderr, /article\.txt: not a regular file \(a named pipe\); skipped\n1 file checked, 1 skipped/);
  });

  it('a named pipe as the corpus dictionary (.corpus-lens/dictionary.tsv) is not read: extract ends by itself', async () => {
    fs.mkdirSync(p('.corpus-lens'));
    assert.equal(spawnSync('mkfifo', [p('.corpus-lens/dictionary.tsv')]).status, 0);
    const r = await runBin(['extract', dir, '--format', 'jsonl', '--segmenter', 'jieba-wasm']);
    assert.equal(r.killed, false, 'extract ended by itself');
    assert.deepEqual([r.code, r.stdout.trim().split('\n').length], [0, 1]);
  });

  it('a link to /dev/zero is skipped, not read', async () => {
    fs.symlinkSync('/dev/zero', p('zero.txt'));
    const r = await runBin(['check', dir], { limitMs: 10000 });
    assert.equal(r.killed, false, 'check ended by itself');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, `corpus-lens check: ${p('zero.txt')}: not a regular file (a character device); skipped\n1 file checked, 1 skipped: 0 errors, 0 other findings\n`);
  });

  it('two links to their own folder (ln -s . a; ln -s . b): each folder is walked once', async () => {
    fs.mkdirSync(p('sub'));
    fs.writeFileSync(p('sub/bad.txt'), BAD);
    fs.symlinkSync('.', p('sub/a'));
    fs.symlinkSync('.', p('sub/b'));
    fs.symlinkSync('sub', p('also-sub')); // a second way to the same folder
    const r = await runBin(['check', dir]);
    assert.equal(r.killed, false, 'check ended by itself');
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.split('\n').filter((l) => l.includes('bad.txt')).map((l) => l.split(':')[0]), [p('also-sub/bad.txt')], 'bad.txt checked once');
    assert.equal(r.stderr,
      `corpus-lens check: ${p('also-sub/a')}: the same folder as ${p('also-sub')}, already walked; skipped\n` +
      `corpus-lens check: ${p('also-sub/b')}: the same folder as ${p('also-sub')}, already walked; skipped\n` +
      `corpus-lens check: ${p('sub')}: the same folder as ${p('also-sub')}, already walked; skipped\n` +
      '2 files checked, 3 skipped: 1 error, 0 other findings\n');
  });

  it('a dangling link and a link to itself are skipped with one line each; the run goes on and exits by its findings', async () => {
    fs.symlinkSync('nowhere.txt', p('gone.txt'));
    fs.symlinkSync('self.txt', p('self.txt'));
    fs.writeFileSync(p('bad.txt'), BAD);
    const r = await runBin(['check', dir]);
    assert.equal(r.killed, false);
    assert.equal(r.code, 1, 'exit by the findings (bad.txt), not 2');
    assert.equal(r.stderr,
      `corpus-lens check: ${p('gone.txt')}: a symbolic link to nothing (nowhere.txt); skipped\n` +
      `corpus-lens check: ${p('self.txt')}: a symbolic link that loops (ELOOP); skipped\n` +
      '2 files checked, 2 skipped: 1 error, 0 other findings\n');
    const ok = await runBin(['check', p('good.txt'), p('gone.txt')]);
    assert.deepEqual([ok.code, ok.stderr], [2, `corpus-lens check: cannot read "${p('gone.txt')}": no such file or folder\n`], 'a path named on the command line that does not exist is still exit 2');
  });

  it('an unreadable folder (the CLI run as nobody) is reported in one line and the rest is checked', async function () {
    if (spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status !== 0) throw new Error('setpriv is needed to run the CLI as another user (we run as root, which reads any folder)');
    fs.mkdirSync(p('locked'));
    fs.writeFileSync(p('locked/hidden.txt'), BAD);
    fs.writeFileSync(p('bad.txt'), BAD);
    fs.chmodSync(p('locked'), 0o000);
    const check = await runBin(['check', dir], { asNobody: true });
    assert.equal(check.killed, false);
    assert.equal(check.stderr,
      `corpus-lens check: ${p('locked')}: cannot read the folder (EACCES); skipped\n` +
      '2 files checked, 1 skipped: 1 error, 0 other findings\n');
    assert.equal(check.stdout, `${p('bad.txt')}:3:1 error dateline-format ${DATE_FORMAT}\n`, 'bad.txt is checked');
    assert.equal(check.code, 2, 'check: a folder that cannot be read is exit 2, as a file that cannot be read, after the whole run');
    const extract = await runBin(['extract', dir, '--format', 'jsonl', '--segmenter', 'jieba-wasm'], { asNobody: true });
    assert.equal(extract.code, 0, 'extract: reported and skipped, as an unreadable file');
    assert.match(extract.stderr, new RegExp(`^corpus-lens extract: ${escape(p('locked'))}: cannot read the folder \\(EACCES\\); skipped\n`));
    assert.equal(extract.stdout.trim().split('\n').length, 2);
  });

  it('a file whose name is not valid UTF-8 is found and checked', async () => {
    const name = Buffer.concat([Buffer.from(dir + '/bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]);
    fs.writeFileSync(name, BAD);
    const r = await runBin(['check', dir, '--format', 'json']);
    assert.equal(r.killed, false);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const json = JSON.parse(r.stdout) as { diagnostics: { path: string; code: string }[] };
    // the name's bytes as lone surrogates U+DCFF U+DCFE (each invalid byte b as U+DC00 + b, as Python's surrogateescape)
    assert.deepEqual(json.diagnostics.map((d) => [path.basename(d.path), d.code]), [['bad-\udcff\udcfe.txt', 'dateline-format']]);
    const text = await runBin(['check', dir]);
    assert.match(text.stdout, /bad-\ufffd\ufffd\.txt:3:1 error dateline-format /);
    assert.match(text.stderr, /^2 files checked: 1 error,/);
  });
});

describe('corpus-lens check: .corpus-lens.json files that must not hang or abort the run', function () {
  this.timeout(40000);
  let dir: string;
  const p = (name: string) => path.join(dir, name);
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cfg-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = (overrides: unknown) => fs.writeFileSync(p('.corpus-lens.json'), JSON.stringify({ overrides }));

  it('a glob *a*a*a*a*a*a*a*b beside a long name of a\'s is matched in bounded time', async () => {
    fs.writeFileSync(p('a'.repeat(240) + '.txt'), BAD);
    config([{ files: ['*a*a*a*a*a*a*a*b'], rules: { 'dateline-format': 'off' } }, { files: ['*a*a*a*a*a*a*a*.txt'], rules: { 'dateline-format': 'warning' } }]);
    const t0 = Date.now();
    const r = await runBin(['check', dir, '--format', 'json']);
    console.log(`      (check with the glob on a 244-character name: ${Date.now() - t0} ms, process start included)`);
    assert.equal(r.killed, false, 'check ended by itself');
    assert.deepEqual(JSON.parse(r.stdout).diagnostics.map((d: { code: string; severity: string }) => [d.code, d.severity]), [['dateline-format', 'warning']], 'the first override does not match, the second does');
  });

  it('a glob of 90,001 characters is a config problem, not a crash', async () => {
    fs.writeFileSync(p('bad.txt'), BAD);
    config([{ files: ['a'.repeat(90001), 'b*.txt'], rules: { 'dateline-format': 'warning' } }]);
    const r = await runBin(['check', dir]);
    assert.equal(r.code, 0, 'the other glob of the override still applies');
    assert.equal(r.stderr,
      `corpus-lens check: ${p('.corpus-lens.json')}: overrides[0].files[0]: a glob of 90001 characters; at most 256 are allowed (glob ignored)\n` +
      '1 file checked: 0 errors, 1 other finding\n');
  });

  it('a config\'s problems are printed once, not once per article; a config over 1 MB is a problem, not parsed', async () => {
    for (const n of ['1', '2', '3']) fs.writeFileSync(p(`${n}.txt`), GOOD);
    fs.writeFileSync(p('.corpus-lens.json'), JSON.stringify({ rules: { 'no-such-rule': 'off' } }));
    const r = await runBin(['check', dir]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr.split('\n').filter((l) => l.includes('no-such-rule')).length, 1);
    fs.mkdirSync(p('big'));
    for (const n of ['1', '2', '3']) fs.writeFileSync(p(`big/${n}.txt`), BAD);
    fs.writeFileSync(p('big/.corpus-lens.json'), JSON.stringify({ rules: { 'dateline-format': 'off' }, padding: 'x'.repeat(20 * 1048576) }));
    const big = await runBin(['check', p('big')]);
    assert.equal(big.code, 1, 'the oversized config is not applied');
    // (the folder above's config applies to big/ too: its problem, once, then big's)
    assert.deepEqual(big.stderr.split('\n').filter((l) => l.includes('.corpus-lens.json')).map((l) => l.replace(/ \(known: .*\)$/, '')), [
      `corpus-lens check: ${p('.corpus-lens.json')}: rules: unknown rule "no-such-rule"`,
      `corpus-lens check: ${p('big/.corpus-lens.json')}: 20.0 MB is over the 1 MB limit for a config file; ignored`,
    ]);
  });
});

function escape(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
