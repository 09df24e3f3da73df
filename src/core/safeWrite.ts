/**
 * Rewriting a corpus file in place (check --fix) so that only the fixed bytes change: the BOM, line ends, mode,
 * owner, symbolic and hard links stay as they were, a read-only file is left alone, and a file that changed
 * since it was read is not overwritten.
 *
 * readSnapshot() reads a file's bytes and identity (the real file behind any symbolic link: device, inode, size,
 * mtime in ns, mode, owner, link count, SHA-256); commitText() writes new text over it only if all of that still
 * holds right before the write. Two ways to write:
 * - one link: a temporary file beside the real file gets the new bytes, the original's owner and mode (fchown
 *   first: chown clears setgid; fchmod is not subject to the umask), is fsynced, and is renamed over the file
 *   after a last check that the file is unchanged. A kill at any point leaves the original or the fixed file;
 *   at worst a temporary file, which the next run removes (cleanDir).
 * - several hard links (a rename would split them), or an owner we may not give the temporary file (not root):
 *   the file is written in place. A journal beside it (its original and new bytes, fsynced) is kept until the
 *   in-place write is fsynced, so a kill in between is undone by the next run: a file that is neither original
 *   nor fixed but is exactly a half-done write of this fix gets its original back; if it has changed any other
 *   way the journal is kept and named, never applied blindly.
 * A file another process has open for writing (a download, a scraper still writing it; seen in Linux's /proc)
 * is left alone too: that process would go on writing into the replaced file.
 * What remains: between the last check and the rename (or in-place write) there are microseconds in which
 * another program's write would still be lost; a writer on another machine (a network share) or another
 * user's (when not root) is not seen. Extended attributes and ACLs are not copied to the temporary file.
 * No vscode import: used by the CLI.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Our temporary files: `.NAME.corpus-lens-fix.PID.tmp` (a rename's new file), `.NAME.corpus-lens-fix.PID.journal`. */
const OURS = /^\.(.+)\.corpus-lens-fix\.(\d+)\.(tmp|journal)$/;
/** What writeFileAtomic (atomic.ts) left before check --fix used this module: `.NAME.PID.BASE36TIME.tmp`. */
const LEGACY = /^\.(.+)\.(\d{1,7})\.[0-9a-z]{8}\.tmp$/;
const JOURNAL_MAGIC = 'corpus-lens-fix journal 1';

export interface Snapshot {
  /** the path as given and the real file behind it (symbolic links resolved): the one that is written */
  file: string;
  real: string;
  bytes: Buffer;
  /** the file starts with a UTF-8 byte order mark (re-emitted by commitText; a TextDecoder drops it) */
  bom: boolean;
  dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint;
  mode: number; uid: number; gid: number; nlink: number;
  hash: string;
}

export type CommitResult =
  | { ok: true; how: 'renamed' | 'in-place' }
  | { ok: false; reason: 'read-only' | 'changed' | 'in-use' | 'failed'; message: string };

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Reads the real file behind `file` (bytes and identity through one descriptor, so both are of the same file). Throws if it cannot. */
export function readSnapshot(file: string): Snapshot {
  const real = fs.realpathSync(file);
  const fd = fs.openSync(real, 'r');
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'ENOTFILE' });
    const bytes = fs.readFileSync(fd);
    return {
      file, real, bytes, bom: bytes.subarray(0, 3).equals(UTF8_BOM),
      dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs,
      mode: Number(st.mode), uid: Number(st.uid), gid: Number(st.gid), nlink: Number(st.nlink), hash: sha256(bytes),
    };
  } finally { fs.closeSync(fd); }
}

