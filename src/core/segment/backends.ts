import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { modelsFileCandidates } from '../shipped';
import { Segmenter, SegmenterBackend, Token } from './segmenter';
import { WordTags } from './wordTags';

interface RawTag { word: string; tag: string }

/**
 * jieba returns words without offsets; the words concatenate to the input (it keeps every
 * character, spaces included). Walk the text to attach exact UTF-16 offsets, resynchronising
 * defensively if a backend ever drops or normalises a character.
 */
export function attachOffsets(text: string, raw: RawTag[]): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (const r of raw) {
    const start = r.word ? locate(text, r.word, pos) : -1;
    if (start < 0) continue;
    pos = start + r.word.length;
    out.push({ word: r.word, tag: r.tag, start, end: pos });
  }
  return out;
}

/** Where `word` starts in text: at pos, as it should, or further on (resynchronising), or -1. */
function locate(text: string, word: string, pos: number): number {
  return text.startsWith(word, pos) ? pos : text.indexOf(word, pos);
}

/** attachOffsets for words[from, to) of a cut, tagged by `tags` (the hot path: no closures, no resizing). */
/** The tokens of each text from one cut of the texts joined by line breaks ('\n' a word of its own between them). */
function splitJoinedCut(texts: string[], words: string[], tags: WordTags): Token[][] {
  const out: Token[][] = [];
  let from = 0;
  for (const text of texts) {
    let to = from;
    while (to < words.length && words[to] !== '\n') to++;
    out.push(attachTagged(text, words, from, to, tags));
    from = to + 1;
  }
  return out;
}

function attachTagged(text: string, words: string[], from: number, to: number, tags: WordTags): Token[] {
  const out: Token[] = new Array(to - from);
  let n = 0, pos = 0;
  for (let k = from; k < to; k++) {
    const word = words[k];
    const start = word ? locate(text, word, pos) : -1;
    if (start < 0) continue;
    pos = start + word.length;
    out[n++] = { word, tag: tags.tag(word), start, end: pos };
  }
  out.length = n;
  return out;
}

interface NodejiebaLib {
  tag(s: string): RawTag[]; cut(s: string, hmm: boolean): string[]; DEFAULT_DICT?: string; DEFAULT_USER_DICT?: string;
  load?(dicts: { idfDict?: string; stopWordDict?: string }): unknown;
}

/**
 * nodejieba's load() also reads the tables of its keyword extractors (idf.utf8, 6 MB, and the stop words),
 * which Corpus Lens never calls: given a one-line table instead, each thread's load takes about 250 ms and
 * 19 MB less (3.14 → 2.89 s, 282 → 263 MB RSS, measured alone). Cut and tag do not read them. The file
 * ships in models/ beside the model; without it nodejieba loads its own tables as before. (cppjieba asserts
 * that the table is not empty and that its mean idf is above 0: a bad table aborts the process, so the file
 * is fixed and a unit test checks it.)
 */
export function keywordTablesOff(): string | undefined {
  return modelsFileCandidates('jieba-keywords-off.utf8').find((f) => existsSync(f));
}
/** nodejieba's load functions (one per thread) this module has called: a second call reads the dictionary again */
const loaded = new WeakSet<object>();

class NodejiebaSegmenter implements Segmenter {
  readonly backend = 'nodejieba' as const;
  /** cut + a JavaScript tag lookup (the same words and tags as lib.tag, cheaper); undefined: lib.tag */
  private readonly tags: WordTags | undefined;
  constructor(private readonly lib: NodejiebaLib, opts: { tagLookup?: boolean } = {}) {
    this.tags = opts.tagLookup === false ? undefined : WordTags.fromNodejieba(lib);
    const off = keywordTablesOff();
    if (off && lib.load && !loaded.has(lib.load)) { lib.load({ idfDict: off, stopWordDict: off }); loaded.add(lib.load); }
  }
  tag(text: string): Token[] {
    const tags = this.tags;
    if (!tags) return attachOffsets(text, this.lib.tag(text));
    const words = this.lib.cut(text, true);
    return attachTagged(text, words, 0, words.length, tags);
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
    return splitJoinedCut(texts, words, tags);
  }
}

