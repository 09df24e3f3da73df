/**
 * Everything recognition needs, loaded once: the segmenter (nodejieba, or jieba-wasm when the native
 * module cannot load), the trained model, and the user's corpus dictionary. Used by the CLI and the worker.
 */
import { loadSegmenter } from './segment/backends';
import type { Segmenter, SegmenterBackend } from './segment/segmenter';
import { createRecogniser, loadModel } from './ner';
import type { Model } from './ner/model';
import type { Recogniser } from './ner/recogniser';
import { createDictionary, type Dictionary, DictionaryError } from './ner/dictionary';
import { wasmUnavailable } from './ner/wasmTagger';
import { DICTIONARY_FILE, type DictionarySource } from './dictionaryFiles';

export { DICTIONARY_DIR, DICTIONARY_FILE, STOPLIST_FILE, findDictionaryDir, readDictionaryFile, readDictionarySource } from './dictionaryFiles';
export type { DictionarySource } from './dictionaryFiles';

export interface Engine {
  recogniser: Recogniser;
  /** the recogniser's segmenter (the concordance's sort positions are its words; core/ner/adapt trains with it) and dictionary */
  segmenter: Segmenter;
  dictionary: Dictionary;
  /** the same engine with another dictionary (no reload of segmenter or model) */
  withDictionary(d: DictionarySource): Engine;
  backend: SegmenterBackend;
  /** why the preferred segmenter was not used */
  fallbackReason?: string;
  dictionaryErrors: (DictionaryError & { file: string })[];
  loadMs: { segmenter: number; model: number };
}

/** tagLookup: false, the segmenter's own tag() instead of cut and a tag table (core/segment/wordTags: faster, but 250 ms to build) */
export function createEngine(opts: { backend?: SegmenterBackend; modelPath?: string; model?: Model; dictionary?: DictionarySource; requireFn?: NodeRequire; tagLookup?: boolean } = {}): Engine {
  const t0 = performance.now();
  const { segmenter, fallbackReason: segmenterFallback } = loadSegmenter(opts.backend ?? 'nodejieba', opts.requireFn, { tagLookup: opts.tagLookup });
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
      segmenter,
      dictionary,
      withDictionary: build,
      backend: segmenter.backend,
      fallbackReason,
      dictionaryErrors: errors.map((e) => ({ ...e, file: d.tsvPath ?? DICTIONARY_FILE })),
      loadMs: { segmenter: t1 - t0, model: t2 - t1 },
    };
  };
  return build(opts.dictionary ?? {});
}
