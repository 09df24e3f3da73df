// Restricted Mode for real (issue 15, case 12): the runner's phase 1b starts code-server WITH workspace trust, in a
// fresh browser, on a fresh copy of the sample corpus; nothing has trusted that folder, so VS Code runs the
// extension host in Restricted Mode. The folder ships (run-code-server.mjs, UNTRUSTED_FILES):
//   .vscode/settings.json         corpusLens.maxFileSizeMB 0.1, index.exclude ["00*.txt"], files ["**/*.md"],
//                                 segmenter "jieba-wasm" (restricted configurations), dateline.startYear 2030 (not)
//   .corpus-lens.json             dateline-too-early off
//   .corpus-lens/dictionary.tsv   重点项目 ORG
//   .corpus-lens/not-entities.txt 王建平
// Selected only by CORPUS_LENS_RESTRICTED=1 (suite/index.ts): in the trusted host of phase 1 it would fail.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConfigCache, resolveRuleOptions } from '../../../src/core/config';
import type { CorpusLensApi } from '../../../src/extension/extension';
import { activateExtension, diagCode, openDoc, until, waitForDiagnostics, workspaceFile, workspaceRoot, snapshot } from './util';

const A013 = '013_059af2a38bcffb04.corpus'; // mentions 重点项目 (not an entity to the model) and the person 王建平
const A002 = '002_74056459ba3d8153.txt'; // half-width punctuation between Chinese characters; dateline 2017
const SHIPPED = {
  '.corpus-lens.json': '{ "rules": { "dateline-too-early": "off" } }\n',
  '.corpus-lens/dictionary.tsv': '重点项目\tORG\n',
  '.corpus-lens/not-entities.txt': '王建平\n',
};
let api: CorpusLensApi;

/** Replaces vscode.window[key] (the object the extension calls too) for the length of `fn`, recording the calls. */
async function recording<T>(key: 'showErrorMessage', fn: (calls: unknown[][]) => Promise<T>): Promise<T> {
  const win = vscode.window as any;
  const original = win[key];
  const calls: unknown[][] = [];
  win[key] = async (...args: unknown[]) => { calls.push(args); return undefined; };
  assert.notEqual(win[key], original, `could not replace vscode.window.${key}`);
  try { return await fn(calls); } finally { win[key] = original; }
}

async function asCorpus(name: string): Promise<vscode.TextDocument> {
  const { doc } = await openDoc(name);
  return doc.languageId === 'corpus' ? doc : vscode.languages.setTextDocumentLanguage(doc, 'corpus');
}

const entityTypes = (entities: { name: string; type: string }[], names: string[]) =>
  Object.fromEntries(names.map((n) => [n, entities.filter((e) => e.name === n).map((e) => e.type)]));

