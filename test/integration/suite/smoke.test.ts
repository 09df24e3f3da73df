// The extension is installed in the host, activates when a .corpus file is opened, and the file gets language `corpus`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, findWorkspaceFiles, openDoc, until } from './util';

describe('smoke', () => {
  it('the extension is present in the extension host', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed; have: ${vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id).join(', ')}`);
  });

  it('opening a sample .corpus file gives language `corpus` and activates the extension', async () => {
    const files = await findWorkspaceFiles('**/*.corpus');
    assert.ok(files.length > 0, 'the test workspace (copy of sample/corpus) has no .corpus files');
    const { doc } = await openDoc(files[0]);
    assert.equal(doc.languageId, 'corpus', `${files[0]} opened with language ${doc.languageId}`);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // activation is triggered by the open (onLanguage) or the workspace (workspaceContains); no event exposes it
    await until(() => ext.isActive, 20000, `${EXTENSION_ID} to activate`);
    assert.equal(ext.isActive, true);
  });
});
