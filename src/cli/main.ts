/**
 * corpus-lens: the command line over the same core as the extension.
 * Exit codes: 0 success, 1 problems found (errors in `check`), 2 could not run (bad arguments, unreadable paths).
 */
import { CliIO, EXIT, UsageError } from './io';

type Command = { summary: string; load: () => Promise<{ run(args: string[], io: CliIO): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  check: { summary: 'check articles: datelines and other corpus faults (--format text|json, --fix)', load: () => import('./commands/check') },
  tag: { summary: 'tag sentences from stdin, one per line (--jsonl)', load: () => import('./commands/tag') },
  extract: { summary: 'extract entities from articles (--format json|jsonl|csv|tsv|conll|brat, --out DIR)', load: () => import('./commands/extract') },
  eval: { summary: 'score the recogniser on an annotated file (BIO, BMES, CLUENER; --baseline jieba)', load: () => import('./commands/eval') },
};

export function usage(): string {
  const lines = ['Usage: corpus-lens <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  lines.push('', 'Run corpus-lens <command> --help for its options.', 'Exit codes: 0 success, 1 problems found, 2 could not run.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(usage());
    return name ? EXIT.ok : EXIT.cannotRun;
  }
  if (name === '--version') {
    io.stdout.write(`${require('../../package.json').version}\n`);
    return EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr.write(`corpus-lens: unknown command "${name}"\n\n${usage()}`);
    return EXIT.cannotRun;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`corpus-lens ${name}: ${(e as Error).message}\n`);
      return EXIT.cannotRun;
    }
    io.stderr.write(`corpus-lens ${name}: internal error: ${(e as Error).stack ?? e}\n`);
    return EXIT.cannotRun;
  }
}
