/**
 * The calibration that maps a mention's margin (confidence.ts) to its confidence in [0, 1]: a logistic per type,
 * fitted on held-out sentences (scripts/train.ts --validate --calibrate), kept in the model's record.
 */
import { EntityType, ENTITY_TYPES } from './types';

/**
 * confidence = 1 / (1 + exp(-(a · margin + b))), per type, a > 0; the margin in the perceptron's weight units (the
 * recogniser converts from the int8 table's steps), which two trainings of one configuration share.
 */
export interface Calibration {
  /** what the parameters were fitted on (for the record) */
  fittedOn?: string;
  PER: { a: number; b: number };
  LOC: { a: number; b: number };
  ORG: { a: number; b: number };
}

/**
 * Used where a model carries no calibration (a model trained before confidences existed, the tests' small
 * models): half confidence at a zero margin, 0.9 at about the median margin of the shipped model's correct
 * mentions. Not fitted on data.
 */
export const DEFAULT_CALIBRATION: Calibration = { PER: { a: 0.02, b: 0 }, LOC: { a: 0.02, b: 0 }, ORG: { a: 0.02, b: 0 } };

/** Whether `c` has a usable logistic (positive slope, so the confidence rises with the margin) for every type. */
export function isCalibration(c: unknown): c is Calibration {
  if (!c || typeof c !== 'object') return false;
  return ENTITY_TYPES.every((t) => {
    const p = (c as Record<string, { a?: unknown; b?: unknown }>)[t];
    return !!p && typeof p.a === 'number' && typeof p.b === 'number' && p.a > 0 && Number.isFinite(p.b);
  });
}

/** The calibrated confidence of a margin for a mention of that type: in (0, 1), increasing in the margin. */
export function confidenceOf(margin: number, type: EntityType, c: Calibration = DEFAULT_CALIBRATION): number {
  const { a, b } = c[type];
  return 1 / (1 + Math.exp(-(a * margin + b)));
}
