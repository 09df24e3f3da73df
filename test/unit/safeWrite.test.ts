/**
 * core/safeWrite on real files: a change between readSnapshot and commitText (made by the test at exactly that
 * point) is never overwritten; writes in place keep hard links; a journal left by a killed in-place write is
 * resolved by the next run (cleanDir). The CLI's own tests are in cli-fix-safety.test.ts.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanDir, commitText, isTornWrite, readSnapshot } from '../../src/core/safeWrite';

const BAD = '标题\n\n2018-10-17 06:24\n\n  正文。\n';
const FIXED = '标题\n\n17.10.2018  06:24\n\n  正文。\n';

describe('safeWrite: commit only what was read', () => {
  let dir: string;
  const p = (name: string) => path.join(dir, name);
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-safewrite-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const leftovers = () => fs.readdirSync(dir).filter((n) => n.includes('corpus-lens-fix'));

  it('does not overwrite a file appended to after the snapshot (a file still being written)', () => {
    fs.writeFileSync(p('a.txt'), BAD);
    const snap = readSnapshot(p('a.txt'));
    fs.appendFileSync(p('a.txt'), '\n  第二段。\n');
    const r = commitText(snap, FIXED);
    assert.deepEqual(r, { ok: false, reason: 'changed', message: `changed since it was read (its size changed (${snap.size} → ${snap.size + BigInt(Buffer.byteLength('\n  第二段。\n'))} bytes)); not fixed, run again when it is complete` });
    assert.equal(fs.readFileSync(p('a.txt'), 'utf8'), BAD + '\n  第二段。\n');
    assert.deepEqual(leftovers(), []);
  });

  it('notices a change of the same size with the mtime put back, by the content hash', () => {
    fs.writeFileSync(p('a.txt'), BAD);
    fs.utimesSync(p('a.txt'), 1500000000, 1500000000); // whole seconds, which utimes can put back exactly
    const snap = readSnapshot(p('a.txt'));
    fs.writeFileSync(p('a.txt'), BAD.replace('正文', '改动'));
    fs.utimesSync(p('a.txt'), 1500000000, 1500000000);
    assert.equal(fs.statSync(p('a.txt'), { bigint: true }).mtimeNs, snap.mtimeNs);
    assert.deepEqual(commitText(snap, FIXED), { ok: false, reason: 'changed', message: 'changed since it was read (its content changed); not fixed, run again when it is complete' });
    assert.equal(fs.readFileSync(p('a.txt'), 'utf8'), BAD.replace('正文', '改动'));
  });

  it('does not overwrite a file replaced by another one (an editor\'s save) after the snapshot', () => {
    fs.writeFileSync(p('a.txt'), BAD);
    const snap = readSnapshot(p('a.txt'));
    fs.writeFileSync(p('new.txt'), BAD);
    fs.renameSync(p('new.txt'), p('a.txt'));
    assert.deepEqual(commitText(snap, FIXED), { ok: false, reason: 'changed', message: 'changed since it was read (it was replaced by another file); not fixed, run again when it is complete' });
  });

  it('writes a hard-linked file in place (same inode), and not if it changed after the snapshot', () => {
    fs.writeFileSync(p('a.txt'), BAD);
    fs.linkSync(p('a.txt'), p('b.txt'));
    const ino = fs.statSync(p('a.txt')).ino;
    assert.deepEqual(commitText(readSnapshot(p('a.txt')), FIXED), { ok: true, how: 'in-place' });
    assert.equal(fs.statSync(p('b.txt')).ino, ino);
    assert.equal(fs.readFileSync(p('b.txt'), 'utf8'), FIXED);
    const snap = readSnapshot(p('b.txt'));
    fs.appendFileSync(p('a.txt'), '  又一段。\n');
    assert.equal(commitText(snap, BAD).ok, false);
    assert.equal(fs.readFileSync(p('b.txt'), 'utf8'), FIXED + '  又一段。\n');
    assert.deepEqual(leftovers(), []);
  });

  it('writes in place when the owner cannot be given to a new file (not root): owner kept', function () {
    // a user who may write the file but not chown a new one to its owner; setpriv drops root for the child
    if (spawnSync('setpriv', ['--version']).status !== 0) this.skip();
    fs.chmodSync(dir, 0o777);
    fs.writeFileSync(p('a.txt'), BAD);
    fs.chownSync(p('a.txt'), 1234, 1234);
    fs.chmodSync(p('a.txt'), 0o666);
    const mod = path.resolve(__dirname, '../../src/core/safeWrite.ts');
    const script = `const s = require(${JSON.stringify(mod)}); process.stdout.write(JSON.stringify(s.commitText(s.readSnapshot(${JSON.stringify(p('a.txt'))}), ${JSON.stringify(FIXED)})));`;
    const r = spawnSync('setpriv', ['--reuid', '4321', '--regid', '4321', '--clear-groups', process.execPath, '--import', 'tsx', '-e', script],
      { encoding: 'utf8', cwd: path.resolve(__dirname, '../..') });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ok: true, how: 'in-place' });
    const st = fs.statSync(p('a.txt'));
    assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [1234, 1234, 0o666]);
    assert.equal(fs.readFileSync(p('a.txt'), 'utf8'), FIXED);
  });
});

describe('safeWrite: cleaning up after a killed run', () => {
  let dir: string;
  const p = (name: string) => path.join(dir, name);
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-safewrite-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dead = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  const journal = (orig: Buffer, data: Buffer) => Buffer.concat([Buffer.from(`corpus-lens-fix journal 1 ${orig.length} ${data.length}\n`), orig, data]);

  it('recognises exactly the states a killed in-place write leaves', () => {
    const orig = Buffer.from('abcdef'), grown = Buffer.from('ABCDEFGH'), shrunk = Buffer.from('ABC');
    assert.ok(isTornWrite(Buffer.from('ABcdef'), orig, shrunk)); // the head half-written
    assert.ok(isTornWrite(Buffer.from('ABCdef'), orig, shrunk)); // written, not yet truncated
    assert.ok(isTornWrite(Buffer.from('abcdefG'), orig, grown)); // the new tail half-written, first
    assert.ok(isTornWrite(Buffer.from('ABCdefGH'), orig, grown)); // the tail, then part of the head
    assert.ok(!isTornWrite(Buffer.from('abXdef'), orig, shrunk)); // a change of its own
    assert.ok(!isTornWrite(Buffer.from('abcdef!!'), orig, grown)); // something appended
    assert.ok(!isTornWrite(Buffer.from('ABcdEf'), orig, shrunk));
  });

  it('puts the original back after a half-done in-place write and removes the journal', () => {
    const orig = Buffer.from(BAD), data = Buffer.from(FIXED);
    const torn = Buffer.concat([data.subarray(0, 10), orig.subarray(10)]);
    fs.writeFileSync(p('a.txt'), torn);
    const pid = dead();
    fs.writeFileSync(p(`.a.txt.corpus-lens-fix.${pid}.journal`), journal(orig, data));
    assert.deepEqual(cleanDir(dir), [`${p('a.txt')}: restored the original from ${p(`.a.txt.corpus-lens-fix.${pid}.journal`)} (a fix was interrupted half-way)`]);
    assert.deepEqual(fs.readFileSync(p('a.txt')), orig);
    assert.deepEqual(fs.readdirSync(dir), ['a.txt']);
  });

  it('removes a journal whose file is fixed or original, keeps one whose file changed otherwise, and never touches a live process\'s (the test\'s parent)', () => {
    const orig = Buffer.from(BAD), data = Buffer.from(FIXED);
    const pid = dead();
    fs.writeFileSync(p('fixed.txt'), data);
    fs.writeFileSync(p(`.fixed.txt.corpus-lens-fix.${pid}.journal`), journal(orig, data));
    fs.writeFileSync(p('edited.txt'), BAD + '  用户后来写的。\n');
    fs.writeFileSync(p(`.edited.txt.corpus-lens-fix.${pid}.journal`), journal(orig, data));
    fs.writeFileSync(p('live.txt'), data.subarray(0, 5));
    fs.writeFileSync(p(`.live.txt.corpus-lens-fix.${process.ppid}.journal`), journal(orig, data));
    const notes = cleanDir(dir).sort();
    assert.deepEqual(notes, [
      `${p('edited.txt')}: an interrupted fix left its original in ${p(`.edited.txt.corpus-lens-fix.${pid}.journal`)}, but the file has changed since; compare them and remove the journal`,
      `removed ${p(`.fixed.txt.corpus-lens-fix.${pid}.journal`)}, the journal of an interrupted fix (the file was fixed)`,
    ]);
    assert.deepEqual(fs.readdirSync(dir).sort(), [`.edited.txt.corpus-lens-fix.${pid}.journal`, `.live.txt.corpus-lens-fix.${process.ppid}.journal`, 'edited.txt', 'fixed.txt', 'live.txt']);
    assert.equal(fs.readFileSync(p('edited.txt'), 'utf8'), BAD + '  用户后来写的。\n');
  });
});
