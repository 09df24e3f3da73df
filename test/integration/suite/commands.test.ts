// The command table (src/extension/commands.ts) in a real VS Code: what the extension registers, and what its
// hover's command links may run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/extension/commands';
import { activateExtension, openDoc } from './util';

const A001 = '001_c1021a8422364d99.txt';
/** Commands VS Code itself makes for each contributed view (`corpusLens.entities.focus`, `corpusLens.concordance.open` …): not the extension's own. */
const isViewCommand = (id: string) => /^corpusLens\.\w+\.(focus|open|removeView|resetViewLocation|toggleVisibility)$/.test(id) || id.startsWith('workbench.view.extension.corpusLens');

describe('commands', function () {
  this.timeout(120000);
  afterEach(async () => { await vscode.commands.executeCommand('workbench.action.closeAllEditors'); });

  it('registers exactly the commands of the table', async () => {
    await activateExtension();
    const ours = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('corpusLens.') && !isViewCommand(id));
    assert.deepEqual(ours.sort(), Object.keys(COMMANDS).sort());
  });

  it('a hover trusts exactly the commands its links run, each one registered', async () => {
    const api = (await activateExtension()).exports;
    let { doc } = await openDoc(A001);
    if (doc.languageId !== 'corpus') doc = await vscode.languages.setTextDocumentLanguage(doc, 'corpus');
    await api.client.analyse(doc);
    const at = doc.positionAt(doc.getText().indexOf('王建平') + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const md = hovers.flatMap((h) => h.contents).find((c): c is vscode.MarkdownString => typeof c !== 'string' && /command:/.test(c.value));
    assert.ok(md, 'a hover with command links');
    const linked = [...md.value.matchAll(/\]\(command:([\w.]+)\?/g)].map((m) => m[1]);
    assert.deepEqual(linked, ['corpusLens.showConcordance', 'corpusLens.showTimeline', 'corpusLens.addToDictionary', 'corpusLens.markNotEntity']);
    const trusted = typeof md.isTrusted === 'object' ? md.isTrusted.enabledCommands : md.isTrusted;
    assert.deepEqual(trusted, linked);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of linked) assert.ok(registered.has(id), `${id} is registered`);
  });
});
