/**
 * A read-only map from pairs of 32-bit integers to values, in typed arrays with open addressing: the hot
 * look-ups of the gazetteer trie (node, code point → child) and the entity lexicon (prefix hash → flags),
 * where a Map per node, or Map.get on keys that are mostly heap numbers, cost twice as much.
 */
export class IntPairTable {
  private readonly xs: Int32Array;
  private readonly ys: Int32Array;
  private readonly values: Int32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;

  /** From `count` entries [x, y, value]; a pair given twice keeps its first value. */
  constructor(count: number, entries: Iterable<readonly [number, number, number]>) {
    let cap = 1;
    while (cap < count * 2) cap <<= 1;
    this.xs = new Int32Array(cap);
    this.ys = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
    for (const [x, y, v] of entries) {
      let slot = pairHash(x, y) & this.mask;
      while (this.used[slot] && (this.xs[slot] !== x || this.ys[slot] !== y)) slot = (slot + 1) & this.mask;
      if (this.used[slot]) continue;
      this.used[slot] = 1; this.xs[slot] = x; this.ys[slot] = y; this.values[slot] = v;
    }
  }

  /** The value of (x, y), or `missing`. */
  get(x: number, y: number, missing: number): number {
    for (let slot = pairHash(x, y) & this.mask; this.used[slot]; slot = (slot + 1) & this.mask) {
      if (this.xs[slot] === x && this.ys[slot] === y) return this.values[slot];
    }
    return missing;
  }
}

const pairHash = (x: number, y: number) => (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca6b)) >>> 7;
