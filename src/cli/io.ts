/** What a CLI command gets: its streams, so tests can run commands in-process. */
export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** An expected failure: printed as one clear line on stderr, exit code 2, no stack trace. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, problems: 1, cannotRun: 2 } as const;
