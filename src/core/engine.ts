/**
 * Everything recognition needs, loaded once: the segmenter (nodejieba, or jieba-wasm when the native
 * module cannot load), the trained model, and the user's corpus dictionary. Used by the CLI and the worker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSegmenter } from './segment/backends';
import type { SegmenterBackend } from './segment/segmenter';
import { createRecogniser, loadModel } from './ner';
import type { Model } from './ner/model';
import type { Recogniser } from './ner/recogniser';
import { createDictionary, DictionaryError } from './ner/dictionary';
import { wasmUnavailable } from './ner/wasmTagger';
import { readFileBounded } from './files';

export const DICTIONARY_DIR = '.corpus-lens';
export const DICTIONARY_FILE = 'dictionary.tsv';
export const STOPLIST_FILE = 'not-entities.txt';

export interface DictionarySource { tsv?: string; stop?: string; tsvPath?: string; stopPath?: string }

export interface Engine {
  recogniser: Recogniser;
  /** the same engine with another dictionary (no reload of segmenter or model) */
  withDictionary(d: DictionarySource): Engine;
  backend: SegmenterBackend;
  /** why the preferred segmenter was not used */
  fallbackReason?: string;
  dictionaryErrors: (DictionaryError & { file: string })[];
  loadMs: { segmenter: number; model: number };
}

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
  const tsvPath = path.join(dir, DICTIONARY_FILE), stopPath = path.join(dir, STOPLIST_FILE);
  return { tsv: read(tsvPath), stop: read(stopPath), tsvPath, stopPath };
}

export function createEngine(opts: { backend?: SegmenterBackend; modelPath?: string; model?: Model; dictionary?: DictionarySource; requireFn?: NodeRequire } = {}): Engine {
  const t0 = performance.now();
  const { segmenter, fallbackReason: segmenterFallback } = loadSegmenter(opts.backend ?? 'nodejieba', opts.requireFn);
  segmenter.tag('预热'); // jieba loads its dictionary on first use: pay it here, not on the first article
  const t1 = performance.now();
  const model = opts.model ?? loadModel(opts.modelPath);
  const t2 = performance.now();
  // the JavaScript tagger loops only cost speed, but say so with the segmenter's fallback (shown once)
  const kernelNote = model.emissionsBackend === 'js' ? wasmUnavailable() : undefined;
  const fallbackReason = [segmenterFallback, kernelNote].filter(Boolean).join('; ') || undefined;
  const build = (d: DictionarySource): Engine => {
    const { dictionary, errors } = createDictionary({ tsv: d.tsv, stop: d.stop });
    return {
      recogniser: createRecogniser({ segmenter, model, dictionary }),
      withDictionary: build,
      backend: segmenter.backend,
      fallbackReason,
      dictionaryErrors: errors.map((e) => ({ ...e, file: d.tsvPath ?? DICTIONARY_FILE })),
      loadMs: { segmenter: t1 - t0, model: t2 - t1 },
    };
  };
  return build(opts.dictionary ?? {});
}
