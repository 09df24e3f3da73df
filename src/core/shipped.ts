import { join, resolve } from 'node:path';

/**
 * Where a file the project ships in models/ may be, most likely first: beside the bundle (dist/x.js → models/),
 * at the repository root when running from the sources (src/core → models/), under the working folder.
 */
export function modelsFileCandidates(name: string): string[] {
  return [join(__dirname, '..', 'models', name), join(__dirname, '..', '..', 'models', name), resolve(process.cwd(), 'models', name)];
}
