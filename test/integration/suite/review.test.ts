// Review mode in the real extension host: the keys' commands write the expected lines of
// .corpus-lens/annotations.jsonl, the worker applies them to the article's analysis, undo removes them, and an
// article's reviewed status is read back from the file by a new reader (what a reload does).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AnnotationsStore } from '../../../src/extension/annotationsStore';
import type { CorpusLensApi } from '../../../src/extension/extension';
import { REVIEW_RANK, type ReviewItem } from '../../../src/extension/review';
import { openDoc, rows, until, useIndexedWorkspace, waitFor, workspaceFile } from './util';

const A001 = '001_c1021a8422364d99.txt';
let api: CorpusLensApi;

/** the line review mode writes for [start, end) of text */
const line = (text: string, start: number, end: number, type: string) =>
  JSON.stringify({ path: A001, start, end, text: text.slice(start, end), type, before: text.slice(Math.max(0, start - 8), start), after: text.slice(end, end + 8) });
const fileLines = () => {
  const f = workspaceFile('.corpus-lens/annotations.jsonl').fsPath;
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
};
const hoverText = (hovers: vscode.Hover[]) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');

describe('review mode', function () {
  this.timeout(120000);
  const extensionApi = useIndexedWorkspace();
  before(() => { api = extensionApi(); fs.rmSync(workspaceFile('.corpus-lens').fsPath, { recursive: true, force: true }); });
  after(async () => {
    await vscode.commands.executeCommand('corpusLens.review.stop');
    fs.rmSync(workspaceFile('.corpus-lens').fsPath, { recursive: true, force: true });
  });

  it('walks the mentions that most need a look first; 1 and 0 write decision lines, a selection adds a missed mention, the analysis follows, undo removes them', async () => {
    const { doc, editor } = await openDoc(A001);
    const d = doc.languageId === 'corpus' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'corpus');
    const text = d.getText();
    const items = await vscode.commands.executeCommand<ReviewItem[]>('corpusLens.review');
    assert.ok(items && items.length >= 5, `items: ${JSON.stringify(items)}`);
    // uncertain mentions first (least sure first), then one-character names, names the corpus types otherwise, the
    // rest, each of the last three in reading order
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1], b = items[i];
      const inGroup = a.reason === 'uncertain' ? (a.confidence ?? 1) < (b.confidence ?? 1) || ((a.confidence ?? 1) === (b.confidence ?? 1) && a.start < b.start) : a.start < b.start;
      assert.ok(REVIEW_RANK[a.reason] < REVIEW_RANK[b.reason] || (REVIEW_RANK[a.reason] === REVIEW_RANK[b.reason] && inGroup), `${JSON.stringify(a)} before ${JSON.stringify(b)}`);
    }
    const threshold = vscode.workspace.getConfiguration('corpusLens').get<number>('entities.confidenceThreshold')!;
    for (const it of items) assert.equal(it.reason === 'uncertain', (it.confidence ?? 1) < threshold, JSON.stringify(it));
    for (const it of items) assert.equal(text.slice(it.start, it.end), it.text);
    // the current mention is selected
    assert.equal(d.getText(editor.selection), items[0].text);
    assert.match(api.review.statusText, /Review 0\/\d+ · /);

    await vscode.commands.executeCommand('corpusLens.review.person');
    await vscode.commands.executeCommand('corpusLens.review.notEntity');
    assert.deepEqual(fileLines(), [line(text, items[0].start, items[0].end, 'PER'), line(text, items[1].start, items[1].end, 'O')].sort((a, b) => JSON.parse(a).start - JSON.parse(b).start));
    assert.equal(d.getText(editor.selection), items[2].text, 'moved on to the third mention');
    assert.match(api.review.statusText, /Review 2\/\d+ · /);

    // a selection of one's own and 3: a missed organisation, which the worker's analysis then has
    const missed = text.indexOf('重点项目');
    assert.ok(missed > 0);
    const analysed = waitFor(api.client.onDidAnalyse, (e) => e.uri.toString() === d.uri.toString()
      && e.analysis.entities.some((x) => x.type === 'ORG' && x.mentions.some((m) => m.start === missed && m.end === missed + 4)), 60000, 'the analysis with the decision applied');
    editor.selection = new vscode.Selection(d.positionAt(missed), d.positionAt(missed + 4));
    await vscode.commands.executeCommand('corpusLens.review.organisation');
    await analysed;
    assert.ok(fileLines().includes(line(text, missed, missed + 4, 'ORG')));
    assert.equal(fileLines().length, 3);
    const md = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', d.uri, d.positionAt(missed + 1)));
    assert.match(md, /Your decision \(annotations\.jsonl\)/);
    // the panel (this article) says how many mentions of an entity were decided
    await vscode.commands.executeCommand('corpusLens.scopeArticle');
    await until(async () => {
      const org = (await rows(api, 'type')).find((n) => n.type === 'ORG');
      const row = org && (await rows(api, 'entity', org)).find((n) => n.name === '重点项目');
      return !!row && String(api.tree.getTreeItem(row).description).endsWith('· 1 decided');
    }, 15000, 'the panel row of 重点项目 marked "1 decided"');

    // undo: the last decision goes, then the one before
    await vscode.commands.executeCommand('corpusLens.review.undo');
    assert.equal(fileLines().length, 2);
    assert.ok(!fileLines().includes(line(text, missed, missed + 4, 'ORG')));
    await vscode.commands.executeCommand('corpusLens.review.undo');
    assert.deepEqual(fileLines(), [line(text, items[0].start, items[0].end, 'PER')]);
  });

  it('Mark Article Reviewed writes the status, which a new reader of the file (a reload) finds; the progress counts it', async () => {
    const { doc } = await openDoc(A001);
    assert.equal(await vscode.commands.executeCommand('corpusLens.markReviewed'), true);
    assert.ok(fileLines().includes(JSON.stringify({ path: A001, status: 'reviewed' })));
    assert.equal(fileLines()[0], JSON.stringify({ path: A001, status: 'reviewed' }), 'the status comes before the article\'s decisions');
    const fresh = new AnnotationsStore();
    try {
      assert.equal(fresh.isReviewed(doc.uri), true);
      assert.equal(fresh.decisionsOf(doc.uri).length, 1);
    } finally { fresh.dispose(); }
    assert.equal(api.review.progress(), `1 of ${api.indexer.size} articles reviewed`);
  });

  it('from the concordance, one decision for all the selected lines: one line each in annotations.jsonl, one undo', async () => {
    const lines = await vscode.commands.executeCommand<{ file: string; start: number; end: number; match: string }[]>('corpusLens.searchConcordance', '推进大会');
    assert.ok(lines && lines.length >= 2, `推进大会: ${lines?.length} lines`);
    const { generation } = api.concordance.shown;
    const before = fileLines();
    await api.concordance.handleMessage({ type: 'decide', ids: [0, 1], as: 'ORG', generation });
    const shown = api.concordance.shown.lines.slice(0, 2);
    const added = fileLines().filter((l) => !before.includes(l)).map((l) => JSON.parse(l));
    const base = workspaceFile('').fsPath.replace(/\/$/, '');
    const rel = (f: string) => f.slice(base.length + 1).split(path.sep).join('/');
    assert.deepEqual(added.map((d) => [d.path, d.start, d.end, d.text, d.type]).sort(),
      shown.map((l) => [rel(l.file), l.start, l.end, '推进大会', 'ORG']).sort());
    await vscode.commands.executeCommand('corpusLens.review.undo');
    assert.deepEqual(fileLines(), before);
  });

  it('Learn from Reviewed Articles trains on the reviewed articles in the worker, writes .corpus-lens/model.ner and, taken, makes it the workspace\'s model; the panel shows the score on the reviewed articles', async () => {
    const { doc } = await openDoc(A001);
    assert.ok(api.annotations.isReviewed(doc.uri), 'the article reviewed by the test before');
    const model = workspaceFile('.corpus-lens/model.ner').fsPath;
    const config = vscode.workspace.getConfiguration('corpusLens');
    try {
      const r = await vscode.commands.executeCommand<{ out: string; used: boolean; record: { articles: number; epochs: number; mentions: number } }>('corpusLens.learnFromReviewed', { use: true, epochs: 2 });
      assert.ok(r, 'a result');
      assert.equal(r.out, model);
      assert.deepEqual([r.record.articles, r.record.epochs, r.used], [1, 2, true]);
      assert.ok(r.record.mentions > 0);
      assert.ok(fs.statSync(model).size > 1_000_000, 'a model file');
      assert.equal(vscode.workspace.getConfiguration('corpusLens').get('model'), '.corpus-lens/model.ner');
      // the worker restarted with it answers; the score on the reviewed article is shown above the panel's tree
      const score = await vscode.commands.executeCommand<{ articles: number; scores: { micro: { f1: number } } | null }>('corpusLens.scoreReviewed');
      assert.equal(score.articles, 1);
      assert.ok(score.scores && score.scores.micro.f1 > 0.5, JSON.stringify(score));
      assert.match(api.tree.view!.message ?? '', /^The model on your 1 reviewed article: F1 \d+\.\d \(precision \d+\.\d, recall \d+\.\d\)$/);
    } finally {
      await config.update('model', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(model, { force: true });
    }
  });

  it('a decision that no longer fits its article is an Information diagnostic whose quick fixes drop it or place it at an occurrence of its text', async () => {
    const { doc } = await openDoc(A001);
    const text = doc.getText();
    const at = text.indexOf('推进大会');
    // two decisions the article no longer bears out: a text that is gone, and one that now stands elsewhere in two places without its context
    const gone = { path: A001, start: 3, end: 7, text: '南岭数联', type: 'ORG' };
    const moved = { path: A001, start: at + 1, end: at + 5, text: '推进大会', type: 'ORG', before: '不在此处', after: '也不在此' };
    assert.ok(text.indexOf('推进大会', at + 1) > at, 'two occurrences of 推进大会');
    const file = workspaceFile('.corpus-lens/annotations.jsonl').fsPath;
    const before = fs.readFileSync(file, 'utf8');
    const isUnplaced = (d: vscode.Diagnostic) => d.source === 'corpus-lens-decisions';
    const shown = waitFor(vscode.languages.onDidChangeDiagnostics, () => vscode.languages.getDiagnostics(doc.uri).filter(isUnplaced).length === 2, 60000, 'two unplaced decisions on the article');
    fs.writeFileSync(file, before + JSON.stringify(gone) + '\n' + JSON.stringify(moved) + '\n');
    await shown;
    const diags = vscode.languages.getDiagnostics(doc.uri).filter(isUnplaced);
    assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Information));
    assert.match(diags.map((d) => d.message).join('\n'), /Your decision 「南岭数联」 \(Organisation\) at 3–7 no longer fits the article/);
    const forGone = diags.find((d) => d.message.includes('南岭数联'))!;
    const forMoved = diags.find((d) => d.message.includes('推进大会'))!;
    let actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, forMoved.range, vscode.CodeActionKind.QuickFix.value);
    const place = actions.filter((a) => a.diagnostics?.includes(forMoved) || a.title.startsWith('Place it at'));
    assert.deepEqual(place.filter((a) => a.title.startsWith('Place it at')).length, 2, actions.map((a) => a.title).join(' | '));
    // placed at the first occurrence: the decision's line now says where it stands
    const first = place.find((a) => a.title.startsWith('Place it at'))!;
    await vscode.commands.executeCommand(first.command!.command, ...(first.command!.arguments ?? []));
    const lines = () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.ok(lines().some((d) => d.text === '推进大会' && d.start === at && d.end === at + 4 && d.type === 'ORG'), JSON.stringify(lines()));
    actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, forGone.range, vscode.CodeActionKind.QuickFix.value);
    const drop = actions.find((a) => a.title === 'Drop the decision 「南岭数联」');
    assert.ok(drop, actions.map((a) => a.title).join(' | '));
    await vscode.commands.executeCommand(drop.command!.command, ...(drop.command!.arguments ?? []));
    assert.ok(!lines().some((d) => d.text === '南岭数联'));
    await waitFor(vscode.languages.onDidChangeDiagnostics, () => vscode.languages.getDiagnostics(doc.uri).filter(isUnplaced).length === 0, 60000, 'no unplaced decision left');
  });

  it('Review Entities in the Corpus goes from article to article: the unreviewed one with the most uncertain mentions first, the next after Mark Article Reviewed', async () => {
    const threshold = vscode.workspace.getConfiguration('corpusLens').get<number>('entities.confidenceThreshold')!;
    const analyses = new Map(await Promise.all((await api.indexer.queries.articles()).map(async (a) => [a.file, await api.indexer.queries.analysis(a.file)] as const)));
    const unsure = (f: string) => (analyses.get(f)?.entities ?? []).reduce((n, e) => n + e.mentions.filter((m) => (m.confidence ?? 1) < threshold).length, 0);
    const first = await vscode.commands.executeCommand<string>('corpusLens.reviewCorpus');
    assert.ok(first && !api.annotations.isReviewed(vscode.Uri.file(first)));
    const unreviewed = [...analyses.keys()].filter((f) => !api.annotations.isReviewed(vscode.Uri.file(f)));
    assert.equal(unsure(first), Math.max(...unreviewed.map(unsure)), 'the most uncertain mentions first');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, first);
    assert.ok(api.review.current, 'a mention to look at');
    assert.match(api.review.statusText, /Review 0\/\d+ · /);
    await vscode.commands.executeCommand('corpusLens.markReviewed');
    assert.ok(api.annotations.isReviewed(vscode.Uri.file(first)));
    const second = vscode.window.activeTextEditor!.document.uri.fsPath;
    assert.notEqual(second, first);
    assert.ok(!api.annotations.isReviewed(vscode.Uri.file(second)));
    assert.ok(api.review.current, 'the next article is being reviewed');
    await vscode.commands.executeCommand('corpusLens.review.stop');
  });
});
