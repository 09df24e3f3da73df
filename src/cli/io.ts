import * as fs from 'node:fs';
import * as path from 'node:path';
import { isatty } from 'node:tty';

/** What a CLI command gets: its streams, so tests can run commands in-process. */
export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** An expected failure: printed as one clear line on stderr, exit code 2, no stack trace. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, problems: 1, cannotRun: 2 } as const;

/** A file as the CLI prints it: relative to the working folder when it lies below it (with /), else as given. */
export function displayPath(file: string): string {
  const r = path.relative(process.cwd(), file);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r.split(path.sep).join('/') : file;
}

/**
 * Text safe to print on one line: control characters (C0, DEL, C1) and the Unicode line and paragraph
 * separators become escapes (\n, \r, \t, \x1b, \u2028, …). A file name may contain any of them: a newline in
 * one printed as it is would forge a whole line of output (`::error file=…::`, which CI systems execute), an
 * escape sequence would drive the terminal. (A backslash stays as it is: Windows paths are full of them, and
 * the point is that no name can end its line or take over the terminal.) JSON output needs none of this:
 * JSON.stringify escapes control characters itself.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = c.charCodeAt(0);
    return named[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
  });
}

/** A file as the CLI prints it in text output and messages: displayPath, with control characters escaped. */
export const printPath = (file: string): string => printable(displayPath(file));

/** Output that could not be written (a full disk, an I/O error): one line on stderr and exit 2, as UsageError. */
export class OutputError extends UsageError {
  constructor(readonly errno: NodeJS.ErrnoException, target?: string) {
    // "ENOSPC: no space left on device, write" → "no space left on device (ENOSPC)"
    const reason = /^[A-Z0-9]+: ([^,]+)/.exec(errno.message)?.[1];
    super(`cannot write output${target ? ` to ${printPath(target)}` : ''}: ${reason && errno.code ? `${reason} (${errno.code})` : printable(errno.code ?? errno.message)}`);
  }
}

const outputs = new WeakMap<NodeJS.WritableStream, Output>();

/** The one Output of a stream (main and the command share it, so that main sees a failure the command met). */
export function output(stream: NodeJS.WritableStream): Output {
  let o = outputs.get(stream);
  if (!o) outputs.set(stream, (o = new Output(stream)));
  return o;
}

/**
 * The one place the CLI writes its output (stdout) through. A failed write, whether thrown at once (a file,
 * /dev/full) or reported later by the stream (a pipe), is kept, and this and every later write throws an
 * OutputError: the command stops, and main ends the run with exit 2 and one line on stderr instead of a
 * success summary. A reader that has closed the pipe (EPIPE, `| head`) is not a failure: the output is
 * dropped from then on and onReaderGone is called (the bin ends the process quietly; extract winds down its
 * worker threads first).
 * Into a file or a device other than a terminal, the output is written with fs.writeFileSync, which writes
 * all of it or throws: node's own stdout stream ignores a short write, so on a full disk it wrote 8 of 18 KB
 * and reported success.
 */
export class Output {
  failure: NodeJS.ErrnoException | undefined;
  readerGone = false;
  onReaderGone: (() => void) | undefined;
  /** the descriptor written to synchronously (a regular file or a device that is not a terminal) */
  private readonly fd: number | undefined;
  /** whether the output goes to a regular file (stdout redirected with >), not a pipe or a terminal */
  readonly isFile: boolean;

  constructor(readonly stream: NodeJS.WritableStream) {
    const fd = (stream as { fd?: unknown }).fd;
    let stat: fs.Stats | undefined;
    if (typeof fd === 'number') try { stat = fs.fstatSync(fd); } catch { /* closed: the stream reports it */ }
    this.isFile = !!stat?.isFile();
    this.fd = stat && (stat.isFile() || (stat.isCharacterDevice() && !isatty(fd as number))) ? (fd as number) : undefined;
    stream.on('error', (e: NodeJS.ErrnoException) => this.failed(e));
  }

  /** Writes all of chunk (or throws OutputError); false when the stream asks the writer to wait for drained(). */
  write(chunk: string): boolean {
    if (this.failure) throw new OutputError(this.failure);
    if (this.readerGone) return true;
    try {
      if (this.fd === undefined) return this.stream.write(chunk);
      fs.writeFileSync(this.fd, chunk);
      return true;
    } catch (e) {
      this.failed(e as NodeJS.ErrnoException);
      if (this.failure) throw new OutputError(this.failure);
      return true;
    }
  }

  /** Resolves when the stream has taken what it holds (or has failed, or its reader has gone). */
  drained(): Promise<void> {
    const s = this.stream as NodeJS.WritableStream & { writableNeedDrain?: boolean };
    if (this.fd !== undefined || this.failure || this.readerGone || !s.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { s.off('drain', done); s.off('close', done); s.off('error', done); resolve(); };
      s.on('drain', done); s.on('close', done); s.on('error', done);
    });
  }

  /** Throws the OutputError of a failed write, if any (before a command reports success). */
  check(): void {
    if (this.failure) throw new OutputError(this.failure);
  }

  private failed(e: NodeJS.ErrnoException): void {
    if (e.code === 'EPIPE') {
      if (this.readerGone) return;
      this.readerGone = true;
      this.onReaderGone?.();
    } else this.failure ??= e;
  }
}
