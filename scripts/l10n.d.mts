/** Every string the code passes to l10n.t (src/extension and src/core): the keys of the English bundle. */
export function usedStrings(): Set<string>;
/** What is wrong with the bundles of `dir` (the English one and each translation) for these keys: one line each. */
export function bundleProblems(dir: string, keys: Set<string>): string[];