describe('Restricted Mode (an untrusted workspace, trust enabled)', function () {
  this.timeout(120000);
  let granted: vscode.Disposable | undefined, grantedDuringRun = false;
  before(async () => {
    // everything below would pass vacuously in a trusted workspace
    if (vscode.workspace.isTrusted) {
      throw new Error('vscode.workspace.isTrusted is true: this host is not in Restricted Mode (code-server started with --disable-workspace-trust, '
        + 'security.workspace.trust.enabled false, or the folder trusted in the browser), so these tests would test nothing');
    }
    granted = vscode.workspace.onDidGrantWorkspaceTrust(() => { grantedDuringRun = true; });
    api = (await activateExtension()).exports;
    await api.indexer.ready;
  });
  after(() => {
    granted?.dispose();
    if (grantedDuringRun || vscode.workspace.isTrusted) {
      throw new Error(`the workspace is trusted at the end (isTrusted ${vscode.workspace.isTrusted}, trust granted during the run: ${grantedDuringRun}): the results above do not show Restricted Mode`);
    }
  });
  afterEach(async () => { await vscode.commands.executeCommand('workbench.action.closeAllEditors'); });

  it('the workspace is untrusted, with trust enabled, and ships its settings, .corpus-lens.json and dictionary', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.workspace.getConfiguration('security.workspace.trust').get('enabled'), true);
    const root = workspaceRoot().fsPath;
    assert.deepEqual(Object.fromEntries(Object.keys(SHIPPED).map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')])), SHIPPED);
    assert.ok(fs.existsSync(path.join(root, '.vscode/settings.json')));
  });

  it('VS Code ignores the workspace\'s restricted settings: the extension sees the defaults, and the rest applies', async () => {
    const cfg = vscode.workspace.getConfiguration('corpusLens', null);
    const restricted = { maxFileSizeMB: 10, 'index.exclude': [], files: [], segmenter: 'nodejieba' };
    assert.deepEqual(Object.fromEntries(Object.keys(restricted).map((k) => [k, cfg.get(k)])), restricted);
    for (const key of Object.keys(restricted)) {
      const i = cfg.inspect(key)!;
      assert.deepEqual([key, i.workspaceValue, i.workspaceFolderValue], [key, undefined, undefined]);
    }
    // the file was read: a setting not restricted comes from it
    assert.deepEqual([cfg.get('dateline.startYear'), cfg.inspect('dateline.startYear')?.workspaceValue], [2030, 2030]);
    // and the extension acts on the defaults: 001-009 indexed (not excluded), README.md no article, nodejieba
    const indexed = (await api.indexer.queries.articles()).map((a) => a.file).map((f) => path.basename(f)).sort();
    assert.deepEqual(indexed.filter((f) => f.startsWith('00')).length, 9, `indexed: ${indexed.join(', ')}`);
    const { doc } = await openDoc('README.md');
    assert.equal(doc.languageId, 'markdown');
    await until(() => api.client.info?.provisional === false, 60000, 'the worker\'s segmenter');
    assert.equal(api.client.info?.backend, 'nodejieba');
  });

  it('nothing is written: Add to Dictionary, Not an Entity, Switch Off Rule (file, folder), an export into the workspace', async () => {
    const root = workspaceRoot().fsPath;
    const before = snapshot(root);
    const doc = await asCorpus(A002);
    await recording('showErrorMessage', async (errors) => {
      assert.deepEqual([
        await vscode.commands.executeCommand('corpusLens.addToDictionary', '李文涛', 'PER'),
        await vscode.commands.executeCommand('corpusLens.markNotEntity', '吕梁'),
        await vscode.commands.executeCommand('corpusLens.switchOffRule', 'halfwidth-punctuation', doc.uri.toString(), 'file'),
        await vscode.commands.executeCommand('corpusLens.switchOffRule', 'paragraph-indent', doc.uri.toString(), 'folder'),
        await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'article', format: 'json', target: workspaceFile('entities.json').toString() }),
        await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'workspace', format: 'csv', target: workspaceFile('.corpus-lens/entities.csv').toString() }),
      ], [false, false, false, false, undefined, undefined]);
      const unchanged = (f: string) => `Restricted Mode: Corpus Lens writes nothing into this workspace; ${f} is unchanged. Trust the workspace to allow it.`;
      const exportRefused = `Restricted Mode: Corpus Lens writes nothing into this workspace. Choose a place outside ${path.basename(root)}; nothing was written.`;
      assert.deepEqual(errors.map((e) => e[0]), [
        unchanged('.corpus-lens/dictionary.tsv'), unchanged('.corpus-lens/not-entities.txt'),
        unchanged('.corpus-lens.json'), unchanged('.corpus-lens.json'),
        exportRefused, exportRefused,
      ]);
    });
    assert.deepEqual(snapshot(root), before);
    assert.deepEqual(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.fsPath), []);
    // an export the user sends outside the workspace is the user's own act: written
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-restricted-')), 'a.json');
    try {
      const r = await vscode.commands.executeCommand<{ files: string[] }>('corpusLens.extractEntities', { scope: 'article', format: 'json', target: vscode.Uri.file(out).toString() });
      assert.deepEqual([r.files, fs.existsSync(out)], [[out], true]);
    } finally { fs.rmSync(path.dirname(out), { recursive: true, force: true }); }
  });

  it('the workspace\'s .corpus-lens.json is not applied: the switched-off rule still reports', async () => {
    const doc = await asCorpus(A002);
    // (the shipped file would switch it off where it is read)
    assert.equal(resolveRuleOptions(doc.uri.fsPath, {}, new ConfigCache(), workspaceRoot().fsPath).severities?.['dateline-too-early'], 'off');
    // the workspace's own setting that is not restricted applies (startYear 2030 puts the 2017 dateline too early),
    // and the rule the shipped file switches off still reports it
    const codes = (await waitForDiagnostics(doc.uri, (d) => d.some((x) => diagCode(x) === 'dateline-too-early'))).map(diagCode);
    assert.deepEqual(codes.filter((c) => c === 'dateline-too-early'), ['dateline-too-early']);
  });

  it('the workspace\'s .corpus-lens dictionary is not read: its entries change nothing', async () => {
    const doc = await asCorpus(A013);
    const names = ['重点项目', '王建平'];
    assert.deepEqual(entityTypes((await api.client.analyse(doc)).entities, names), { 重点项目: [], 王建平: ['PER'] });
    // the same files, given to the worker, would change both (so the check above is not vacuous)
    const root = workspaceRoot().fsPath;
    const tsvPath = path.join(root, '.corpus-lens/dictionary.tsv'), stopPath = path.join(root, '.corpus-lens/not-entities.txt');
    await api.client.request('setDictionary', { dictionary: { tsv: fs.readFileSync(tsvPath, 'utf8'), stop: fs.readFileSync(stopPath, 'utf8'), tsvPath, stopPath } });
    try {
      const copy = await vscode.workspace.openTextDocument({ content: doc.getText(), language: 'corpus' });
      assert.deepEqual(entityTypes((await api.client.analyse(copy)).entities, names), { 重点项目: ['ORG'], 王建平: [] });
    } finally {
      await api.client.reloadDictionary(); // (back to what the extension reads here: nothing)
    }
  });
});
