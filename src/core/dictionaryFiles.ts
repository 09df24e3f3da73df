/**
 * Where the user's corpus dictionary lives and how it is read. Kept apart from engine.ts so that the extension host,
 * which reads and writes these files, bundles none of the recogniser or segmenter (test/unit/hostBundle.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFileBounded } from './files';

export const DICTIONARY_DIR = '.corpus-lens';
export const DICTIONARY_FILE = 'dictionary.tsv';
export const STOPLIST_FILE = 'not-entities.txt';
export const ANNOTATIONS_FILE = 'annotations.jsonl';

/** The corpus dictionary's files as text; annotations: the user's per-mention decisions (annotations.jsonl). */
export interface DictionarySource { tsv?: string; stop?: string; tsvPath?: string; stopPath?: string; annotations?: string; annotationsPath?: string }

/** The nearest `.corpus-lens/` folder at or above `from` (a file or folder). */
export function findDictionaryDir(from: string): string | undefined {
  let dir = path.resolve(from);
  try { if (fs.statSync(dir).isFile()) dir = path.dirname(dir); } catch { dir = path.dirname(dir); }
  for (;;) {
    const cand = path.join(dir, DICTIONARY_DIR);
    if (fs.existsSync(cand) && fs.statSync(cand).isDirectory()) return cand;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * A dictionary file's text, or undefined when there is none: a regular file only, read within a bound (a named pipe
 * called dictionary.tsv would block the reader for ever, a link to /dev/zero fill the memory).
 */
export function readDictionaryFile(file: string): string | undefined {
  const r = readFileBounded(file, MAX_DICTIONARY_BYTES);
  return r.ok ? r.bytes.toString('utf8') : undefined;
}
const MAX_DICTIONARY_BYTES = 64 * 1048576;

export function readDictionarySource(dir: string | undefined): DictionarySource {
  if (!dir) return {};
  const read = (f: string) => readDictionaryFile(f);
  const tsvPath = path.join(dir, DICTIONARY_FILE), stopPath = path.join(dir, STOPLIST_FILE), annotationsPath = path.join(dir, ANNOTATIONS_FILE);
  return { tsv: read(tsvPath), stop: read(stopPath), tsvPath, stopPath, annotations: read(annotationsPath), annotationsPath };
}
