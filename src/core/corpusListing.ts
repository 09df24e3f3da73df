/**
 * The corpus files of a workspace, listed by a walk of its folders (core/files collectFiles: regular files only,
 * each folder once, hidden entries and node_modules left out, FIFOs, devices and link loops skipped with a message)
 * instead of VS Code's findFiles. In code-server and other remote hosts findFiles runs its search in the extension
 * host's own thread and parses ripgrep's output there: 287 ms in one piece for 30,000 files (bench/RESULTS.md). The
 * walk runs in the analysis worker. Exclude globs are matched as files.exclude matches them: against the path
 * relative to the workspace folder, and against each of its folders (a glob naming a folder leaves out what is in it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectFiles, leftOutOfWalks } from './files';
import { compileGlob, type GlobMatcher } from './glob';

export interface ListingRoot {
  /** the folder to walk */
  root: string;
  /** the workspace folder the globs are relative to (root itself, or a folder above it) */
  base: string;
  /** globs of files.exclude (those set to true) and corpusLens.index.exclude */
  exclude: string[];
}

export interface Listing {
  /** the articles' paths, each root's in the walk's order */
  files: string[];
  /** what the walk left out, one line each (a named pipe, a link loop, a folder it could not read) */
  skipped: string[];
  /** the globs refused, with why (compileGlob) */
  refused: string[];
}

/** how many of a walk's skipped entries are told one by one (the log says how many more) */
export const SKIPPED_SHOWN = 20;

export function listCorpus(roots: ListingRoot[]): Listing {
  const out: Listing = { files: [], skipped: [], refused: [] };
  for (const { root, base, exclude } of roots) {
    const matchers: GlobMatcher[] = [];
    for (const g of new Set(exclude)) {
      const c = compileGlob(g);
      if (c.ok) matchers.push(c.match);
      else if (!out.refused.includes(c.message)) out.refused.push(c.message);
    }
    const found = collectFiles([root]);
    for (const s of found.skipped) out.skipped.push(s.message);
    for (const f of found.files) if (!matchers.length || !excluded(path.relative(base, f).split(path.sep).join('/'), matchers)) out.files.push(f);
  }
  return out;
}

/** Whether a glob matches the relative path or one of its folders. */
function excluded(rel: string, matchers: GlobMatcher[]): boolean {
  if (matchers.some((m) => m(rel))) return true;
  for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
    const dir = rel.slice(0, i);
    if (matchers.some((m) => m(dir))) return true;
  }
  return false;
}

/**
 * Whether a `.corpus` file lies below one of the folders (what makes a workspace a corpus before any article is
 * open). Not findFiles, for the reason above: in code-server the extension host spawned ripgrep for it, 44–72 ms in
 * one piece of the host's thread at each start (bench/RESULTS.md). An asynchronous walk: fs.promises.opendir hands
 * the entries over a few at a time, so no turn of the event loop grows with a folder's size; the rules of
 * collectFiles (hidden entries and node_modules left out, links followed, each folder once by device and inode);
 * stops at the first `.corpus` file, and after `maxEntries` entries (false: a workspace that large and with no
 * `.corpus` file near its top is asked again when an article opens).
 */
export async function containsCorpusFile(folders: string[], opts: { maxEntries?: number } = {}): Promise<boolean> {
  let budget = opts.maxEntries ?? 200000;
  const visited = new Set<string>();
  const queue = [...folders]; // (breadth first: a .corpus file near the top is found first)
  const stat = (p: string) => fs.promises.stat(p).catch(() => undefined);
  for (let at = 0; at < queue.length && budget > 0; at++) {
    const next = queue[at];
    const st = await stat(next);
    if (!st?.isDirectory() || visited.has(`${st.dev}:${st.ino}`)) continue;
    visited.add(`${st.dev}:${st.ino}`);
    let dir: fs.Dir;
    try { dir = await fs.promises.opendir(next, { bufferSize: 64 }); } catch { continue; }
    // (leaving the loop early closes the folder)
    for await (const e of dir) {
      if (--budget <= 0) break;
      if (leftOutOfWalks(e.name)) continue;
      const child = path.join(next, e.name);
      if (e.name.toLowerCase().endsWith('.corpus') && (e.isFile() || (!e.isDirectory() && (await stat(child))?.isFile()))) return true;
      if (e.isDirectory() || e.isSymbolicLink()) queue.push(child);
    }
  }
  return false;
}
