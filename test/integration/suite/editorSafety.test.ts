// Issue 15 in the editor: exports never offered into the corpus nor replacing articles, the panel's Filter
// after a row was selected, writes through symbolic links refused, "switch off for this file" with glob
// characters in the name, and Restricted Mode (the workspace's trust faked: the runner disables trust).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CorpusLensApi } from '../../../src/extension/extension';
import { diagCode, openDoc, until, useIndexedWorkspace, waitForDiagnostics, workspaceFile, workspaceRoot, snapshot } from './util';

const A001 = '001_c1021a8422364d99.txt';
let api: CorpusLensApi;

/**
 * Replaces `obj[key]` (a function of the shared vscode API object, which the extension's code also calls)
 * for the length of `fn`; the replacement records its calls.
 */
async function stubbed<T>(obj: any, key: string, impl: (...args: any[]) => unknown, fn: (calls: unknown[][]) => Promise<T>): Promise<T> {
  const original = obj[key];
  const calls: unknown[][] = [];
  obj[key] = (...args: unknown[]) => { calls.push(args); return impl(...args); };
  assert.notEqual(obj[key], original, `could not replace ${key}`);
  try { return await fn(calls); } finally { obj[key] = original; }
}

const outside = (p: string) => { const rel = path.relative(workspaceRoot().fsPath, p); return rel.startsWith('..') || path.isAbsolute(rel); };

async function asCorpus(name: string): Promise<vscode.TextDocument> {
  const { doc } = await openDoc(name);
  return doc.languageId === 'corpus' ? doc : vscode.languages.setTextDocumentLanguage(doc, 'corpus');
}

