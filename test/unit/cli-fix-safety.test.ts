/**
 * check --fix on awkward real files, the CLI run as a separate process (bin/corpus-lens.js, so `npm run build`
 * first): the BOM, line ends, links, owner and mode stay; read-only and changed files are left alone; a kill,
 * a signal or a full disk leaves every file original or fully fixed. We run as root: owners are set with chown,
 * and read-only is a mode without write bits (root could write it anyway, so the CLI looks at the mode).
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applySafeFixes } from '../../src/core/rules';

const bin = path.resolve(__dirname, '../../bin/corpus-lens.js');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BAD = '标题\n\n2018-10-17 06:24\n\n  正文。\n';
const FIXED = '标题\n\n17.10.2018  06:24\n\n  正文。\n';
/** a fixable warning only: exit 0 when fixed, 1 when it stays */
const TRAILING = '标题\n\n17.10.2018  06:24 \n\n  正文。\n';

/** Runs the CLI with umask 022 (as a login shell has), synchronously. */
function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync('/bin/sh', ['-c', 'umask 022; exec "$0" "$@"', process.execPath, bin, ...args], { encoding: 'utf8', env });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Sample articles with their dateline broken (year first), each with the bytes a fix must give. */
function sampleArticles(): { broken: string; fixed: string }[] {
  const dir = path.resolve(__dirname, '../../sample/corpus');
  return fs.readdirSync(dir).filter((f) => /\.(txt|corpus)$/.test(f)).map((f) => {
    const broken = fs.readFileSync(path.join(dir, f), 'utf8').replace(/^(\d\d)\.(\d\d)\.(\d{4})  (\d\d:\d\d)$/m, '$3-$2-$1 $4');
    return { broken, fixed: applySafeFixes(broken).text };
  }).filter((a) => a.broken !== a.fixed);
}

const ourTemps = (dir: string) => fs.readdirSync(dir).filter((n) => /corpus-lens-fix|\.tmp$/.test(n));

