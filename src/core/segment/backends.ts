import { Segmenter, SegmenterBackend, Token } from './segmenter';
import { WordTags } from './wordTags';

interface RawTag { word: string; tag: string }

/**
 * jieba returns words without offsets; the words concatenate to the input (it keeps every
 * character, spaces included). Walk the text to attach exact UTF-16 offsets, resynchronising
 * defensively if a backend ever drops or normalises a character.
 */
export function attachOffsets(text: string, raw: RawTag[]): Token[] {
  return attachOffsetsTo(text, raw.length, (k) => raw[k].word, (k) => raw[k].tag);
}

function attachOffsetsTo(text: string, count: number, wordAt: (k: number) => string, tagAt: (k: number) => string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (let k = 0; k < count; k++) {
    const word = wordAt(k);
    if (!word) continue;
    let start = pos;
    if (!text.startsWith(word, pos)) {
      const found = text.indexOf(word, pos);
      if (found < 0) continue;
      start = found;
    }
    const end = start + word.length;
    out.push({ word, tag: tagAt(k), start, end });
    pos = end;
  }
  return out;
}

interface NodejiebaLib { tag(s: string): RawTag[]; cut(s: string, hmm: boolean): string[]; DEFAULT_DICT?: string; DEFAULT_USER_DICT?: string }

class NodejiebaSegmenter implements Segmenter {
  readonly backend = 'nodejieba' as const;
  /** cut + a JavaScript tag lookup (the same words and tags as lib.tag, cheaper); undefined: lib.tag */
  private readonly tags: WordTags | undefined;
  constructor(private readonly lib: NodejiebaLib, opts: { tagLookup?: boolean } = {}) {
    this.tags = opts.tagLookup === false ? undefined : WordTags.fromNodejieba(lib);
  }
  tag(text: string): Token[] {
    const tags = this.tags;
    if (!tags) return attachOffsets(text, this.lib.tag(text));
    const words = this.lib.cut(text, true);
    return attachOffsetsTo(text, words.length, (k) => words[k], (k) => tags.tag(words[k]));
  }
  /**
   * One cut of the texts joined by line breaks: cppjieba cuts the pieces between its separators (line break,
   * space, tab, '，', '。') independently and returns each separator as a word of its own, so the words between
   * the line breaks are exactly each text's words. Texts that hold a line break themselves are cut one by one.
   */
  tagMany(texts: string[]): Token[][] {
    const tags = this.tags;
    if (!tags || texts.some((t) => t.includes('\n'))) return texts.map((t) => this.tag(t));
    const words = this.lib.cut(texts.join('\n'), true);
    const out: Token[][] = [];
    let from = 0;
    for (const text of texts) {
      let to = from;
      while (to < words.length && words[to] !== '\n') to++;
      out.push(attachOffsetsTo(text, to - from, (k) => words[from + k], (k) => tags.tag(words[from + k])));
      from = to + 1;
    }
    return out;
  }
}

class WasmSegmenter implements Segmenter {
  readonly backend = 'jieba-wasm' as const;
  constructor(private readonly lib: { tag(s: string, hmm: boolean): RawTag[] }) {}
  tag(text: string): Token[] { return attachOffsets(text, this.lib.tag(text, true)); }
}

export interface LoadedSegmenter { segmenter: Segmenter; fallbackReason?: string }

/**
 * Loads the preferred backend; if nodejieba (a native module) cannot load, degrades to
 * jieba-wasm and says why. `requireFn` is injectable so bundles can keep nodejieba external.
 */
export function loadSegmenter(preferred: SegmenterBackend = 'nodejieba', requireFn: NodeRequire = require, opts: { tagLookup?: boolean } = {}): LoadedSegmenter {
  if (preferred === 'nodejieba') {
    try {
      return { segmenter: new NodejiebaSegmenter(requireFn('nodejieba'), opts) };
    } catch (e) {
      const reason = `nodejieba could not load (${(e as Error).message.split('\n')[0]}); using jieba-wasm instead`;
      return { segmenter: new WasmSegmenter(requireFn('jieba-wasm')), fallbackReason: reason };
    }
  }
  return { segmenter: new WasmSegmenter(requireFn('jieba-wasm')) };
}
