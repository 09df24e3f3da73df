// The analysis worker's settings in the real extension host.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, openDoc, until, waitFor } from './util';

describe('analysis worker settings', function () {
  this.timeout(120000);
  afterEach(async () => { await vscode.commands.executeCommand('workbench.action.closeAllEditors'); });

  it('changing corpusLens.segmenter restarts the worker with it, and the open article is analysed again', async () => {
    const api = (await activateExtension()).exports;
    const { doc } = await openDoc('001_c1021a8422364d99.txt');
    const d = doc.languageId === 'corpus' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'corpus');
    const before = await api.client.analyse(d);
    await until(() => api.client.info?.backend === 'nodejieba' && !api.client.info.provisional, 60000, 'nodejieba loaded');
    const cfg = vscode.workspace.getConfiguration('corpusLens');
    // (a refresh still out from nodejieba's taking over may land first: wait for the one by jieba-wasm)
    const again = waitFor(api.client.onDidRefresh, (u) => u.toString() === d.uri.toString() && api.client.info?.backend === 'jieba-wasm', 60000, 'the article analysed again with jieba-wasm');
    await cfg.update('segmenter', 'jieba-wasm', vscode.ConfigurationTarget.Workspace);
    try {
      await again;
      assert.deepEqual(api.client.info, { ...api.client.info, backend: 'jieba-wasm', provisional: false });
      const after = await api.client.analyse(d);
      assert.ok(after.entities.length > 0 && before.entities.length > 0);
    } finally {
      await cfg.update('segmenter', undefined, vscode.ConfigurationTarget.Workspace);
      // the later suites expect nodejieba (a restart with quick start: jieba-wasm first, then nodejieba)
      await until(() => api.client.info?.backend === 'nodejieba' && !api.client.info.provisional, 60000, 'nodejieba back');
    }
  });
});
