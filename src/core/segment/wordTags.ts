/**
 * jieba's part-of-speech tag of a word, looked up in JavaScript: what cppjieba's PosTagger::LookupTag
 * does after cutting (the dictionary's tag, else m / eng / x by the word's ASCII characters). With it,
 * nodejieba.cut(text, true) plus this lookup gives exactly nodejieba.tag(text) (same words, same tags)
 * at about 60 % of its cost: tag() builds one JavaScript object per word through N-API, cut() one string.
 *
 * The table is built from the dictionary files nodejieba itself loads (its DEFAULT_DICT and
 * DEFAULT_USER_DICT): open addressing over the words' hashes, each slot pointing at its word in the file's
 * text, so that a hit is confirmed character by character (exact, no probabilistic matching). About 10 MB
 * beside the dictionary's text, and 250 ms to build, once per thread.
 */
import * as fs from 'node:fs';

const EMPTY = -1;
/** Slots of the recent-words cache in front of the table (32 bytes each: 512 KB). */
const RECENT_BITS = 14;
/** Words of up to this many UTF-16 units are cached (longer ones, rare, go to the table every time). */
const RECENT_CHARS = 12;
/** Int32s per cache slot: the word's hash, its length | result id << 16, then RECENT_CHARS UTF-16 units. */
const SLOT = 2 + RECENT_CHARS / 2;
/** The special rule's tags, after the dictionary's in the cache's result ids. */
const SPECIAL_TAGS = ['x', 'm', 'eng'];
/** One table per dictionary pair and thread (10+ MB and 250 ms each). */
const built = new Map<string, WordTags | undefined>();

function hashRange(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15; h = Math.imul(h, 0x2c1b3c6d); h ^= h >>> 12;
  return h | 0;
}

/** cppjieba's SpecialRule for words without a dictionary tag. */
export function specialRuleTag(word: string): string {
  const cps = Array.from(word);
  const half = Math.floor(cps.length / 2);
  let m = 0, eng = 0;
  for (let i = 0; i < cps.length && eng < half; i++) {
    const c = cps[i].codePointAt(0)!;
    if (c < 0x80) { eng++; if (c >= 48 && c <= 57) m++; }
  }
  if (eng === 0) return 'x';
  return m === eng ? 'm' : 'eng';
}

/**
 * jieba-rs's rule for words outside its dictionary (Jieba::tag): every character counts, and only ASCII letters
 * and digits (cppjieba counts any ASCII character, and only up to half the word).
 */
export function jiebaRsSpecialTag(word: string): string {
  let m = 0, eng = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) { eng++; m++; } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) eng++;
  }
  if (eng === 0) return 'x';
  return m === eng ? 'm' : 'eng';
}

export class WordTags {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  /** where the slot's word starts in `text` (EMPTY: free slot) */
  private readonly at: Int32Array;
  private readonly len: Uint16Array;
  /** index into `tagNames`; 0 is "in the dictionary without a tag" (the special rule decides) */
  private readonly tagId: Uint8Array;
  private readonly tagNames: string[] = [''];
  private readonly text: string;
  readonly size: number;