/** The bytes commitText writes for `text`: UTF-8, with the BOM exactly when the original had one. */
export function encodeLike(snap: Snapshot, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return snap.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

/** How the file differs from the snapshot now (undefined: it does not). `fd`: look through an open descriptor. */
export function whatChanged(snap: Snapshot, fd?: number): string | undefined {
  let st: fs.BigIntStats;
  try { st = fd === undefined ? fs.lstatSync(snap.real, { bigint: true }) : fs.fstatSync(fd, { bigint: true }); } catch (e) {
    return errCode(e) === 'ENOENT' ? 'it was removed' : `it cannot be looked at (${errCode(e)})`;
  }
  if (!st.isFile() || st.dev !== snap.dev || st.ino !== snap.ino) return 'it was replaced by another file';
  if (st.size !== snap.size) return `its size changed (${snap.size} → ${st.size} bytes)`;
  if (st.mtimeNs !== snap.mtimeNs) return 'it was modified (its mtime changed)';
  if (Number(st.mode) !== snap.mode || Number(st.uid) !== snap.uid || Number(st.gid) !== snap.gid) return 'its mode or owner changed';
  if (Number(st.nlink) !== snap.nlink) return 'its number of hard links changed';
  // same size and mtime: the content still decides (a coarse mtime, or a write that restored it)
  let now: Buffer;
  try { now = fd === undefined ? fs.readFileSync(snap.real) : readAllAt(fd); } catch (e) { return `it cannot be read again (${errCode(e)})`; }
  if (sha256(now) !== snap.hash) return 'its content changed';
  return undefined;
}

function readAllAt(fd: number): Buffer {
  const size = Number(fs.fstatSync(fd).size);
  const buf = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    const n = fs.readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function writeAllAt(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, position + done);
}

/**
 * Why the file may not be written, if it may not: the write bits are looked at in the mode, not only by access():
 * root may write anything, but a 0444 file says "leave me".
 */
function whyReadOnly(snap: Snapshot): string | undefined {
  const mode = (snap.mode & 0o7777).toString(8).padStart(4, '0');
  if ((snap.mode & 0o222) === 0) return `read-only (mode ${mode})`;
  try { fs.accessSync(snap.real, fs.constants.W_OK); return undefined; } catch (e) {
    // EACCES: another user's file; EROFS: a read-only file system
    return `not writable (${errCode(e)}; mode ${mode}, owner ${snap.uid}:${snap.gid})`;
  }
}

function fsyncDir(dir: string): void {
  // makes a rename or a new journal durable; not every system can open a folder for that (then it is skipped)
  let fd: number | undefined;
  try { fd = fs.openSync(dir, 'r'); fs.fsyncSync(fd); } catch { /* best effort */ } finally { if (fd !== undefined) fs.closeSync(fd); }
}

class KeepInPlace extends Error {}
/** An in-place write failed and so did putting the original back: the journal keeps it for the next run. */
class JournalKept extends Error {}

/**
 * Writes `text` over the snapshot's file if it is unchanged. A read-only file, one that changed since the
 * snapshot or one another process has open for writing is left alone (reason and one-line message); a failed
 * write ('failed', e.g. a full disk) leaves the original as it was. `temps` receives the temporary files while
 * they exist (for a signal handler); `writers` says which files other processes have open for writing.
 */
export function commitText(snap: Snapshot, text: string, temps: Set<string> = new Set(), writers: () => Map<string, number> = openForWriting): CommitResult {
  const readOnly = whyReadOnly(snap);
  if (readOnly) return { ok: false, reason: 'read-only', message: `${readOnly}; not fixed` };
  // a program still writing the file would go on writing into the replaced file (or over the fix): its text lost
  const writer = writers().get(`${snap.dev}:${snap.ino}`);
  if (writer !== undefined) return { ok: false, reason: 'in-use', message: `open for writing by another process (pid ${writer}); not fixed, run again when it is complete` };
  const data = encodeLike(snap, text);
  const changed = whatChanged(snap);
  if (changed) return changedResult(changed);
  try {
    if (snap.nlink === 1) {
      try { return replaceByRename(snap, data, temps); } catch (e) { if (!(e instanceof KeepInPlace)) throw e; }
    }
    return writeInPlace(snap, data, temps);
  } catch (e) {
    if (e instanceof JournalKept) return { ok: false, reason: 'failed', message: e.message };
    return { ok: false, reason: 'failed', message: `cannot write the fix (${errCode(e)}); the file is as it was` };
  }
}

const changedResult = (how: string): CommitResult =>
  ({ ok: false, reason: 'changed', message: `changed since it was read (${how}); not fixed, run again when it is complete` });

function tempPath(real: string, kind: 'tmp' | 'journal'): string {
  return path.join(path.dirname(real), `.${path.basename(real)}.corpus-lens-fix.${process.pid}.${kind}`);
}

function replaceByRename(snap: Snapshot, data: Buffer, temps: Set<string>): CommitResult {
  const tmp = tempPath(snap.real, 'tmp');
  // 0600 until it has the original's owner and mode: nobody else reads a half-written copy
  const fd = fs.openSync(tmp, 'wx', 0o600);
  temps.add(tmp);
  let open = true;
  try {
    writeAllAt(fd, data, 0);
    const st = fs.fstatSync(fd);
    if (st.uid !== snap.uid || st.gid !== snap.gid) {
      try { fs.fchownSync(fd, snap.uid, snap.gid); } catch (e) {
        // not root (or not in the file's group): the new file cannot have the original's owner; write in place
        if (errCode(e) === 'EPERM') throw new KeepInPlace();
        throw e;
      }
    }
    fs.fchmodSync(fd, snap.mode & 0o7777); // after fchown, which clears setuid/setgid
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    open = false;
    const changed = whatChanged(snap);
    if (changed) return changedResult(changed);
    fs.renameSync(tmp, snap.real);
    temps.delete(tmp);
    // no fsync of the folder: a power cut can then only undo the rename (the file is the original again), and
    // it would double the cost of a fix (about 5 ms a file here)
    return { ok: true, how: 'renamed' };
  } finally {
    if (open) { try { fs.closeSync(fd); } catch { /* closed */ } }
    if (temps.has(tmp)) { try { fs.unlinkSync(tmp); } catch { /* gone */ } temps.delete(tmp); }
  }
}

function writeInPlace(snap: Snapshot, data: Buffer, temps: Set<string>): CommitResult {
  const journal = tempPath(snap.real, 'journal');
  const orig = snap.bytes;
  const header = Buffer.from(`${JOURNAL_MAGIC} ${orig.length} ${data.length}\n`);
  const jfd = fs.openSync(journal, 'wx', 0o600);
  temps.add(journal);
  let keepJournal = false;
  try {
    try { writeAllAt(jfd, Buffer.concat([header, orig, data]), 0); fs.fsyncSync(jfd); } finally { fs.closeSync(jfd); }
    fsyncDir(path.dirname(snap.real));
    const fd = fs.openSync(snap.real, 'r+');
    try {
      const changed = whatChanged(snap, fd);
      if (changed) return changedResult(changed);
      try {
        // the part beyond the old end first: if the disk is full, nothing of the original has been touched yet
        if (data.length > orig.length) writeAllAt(fd, data.subarray(orig.length), orig.length);
        writeAllAt(fd, data.subarray(0, Math.min(orig.length, data.length)), 0);
        fs.ftruncateSync(fd, data.length);
        fs.fsyncSync(fd);
      } catch (e) {
        // put the original back (the journal stays if even that fails: the next run restores it)
        try { writeAllAt(fd, orig, 0); fs.ftruncateSync(fd, orig.length); fs.fsyncSync(fd); } catch {
          keepJournal = true;
          throw new JournalKept(`cannot write the fix (${errCode(e)}) nor put the original back: it is kept in ${journal} (the next run restores it)`);
        }
        throw e;
      }
    } finally { fs.closeSync(fd); }
    return { ok: true, how: 'in-place' };
  } finally {
    if (!keepJournal) { try { fs.unlinkSync(journal); } catch { /* gone */ } temps.delete(journal); }
  }
}

/**
 * Regular files other processes have open for writing, "dev:ino" → pid, from Linux's /proc (a process's open
 * files and their flags; as root all processes, else one's own). Elsewhere nothing is known (an empty map).
 */
export function openForWriting(): Map<string, number> {
  const open = new Map<string, number>();
  let pids: string[];
  try { pids = fs.readdirSync('/proc'); } catch { return open; }
  for (const pid of pids) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let fds: string[];
    try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { continue; } // gone, or another user's
    for (const fd of fds) {
      try {
        const st = fs.statSync(`/proc/${pid}/fd/${fd}`, { bigint: true });
        if (!st.isFile()) continue;
        const flags = /^flags:\s+([0-7]+)/m.exec(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1'));
        if (flags && (parseInt(flags[1], 8) & 3) !== 0) open.set(`${st.dev}:${st.ino}`, Number(pid)); // O_WRONLY or O_RDWR
      } catch { /* closed meanwhile */ }
    }
  }
  return open;
}

function processAlive(pid: number): boolean {
  // cleanDir runs before this process writes anything: a file with its pid is a dead namesake's (a reused pid)
  if (pid === process.pid) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return errCode(e) === 'EPERM'; }
}

