// Bundles the extension, the worker, the CLI and the training script into dist/ with esbuild.
// The segmenters and the index database's engine stay external and ship in node_modules: nodejieba and @node-rs/jieba
// (native; @node-rs/jieba loads its platform's package, @node-rs/jieba-<platform>), jieba-wasm and node-sqlite3-wasm
// (each loads its .wasm beside itself).
// Target node20: the Node of VS Code 1.90 (engines.vscode), the oldest host the extension supports.
// The extension host's bundle may hold no recogniser or segmenter code (scripts/hostBundle.mjs): the build fails if it does.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { hostBundleViolations } from './hostBundle.mjs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true,
  external: ['vscode', 'nodejieba', '@node-rs/jieba', 'jieba-wasm', 'node-sqlite3-wasm'], logLevel: 'warning',
  // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow: its ES module build bundles
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};
const hostBundleGuard = {
  name: 'host-bundle-guard',
  setup(build) {
    build.onEnd((result) => {
      if (!result.metafile) return undefined;
      const found = hostBundleViolations(result.metafile, 'src/extension/extension.ts');
      return { errors: found.map((chain) => ({ text: `dist/extension.js must not bundle recogniser or segmenter code (it runs in the worker): ${chain}` })) };
    });
  },
};
const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', metafile: true, plugins: [hostBundleGuard] },
  { entryPoints: ['src/worker/worker.ts'], outfile: 'dist/worker.js' },
  // the concordance search: a short-lived thread per search, terminated on cancel or timeout (worker/searchClient.ts)
  { entryPoints: ['src/worker/search.ts'], outfile: 'dist/search.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['scripts/train.ts'], outfile: 'dist/train.js' },
  { entryPoints: ['scripts/bench.ts'], outfile: 'dist/bench.js' },
  // the integration suite runs inside the VS Code extension host (same module for code-server and test-electron)
  { entryPoints: ['test/integration/suite/index.ts'], outfile: 'out/test/integration/suite/index.js', external: ['vscode', 'mocha'] },
].filter((e) => existsSync(e.entryPoints[0]));

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e, external: [...common.external, ...(e.external ?? [])] })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching');
} else {
  // esbuild has printed the errors (logLevel): end without a stack trace
  const built = await Promise.all(contexts.map((c) => c.rebuild())).then(() => true, () => false);
  await Promise.all(contexts.map((c) => c.dispose()));
  if (!built) process.exit(1);
  console.log(`[build] ${entries.map((e) => e.outfile).join(', ')}`);
}