  /**
   * From the text of a main dictionary (lines "word freq tag") and of a user dictionary (lines "word",
   * "word tag" or "word freq tag"), read as cppjieba's DictTrie reads them: lines split at every space
   * (limonp::Split: empty fields between two spaces count, a trailing space adds none), a later entry for the
   * same word replacing the earlier one, user words after the main dictionary, empty user lines skipped and
   * user lines of four fields or more adding nothing. A main-dictionary line without exactly three fields
   * makes cppjieba refuse the dictionary; here it is skipped. Line ends: getline keeps a '\r' before the
   * '\n' except where the C++ library reads in text mode (Windows), as `crlf` says.
   */
  constructor(mainDict: string, userDict = '', crlf = process.platform === 'win32', private readonly special: (word: string) => string = specialRuleTag) {
    this.text = mainDict + '\n' + userDict;
    let lines = 1;
    for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) lines++;
    let cap = 1;
    while (cap < lines * 2) cap <<= 1;
    this.mask = cap - 1;
    this.hashes = new Int32Array(cap);
    this.at = new Int32Array(cap).fill(EMPTY);
    this.len = new Uint16Array(cap);
    this.tagId = new Uint8Array(cap);
    const tagIds = new Map<string, number>();
    const s = this.text;
    const userFrom = mainDict.length + 1;
    const fields: number[] = []; // start, end of each field
    let size = 0;
    for (let start = 0; start < s.length;) {
      let end = s.indexOf('\n', start);
      if (end < 0) end = s.length;
      const next = end + 1;
      if (crlf && end > start && s.charCodeAt(end - 1) === 13) end--;
      fields.length = 0;
      for (let f = start; f < end;) {
        const sp = s.indexOf(' ', f);
        if (sp < 0 || sp >= end) { fields.push(f, end); break; }
        fields.push(f, sp);
        f = sp + 1;
      }
      const count = fields.length / 2, user = start >= userFrom;
      // the tag's field: main lines have three fields; user lines one (no tag), two (word tag) or three
      const tagField = user ? (count === 1 ? -1 : count === 2 ? 1 : count === 3 ? 2 : -2) : count === 3 ? 2 : -2;
      const wordEnd = fields[1];
      if (tagField !== -2 && wordEnd > start && wordEnd - start <= 0xffff) {
        const tag = tagField < 0 ? '' : s.slice(fields[2 * tagField], fields[2 * tagField + 1]);
        let id = tag ? tagIds.get(tag) : 0;
        if (id === undefined) {
          if (this.tagNames.length > 255) throw new Error('jieba dictionary: more than 255 distinct tags');
          id = this.tagNames.length; this.tagNames.push(tag); tagIds.set(tag, id);
        }
        const h = hashRange(s, start, wordEnd);
        const slot = this.find(s, start, wordEnd, h);
        if (this.at[slot] === EMPTY) size++;
        this.hashes[slot] = h;
        this.at[slot] = start;
        this.len[slot] = wordEnd - start;
        this.tagId[slot] = id;
      }
      start = next;
    }
    this.size = size;
    this.results = [...this.tagNames, ...SPECIAL_TAGS];
  }

  /** The words of nodejieba's own dictionaries, or undefined when they cannot be read. */
  static fromNodejieba(lib: { DEFAULT_DICT?: string; DEFAULT_USER_DICT?: string }): WordTags | undefined {
    if (!lib.DEFAULT_DICT) return undefined;
    const key = `${lib.DEFAULT_DICT}|${lib.DEFAULT_USER_DICT ?? ''}`;
    if (built.has(key)) return built.get(key);
    let tags: WordTags | undefined;
    try {
      const main = fs.readFileSync(lib.DEFAULT_DICT, 'utf8');
      const user = lib.DEFAULT_USER_DICT && fs.existsSync(lib.DEFAULT_USER_DICT) ? fs.readFileSync(lib.DEFAULT_USER_DICT, 'utf8') : '';
      tags = new WordTags(main, user);
    } catch { tags = undefined; }
    built.set(key, tags);
    return tags;
  }

  /**
   * The words of jieba-rs's default dictionary, the one @node-rs/jieba loads (`Jieba.withDict(dict)`), tagged as
   * its tag() tags them. Read as cppjieba reads a dictionary, which is how jieba-rs reads this one: every line
   * "word freq tag", no word twice (jieba-rs would keep a repeated word's first tag, cppjieba its last; the unit
   * test checks the file has none).
   */
  static fromJiebaRs(dict: Uint8Array): WordTags {
    const key = '@node-rs/jieba';
    let tags = built.get(key);
    if (!tags) {
      tags = new WordTags(Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength).toString('utf8'), '', false, jiebaRsSpecialTag);
      built.set(key, tags);
    }
    return tags;
  }

  /** The slot of word w[from, to): where it is, or the free slot where it would go. */
  private find(w: string, from: number, to: number, h = hashRange(w, from, to)): number {
    const n = to - from, s = this.text;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const a = this.at[slot];
      if (a === EMPTY) return slot;
      if (this.hashes[slot] !== h || this.len[slot] !== n) continue;
      let k = 0;
      while (k < n && s.charCodeAt(a + k) === w.charCodeAt(from + k)) k++;
      if (k === n) return slot;
    }
  }

  /**
   * Words seen lately and their tags, in a direct-mapped cache of typed-array slots: a text's vocabulary is
   * small and repetitive (25,000 distinct words in the 686,000 of 1,000 articles), and one slot is one cache
   * line, where a hit in the 10 MB table is five (hash, position, length, tag, the word's text). A Map<string,
   * string> here cost 0.1 µs a word alone but 0.3 µs in the pipeline, where the tagger's 16 MB of weights
   * evict the Map's buckets, entries and key strings. Over six passes of 1,000 articles (tag() with
   * attachTagged, which inlines it; two runs each, alternating): 1,500 and 1,660 ms with the Map, 850 and
   * 910 ms with this cache. A hit compares the word unit by unit, so it is exact.
   */
  private readonly recent = new Int32Array(SLOT << RECENT_BITS);
  private readonly recentChars = new Uint16Array(this.recent.buffer);
  /** result id → tag: the dictionary's tags (id 0 unused), then SPECIAL_TAGS */
  private readonly results: string[];

  /** The tag nodejieba.tag gives this word. */
  tag(word: string): string {
    const n = word.length;
    const h = hashRange(word, 0, n);
    const rec = this.recent, b = (h & ((1 << RECENT_BITS) - 1)) * SLOT;
    if (rec[b] === h && (rec[b + 1] & 0xffff) === n && n !== 0) {
      const chars = this.recentChars, c = 2 * b + 4;
      let k = 0;
      while (k < n && chars[c + k] === word.charCodeAt(k)) k++;
      if (k === n) return this.results[rec[b + 1] >>> 16];
    }
    const slot = this.find(word, 0, n, h);
    const id = this.at[slot] === EMPTY ? 0 : this.tagId[slot];
    const tag = id ? this.tagNames[id] : this.special(word);
    if (n >= 1 && n <= RECENT_CHARS) {
      const result = id || this.tagNames.length + SPECIAL_TAGS.indexOf(tag);
      rec[b] = h; rec[b + 1] = n | (result << 16);
      const chars = this.recentChars, c = 2 * b + 4;
      for (let k = 0; k < n; k++) chars[c + k] = word.charCodeAt(k);
    }
    return tag;
  }
}
