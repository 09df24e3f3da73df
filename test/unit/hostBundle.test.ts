// The extension host bundles no recogniser or segmenter code: nodejieba's 3 s dictionary load, the model and
// the tagger belong to the worker (src/worker), and the host only speaks to it (scripts/hostBundle.mjs).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { hostBundleViolations } from '../../scripts/hostBundle.mjs';

const root = path.resolve(__dirname, '../..');
/** esbuild's metafile for a bundle as scripts/build.mjs makes dist/extension.js (nothing is written) */
async function metafileOf(entry: esbuild.BuildOptions): Promise<esbuild.Metafile> {
  const r = await esbuild.build({
    ...entry, absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external: ['vscode', 'nodejieba', '@node-rs/jieba', 'jieba-wasm'], write: false, metafile: true, logLevel: 'silent',
  });
  return r.metafile;
}
const probe = (contents: string) => metafileOf({ stdin: { contents, resolveDir: root, sourcefile: 'probe.ts', loader: 'ts' } });

describe('the extension-host bundle (dist/extension.js)', () => {
  it('holds no code of src/core/ner, src/core/segment, nodejieba, @node-rs/jieba or jieba-wasm', async () => {
    const entry = 'src/extension/extension.ts';
    assert.deepEqual(hostBundleViolations(await metafileOf({ entryPoints: [entry] }), entry), []);
  });

  it('the check names each forbidden import with the chain that reached it', async () => {
    const direct = await probe(`import { createRecogniser } from './src/core/ner/recogniser'; import { loadSegmenter } from './src/core/segment/backends'; console.log(createRecogniser, loadSegmenter);`);
    assert.deepEqual(hostBundleViolations(direct, 'probe.ts'), [
      'probe.ts → src/core/ner/recogniser.ts',
      'probe.ts → src/core/segment/backends.ts',
    ]);
    // the way it happened: the host's dictionary adapter took the dictionary file names from core/engine
    const viaEngine = hostBundleViolations(await probe(`import { DICTIONARY_FILE } from './src/core/engine'; console.log(DICTIONARY_FILE);`), 'probe.ts');
    assert.ok(viaEngine.includes('probe.ts → src/core/engine.ts → src/core/ner/index.ts'), viaEngine.join('\n'));
    assert.ok(viaEngine.every((chain) => chain.startsWith('probe.ts → src/core/engine.ts → src/core/')), viaEngine.join('\n'));
  });

  it('the check catches the segmenter packages even when left external, and allows the entity types', async () => {
    const m = await probe(`import { ENTITY_TYPES } from './src/core/ner/types'; const j = require('nodejieba'); import('jieba-wasm'); const r = require('@node-rs/jieba'); const d = require('@node-rs/jieba/dict'); console.log(ENTITY_TYPES, j, r, d);`);
    assert.deepEqual(hostBundleViolations(m, 'probe.ts'), [
      'probe.ts → nodejieba (external package)',
      'probe.ts → jieba-wasm (external package)',
      'probe.ts → @node-rs/jieba (external package)',
      'probe.ts → @node-rs/jieba/dict (external package)',
    ]);
  });
});
