/**
 * Where a rule is documented: its row of the README's rule table. `npm run generate` writes the rows with
 * `ruleRow`; the extension finds them with `ruleRowLines` to link a finding's code to its row.
 */

export const ruleRow = (code: string, severity: string, description: string) => `| \`${code}\` | ${severity} | ${description} |`;

/** The 1-based line of each rule's row in the README's text, by code. */
export function ruleRowLines(readme: string): Map<string, number> {
  const lines = new Map<string, number>();
  readme.split('\n').forEach((l, i) => {
    const m = /^\| `([a-z0-9-]+)` \|/.exec(l);
    if (m && !lines.has(m[1])) lines.set(m[1], i + 1);
  });
  return lines;
}
