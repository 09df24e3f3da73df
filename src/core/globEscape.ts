/**
 * A file name as a glob (picomatch, as `.corpus-lens.json` overrides are matched) that matches exactly that
 * name: "Switch off for this file" must not switch a rule off for `neg.corpus` because the file is called
 * `!neg.corpus`, nor for `b1.txt` because it is `b?.txt`.
 */

/**
 * Every character picomatch gives a meaning (wildcards, classes, braces, extglobs, quotes, a leading `!` or `#`)
 * gets a backslash; picomatch reads `\x` as a literal x (on every platform, as `picomatch.isMatch` is called
 * without its `windows` option). Undefined for a name with a backslash in it: picomatch 4 reads an escaped
 * backslash wrongly (`\\\|` becomes a regex alternation, `\\\\` one backslash), so no glob matches such a
 * name exactly.
 */
export function globEscape(name: string): string | undefined {
  if (name.includes('\\')) return undefined;
  return name.replace(/[*?[\]{}()!+@|^$,#~"]/g, '\\$&');
}
