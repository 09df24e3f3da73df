/** The segmenter options of the commands (extract/train --segmenter, tag/eval --backend): one spelling, one default. */
import { isSegmenterBackend, SEGMENTER_BACKENDS, type SegmenterBackend } from '../core/segment/segmenter';
import { SETTINGS } from '../core/settings';
import { printable, UsageError } from './io';

/** For usage lines: nodejieba|@node-rs/jieba|jieba-wasm */
export const BACKEND_CHOICES = SEGMENTER_BACKENDS.join('|');

/** The value of `flag`, or the extension's default (corpusLens.segmenter) when it is not given. */
export function parseBackend(flag: string, value: string | undefined): SegmenterBackend {
  const v = value ?? SETTINGS.segmenter.default;
  if (!isSegmenterBackend(v)) {
    const names = SEGMENTER_BACKENDS.slice(0, -1).join(', ') + ' or ' + SEGMENTER_BACKENDS[SEGMENTER_BACKENDS.length - 1];
    throw new UsageError(`${flag} must be ${names}, not "${printable(v)}"`);
  }
  return v;
}