interface NodeRsJieba { cut(s: string, hmm: boolean): string[]; tag(s: string, hmm: boolean): RawTag[] }
interface NodeRsLib { Jieba: { withDict(dict: Uint8Array): NodeRsJieba } }
/** @node-rs/jieba's segmenter with its dictionary, one per thread (170 ms and 46 MB to load) */
const nodeRsLoaded = new WeakMap<object, NodeRsJieba>();

/**
 * @node-rs/jieba: jieba-rs as a native module (prebuilt per platform). The same words and tags as jieba-wasm
 * (both are jieba-rs with its default dictionary), so the recogniser's features, and its answers, are the same.
 */
class NodeRsSegmenter implements Segmenter {
  readonly backend = '@node-rs/jieba' as const;
  private readonly jieba: NodeRsJieba;
  /** cut + a JavaScript tag lookup (the same words and tags as jieba.tag, cheaper); undefined: jieba.tag */
  private readonly tags: WordTags | undefined;
  constructor(lib: NodeRsLib, dict: Uint8Array, opts: { tagLookup?: boolean } = {}) {
    let jieba = nodeRsLoaded.get(lib);
    if (!jieba) { jieba = lib.Jieba.withDict(dict); nodeRsLoaded.set(lib, jieba); }
    this.jieba = jieba;
    this.tags = opts.tagLookup === false ? undefined : WordTags.fromJiebaRs(dict);
  }
  tag(text: string): Token[] {
    const tags = this.tags;
    if (!tags) return attachOffsets(text, this.jieba.tag(text, true));
    const words = this.jieba.cut(text, true);
    return attachTagged(text, words, 0, words.length, tags);
  }
  /**
   * One cut of the texts joined by line breaks: jieba-rs cuts the runs of Han characters, letters and digits
   * between other characters independently, and returns each white-space character as a word of its own (but
   * "\r\n" as one), so the words between the line breaks are exactly each text's words. Texts that hold a line
   * break or end with "\r" are cut one by one.
   */
  tagMany(texts: string[]): Token[][] {
    const tags = this.tags;
    if (!tags || texts.some((t) => t.includes('\n') || t.endsWith('\r'))) return texts.map((t) => this.tag(t));
    const words = this.jieba.cut(texts.join('\n'), true);
    return splitJoinedCut(texts, words, tags);
  }
}

class WasmSegmenter implements Segmenter {
  readonly backend = 'jieba-wasm' as const;
  constructor(private readonly lib: { tag(s: string, hmm: boolean): RawTag[] }) {}
  tag(text: string): Token[] { return attachOffsets(text, this.lib.tag(text, true)); }
}

/**
 * @node-rs/jieba's dictionary, read from its package. Not its `dict` module: that reads idf.txt too (6 MB, for
 * keyword extraction, which nothing here uses), which the VSIX leaves out, so the packaged extension's quick start
 * failed on it and fell back to jieba-wasm.
 */
export function nodeRsDictionary(requireFn: NodeRequire = require): Buffer {
  return readFileSync(path.join(path.dirname(requireFn.resolve('@node-rs/jieba/package.json')), 'dict.txt'));
}

export interface LoadedSegmenter { segmenter: Segmenter; fallbackReason?: string }

const firstLine = (e: unknown) => (e as Error).message.split('\n')[0];

/**
 * Loads the preferred backend; if a native one (nodejieba, @node-rs/jieba) cannot load, degrades to jieba-wasm
 * and says why. `requireFn` is injectable so bundles can keep the segmenters external.
 */
export function loadSegmenter(preferred: SegmenterBackend = 'nodejieba', requireFn: NodeRequire = require, opts: { tagLookup?: boolean } = {}): LoadedSegmenter {
  try {
    if (preferred === 'nodejieba') return { segmenter: new NodejiebaSegmenter(requireFn('nodejieba'), opts) };
    if (preferred === '@node-rs/jieba') return { segmenter: new NodeRsSegmenter(requireFn('@node-rs/jieba'), nodeRsDictionary(requireFn), opts) };
  } catch (e) {
    const reason = `${preferred} could not load (${firstLine(e)}); using jieba-wasm instead`;
    return { segmenter: new WasmSegmenter(requireFn('jieba-wasm')), fallbackReason: reason };
  }
  return { segmenter: new WasmSegmenter(requireFn('jieba-wasm')) };
}
