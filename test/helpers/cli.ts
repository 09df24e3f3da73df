import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { useMessages } from '../../src/core/messages';

/** Runs the CLI in-process and captures what it prints; `env` is its locale environment (none: English, whatever LANG the tests run with). */
export async function runCli(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough(), err = new PassThrough();
  let stdout = '', stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  // main chose the rule messages' language for the whole process: back to English for the tests that follow
  const code = await main(args, { stdin: Readable.from([stdin]), stdout: out, stderr: err }, { env }).finally(() => useMessages(undefined));
  return { code, stdout, stderr };
}