describe('safe writes in the editor (issue 15)', function () {
  this.timeout(120000);
  const extensionApi = useIndexedWorkspace();
  before(() => { api = extensionApi(); });

  it('case 5: Extract Entities offers a place beside the corpus, never the corpus folder or a file in it', async () => {
    await stubbed(vscode.window, 'showOpenDialog', async () => undefined, async (calls) => {
      assert.equal(await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'workspace', format: 'brat' }), undefined);
      assert.equal(calls.length, 1);
      const offered = (calls[0][0] as vscode.OpenDialogOptions).defaultUri;
      assert.ok(offered && outside(offered.fsPath), `offered ${offered?.fsPath} inside the workspace ${workspaceRoot().fsPath}`);
    });
    await stubbed(vscode.window, 'showSaveDialog', async () => undefined, async (calls) => {
      assert.equal(await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'workspace', format: 'json' }), undefined);
      const offered = (calls[0][0] as vscode.SaveDialogOptions).defaultUri;
      assert.ok(offered && outside(offered.fsPath), `offered ${offered?.fsPath} inside the workspace`);
    });
  });

  it('case 5: brat into the corpus folder, or JSON over an article, is refused without a Replace prompt and changes nothing', async () => {
    const root = workspaceRoot().fsPath;
    const before = snapshot(root);
    await stubbed(vscode.window, 'showWarningMessage', async (_m: string, _o: unknown, replace: string) => replace, async (prompts) => {
      await stubbed(vscode.window, 'showErrorMessage', async () => undefined, async (errors) => {
        assert.equal(await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'workspace', format: 'brat', target: workspaceRoot().toString() }), undefined);
        assert.equal(await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'workspace', format: 'brat', target: workspaceFile('brat-out').toString() }), undefined);
        assert.equal(await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'workspace', format: 'json', target: workspaceFile(A001).toString(), overwrite: true }), undefined);
        assert.deepEqual(prompts, []);
        assert.deepEqual(errors.map((e) => String(e[0]).replace(/ in .* they/, ' in … they')), [
          'brat writes a .txt copy of every article: in … they would join the corpus. Choose a folder outside the workspace; nothing was written.',
          'brat writes a .txt copy of every article: in … they would join the corpus. Choose a folder outside the workspace; nothing was written.',
          `${A001} is an article; an export never replaces it. Choose another file; nothing was written.`,
        ]);
      });
    });
    assert.deepEqual(snapshot(root), before);
    // beside the corpus, brat is written
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-brat-'));
    try {
      const brat = { scope: 'workspace', format: 'brat', target: vscode.Uri.file(out).toString() };
      const r = await vscode.commands.executeCommand<{ files: string[] }>('corpusLens.extractEntities', brat);
      assert.ok(r.files.includes(path.join(out, A001)));
      // over its own earlier export: asks, and replaces when told to
      await stubbed(vscode.window, 'showWarningMessage', async (_m: string, _o: unknown, replace: string) => replace, async (prompts) => {
        assert.ok(await vscode.commands.executeCommand('corpusLens.extractEntities', brat));
        assert.equal(prompts.length, 1);
      });
      // a folder of articles outside the workspace (a .txt without its .ann): refused, nothing asked
      const articles = path.join(out, 'articles');
      fs.mkdirSync(articles);
      fs.writeFileSync(path.join(articles, A001), 'an article of another corpus\n');
      await stubbed(vscode.window, 'showWarningMessage', async (_m: string, _o: unknown, replace: string) => replace, async (prompts) => {
        await stubbed(vscode.window, 'showErrorMessage', async () => undefined, async (errors) => {
          assert.equal(await vscode.commands.executeCommand('corpusLens.extractEntities', { ...brat, target: vscode.Uri.file(articles).toString() }), undefined);
          assert.deepEqual([prompts.length, errors.map((e) => e[0])], [0, [`${A001} is an article; an export never replaces it. Choose another file; nothing was written.`]]);
        });
      });
      assert.deepEqual([fs.readdirSync(articles), fs.readFileSync(path.join(articles, A001), 'utf8')], [[A001], 'an article of another corpus\n']);
    } finally { fs.rmSync(out, { recursive: true, force: true }); }
  });

  it('case 5: the panel\'s Filter button after a row was selected opens the input box; the article stays as it was', async () => {
    const { doc } = await openDoc(A001);
    const d = doc.languageId === 'corpus' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'corpus');
    const text = d.getText();
    await api.client.analyse(d);
    await vscode.commands.executeCommand('corpusLens.scopeArticle');
    await until(async () => (await api.tree.getChildren()).length > 0, 15000, 'the panel to list the article\'s entities');
    const [row] = await api.tree.getChildren();
    await api.tree.view!.reveal(row, { select: true, focus: true });
    // the title bar's Filter button passes the focused row to the command (what VS Code does)
    let settled: 'resolved' | Error | undefined;
    const run = Promise.resolve(vscode.commands.executeCommand('corpusLens.filterEntities', row)).then(() => { settled = 'resolved'; }, (e: Error) => { settled = e; });
    // the input box is open: dismiss it (Escape) until the command returns
    await until(async () => { if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); return settled !== undefined; }, 15000, 'the Filter command to return');
    await run;
    assert.equal(settled, 'resolved', `the command failed: ${settled instanceof Error ? settled.message : ''}`);
    assert.equal(api.tree.filter, '');
    assert.equal(d.getText(), text);
    assert.equal(d.isDirty, false);
    // a string argument still filters at once
    await vscode.commands.executeCommand('corpusLens.filterEntities', '王');
    assert.equal(api.tree.filter, '王');
    await vscode.commands.executeCommand('corpusLens.clearFilter');
  });

  it('case 13: a symlinked .corpus-lens folder or .corpus-lens.json is not written through', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-outside-'));
    const dictLink = workspaceFile('.corpus-lens').fsPath, cfgLink = workspaceFile('.corpus-lens.json').fsPath;
    fs.rmSync(dictLink, { recursive: true, force: true });
    fs.writeFileSync(path.join(out, 'config.json'), '{}\n');
    fs.symlinkSync(out, dictLink);
    try {
      await stubbed(vscode.window, 'showErrorMessage', async () => undefined, async (errors) => {
        assert.equal(await vscode.commands.executeCommand('corpusLens.addToDictionary', '重点项目', 'ORG'), false);
        assert.equal(await vscode.commands.executeCommand('corpusLens.markNotEntity', '郭志宏'), false);
        fs.unlinkSync(dictLink);
        fs.symlinkSync(path.join(out, 'config.json'), cfgLink);
        const doc = await asCorpus('002_74056459ba3d8153.txt');
        assert.equal(await vscode.commands.executeCommand('corpusLens.switchOffRule', 'halfwidth-punctuation', doc.uri.toString(), 'folder'), false);
        assert.deepEqual(errors.map((e) => e[0]), [
          '.corpus-lens/dictionary.tsv leads outside the workspace folder (a symbolic link); Corpus Lens writes only inside it, nothing was changed.',
          '.corpus-lens/not-entities.txt leads outside the workspace folder (a symbolic link); Corpus Lens writes only inside it, nothing was changed.',
          '.corpus-lens.json leads outside the workspace folder (a symbolic link); Corpus Lens writes only inside it, nothing was changed.',
        ]);
      });
      assert.deepEqual(fs.readdirSync(out), ['config.json']);
      assert.equal(fs.readFileSync(path.join(out, 'config.json'), 'utf8'), '{}\n');
    } finally {
      fs.rmSync(dictLink, { force: true });
      fs.rmSync(cfgLink, { force: true });
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('case 14: "switch off for this file" with !neg.corpus, b?.txt, a[1].txt, x{1,2}.txt switches it off for that file only', async () => {
    const dir = workspaceFile('globs').fsPath;
    fs.mkdirSync(dir);
    // two findings each: halfwidth-punctuation (switched off) and paragraph-indent (stays, so there is always one to wait for)
    // (one half-width comma beside one full-width: a tie counts for full width, so the half-width one is flagged)
    const article = '标题\n\n17.10.2018  06:24\n\n  上午,省委书记说，好。\n\n没有缩进。\n';
    const pairs = [['!neg.corpus', 'neg.corpus'], ['b?.txt', 'b1.txt'], ['a[1].txt', 'a1.txt'], ['x{1,2}.txt', 'x1.txt']];
    for (const name of pairs.flat()) fs.writeFileSync(path.join(dir, name), article);
    try {
      // (the quick fix's command, with the arguments the code action gives it)
      for (const [name] of pairs) await vscode.commands.executeCommand('corpusLens.switchOffRule', 'halfwidth-punctuation', workspaceFile(`globs/${name}`).toString(), 'file');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const got: Record<string, string[]> = {};
      for (const name of pairs.flat()) {
        const doc = await asCorpus(`globs/${name}`);
        got[name] = (await waitForDiagnostics(doc.uri, (x) => x.length > 0)).map(diagCode).sort();
      }
      const on = ['halfwidth-punctuation', 'paragraph-indent'], off = ['paragraph-indent'];
      assert.deepEqual(got, Object.fromEntries(pairs.flatMap(([name, other]) => [[name, off], [other, on]])));
      const cfg = JSON.parse(fs.readFileSync(path.join(dir, '.corpus-lens.json'), 'utf8'));
      assert.deepEqual(cfg.overrides.map((o: { files: string[] }) => o.files), [['\\!neg.corpus'], ['b\\?.txt'], ['a\\[1\\].txt'], ['x\\{1\\,2\\}.txt']]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('case 12: in Restricted Mode nothing is written into the workspace and its dictionary and .corpus-lens.json are not read', async () => {
    const ws = vscode.workspace as any;
    const own = Object.getOwnPropertyDescriptor(ws, 'isTrusted');
    assert.ok(own?.configurable, 'vscode.workspace.isTrusted cannot be faked here');
    const root = workspaceRoot().fsPath;
    const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-export-')), 'a.json');
    Object.defineProperty(ws, 'isTrusted', { configurable: true, get: () => false });
    try {
      assert.equal(vscode.workspace.isTrusted, false);
      const before = snapshot(root);
      const doc = await asCorpus('002_74056459ba3d8153.txt');
      await stubbed(vscode.window, 'showErrorMessage', async () => undefined, async (errors) => {
        assert.equal(await vscode.commands.executeCommand('corpusLens.addToDictionary', '重点项目', 'ORG'), false);
        assert.equal(await vscode.commands.executeCommand('corpusLens.markNotEntity', '郭志宏'), false);
        assert.equal(await vscode.commands.executeCommand('corpusLens.switchOffRule', 'halfwidth-punctuation', doc.uri.toString(), 'file'), false);
        assert.equal(await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'article', format: 'json', target: workspaceFile('restricted.json').toString() }), undefined);
        assert.equal(errors.length, 4);
        for (const [m] of errors) assert.match(String(m), /^Restricted Mode: Corpus Lens writes nothing into this workspace/);
      });
      assert.deepEqual(snapshot(root), before);
      // an export the user sends outside the workspace is the user's act
      const r = await vscode.commands.executeCommand<{ files: string[] }>('corpusLens.extractEntities', { scope: 'article', format: 'json', target: vscode.Uri.file(outFile).toString() });
      assert.deepEqual(r.files, [outFile]);

      // files the workspace ships are not read: its dictionary and its .corpus-lens.json
      fs.mkdirSync(workspaceFile('.corpus-lens').fsPath, { recursive: true });
      fs.writeFileSync(workspaceFile('.corpus-lens/dictionary.tsv').fsPath, '重点项目\tORG\n');
      fs.writeFileSync(workspaceFile('.corpus-lens.json').fsPath, '{ "rules": { "halfwidth-punctuation": "off" } }\n');
      await api.dictionary.reload();
      const a001 = await asCorpus(A001);
      assert.ok(!(await api.client.analyse(a001)).entities.some((e) => e.name === '重点项目'));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // (an article with a half-width comma beside a full-width one: a tie, so the half-width one is a finding)
      fs.writeFileSync(workspaceFile('mixed.txt').fsPath, '标题\n\n17.10.2018  06:24\n\n  上午,省委书记说，好。\n');
      const fresh = await asCorpus('mixed.txt');
      assert.ok((await waitForDiagnostics(fresh.uri, (x) => x.length > 0)).some((d) => diagCode(d) === 'halfwidth-punctuation'));
    } finally {
      if (own) Object.defineProperty(ws, 'isTrusted', own); else delete ws.isTrusted;
      fs.rmSync(workspaceFile('.corpus-lens.json').fsPath, { force: true });
      fs.rmSync(workspaceFile('mixed.txt').fsPath, { force: true });
      fs.rmSync(workspaceFile('.corpus-lens').fsPath, { recursive: true, force: true });
      fs.rmSync(path.dirname(outFile), { recursive: true, force: true });
      await api.dictionary.reload();
    }
  });
});
