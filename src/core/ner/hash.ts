/**
 * The integer hashes of the tagger's features (MurmurHash3's mixing and finalisation). tagger.wat writes
 * the same arithmetic out inline ($fin, $T, $h1…$h4); any change here changes every feature of the shipped
 * model, and the kernel must change with it.
 */

/** One MurmurHash3 block step: x mixed into the running hash h. */
export function mixInt(h: number, x: number): number {
  let k = Math.imul(x | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finalisation; never 0 (0 means "no feature" in a feature row). */
export function finalise(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

/** The hash of a string's UTF-16 units. */
export function hashString(s: string): number {
  let h = 0x2f1e3d5c;
  for (let i = 0; i < s.length; i++) h = mixInt(h, s.charCodeAt(i));
  return finalise(mixInt(h, s.length));
}

/** The seed of feature template number t: features of different templates never share a hash by design. */
export function templateSeed(t: number): number {
  return Math.imul(t + 1, 0x9e3779b1);
}

/** A feature of template t over one, two, three or four values (tagger.wat's $h1…$h4). */
export const h1 = (t: number, a: number): number => finalise(mixInt(templateSeed(t), a));
export const h2 = (t: number, a: number, b: number): number => finalise(mixInt(mixInt(templateSeed(t), a), b));
export const h3 = (t: number, a: number, b: number, c: number): number => finalise(mixInt(mixInt(mixInt(templateSeed(t), a), b), c));
export const h4 = (t: number, a: number, b: number, c: number, d: number): number =>
  finalise(mixInt(mixInt(mixInt(mixInt(templateSeed(t), a), b), c), d));
