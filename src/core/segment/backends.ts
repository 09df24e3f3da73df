import { Segmenter, SegmenterBackend, Token } from './segmenter';

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
    if (!r.word) continue;
    let start = pos;
    if (!text.startsWith(r.word, pos)) {
      const found = text.indexOf(r.word, pos);
      if (found < 0) continue;
      start = found;
    }
    const end = start + r.word.length;
    out.push({ word: r.word, tag: r.tag, start, end });
    pos = end;
  }
  return out;
}

class NodejiebaSegmenter implements Segmenter {
  readonly backend = 'nodejieba' as const;
  constructor(private readonly lib: { tag(s: string): RawTag[] }) {}
  tag(text: string): Token[] { return attachOffsets(text, this.lib.tag(text)); }
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
export function loadSegmenter(preferred: SegmenterBackend = 'nodejieba', requireFn: NodeRequire = require): LoadedSegmenter {
  if (preferred === 'nodejieba') {
    try {
      return { segmenter: new NodejiebaSegmenter(requireFn('nodejieba')) };
    } catch (e) {
      const reason = `nodejieba could not load (${(e as Error).message.split('\n')[0]}); using jieba-wasm instead`;
      return { segmenter: new WasmSegmenter(requireFn('jieba-wasm')), fallbackReason: reason };
    }
  }
  return { segmenter: new WasmSegmenter(requireFn('jieba-wasm')) };
}