/** A file that is exactly what a killed in-place write of `data` over `orig` can leave: new bytes up to some point, the old after it. */
export function isTornWrite(now: Buffer, orig: Buffer, data: Buffer): boolean {
  if (now.length > orig.length) {
    // the part beyond the old end is written first (killed during it: the original and some of that part)…
    if (!now.subarray(orig.length).equals(data.subarray(orig.length, now.length))) return false;
    if (now.length < data.length) return now.subarray(0, orig.length).equals(orig);
  } else if (now.length !== orig.length) return false;
  const head = Math.min(orig.length, data.length);
  let p = 0; // new bytes from the start…
  while (p < head && now[p] === data[p]) p++;
  let s = head; // …and the old ones after that
  while (s > 0 && now[s - 1] === orig[s - 1]) s--;
  return s <= p && (now.length <= orig.length ? now.subarray(head).equals(orig.subarray(head)) : true);
}

/**
 * Cleans up after an earlier run that was killed in `dir`: its temporary files are removed (they never replaced
 * anything), and a journal of an in-place write is resolved (the file original or fixed: the journal goes; a
 * half-done write: the original is put back). Files of a process that is still running are left alone. Call it
 * before this process writes in `dir` (a file named with its own pid is taken for a dead namesake's).
 * Returns one message per thing done or left.
 */
