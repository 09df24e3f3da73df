/**
 * Entity lexicon learned from the training data: surface forms of the PER/LOC/ORG spans annotated in
 * the training sets (never the evaluation sets), stored in the model file. The tagger sees, per
 * type, forward-maximum-matching cover labels of these strings (like the gazetteer features).
 * Training uses jack-knifed lexicons (each sentence sees only the strings of the other folds), so
 * the learned weights reflect how reliable a lexicon match is on unseen text.
 */
import { mixInt } from './hash';
import { markCover } from './cover';
import { IntPairTable } from './intPairTable';

export const LEX_TYPES = ['PER', 'LOC', 'ORG'] as const;
export const LEX_KINDS = 3;
const MAX_LEN = 12;
const PREFIX = 8;
const LONGER = 8;
const pairHash = (a: number, b: number) => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 12;

const step = (h: number, c: number) => mixInt(h, c);
const SEED = 0x1f3d5b79;

/** Rolling-hash lexicon: key(prefix) → flags (bit t: a type-t entry ends here; PREFIX: a longer entry continues). */
export class Lexicon {
  private map = new Map<number, number>();
  /**
   * BMP fast path: single[c] = types of one-character entries (bits 0-2) | LONGER when c starts a
   * longer entry; pairs = bitmap of hashed first-two-character pairs of the longer entries. Most
   * positions are decided by these two array reads without touching the prefix table.
   */
  private single = new Uint8Array(0x10000);
  private pairs = new Uint8Array(1 << 17);
  /** entries per type (what the model file stores) */
  readonly entries: string[][] = [[], [], []];
  add(s: string, type: number): void {
    const cps = [...s];
    if (cps.length === 0 || cps.length > MAX_LEN) return;
    this.entries[type].push(s);
    const c0 = cps[0].codePointAt(0)!;
    if (c0 < 0x10000) {
      if (cps.length === 1) this.single[c0] |= 1 << type;
      else { this.single[c0] |= LONGER; const ph = pairHash(c0, cps[1].codePointAt(0)!); this.pairs[ph >>> 3] |= 1 << (ph & 7); }
    }
    let h = SEED;
    for (let i = 0; i < cps.length; i++) {
      h = step(h, cps[i].codePointAt(0)!);
      const f = this.map.get(h) ?? 0;
      this.map.set(h, i === cps.length - 1 ? f | (1 << type) : f | PREFIX);
      this.dirty = true;
    }
  }
  /** the map as a typed-array table, built on first use after add() */
  private table = new IntPairTable(0, []);
  private dirty = true;
  static fromEntries(entries: string[][]): Lexicon {
    const l = new Lexicon();
    entries.forEach((list, t) => { for (const s of list) l.add(s, t); });
    return l;
  }
  get size(): number { return this.entries.reduce((a, l) => a + l.length, 0); }

  /**
   * Forward-maximum-matching Cover labels per type (layout labels[t * n + i]), Aligned when the match
   * coincides with jieba word boundaries (wordPos: the words' Cover labels).
   */
  labels(cps: Int32Array, n: number, wordPos: Uint8Array, out: Uint8Array): Uint8Array {
    out.fill(0, 0, LEX_KINDS * n);
    if (this.dirty) { this.table = new IntPairTable(this.map.size, [...this.map].map(([h, f]) => [h, 0, f] as const)); this.dirty = false; }
    const table = this.table;
    let c0 = 0, c1 = 0, c2 = 0; // covered-until per type
    const single = this.single, pairs = this.pairs;
    for (let i = 0; i < n; i++) {
      const c = cps[i];
      if (c < 0x10000) {
        const f = single[c];
        if (f === 0) continue;
        // no longer entry can start here: only the one-character entries matter
        let longer = (f & LONGER) !== 0 && i + 1 < n;
        if (longer) { const ph = pairHash(c, cps[i + 1]); longer = (pairs[ph >>> 3] & (1 << (ph & 7))) !== 0; }
        if (!longer) {
          if ((f & 1) && i >= c0) { markCover(out, 0 * n + i, 1, i, wordPos); c0 = i + 1; }
          if ((f & 2) && i >= c1) { markCover(out, 1 * n + i, 1, i, wordPos); c1 = i + 1; }
          if ((f & 4) && i >= c2) { markCover(out, 2 * n + i, 1, i, wordPos); c2 = i + 1; }
          continue;
        }
      }
      let h = SEED, b0 = 0, b1 = 0, b2 = 0;
      for (let j = i; j < n && j - i < MAX_LEN; j++) {
        h = step(h, cps[j]);
        const f = table.get(h, 0, 0);
        if (f === 0) break;
        const L = j + 1 - i;
        if (f & 1) b0 = L;
        if (f & 2) b1 = L;
        if (f & 4) b2 = L;
        if (!(f & PREFIX)) break;
      }
      if (b0 && i >= c0) { markCover(out, 0 * n + i, b0, i, wordPos); c0 = i + b0; }
      if (b1 && i >= c1) { markCover(out, 1 * n + i, b1, i, wordPos); c1 = i + b1; }
      if (b2 && i >= c2) { markCover(out, 2 * n + i, b2, i, wordPos); c2 = i + b2; }
    }
    return out;
  }
}

/** Builds a lexicon from annotated spans, keeping strings annotated at least minCount times with a type. */
export function buildLexicon(sents: { text: string; spans: { start: number; end: number; type: string }[] }[], minCount = 1): Lexicon {
  const counts = new Map<string, number>();
  for (const s of sents) for (const sp of s.spans) {
    const t = LEX_TYPES.indexOf(sp.type as typeof LEX_TYPES[number]);
    if (t < 0) continue;
    const k = t + '\u0000' + s.text.slice(sp.start, sp.end);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const lex = new Lexicon();
  for (const [k, c] of counts) if (c >= minCount) lex.add(k.slice(2), +k[0]);
  return lex;
}
