// Entities in the real extension host: hover, the panel's tree, Extract Entities, dictionary actions, edits.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../../../src/core/analysis';
import type { CorpusLensApi } from '../../../src/extension/extension';
import { openDoc, openUntitled, rows, useIndexedWorkspace, waitFor, workspaceFile, workspaceRoot } from './util';

const A001 = '001_c1021a8422364d99.txt';
let api: CorpusLensApi;

function occurrences(text: string, s: string): number {
  let n = 0;
  for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + s.length)) n++;
  return n;
}

/** Every sample article's text, as the tests' expectations are computed from it. */
function sampleTexts(): Map<string, string> {
  const root = workspaceRoot().fsPath;
  const out = new Map<string, string>();
  for (const f of fs.readdirSync(root)) if (/^\d{3}_.*\.(txt|corpus)$/.test(f)) out.set(f, fs.readFileSync(path.join(root, f), 'utf8').replace(/^\ufeff/, ''));
  return out;
}

async function openAnalysed(name: string): Promise<{ doc: vscode.TextDocument; analysis: DocumentAnalysis }> {
  const { doc } = await openDoc(name);
  let d = doc;
  if (d.languageId !== 'corpus') d = await vscode.languages.setTextDocumentLanguage(d, 'corpus');
  return { doc: d, analysis: await api.client.analyse(d) };
}

async function treeNames(type: string): Promise<string[]> {
  const typeNode = (await rows(api, 'type')).find((n) => n.type === type);
  return typeNode ? (await rows(api, 'entity', typeNode)).map((n) => n.name).sort() : [];
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
}

