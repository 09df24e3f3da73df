// Language mode, dateline diagnostics, quick fixes, fix-all and rule switches in the real extension host.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, diagCode, EXTENSION_ID, openDoc, openUntitled, until, waitForDiagnostics, workspaceFile } from './util';

const datelineCodes = (ds: vscode.Diagnostic[]) => ds.filter((d) => diagCode(d).startsWith('dateline-')).map((d) => diagCode(d));
const brief = (ds: vscode.Diagnostic[]) => ds.map((d) => `${diagCode(d)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

/** Opens a sample .txt article and waits until auto-detection has switched it to the corpus language. */
async function openArticle(name: string): Promise<vscode.TextDocument> {
  await openDoc(name);
  const uri = workspaceFile(name).toString();
  await until(() => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri && d.languageId === 'corpus'), 15000, `${name} to become a corpus document`);
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri && d.languageId === 'corpus')!;
}

describe('language mode and dateline diagnostics', () => {
  before(async () => { await activateExtension(); });
  afterEach(async () => { await vscode.commands.executeCommand('workbench.action.closeAllEditors'); });

  it('switches an article-shaped .txt file to the corpus language', async () => {
    const doc = await openArticle('001_c1021a8422364d99.txt');
    assert.equal(doc.languageId, 'corpus');
  });

  it('opens .corpus files in the corpus language', async () => {
    const { doc } = await openDoc('013_059af2a38bcffb04.corpus');
    assert.equal(doc.languageId, 'corpus');
  });

  it('flags 2018-10-17 06:24 exactly and leaves the file on disk untouched', async () => {
    const file = workspaceFile('007_4953c83b7edf354b.txt');
    const before = fs.readFileSync(file.fsPath);
    const doc = await openArticle('007_4953c83b7edf354b.txt');
    const ds = await waitForDiagnostics(doc.uri, (d) => datelineCodes(d).length > 0);
    assert.deepEqual(brief(ds.filter((d) => diagCode(d).startsWith('dateline-'))), ['dateline-format 2:0-2:10', 'dateline-separator 2:10-2:11']);
    assert.equal(ds[0].source, 'corpus-lens');
    assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(ds[0].message, 'Date "2018-10-17" is written year-month-day with "-"; expected DD.MM.YYYY (17.10.2018).');
    assert.deepEqual(fs.readFileSync(file.fsPath), before, 'opening and checking must not change the file');
  });

  it("links a finding's code to its rule's row of the installed README, and the link opens there", async () => {
    const doc = await openArticle('007_4953c83b7edf354b.txt');
    const [d] = (await waitForDiagnostics(doc.uri, (x) => datelineCodes(x).includes('dateline-format'))).filter((x) => diagCode(x) === 'dateline-format');
    const code = d.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'dateline-format');
    const readme = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'README.md');
    assert.equal(code.target.with({ fragment: '' }).toString(), readme.toString());
    const line = Number(/^L(\d+)$/.exec(code.target.fragment)?.[1]);
    assert.match(fs.readFileSync(readme.fsPath, 'utf8').split('\n')[line - 1], /^\| `dateline-format` \| error \|/);
    await vscode.commands.executeCommand('vscode.open', code.target);
    await until(() => vscode.window.activeTextEditor?.document.uri.fsPath === readme.fsPath, 10000, 'the README to open');
    assert.equal(vscode.window.activeTextEditor!.selection.start.line, line - 1);
  });

  it('never flags the well-formed datelines (two spaces, space + NBSP, BOM, CRLF)', async () => {
    for (const name of ['001_c1021a8422364d99.txt', '002_74056459ba3d8153.txt', '003_0770aec23fd1b254.txt', '005_4f1bb932835715bb.txt']) {
      const doc = await openArticle(name);
      // the checker's own findings for this version, then what VS Code shows
      const api = (await activateExtension()).exports;
      assert.deepEqual(api.diagnostics.findings(doc).filter((f) => f.code.startsWith('dateline-')), [], name);
      assert.deepEqual(datelineCodes(vscode.languages.getDiagnostics(doc.uri)), [], name);
    }
  });

  for (const [name, code, fixed] of [
    ['004_5a791c50c574566a.txt', 'dateline-padding', '07.01.2018  06:24'],
    ['008_b9092397196320aa.txt', 'dateline-short-year', '17.10.2018  06:24'],
    ['009_406c72aaf2959179.txt', 'dateline-fullwidth-digits', '17.10.2018  06:24'],
  ] as const) {
    it(`quick fix for ${code} rewrites the dateline, clears the diagnostic, and can be undone`, async () => {
      const onDisk = fs.readFileSync(workspaceFile(name).fsPath, 'utf8');
      const doc = await openArticle(name);
      const original = doc.lineAt(2).text;
      const [d] = (await waitForDiagnostics(doc.uri, (x) => datelineCodes(x).includes(code))).filter((x) => diagCode(x) === code);
      // (asked again until the rewrite is offered: once in a full CI run the first request came back empty,
      // which the editor, asking on every cursor move, would not show; the wait ends at the state, not a time)
      let actions: vscode.CodeAction[] = [];
      const rewrite = (a: vscode.CodeAction) => a.title === `Rewrite the dateline as "${fixed}"`;
      await until(async () => {
        actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
        return actions.some(rewrite);
      }, 10000, 'the rewrite among the quick fixes').catch(() => undefined);
      const fix = actions.find(rewrite);
      assert.ok(fix, `no rewrite among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(fix.isPreferred, true);
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.equal(doc.lineAt(2).text, fixed);
      await waitForDiagnostics(doc.uri, (x) => datelineCodes(x).length === 0);
      assert.equal(fs.readFileSync(workspaceFile(name).fsPath, 'utf8'), onDisk, 'the fix is an edit in the editor, not a write to disk');
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.lineAt(2).text, original);
      await waitForDiagnostics(doc.uri, (x) => datelineCodes(x).includes(code));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  }

  it('offers each reading of an ambiguous date as its own fix, none preferred', async () => {
    const { doc } = await openUntitled('标题\n\n01/02/2018  06:24\n\n  正文。');
    const [d] = await waitForDiagnostics(doc.uri, (x) => datelineCodes(x).includes('dateline-format'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const rewrites = actions.filter((a) => a.title.startsWith('Rewrite'));
    assert.deepEqual(rewrites.map((a) => [a.title, !!a.isPreferred]), [
      ['Rewrite the dateline as "01.02.2018  06:24" (day first)', false],
      ['Rewrite the dateline as "02.01.2018  06:24" (month first)', false],
    ]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('source.fixAll fixes every unambiguous problem in one edit', async () => {
    // (one half-width comma beside one full-width: a tie counts for full width, so the half-width one is flagged)
    const { doc } = await openUntitled('标题\n\n2018-10-17 06:24\n\n  上午,省委书记说，好。\n\n没有缩进。');
    await waitForDiagnostics(doc.uri, (x) => x.length >= 4);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.corpusLens');
    assert.equal(actions.length, 1);
    assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
    assert.equal(doc.getText(), '标题\n\n17.10.2018  06:24\n\n  上午，省委书记说，好。\n\n  没有缩进。');
    await waitForDiagnostics(doc.uri, (x) => x.length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('source.fixAll leaves a dateline it cannot read and its lead unindented, and a date-shaped title is not the dateline', async () => {
    // issue 15, case 2: the line standing where the dateline stands, and the lead under it, are header lines
    for (const dl of ['17.10.2018  06:24  来源：新华社', '2018-10-17T06:24', '17.10.2018, 06:24']) {
      const { doc } = await openUntitled(`标题\n\n${dl}\n导语\n\n第一段。`);
      const ds = await waitForDiagnostics(doc.uri, (x) => x.some((d) => diagCode(d) === 'paragraph-indent'));
      assert.deepEqual(brief(ds), ['dateline-missing 2:0-2:' + dl.length, 'paragraph-indent 5:0-5:1'], dl);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.corpusLens');
      assert.equal(actions.length, 1, dl);
      assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
      assert.equal(doc.getText(), `标题\n\n${dl}\n导语\n\n  第一段。`);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    // case 3: 1971年12月2日 is the title, 04.06.1998  17:07 on line 3 the dateline
    const { doc } = await openUntitled('1971年12月2日\n\n04.06.1998  17:07\n导语\n\n第一段,完，好。');
    const ds = await waitForDiagnostics(doc.uri, (x) => x.some((d) => diagCode(d) === 'paragraph-indent'));
    assert.deepEqual(brief(ds), ['paragraph-indent 5:0-5:1', 'halfwidth-punctuation 5:3-5:4']);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.corpusLens');
    assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
    assert.equal(doc.getText(), '1971年12月2日\n\n04.06.1998  17:07\n导语\n\n  第一段，完，好。');
    await waitForDiagnostics(doc.uri, (x) => x.length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a quick-fix request (the light bulb on a cursor move) does not build fix-all; picking it does', async () => {
    // issue 15, case 10: a 1 MB article with 18,000 half-width commas beside as many full-width ones (a tie: the
    // half-width ones are flagged), each a safe fix
    const text = '标题\n\n17.10.2018  06:24\n\n' + ('  ' + '省委书记在会上说,省委书记在会上说，'.repeat(10) + '会议结束。\n\n').repeat(1800);
    const { doc } = await openUntitled(text);
    await waitForDiagnostics(doc.uri, (x) => x.length === 1000); // (VS Code shows 1,000 of the 18,000)
    const comma = new vscode.Range(4, 10, 4, 10); // the cursor just before the first comma
    // The request's time is the bench's (npm run bench, fix-all; npm run bench:host, the quick-fix request). What
    // is checked here is what kept the old code busy: it built fix-all's edit (18,000 edits) for every quick-fix
    // request, and the menu's entry came with it. Now it comes without, and is built when it is picked.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, comma, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles.slice(0, 1), ['Replace "," with "，"']);
    const fixAll = actions.find((a) => a.title === 'Fix all auto-fixable corpus problems in this file');
    assert.ok(fixAll, titles.join(' | '));
    assert.equal(fixAll.edit, undefined, 'not built for the menu');
    // picked: resolved (executeCodeActionProvider's last argument resolves that many actions)
    const resolved = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, comma, vscode.CodeActionKind.QuickFix.value, actions.length);
    const all = resolved.find((a) => a.title === fixAll.title)!;
    assert.equal(all.edit?.get(doc.uri).length, 18000);
    assert.ok(await vscode.workspace.applyEdit(all.edit!));
    assert.equal(doc.getText(), text.replace(/,/g, '，'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('switches a rule off for one file through .corpus-lens.json', async () => {
    // (the sample articles write half-width commas throughout: the full-width convention makes them findings)
    fs.writeFileSync(workspaceFile('.corpus-lens.json').fsPath, '{ "punctuation": "fullwidth" }\n');
    const doc = await openArticle('002_74056459ba3d8153.txt');
    await waitForDiagnostics(doc.uri, (x) => x.some((d) => diagCode(d) === 'halfwidth-punctuation'));
    await vscode.commands.executeCommand('corpusLens.switchOffRule', 'halfwidth-punctuation', doc.uri.toString(), 'file');
    await waitForDiagnostics(doc.uri, (x) => !x.some((d) => diagCode(d) === 'halfwidth-punctuation'));
    const cfg = JSON.parse(fs.readFileSync(workspaceFile('.corpus-lens.json').fsPath, 'utf8'));
    assert.deepEqual(cfg, { punctuation: 'fullwidth', overrides: [{ files: ['002_74056459ba3d8153.txt'], rules: { 'halfwidth-punctuation': 'off' } }] });
    // another article with the same fault still gets it
    const other = await openArticle('011_07a950ffbb6680dd.txt');
    await waitForDiagnostics(other.uri, (x) => x.some((d) => diagCode(d) === 'halfwidth-punctuation'));
    fs.unlinkSync(workspaceFile('.corpus-lens.json').fsPath);
  });

  it('lists title, dateline, lead and paragraphs in the outline', async () => {
    const doc = await openArticle('001_c1021a8422364d99.txt');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(symbols.slice(0, 2).map((s) => [s.name, s.detail]), [['晋中市召开2017年重点项目建设推进大会', 'title'], ['17.03.2017  09:15', 'dateline']]);
    assert.equal(symbols[2].detail, 'lead');
    assert.deepEqual(symbols.slice(3).map((s) => s.detail), ['¶1', '¶2', '¶3', '¶4', '¶5']);
  });

  it('outlines a long article (parsed in the worker) with the same symbols a short one gets', async () => {
    const para = '  市委书记周国平在晋北市主持会议，华晋能源集团负责人参加。\r\n\r\n';
    const count = Math.ceil(110000 / para.length);
    // an untitled document: nothing is written into the workspace, so the corpus index of later tests is unchanged
    const { doc } = await openUntitled('晋北新闻\r\n\r\n17.10.2018  06:24\r\n\r\n' + para.repeat(count));
    assert.ok(doc.getText().length > 100000);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(symbols.slice(0, 3).map((s) => [s.name, s.detail]), [['晋北新闻', 'title'], ['17.10.2018  06:24', 'dateline'], ['市委书记周国平在晋北市主持会议，…', '¶1']]);
    assert.deepEqual([symbols[2].range.start.line, symbols[2].range.start.character, symbols[2].range.end.line, symbols[2].range.end.character], [4, 0, 4, para.indexOf('\r')]);
    assert.equal(symbols.length, 2 + 300 + 1); // at most 300 paragraphs one by one, then one "… more" entry
    assert.equal(symbols[symbols.length - 1].name, `… ${count - 300} more paragraphs`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