/** A pid that surely is not running: that of a process that has just ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('check --fix writes safely (CLI as a child process)', function () {
  this.timeout(120000);
  let dir: string;
  const p = (name: string) => path.join(dir, name);
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-fixsafe-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a UTF-8 BOM: only the fixed bytes change', () => {
    fs.writeFileSync(p('a.txt'), Buffer.concat([BOM, Buffer.from(BAD)]));
    const r = cli(['check', '--fix', p('a.txt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readFileSync(p('a.txt')), Buffer.concat([BOM, Buffer.from(FIXED)]));
  });

  it('keeps CRLF line ends', () => {
    fs.writeFileSync(p('a.txt'), BAD.replace(/\n/g, '\r\n'));
    const r = cli(['check', '--fix', p('a.txt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readFileSync(p('a.txt')), Buffer.from(FIXED.replace(/\n/g, '\r\n')));
  });

  it('fixes the file a symbolic link points to and keeps the link', () => {
    fs.mkdirSync(p('real')); fs.mkdirSync(p('links'));
    fs.writeFileSync(p('real/a.txt'), BAD);
    fs.symlinkSync('../real/a.txt', p('links/a.txt'));
    const r = cli(['check', '--fix', p('links')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^fixed .*links\/a\.txt: dateline-format, dateline-separator$/m);
    assert.ok(fs.lstatSync(p('links/a.txt')).isSymbolicLink(), 'the link is still a link');
    assert.equal(fs.readlinkSync(p('links/a.txt')), '../real/a.txt');
    assert.equal(fs.readFileSync(p('real/a.txt'), 'utf8'), FIXED);
    assert.deepEqual(ourTemps(p('real')), []);
    assert.deepEqual(ourTemps(p('links')), []);
  });

  it('keeps hard links: the same inode, both names see the fix (written in place, BOM and CRLF kept too)', () => {
    const crlf = (t: string) => Buffer.concat([BOM, Buffer.from(t.replace(/\n/g, '\r\n'))]);
    fs.mkdirSync(p('one')); fs.mkdirSync(p('two'));
    fs.writeFileSync(p('one/a.txt'), crlf(BAD));
    fs.linkSync(p('one/a.txt'), p('two/b.txt'));
    const ino = fs.statSync(p('one/a.txt')).ino;
    const r = cli(['check', '--fix', p('one')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.statSync(p('one/a.txt')).ino, ino);
    assert.equal(fs.statSync(p('two/b.txt')).ino, ino);
    assert.equal(fs.statSync(p('one/a.txt')).nlink, 2);
    assert.deepEqual(fs.readFileSync(p('two/b.txt')), crlf(FIXED));
    assert.deepEqual(ourTemps(p('one')), []);
  });

  it('keeps the owner and group (chown 1234:1234, fixed by root)', () => {
    fs.writeFileSync(p('a.txt'), BAD);
    fs.chownSync(p('a.txt'), 1234, 1234);
    fs.chmodSync(p('a.txt'), 0o640);
    const r = cli(['check', '--fix', p('a.txt')]);
    assert.equal(r.code, 0, r.stderr);
    const st = fs.statSync(p('a.txt'));
    assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [1234, 1234, 0o640]);
    assert.equal(fs.readFileSync(p('a.txt'), 'utf8'), FIXED);
  });

  it('keeps mode 0664 and a setgid bit under umask 022, also in a setgid folder of another group', () => {
    fs.mkdirSync(p('shared'));
    fs.chownSync(p('shared'), 0, 4321);
    fs.chmodSync(p('shared'), 0o2775); // new files here get group 4321
    for (const [name, mode] of [['a.txt', 0o664], ['b.txt', 0o2664]] as const) {
      fs.writeFileSync(p(`shared/${name}`), BAD);
      fs.chownSync(p(`shared/${name}`), 0, 1234);
      fs.chmodSync(p(`shared/${name}`), mode);
    }
    const r = cli(['check', '--fix', p('shared')]);
    assert.equal(r.code, 0, r.stderr);
    for (const [name, mode] of [['a.txt', 0o664], ['b.txt', 0o2664]] as const) {
      const st = fs.statSync(p(`shared/${name}`));
      assert.equal((st.mode & 0o7777).toString(8), mode.toString(8), name);
      assert.equal(st.gid, 1234, name);
      assert.equal(fs.readFileSync(p(`shared/${name}`), 'utf8'), FIXED);
    }
  });

  it('reports a read-only (0444) file and leaves it alone; exit 1 as its findings stay', () => {
    fs.writeFileSync(p('a.txt'), TRAILING);
    fs.chmodSync(p('a.txt'), 0o444);
    const before = fs.statSync(p('a.txt'), { bigint: true });
    const r = cli(['check', '--fix', p('a.txt')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^corpus-lens check: ${p('a.txt')}: read-only \\(mode 0444\\); not fixed$`, 'm'));
    assert.doesNotMatch(r.stderr, /^fixed /m);
    assert.match(r.stdout, /dateline-trailing-space/, 'the finding is still reported');
    assert.equal(fs.readFileSync(p('a.txt'), 'utf8'), TRAILING);
    const after = fs.statSync(p('a.txt'), { bigint: true });
    assert.deepEqual([after.ino, after.mtimeNs, after.mode], [before.ino, before.mtimeNs, before.mode]);
  });

  // A file changed between the read and the write (appended to, rewritten at the same size with its mtime put
  // back, replaced by a rename) is tested on core/safeWrite directly (safeWrite.test.ts), where the change can be
  // made exactly in between; through the CLI, the test below has a writer that still holds the file open.

  it('leaves alone a file another process is still writing (20 paragraphs, 5 written when the fix runs)', async () => {
    fs.writeFileSync(p('a.txt'), BAD);
    const para = (i: number) => `  第${i}段。\n`;
    const first = [1, 2, 3, 4, 5].map(para).join(''), rest = Array.from({ length: 15 }, (_, i) => para(i + 6)).join('');
    // a writer that keeps the file open: it appends 5 paragraphs, says so, and writes the other 15 when told
    const script = `const fs = require('fs'); const fd = fs.openSync(process.argv[1], 'a'); fs.writeSync(fd, ${JSON.stringify(first)});
      process.stdout.write('ready\\n'); process.stdin.once('data', () => { fs.writeSync(fd, ${JSON.stringify(rest)}); fs.closeSync(fd); process.exit(0); });`;
    const writer = spawn(process.execPath, ['-e', script, p('a.txt')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const done = new Promise<number | null>((resolve) => writer.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()));
    const r = cli(['check', '--fix', p('a.txt')]);
    writer.stdin.write('go\n');
    assert.equal(await done, 0);
    assert.equal(fs.readFileSync(p('a.txt'), 'utf8'), BAD + first + rest, 'all 20 paragraphs are in the file');
    assert.match(r.stderr, new RegExp(`^corpus-lens check: ${p('a.txt')}: open for writing by another process \\(pid ${writer.pid}\\); not fixed, run again when it is complete$`, 'm'));
    assert.equal(r.code, 1);
  });

  it('after kill -9 during a fix of 2,000 files each is original or fully fixed; the next run cleans up', async () => {
    const samples = sampleArticles();
    const n = 2000;
    for (let i = 0; i < n; i++) fs.writeFileSync(p(`${String(i).padStart(5, '0')}.txt`), samples[i % samples.length].broken);
    const child = spawn(process.execPath, [bin, 'check', '--fix', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let seen = '';
    const killed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    child.stderr.setEncoding('utf8').on('data', (c) => { seen += c; if (/^fixed /m.test(seen)) child.kill('SIGKILL'); });
    assert.equal(await killed, 'SIGKILL');
    let fixed = 0;
    for (let i = 0; i < n; i++) {
      const text = fs.readFileSync(p(`${String(i).padStart(5, '0')}.txt`), 'utf8');
      const s = samples[i % samples.length];
      assert.ok(text === s.broken || text === s.fixed, `file ${i} is neither original nor fixed`);
      if (text === s.fixed) fixed++;
    }
    assert.ok(fixed >= 1 && fixed < n, `killed after ${fixed} of ${n} files were fixed`);
    // stale files of killed runs (this one's, if the kill left one, and planted ones), and one of a live process
    const dead = deadPid();
    fs.writeFileSync(p(`.00000.txt.corpus-lens-fix.${dead}.tmp`), 'half');
    fs.writeFileSync(p(`.00001.txt.${dead}.m1abcdef.tmp`), 'half'); // as writeFileAtomic named them
    const live = p(`.00002.txt.corpus-lens-fix.${process.pid}.tmp`);
    fs.writeFileSync(live, 'in use');
    const r = cli(['check', '--fix', dir]);
    const removed = r.stderr.split('\n').filter((l) => l.startsWith('corpus-lens check: removed '));
    assert.ok(removed.includes(`corpus-lens check: removed ${p(`.00000.txt.corpus-lens-fix.${dead}.tmp`)}, a temporary file left by an interrupted fix`), removed.join('\n'));
    assert.ok(removed.includes(`corpus-lens check: removed ${p(`.00001.txt.${dead}.m1abcdef.tmp`)}, a temporary file left by an interrupted fix`), removed.join('\n'));
    assert.deepEqual(ourTemps(dir), [path.basename(live)], 'only the live process\'s temporary file is left');
    for (let i = 0; i < n; i++) assert.equal(fs.readFileSync(p(`${String(i).padStart(5, '0')}.txt`), 'utf8'), samples[i % samples.length].fixed);
  });

  it('stops between files on SIGTERM: exit 143, no temporary file, each file original or fixed', async () => {
    const samples = sampleArticles();
    const n = 1000;
    for (let i = 0; i < n; i++) fs.writeFileSync(p(`${String(i).padStart(5, '0')}.txt`), samples[i % samples.length].broken);
    const child = spawn(process.execPath, [bin, 'check', '--fix', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let seen = '', sent = false;
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stderr.setEncoding('utf8').on('data', (c) => { seen += c; if (!sent && /^fixed /m.test(seen)) { sent = true; child.kill('SIGTERM'); } });
    assert.equal(await exited, 143);
    assert.match(seen, /^corpus-lens check: stopped by SIGTERM; \d+ files? not checked$/m);
    assert.deepEqual(ourTemps(dir), []);
    for (let i = 0; i < n; i++) {
      const text = fs.readFileSync(p(`${String(i).padStart(5, '0')}.txt`), 'utf8');
      assert.ok(text === samples[i % samples.length].broken || text === samples[i % samples.length].fixed, `file ${i}`);
    }
  });

  it('on a full disk leaves the original intact (renamed and in-place writes) and exits 2 with one line', function () {
    const mnt = p('small');
    fs.mkdirSync(mnt);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', mnt]);
    if (m.status !== 0) this.skip(); // needs root and mount rights (CI's root has them)
    try {
      const big = BAD + '  段落。\n'.repeat(2000); // ~24 KB
      fs.writeFileSync(path.join(mnt, 'a.txt'), big);
      fs.writeFileSync(path.join(mnt, 'b.txt'), big);
      fs.linkSync(path.join(mnt, 'b.txt'), path.join(mnt, 'b-link.txt')); // several links: written in place
      // fill the rest of the disk
      const fill = fs.openSync(path.join(mnt, 'filler'), 'w');
      try { for (;;) fs.writeSync(fill, Buffer.alloc(4096, 1)); } catch (e) { assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC'); }
      fs.closeSync(fill);
      const r = cli(['check', '--fix', path.join(mnt, 'a.txt'), path.join(mnt, 'b.txt')]);
      assert.equal(r.code, 2, r.stderr);
      for (const f of ['a.txt', 'b.txt']) {
        assert.match(r.stderr, new RegExp(`^corpus-lens check: ${path.join(mnt, f)}: cannot write the fix \\(ENOSPC\\); the file is as it was$`, 'm'));
        assert.equal(fs.readFileSync(path.join(mnt, f), 'utf8'), big);
      }
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      assert.deepEqual(ourTemps(mnt), []);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});
