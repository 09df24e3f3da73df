/** Segmentation behind one small interface; backends: nodejieba (native) and jieba-wasm (pure WASM). */
export type SegmenterBackend = 'nodejieba' | 'jieba-wasm';

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
