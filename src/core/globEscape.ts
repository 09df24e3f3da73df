/**
 * A file name as a glob (core/glob, as `.corpus-lens.json` overrides are matched) that matches exactly that
 * name: "Switch off for this file" must not switch a rule off for `neg.corpus` because the file is called
 * `!neg.corpus`, nor for `b1.txt` because it is `b?.txt`.
 */

import { MAX_GLOB_LENGTH } from './glob';

/**
 * Every character the glob syntax gives a meaning (wildcards, classes, braces and their commas, the leading `!`,
 * the backslash itself, and the characters of an extended glob, which core/glob refuses) gets a backslash;
 * core/glob reads `\x` as a literal x. Undefined when the escaped name is longer than a glob may be
 * (MAX_GLOB_LENGTH: a config would refuse it).
 */
export function globEscape(name: string): string | undefined {
  const glob = name.replace(/[\\*?[\]{}()!,@+|]/g, '\\$&');
  return glob.length <= MAX_GLOB_LENGTH ? glob : undefined;
}
