import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough(), err = new PassThrough();
  let stdout = '', stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await main(args, { stdin: Readable.from([stdin]), stdout: out, stderr: err });
  return { code, stdout, stderr };
}