describe('entities in the editor', function () {
  this.timeout(120000);
  const extensionApi = useIndexedWorkspace();
  before(() => { api = extensionApi(); });

  it('indexes every sample article', () => {
    assert.equal(api.indexer.size, sampleTexts().size);
  });

  it('hovers a person with type, role, article and corpus counts and datelines', async () => {
    const { doc } = await openAnalysed(A001);
    const text = doc.getText();
    const at = doc.positionAt(text.indexOf('王建平') + 1);
    const md = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at));
    const texts = sampleTexts();
    const files = [...texts.values()].filter((t) => t.includes('王建平'));
    const total = files.reduce((n, t) => n + occurrences(t, '王建平'), 0);
    assert.match(md, /\*\*王建平\*\* — Person/);
    assert.match(md, /Roles: .*市委书记/);
    assert.match(md, new RegExp(`In this article: ${occurrences(text, '王建平')} mentions`));
    assert.match(md, new RegExp(`In the corpus: ${total} mentions in ${files.length} articles`));
    // the first well-formed dateline naming him is 001's, the last 013's
    assert.match(md, /First seen: 17\.03\.2017 · last seen: 28\.12\.2019/);
    assert.match(md, /command:corpusLens\.showConcordance/);
    assert.match(md, /Recognised by the model/);
    assert.doesNotMatch(md, /corpus dictionary/);
  });

  it('shows no entity hover over plain words', async () => {
    const { doc } = await openAnalysed(A001);
    const at = doc.positionAt(doc.getText().indexOf('召开') + 1);
    const md = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at));
    assert.doesNotMatch(md, /Person|Place|Organisation/);
  });

  it('lists the article\'s persons in the panel, and the corpus\'s when the scope switches', async () => {
    await openAnalysed(A001);
    await vscode.commands.executeCommand('corpusLens.scopeArticle');
    assert.deepEqual((await treeNames('PER')), ['张海峰', '王建平', '郭志宏'].sort());
    const places = (await treeNames('LOC'));
    for (const p of ['晋中市', '榆次', '吕梁']) assert.ok(places.includes(p), `${p} among ${places.join(', ')}`);
    assert.ok((await treeNames('ORG')).includes('华晋新能源集团'));
    await vscode.commands.executeCommand('corpusLens.scopeCorpus');
    const persons = (await treeNames('PER'));
    for (const p of ['王建平', '郭志宏', '张海峰', '李文涛', '阿依古丽·买买提', '陈晓燕', '刘慧敏', '周立群', '黄丽娟', '孙明', '赵志刚', '刘永胜']) {
      assert.ok(persons.includes(p), `${p} among ${persons.join(', ')}`);
    }
    await vscode.commands.executeCommand('corpusLens.scopeArticle');
  });

  it('clicking a mention in the panel opens its article with the mention selected', async () => {
    await openAnalysed(A001);
    await vscode.commands.executeCommand('corpusLens.scopeCorpus');
    const per = (await rows(api, 'type')).find((n) => n.type === 'PER');
    const ent = (await rows(api, 'entity', per)).find((n) => n.name === '李文涛');
    const mention = (await rows(api, 'mention', ent)).find((m) => !m.uri.fsPath.endsWith(A001));
    assert.ok(mention, 'a mention of 李文涛 in another article');
    const item = api.tree.getTreeItem(mention);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, mention.uri.fsPath);
    assert.equal(editor.document.getText(editor.selection), '李文涛');
    await vscode.commands.executeCommand('corpusLens.scopeArticle');
  });

  it('Extract Entities writes the article as JSON whose offsets slice the text', async () => {
    const { doc } = await openAnalysed(A001);
    const target = workspaceFile('out/001.entities.json');
    fs.rmSync(target.fsPath, { force: true });
    const result = await vscode.commands.executeCommand<{ files: string[]; documents: number }>('corpusLens.extractEntities', { scope: 'article', format: 'json', target: target.toString() });
    assert.deepEqual([result.files, result.documents], [[target.fsPath], 1]);
    const json = JSON.parse(fs.readFileSync(target.fsPath, 'utf8'));
    const doc0 = json.documents[0];
    assert.deepEqual([doc0.path, doc0.title, doc0.dateline], [A001, '晋中市召开2017年重点项目建设推进大会', '17.03.2017  09:15']);
    const text = doc.getText();
    const wjp = doc0.entities.find((e: any) => e.name === '王建平');
    assert.equal(wjp.mentions.length, occurrences(text, '王建平'));
    for (const e of doc0.entities) for (const m of e.mentions) assert.equal(text.slice(m.start, m.end), m.text);
  });

  it('Extract Entities writes the whole workspace as JSON lines, one article a line', async () => {
    const target = workspaceFile('out/all.jsonl');
    fs.rmSync(target.fsPath, { force: true });
    const result = await vscode.commands.executeCommand<{ documents: number }>('corpusLens.extractEntities', { scope: 'workspace', format: 'jsonl', target: target.toString() });
    const lines = fs.readFileSync(target.fsPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(result.documents, sampleTexts().size);
    assert.deepEqual(lines.map((l) => l.path), [...sampleTexts().keys()].sort());
  });

  it('Extract Entities asked while the index is rebuilt waits for the rebuild: every article is in the export', async () => {
    const target = workspaceFile('out/during-rebuild.jsonl');
    fs.rmSync(target.fsPath, { force: true });
    // (a rebuild empties the database, then analyses every article again: one test run exported none of them)
    const rebuilt = api.indexer.rebuild();
    try {
      const result = await vscode.commands.executeCommand<{ documents: number }>('corpusLens.extractEntities', { scope: 'workspace', format: 'jsonl', target: target.toString() });
      const lines = fs.readFileSync(target.fsPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
      assert.equal(result.documents, sampleTexts().size);
      assert.deepEqual(lines.map((l) => l.path), [...sampleTexts().keys()].sort());
    } finally {
      await rebuilt;
      fs.rmSync(target.fsPath, { force: true });
    }
  });

  it('a cancelled workspace extraction writes nothing and leaves an existing file as it was', async () => {
    const target = workspaceFile('out/cancelled.jsonl');
    fs.mkdirSync(path.dirname(target.fsPath), { recursive: true });
    fs.writeFileSync(target.fsPath, 'keep me\n');
    const cancel = new vscode.CancellationTokenSource();
    cancel.cancel();
    const result = await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'workspace', format: 'jsonl', target: target.toString(), overwrite: true, token: cancel.token });
    assert.equal(result, undefined);
    assert.equal(fs.readFileSync(target.fsPath, 'utf8'), 'keep me\n');
    assert.deepEqual(fs.readdirSync(path.dirname(target.fsPath)).filter((f) => f.startsWith('cancelled')), ['cancelled.jsonl']);
    // a token that is not cancelled when the command looks but fires its event: the command listens to it
    let listened = 0;
    const inFlight: vscode.CancellationToken = {
      isCancellationRequested: false,
      onCancellationRequested: (listener: (e: unknown) => unknown) => { listened++; listener(undefined); return new vscode.Disposable(() => undefined); },
    };
    const result2 = await vscode.commands.executeCommand('corpusLens.extractEntities', { scope: 'workspace', format: 'jsonl', target: target.toString(), overwrite: true, token: inFlight });
    assert.equal(listened, 1);
    assert.equal(result2, undefined);
    assert.equal(fs.readFileSync(target.fsPath, 'utf8'), 'keep me\n');
  });

  it('adds a selection to the dictionary through the code action; hover and tree show it', async () => {
    const { doc, analysis } = await openAnalysed(A001);
    assert.ok(!analysis.entities.some((e) => e.name === '重点项目'));
    const start = doc.getText().indexOf('重点项目');
    const range = new vscode.Range(doc.positionAt(start), doc.positionAt(start + 4));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range);
    const add = actions.find((a) => a.title === 'Add 「重点项目」 to the corpus dictionary as organisation');
    assert.ok(add?.command, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    const analysed = waitFor(api.client.onDidAnalyse, (e) => e.uri.toString() === doc.uri.toString() && e.analysis.entities.some((x) => x.name === '重点项目' && x.type === 'ORG'), 60000, 're-analysis with the dictionary entry');
    await vscode.commands.executeCommand(add.command.command, ...(add.command.arguments ?? []));
    await analysed;
    assert.equal(fs.readFileSync(workspaceFile('.corpus-lens/dictionary.tsv').fsPath, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join('\n'), '重点项目\tORG');
    const md = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(start + 1)));
    assert.match(md, /\*\*重点项目\*\* — Organisation/);
    const dictLines = fs.readFileSync(workspaceFile('.corpus-lens/dictionary.tsv').fsPath, 'utf8').split('\n');
    const line = dictLines.findIndex((l) => l.startsWith('重点项目\t')) + 1;
    assert.match(md, new RegExp(`From the corpus dictionary \\(dictionary\\.tsv, line ${line}\\)`));
    assert.ok((await treeNames('ORG')).includes('重点项目'));
    // the panel marks the entry too, and a model's entity stays unmarked
    const org = (await rows(api, 'type')).find((n) => n.type === 'ORG');
    const described = async (name: string) => String(api.tree.getTreeItem((await rows(api, 'entity', org)).find((n) => n.name === name)!).description);
    assert.match(await described('重点项目'), / · dictionary$/);
    assert.doesNotMatch(await described('华晋新能源集团'), /dictionary/);
  });

  it('the right-click menu of an entity row: copy its name, add it to the dictionary with its type', async () => {
    await openAnalysed(A001);
    await vscode.commands.executeCommand('corpusLens.scopeArticle');
    const per = (await rows(api, 'type')).find((n) => n.type === 'PER');
    const row = (await rows(api, 'entity', per)).find((n) => n.name === '张海峰');
    assert.ok(row, 'row of 张海峰');
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('corpusLens.copyEntityName', row);
    assert.equal(await vscode.env.clipboard.readText(), '张海峰');
    // a row and a type (what the type QuickPick answers) add the row's name, type and aliases
    assert.equal(await vscode.commands.executeCommand('corpusLens.addToDictionary', row, 'PER'), true);
    const entries = fs.readFileSync(workspaceFile('.corpus-lens/dictionary.tsv').fsPath, 'utf8').split('\n').filter((l) => l.startsWith('张海峰\t'));
    assert.deepEqual(entries, [['张海峰', 'PER', row.aliases.join(',')].join('\t').replace(/\t$/, '')]);
  });

  it('marks a mention as not an entity; the tree drops it', async () => {
    const { doc, analysis } = await openAnalysed(A001);
    assert.ok(analysis.entities.some((e) => e.name === '郭志宏'));
    const analysed = waitFor(api.client.onDidAnalyse, (e) => e.uri.toString() === doc.uri.toString() && !e.analysis.entities.some((x) => x.name === '郭志宏'), 60000, 're-analysis without 郭志宏');
    // as the entity row's right-click menu passes it
    const row = (await rows(api, 'entity', (await rows(api, 'type')).find((n) => n.type === 'PER'))).find((n) => n.name === '郭志宏');
    assert.ok(row, 'row of 郭志宏');
    await vscode.commands.executeCommand('corpusLens.markNotEntity', row);
    await analysed;
    assert.ok(fs.readFileSync(workspaceFile('.corpus-lens/not-entities.txt').fsPath, 'utf8').split('\n').includes('郭志宏'));
    assert.ok(!(await treeNames('PER')).includes('郭志宏'));
    fs.rmSync(workspaceFile('.corpus-lens').fsPath, { recursive: true, force: true });
  });

  it('updates the tree when the article is edited (unsaved)', async () => {
    const { doc, editor } = await openDoc('010_a86e2dd28ba37c24.txt');
    const d = doc.languageId === 'corpus' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'corpus');
    await api.client.analyse(d);
    assert.ok(!(await treeNames('PER')).includes('孙明'));
    const analysed = waitFor(api.client.onDidAnalyse, (e) => e.uri.toString() === d.uri.toString() && e.analysis.entities.some((x) => x.name === '孙明'), 60000, 're-analysis after the edit');
    await editor.edit((b) => b.insert(d.positionAt(d.getText().length), '\n\n  绿源数字科技有限公司总经理孙明出席会议。'));
    await analysed;
    assert.ok((await treeNames('PER')).includes('孙明'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('colours mentions by type through semantic tokens; a long article gets tokens only for the range asked', async () => {
    const { doc, analysis } = await openAnalysed(A001);
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
    assert.deepEqual(legend.tokenTypes, ['corpusPerson', 'corpusPlace', 'corpusOrganisation']);
    const decode = (t: vscode.SemanticTokens) => {
      const out: { line: number; character: number; length: number; type: string }[] = [];
      let line = 0, ch = 0;
      for (let i = 0; i < t.data.length; i += 5) {
        line += t.data[i]; ch = t.data[i] === 0 ? ch + t.data[i + 1] : t.data[i + 1];
        out.push({ line, character: ch, length: t.data[i + 2], type: legend.tokenTypes[t.data[i + 3]] });
      }
      return out;
    };
    const typeName: Record<string, string> = { PER: 'corpusPerson', LOC: 'corpusPlace', ORG: 'corpusOrganisation' };
    const expected = analysis.entities.flatMap((e) => e.mentions.map((m) => { const p = doc.positionAt(m.start); return { line: p.line, character: p.character, length: m.end - m.start, type: typeName[e.type] }; }))
      .sort((a, b) => a.line - b.line || a.character - b.character);
    assert.ok(expected.length > 0);
    const full = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri);
    assert.deepEqual(decode(full), expected);

    // over 100,000 characters: no whole-document tokens; the visible range gets them
    const para = '  市委书记周国平在晋北市主持会议，华晋能源集团负责人参加。\n';
    // an untitled document: nothing is written into the workspace, so the corpus index of later tests is unchanged
    const long = (await openUntitled('晋北新闻\n\n17.10.2018  06:24\n\n' + para.repeat(Math.ceil(110000 / para.length)))).doc;
    const longAnalysis = await api.client.analyse(long);
    const none = await vscode.commands.executeCommand<vscode.SemanticTokens | undefined>('vscode.provideDocumentSemanticTokens', long.uri);
    assert.equal(none, undefined);
    const ranged = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentRangeSemanticTokens', long.uri, new vscode.Range(4, 0, 6, 0));
    const got = decode(ranged);
    assert.deepEqual([...new Set(got.map((t) => t.line))], [4, 5, 6]);
    const inRange = longAnalysis.entities.flatMap((e) => e.mentions.map((m) => { const p = long.positionAt(m.start); return { line: p.line, character: p.character, length: m.end - m.start, type: typeName[e.type] }; }))
      .filter((t) => t.line >= 4 && t.line <= 6).sort((a, b) => a.line - b.line || a.character - b.character);
    assert.deepEqual(got, inRange);
    const line4 = got.filter((t) => t.line === 4).map((t) => long.lineAt(4).text.substr(t.character, t.length) + '/' + t.type);
    assert.ok(line4.includes('周国平/corpusPerson') && line4.includes('晋北市/corpusPlace'), line4.join(' '));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
