/**
 * Segmentation behind one small interface; backends: nodejieba (cppjieba, native), @node-rs/jieba (jieba-rs,
 * native, prebuilt) and jieba-wasm (jieba-rs compiled to WebAssembly: the same words and tags as @node-rs/jieba).
 */
export const SEGMENTER_BACKENDS = ['nodejieba', '@node-rs/jieba', 'jieba-wasm'] as const;
export type SegmenterBackend = (typeof SEGMENTER_BACKENDS)[number];

export const isSegmenterBackend = (s: unknown): s is SegmenterBackend => (SEGMENTER_BACKENDS as readonly unknown[]).includes(s);

export interface Token {
  word: string;
  /** jieba POS tag (n, v, nr, ns, nt, x, …) */
  tag: string;
  /** UTF-16 offsets into the text given to tag() */
  start: number;
  end: number;
}

export interface Segmenter {
  readonly backend: SegmenterBackend;
  /** Words with POS tags and exact UTF-16 offsets. Synchronous: call it in the worker or the CLI. */
  tag(text: string): Token[];
  /**
   * tag() of each text, in one call where the backend can (exactly the same tokens): the sentences of a few
   * articles segmented together keep jieba's dictionary in cache, instead of alternating with the tagger.
   */
  tagMany?(texts: string[]): Token[][];
}
