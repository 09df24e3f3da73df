/**
 * What the editor and the outputs need of a mention's confidence (core/ner/confidence.ts computes it), apart from
 * the recogniser: the extension host imports this and no code of src/core/ner.
 */

/** Rounded for output (JSON lines, CSV): 3 decimals. */
export const roundConfidence = (c: number): number => Math.round(c * 1000) / 1000;

/** Whether a mention counts as uncertain under the threshold (corpusLens.entities.confidenceThreshold); no confidence: certain. */
export function isUncertain(m: { confidence?: number }, threshold: number): boolean {
  return m.confidence !== undefined && m.confidence < threshold;
}

/** An entity's confidence in an article: that of its surest mention (1 where none has one). */
export function entityConfidence(e: { mentions: { confidence?: number }[] }): number {
  let best = -1;
  for (const m of e.mentions) best = Math.max(best, m.confidence ?? 1);
  return best < 0 ? 1 : best;
}
