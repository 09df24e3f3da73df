// Bundles the extension, the worker, the CLI and the training script into dist/ with esbuild.
// nodejieba (native) and jieba-wasm (loads its .wasm beside itself) stay external and ship in node_modules.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: true,
  external: ['vscode', 'nodejieba', 'jieba-wasm'], logLevel: 'warning',
};
const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/worker/worker.ts'], outfile: 'dist/worker.js' },
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
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`[build] ${entries.map((e) => e.outfile).join(', ')}`);
}
