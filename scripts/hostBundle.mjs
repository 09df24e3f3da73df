// The extension host must stay light: segmentation and recognition run in the worker (dist/worker.js), so the
// extension-host bundle (dist/extension.js) may hold none of their code. Checked on esbuild's metafile by
// scripts/build.mjs (the build fails) and by test/unit/hostBundle.test.ts (npm test fails).

/** Source files the extension host may not bundle. src/core/ner/types.ts is the entity types' vocabulary shared
 *  with the panel and the worker's answers: data shapes and the list PER/LOC/ORG, no recognition code. */
const FORBIDDEN_INPUT = /(^|\/)src\/core\/(ner|segment)\/|(^|\/)node_modules\/(nodejieba|@node-rs\/jieba[^/]*|jieba-wasm)\//;
const ALLOWED_INPUT = /(^|\/)src\/core\/ner\/types\.ts$/;
/** Packages the extension host may not load, even left external. */
const FORBIDDEN_PACKAGE = /^(nodejieba|@node-rs\/jieba[^/]*|jieba-wasm)(\/|$)/;

/**
 * What the bundle built from `entry` holds that it may not: one line per forbidden file or package, with the chain
 * of imports that reached it from the entry. Empty when the bundle is clean.
 * @param {import('esbuild').Metafile} metafile
 * @param {string} entry the entry point as the metafile names it (e.g. src/extension/extension.ts)
 * @returns {string[]}
 */
export function hostBundleViolations(metafile, entry) {
  const via = new Map([[entry, undefined]]);
  const queue = [entry];
  const found = [];
  const chain = (file) => { const c = []; for (let f = file; f !== undefined; f = via.get(f)) c.unshift(f); return c.join(' → '); };
  while (queue.length) {
    const file = queue.shift();
    for (const imp of metafile.inputs[file]?.imports ?? []) {
      if (imp.external) {
        // type-only imports appear as external relative paths; a package left external would be loaded at run time
        if (FORBIDDEN_PACKAGE.test(imp.path)) found.push(`${chain(file)} → ${imp.path} (external package)`);
        continue;
      }
      if (via.has(imp.path)) continue;
      via.set(imp.path, file);
      if (FORBIDDEN_INPUT.test(imp.path) && !ALLOWED_INPUT.test(imp.path)) found.push(chain(imp.path));
      else queue.push(imp.path);
    }
  }
  return found;
}
