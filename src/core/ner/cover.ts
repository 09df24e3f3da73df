/**
 * Cover labels: how a character sits in a span over the text. The segmenter's words and the forward-maximum
 * matches of the gazetteer's kinds and the lexicon's types are all told to the tagger this way. The numbers
 * are hashed into features: they are part of the model format (and tagger.wat reads them).
 */
export const enum Cover {
  None = 0,
  Begin = 1,
  Middle = 2,
  End = 3,
  Single = 4,
  /** added to a match's labels when the match begins and ends at word boundaries */
  Aligned = 4,
}

/** A span (a word, a match) begins at this character: Begin or Single, aligned or not. */
export function coverStarts(label: number): boolean {
  return label === Cover.Begin || label === Cover.Single || label === Cover.Begin + Cover.Aligned || label === Cover.Single + Cover.Aligned;
}
/** A span (a word, a match) ends at this character: End or Single, aligned or not. */
export function coverEnds(label: number): boolean {
  return label === Cover.End || label === Cover.Single || label === Cover.End + Cover.Aligned || label === Cover.Single + Cover.Aligned;
}

/**
 * Writes the labels of a match of `len` characters at out[base…]; `i` is the match's first character in
 * `wordPos`, the words' labels (none: no word boundaries known, never aligned).
 */
export function markCover(out: Uint8Array, base: number, len: number, i: number, wordPos?: Uint8Array): void {
  const al = wordPos && coverStarts(wordPos[i]) && coverEnds(wordPos[i + len - 1]) ? Cover.Aligned : 0;
  if (len === 1) { out[base] = Cover.Single + al; return; }
  out[base] = Cover.Begin + al;
  for (let m = 1; m < len - 1; m++) out[base + m] = Cover.Middle + al;
  out[base + len - 1] = Cover.End + al;
}
