// Problems for every indexed article in the real extension host: the worker checks each file it indexes, the
// findings of articles that were never opened are in Problems (corpusLens.problems.scope "workspace", the
// default), an open document's own findings (with their quick fixes) take their place, disk changes are
// followed, and "openFiles" leaves the closed articles out. The status bar item counts them.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { checkArticle } from '../../../src/core/rules';
import { diagCode, until, useIndexedWorkspace, waitForDiagnostics, workspaceFile } from './util';

/** never opened by the suites that run before this one; its dateline writes a two-digit year */
const NEVER_OPENED = '008_b9092397196320aa.txt';
const brief = (ds: vscode.Diagnostic[]) => ds.map((d) => `${diagCode(d)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
const ours = (ds: readonly vscode.Diagnostic[]) => ds.filter((d) => d.source === 'corpus-lens');
const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());

describe('Problems for every indexed article', function () {
  this.timeout(120000);
  const extensionApi = useIndexedWorkspace();

  it('holds the findings of an article that was never opened, exactly, and the status bar counts them', async () => {
    const uri = workspaceFile(NEVER_OPENED);
    assert.ok(!isOpen(uri), `${NEVER_OPENED} is open: the test needs an article that is not`);
    const [expected] = checkArticle(fs.readFileSync(uri.fsPath, 'utf8'));
    const ds = ours(await waitForDiagnostics(uri, (x) => ours(x).length > 0, 30000));
    assert.deepEqual(brief(ds), ['dateline-short-year 2:6-2:8']);
    assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(ds[0].message, expected.message);
    assert.ok(!isOpen(uri), 'publishing the findings must not open the article');
    // the item counts what the collection holds, every file's
    const count = () => {
      let errors = 0, warnings = 0;
      for (const [, diags] of vscode.languages.getDiagnostics()) for (const d of ours(diags)) { if (d.severity === vscode.DiagnosticSeverity.Error) errors++; else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++; }
      return `$(error) ${errors} $(warning) ${warnings}`;
    };
    await until(() => extensionApi().diagnostics.statusText === count(), 10000, `the status bar to say ${count()} (it says ${extensionApi().diagnostics.statusText})`);
    assert.ok(/\$\(error\) [1-9]/.test(count()), count());
  });

  it('an open article shows its own findings, quick fixes included; closed again, the indexed ones are back', async () => {
    const uri = workspaceFile(NEVER_OPENED);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await until(() => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.languageId === 'corpus'), 15000, 'the article to become a corpus document');
    const live = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'corpus')!;
    const [d] = ours(await waitForDiagnostics(uri, (x) => ours(x).length > 0));
    let actions: vscode.CodeAction[] = [];
    await until(async () => {
      actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
      return actions.some((a) => a.title === 'Rewrite the dateline as "17.10.2018  06:24"');
    }, 10000, 'the rewrite among the quick fixes');
    const fix = actions.find((a) => a.title === 'Rewrite the dateline as "17.10.2018  06:24"')!;
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    // the unsaved text's findings win over the file on disk's
    await waitForDiagnostics(uri, (x) => ours(x).length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.equal(live.isDirty, false);
    assert.deepEqual(brief(ours(await waitForDiagnostics(uri, (x) => ours(x).length > 0))), ['dateline-short-year 2:6-2:8']);
  });

  it('follows the disk: a new article\'s findings appear without opening it, and go with the file', async () => {
    const uri = workspaceFile('problems-new.txt');
    fs.writeFileSync(uri.fsPath, '平阳县召开座谈会\n\n2018-10-17 06:24\n\n  县委书记在平阳县主持会议。\n');
    try {
      const ds = ours(await waitForDiagnostics(uri, (x) => ours(x).length > 0, 30000));
      assert.deepEqual(brief(ds), ['dateline-format 2:0-2:10', 'dateline-separator 2:10-2:11']);
      assert.ok(!isOpen(uri));
    } finally {
      fs.rmSync(uri.fsPath, { force: true });
    }
    await waitForDiagnostics(uri, (x) => ours(x).length === 0, 30000);
  });

  it('a folder removed with its articles (rm -r: one event for the folder) takes them out of the index and Problems', async () => {
    const dir = workspaceFile('problems-folder');
    fs.mkdirSync(dir.fsPath, { recursive: true });
    const a = workspaceFile('problems-folder/x1.txt'), b = workspaceFile('problems-folder/x2.txt');
    fs.writeFileSync(a.fsPath, '平阳县召开座谈会\n\n2018-10-17 06:24\n\n  县委书记在平阳县主持会议。\n');
    fs.writeFileSync(b.fsPath, '平阳县召开座谈会\n\n17.10.18  06:24\n\n  县委书记在平阳县主持会议。\n');
    await waitForDiagnostics(a, (x) => ours(x).length > 0, 30000);
    await waitForDiagnostics(b, (x) => ours(x).length > 0, 30000);
    const indexer = extensionApi().indexer;
    assert.ok(indexer.has(a.fsPath) && indexer.has(b.fsPath));
    fs.rmSync(dir.fsPath, { recursive: true, force: true });
    await waitForDiagnostics(a, (x) => ours(x).length === 0, 30000);
    await waitForDiagnostics(b, (x) => ours(x).length === 0, 30000);
    await until(() => !indexer.has(a.fsPath) && !indexer.has(b.fsPath), 10000, 'the index to drop the folder\'s articles');
  });

  it('with corpusLens.problems.scope "openFiles", closed articles have no findings in Problems', async () => {
    // (not the article above: VS Code may keep a closed editor's document open for a while)
    const uri = workspaceFile('004_5a791c50c574566a.txt');
    assert.ok(!isOpen(uri));
    await waitForDiagnostics(uri, (x) => ours(x).length > 0, 30000);
    const config = vscode.workspace.getConfiguration('corpusLens');
    await config.update('problems.scope', 'openFiles', vscode.ConfigurationTarget.Workspace);
    try {
      await waitForDiagnostics(uri, (x) => ours(x).length === 0, 30000);
      assert.deepEqual(vscode.languages.getDiagnostics().filter(([u, ds]) => !isOpen(u) && ours(ds).length > 0).map(([u]) => u.fsPath), []);
    } finally {
      await config.update('problems.scope', undefined, vscode.ConfigurationTarget.Workspace);
    }
    // back to the whole workspace: the worker checks the files again (without analysing them again)
    assert.deepEqual(ours(await waitForDiagnostics(uri, (x) => ours(x).length > 0, 30000)).map(diagCode), ['dateline-padding']);
  });

  it('a never-opened article whose dateline breaks the numbered order gets dateline-out-of-order there, naming its neighbours', async () => {
    // 012 is dated 06.09.2019 between 011 (14.05.2019) and 013 (28.12.2019): on disk, moved back to 2016
    const uri = workspaceFile('012_92bf2e97103b907b.txt');
    assert.ok(!isOpen(uri));
    const before = fs.readFileSync(uri.fsPath);
    const text = before.toString('utf8');
    assert.ok(text.includes('06.09.2019  15:20'));
    const isOrder = (d: vscode.Diagnostic) => d.source === 'corpus-lens-consistency' && diagCode(d) === 'dateline-out-of-order';
    fs.writeFileSync(uri.fsPath, text.replace('06.09.2019  15:20', '06.09.2016  15:20'));
    try {
      const ds = (await waitForDiagnostics(uri, (x) => x.some(isOrder), 30000)).filter(isOrder);
      assert.deepEqual(brief(ds), ['dateline-out-of-order 2:0-2:17']);
      assert.equal(ds[0].message, 'The dateline "06.09.2016  15:20" (2016-09-06) breaks the order of the file numbers: 011_07a950ffbb6680dd.txt before it is dated 2019-05-14, 013_059af2a38bcffb04.corpus after it 2019-12-28.');
      assert.ok(!isOpen(uri));
    } finally {
      fs.writeFileSync(uri.fsPath, before);
    }
    await waitForDiagnostics(uri, (x) => !x.some(isOrder), 30000);
  });
});
