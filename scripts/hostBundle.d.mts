import type { Metafile } from 'esbuild';
/** What the bundle built from `entry` holds of the recogniser or segmenter, each with its chain of imports. */
export function hostBundleViolations(metafile: Metafile, entry: string): string[];
