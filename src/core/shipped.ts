import { join, resolve } from 'node:path';

/**
 * Where a file the project ships in `folder` (models/, l10n/) may be, most likely first: beside the bundle
 * (dist/x.js → folder/), at the repository root when running from the sources (src/core → folder/), under the
 * working folder.
 */
export function shippedFileCandidates(folder: string, name: string): string[] {
  return [join(__dirname, '..', folder, name), join(__dirname, '..', '..', folder, name), resolve(process.cwd(), folder, name)];
}

/** Where a file shipped in models/ may be (shippedFileCandidates). */
export const modelsFileCandidates = (name: string): string[] => shippedFileCandidates('models', name);