export function cleanDir(dir: string): string[] {
  const notes: string[] = [];
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return notes; }
  for (const name of names) {
    const m = OURS.exec(name);
    const legacy = !m ? LEGACY.exec(name) : null;
    if (!m && !legacy) continue;
    const [, base, pid] = (m ?? legacy)!;
    if (processAlive(Number(pid))) continue;
    const full = path.join(dir, name);
    const target = path.join(dir, base);
    try {
      if (legacy) {
        // an old writeFileAtomic temporary file: only beside the file it was to replace
        if (!fs.existsSync(target)) continue;
        fs.unlinkSync(full);
        notes.push(`removed ${full}, a temporary file left by an interrupted fix`);
      } else if (m![3] === 'tmp') {
        fs.unlinkSync(full);
        notes.push(`removed ${full}, a temporary file left by an interrupted fix`);
      } else {
        notes.push(resolveJournal(full, target));
      }
    } catch (e) {
      notes.push(`cannot clean up ${full} (${errCode(e)})`);
    }
  }
  return notes;
}

function resolveJournal(journal: string, target: string): string {
  const j = fs.readFileSync(journal);
  const nl = j.indexOf(0x0a);
  const head = /^corpus-lens-fix journal 1 (\d+) (\d+)$/.exec(j.subarray(0, nl).toString('latin1'));
  if (nl < 0 || !head || j.length !== nl + 1 + Number(head[1]) + Number(head[2])) {
    fs.unlinkSync(journal); // written only partly: the in-place write had not begun
    return `removed ${journal}, an incomplete journal of an interrupted fix`;
  }
  const orig = j.subarray(nl + 1, nl + 1 + Number(head[1]));
  const data = j.subarray(nl + 1 + Number(head[1]));
  let now: Buffer;
  try { now = fs.readFileSync(target); } catch (e) {
    return `${target}: an interrupted fix left its original in ${journal}, and the file cannot be read (${errCode(e)}); both left as they are`;
  }
  if (now.equals(orig) || now.equals(data)) {
    fs.unlinkSync(journal);
    return `removed ${journal}, the journal of an interrupted fix (the file was ${now.equals(orig) ? 'original' : 'fixed'})`;
  }
  if (isTornWrite(now, orig, data)) {
    const fd = fs.openSync(target, 'r+');
    try { writeAllAt(fd, orig, 0); fs.ftruncateSync(fd, orig.length); fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
    fs.unlinkSync(journal);
    return `${target}: restored the original from ${journal} (a fix was interrupted half-way)`;
  }
  return `${target}: an interrupted fix left its original in ${journal}, but the file has changed since; compare them and remove the journal`;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * One `check --fix` run: cleans up after killed runs in the folders of its files, and turns SIGINT, SIGTERM and
 * SIGHUP into a stop between files. The writes are synchronous, so a handler can only run at pause(), where no
 * temporary file of this run exists; the handler still removes any (belt and braces) before the run ends.
 */
export class FixRun {
  readonly temps = new Set<string>();
  stopped: NodeJS.Signals | undefined;
  private readonly onSignal = (sig: NodeJS.Signals) => { this.stopped ??= sig; this.removeTemps(); };
  constructor() { for (const s of SIGNALS) process.on(s, this.onSignal); }

  /** Cleans the folders the real files lie in (once each); returns what it did, one message a line. */
  cleanFolders(files: string[]): string[] {
    const dirs = new Set<string>();
    for (const f of files) { try { dirs.add(path.dirname(fs.realpathSync(f))); } catch { /* reported when read */ } }
    return [...dirs].flatMap(cleanDir);
  }

  /** Lets a pending signal's handler run. */
  pause(): Promise<void> { return new Promise((resolve) => setImmediate(resolve)); }

  /**
   * The scan of open files costs some 10-30 ms here (every process's descriptors; more with thousands open), so
   * a run reuses one for a second, or 20 times as long as the scan took, whichever is longer (at most ~5% of
   * the run). A writer that opened the file since and wrote after the snapshot is still caught by the
   * size/mtime/content check.
   */
  private writers: { until: number; map: Map<string, number> } | undefined;
  commit(snap: Snapshot, text: string): CommitResult {
    return commitText(snap, text, this.temps, () => {
      const now = Date.now();
      if (!this.writers || now > this.writers.until) {
        const map = openForWriting();
        this.writers = { until: Date.now() + Math.max(1000, 20 * (Date.now() - now)), map };
      }
      return this.writers.map;
    });
  }

  close(): void {
    for (const s of SIGNALS) process.off(s, this.onSignal);
    this.removeTemps();
  }

  private removeTemps(): void {
    // a journal is never removed here: while it exists the file may be half-written, and it is what restores it
    for (const t of this.temps) if (t.endsWith('.tmp')) { try { fs.unlinkSync(t); } catch { /* gone */ } this.temps.delete(t); }
  }
}

/** The exit status of a run stopped by a signal: 128 + its number (130 for Ctrl-C, 143 for SIGTERM). */
export const signalExit = (sig: NodeJS.Signals): number => 128 + os.constants.signals[sig];
