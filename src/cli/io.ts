import * as path from 'node:path';

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
