/**
 * corpus-lens: the command line over the same core as the extension.
 * Exit codes: 0 success, 1 problems found (errors in `check`), 2 could not run (bad arguments, unreadable paths).
 */
import { cliMessages, useMessages } from '../core/messages';
import { CliIO, EXIT, output, printable, UsageError } from './io';

type Command = { summary: string; load: () => Promise<{ run(args: string[], io: CliIO): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  check: { summary: 'check articles: datelines and other corpus faults (--format text|json, --fix)', load: () => import('./commands/check') },
  tag: { summary: 'tag sentences from stdin, one per line (--jsonl)', load: () => import('./commands/tag') },
  extract: { summary: 'extract entities from articles (--format json|jsonl|csv|tsv|conll|brat, --out DIR)', load: () => import('./commands/extract') },
  eval: { summary: 'score the recogniser on an annotated file (BIO, BMES, CLUENER; --baseline jieba, --rules-effect, --without RULE) or on your reviewed articles (--from PATH)', load: () => import('./commands/eval') },
  train: { summary: 'adapt the model to your reviewed articles (--from PATH, --out FILE)', load: () => import('./commands/train') },
};

export function usage(): string {
  const lines = ['Usage: corpus-lens <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  lines.push('', 'Run corpus-lens <command> --help for its options.', 'Exit codes: 0 success, 1 problems found, 2 could not run.');
  return lines.join('\n') + '\n';
}

/**
 * Runs a command. Its output goes through io.ts's Output, which turns any failed write (a full disk, an I/O
 * error) into exit 2 and one line on stderr; `onReaderGone` is called when the reader closes the pipe early
 * (bin/corpus-lens.js then ends the process quietly, as Unix tools do; extract winds its threads down first).
 */
export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, opts: { onReaderGone?: () => void; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  useMessages(cliMessages(opts.env ?? process.env)); // rule messages in the locale's language (LANG=zh_CN.UTF-8), else English
  const out = output(io.stdout);
  out.onReaderGone = opts.onReaderGone;
  io.stderr.on('error', () => undefined); // (stderr itself failing: there is nowhere left to say so)
  const [name, ...rest] = argv;
  try {
    const code = await runCommand(name, rest, io);
    out.check(); // (a pipe reports a failed write after the fact)
    return code;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`corpus-lens${COMMANDS[name] ? ` ${name}` : ''}: ${e.message}\n`);
    return EXIT.cannotRun;
  }
}

async function runCommand(name: string | undefined, rest: string[], io: CliIO): Promise<number> {
  const out = output(io.stdout);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) out.write(usage()); else io.stderr.write(usage());
    return name ? EXIT.ok : EXIT.cannotRun;
  }
  if (name === '--version') {
    out.write(`${require('../../package.json').version}\n`);
    return EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr.write(`corpus-lens: unknown command "${printable(name)}"\n\n${usage()}`);
    return EXIT.cannotRun;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) throw e; // (main prints it, as a failed write the command did not catch)
    out.check(); // (whatever a failed write made the command throw, that failure is the one to report)
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`corpus-lens ${name}: ${printable((e as Error).message)}\n`);
      return EXIT.cannotRun;
    }
    io.stderr.write(`corpus-lens ${name}: internal error: ${(e as Error).stack ?? e}\n`);
    return EXIT.cannotRun;
  }
}
