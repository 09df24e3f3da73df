/**
 * The files a command works on: its PATH arguments and the lines of `--files-from`, walked as core/files
 * collectFiles walks them, and with `--shard K/N` only the files of one shard.
 *
 * A shard is chosen by the file's key alone, so that every machine that lists the same corpus puts each file in the
 * same shard whatever order it lists the files in, whichever of them it runs and wherever the corpus is mounted:
 * - a file found under a folder named as input: its path relative to that folder (`2018/10/a.txt` for
 *   `corpus/2018/10/a.txt` when `corpus` is the input), with `/` between folders;
 * - a file named itself (an argument, a line of --files-from): its path as the output shows it, relative to the
 *   working folder when it lies below it (`corpus/2018/10/a.txt`), else as given.
 * Its shard is 1 + (the first four bytes of the SHA-256 of the key's bytes, big-endian) mod N: K runs from 1 to N,
 * as GNU split's `-n l/K/N` and GNU parallel's job numbers `{#}` count.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectFiles, decodeFileName, fsPath, Skipped } from '../core/files';
import { jsonText } from '../core/export/writers';
import { CliIO, displayPath, printable, UsageError } from './io';

export interface Shard { k: number; n: number }

/** `K/N` with 1 ≤ K ≤ N (whole numbers), or a UsageError that says so. */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const k = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1 && n <= 1 << 20) || !(k >= 1 && k <= n)) throw new UsageError(`--shard must be K/N with K from 1 to N (1/4 … 4/4), not "${printable(spec)}"`);
  return { k, n };
}

/** The shard (1 … n) of a file's key (see the module's comment). */
export function shardOf(key: string, n: number): number {
  const bytes = fsPath(key); // (a name that is not UTF-8: its bytes on disk)
  return 1 + (createHash('sha256').update(bytes).digest().readUInt32BE(0) % n);
}

/**
 * The paths of a --files-from list: one a line (LF or CRLF), blank lines ignored, each taken as it would be as an
 * argument (a relative path from the working folder). `-` reads stdin. A line that is not UTF-8 keeps its bytes
 * (core/files decodeFileName), so it still names its file.
 */
export async function readFilesFrom(name: string, io: CliIO): Promise<string[]> {
  let bytes: Buffer;
  if (name === '-') {
    const chunks: Buffer[] = [];
    for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    bytes = Buffer.concat(chunks);
  } else {
    try { bytes = fs.readFileSync(name); } catch (e) { throw new UsageError(`--files-from: cannot read "${printable(name)}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  }
  const paths: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const line = decodeFileName(bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end));
    if (line.trim()) paths.push(line);
    start = end + 1;
  }
  return paths;
}

/**
 * The files below `paths` (collectFiles, one path at a time so that each file keeps the input it was found under),
 * each with its shard key; with `shard`, only that shard's files (in the same order).
 */
export function collectInputs(paths: string[], shard?: Shard): { files: string[]; missing: string[]; skipped: Skipped[] } {
  const files: string[] = [], missing: string[] = [], skipped: Skipped[] = [];
  for (const p of paths) {
    const walk = collectFiles([p]);
    missing.push(...walk.missing);
    skipped.push(...walk.skipped);
    if (!shard) { files.push(...walk.files); continue; }
    const folder = walk.files.length > 0 && isFolder(p);
    for (const f of walk.files) {
      const key = folder ? path.relative(p, f).split(path.sep).join('/') : displayPath(f);
      if (shardOf(key, shard.n) === shard.k) files.push(f);
    }
  }
  return { files, missing, skipped };
}

function isFolder(p: string): boolean {
  try { return fs.statSync(fsPath(p)).isDirectory(); } catch { return false; }
}

/**
 * `files` in the order of their paths in the output, as `LC_ALL=C sort` orders JSON lines: by the bytes of the
 * path as JSON writes it (each line begins `{"path":"…"`). Every shard's output is then in this order, and
 * the shards' outputs merged (`sort -m`) or their concatenation sorted is the output of one run over all files.
 */
export function inOutputOrder(files: string[]): string[] {
  const keyed = files.map((file) => ({ file, key: Buffer.from(jsonText(JSON.stringify(displayPath(file)))) }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key)); // (stable: a file named twice stays twice, together)
  return keyed.map((x) => x.file);
}
