// Consistency findings in the real extension host: an article is checked against the corpus index (names
// the corpus types otherwise, names it knows that are not recognised here), as Information diagnostics
// with quick fixes that add the name to the corpus dictionary.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { certainSummaries, consistencyFindings, consistencyMessage, corpusNames } from '../../../src/core/consistency';
import type { EntityType } from '../../../src/core/ner/types';
import type { CorpusLensApi } from '../../../src/extension/extension';
import { diagCode, openDoc, openUntitled, useIndexedWorkspace, waitFor, waitForDiagnostics, workspaceFile } from './util';

const SOURCE = 'corpus-lens-consistency';
const TYPE_WORD: Record<EntityType, string> = { PER: 'person', LOC: 'place', ORG: 'organisation' };
const TYPE_PHRASE: Record<EntityType, string> = { PER: 'a person', LOC: 'a place', ORG: 'an organisation' };
let api: CorpusLensApi;

function findingsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE).sort((a, b) => a.range.start.compareTo(b.range.start));
}

describe('consistency findings', function () {
  this.timeout(120000);
  const extensionApi = useIndexedWorkspace();
  before(() => { api = extensionApi(); });

  it('flags the corpus\'s names that an article types otherwise or does not recognise, exactly where they are, at the severity corpusLens.rules sets, and a quick fix adds one to the dictionary', async () => {
    // every mention counts (threshold 0): the sample corpus's names are few, and at the default threshold its list
    // below raises fewer findings (the last step checks those)
    const cfg = vscode.workspace.getConfiguration('corpusLens');
    await cfg.update('entities.confidenceThreshold', 0, vscode.ConfigurationTarget.Workspace);
    try { await findingsAndFixes(); } finally { await cfg.update('entities.confidenceThreshold', undefined, vscode.ConfigurationTarget.Workspace); }
    // at the default threshold (0.65), uncertain mentions raise no finding: the findings follow the setting
    assert.equal(vscode.workspace.getConfiguration('corpusLens').get('entities.confidenceThreshold'), 0.65);
    const rows = await expectedRows();
    await waitForDiagnostics(doc.uri, (ds) => JSON.stringify(rowsOf(ds.filter((d) => d.source === SOURCE).sort((a, b) => a.range.start.compareTo(b.range.start)))) === JSON.stringify(rows), 60000);
  });

  // the article of the first test, and what the core says of it under the current threshold
  let doc: vscode.TextDocument, expectedRows: () => Promise<unknown[]>;
  const rowsOf = (ds: vscode.Diagnostic[]) => ds.map((d) => [doc.offsetAt(d.range.start), doc.offsetAt(d.range.end), typeof d.code === 'object' ? d.code.value : d.code, d.severity, d.message]);
  async function findingsAndFixes() {
    // an article (not in the index: untitled) that names every entity of the indexed sample corpus, one per paragraph
    const names = [...new Set((await api.indexer.queries.entities()).map((s) => s.name).filter((n) => n.length >= 2))].sort();
    assert.ok(names.length >= 20, `the sample corpus's index has only ${names.length} names`);
    const text = '各地代表名单\n17.10.2018  06:24\n\n' + names.map((n) => `  ${n}。`).join('\n') + '\n';
    ({ doc } = await openUntitled(text));
    // what the core says for the article's analysis against the index (the core's own unit tests check the
    // rules), computed again whenever the findings change: a dictionary reload from an earlier suite may still
    // be re-analysing the corpus
    const expectation = async () => {
      const a = await api.client.analyse(doc);
      const summaries = await api.indexer.queries.entities();
      // uncertain mentions (below corpusLens.entities.confidenceThreshold) count neither here nor in the corpus
      const threshold = vscode.workspace.getConfiguration('corpusLens').get<number>('entities.confidenceThreshold')!;
      const analyses = await Promise.all((await api.indexer.queries.articles()).map(async (x) => (await api.indexer.queries.analysis(x.file))!));
      const names = corpusNames(certainSummaries(analyses, threshold));
      const findings = consistencyFindings(text, a.entities, names, threshold).sort((x, y) => x.start - y.start).slice(0, 200);
      return { analysis: a, summaries, rows: findings.map((f) => [f.start, f.end, f.code, vscode.DiagnosticSeverity.Information, consistencyMessage(f)]) };
    };
    // (the code links to the rule's row of the README's rule table: its value is the code)
    const codeOf = (d: vscode.Diagnostic) => typeof d.code === 'object' ? d.code.value : d.code;
    expectedRows = async () => (await expectation()).rows;
    let exp = await expectation();
    assert.ok(exp.rows.length > 0, 'every name of the corpus was recognised here with its corpus type: the article no longer exercises the findings');
    // (the findings come 400 ms after the analysis; on a mismatch that lasts three changes or 60 s, the diff shows)
    for (let round = 0; round < 3 && JSON.stringify(rowsOf(findingsOf(doc.uri))) !== JSON.stringify(exp.rows); round++) {
      await waitFor(vscode.languages.onDidChangeDiagnostics, (e) => e.uris.some((u) => u.toString() === doc.uri.toString()), 20000, 'a change of the findings').catch(() => undefined);
      exp = await expectation();
    }
    const got = findingsOf(doc.uri);
    assert.deepEqual(rowsOf(got), exp.rows);
    const { analysis, summaries } = exp;

    // the severities come from corpusLens.rules, as the other rules' do: off switches a finding off
    const ours = (ds: vscode.Diagnostic[]) => ds.filter((d) => d.source === SOURCE);
    const off = codeOf(got[0]) as string, other = off === 'entity-missed' ? 'entity-type-conflict' : 'entity-missed';
    const cfg = vscode.workspace.getConfiguration('corpusLens');
    await cfg.update('rules', { [off]: 'off', [other]: 'warning' }, vscode.ConfigurationTarget.Workspace);
    try {
      const ds = ours(await waitForDiagnostics(doc.uri, (x) => !ours(x).some((d) => codeOf(d) === off), 60000));
      assert.deepEqual(ds.filter((d) => d.severity !== vscode.DiagnosticSeverity.Warning).map((d) => [codeOf(d), d.severity]), []);
    } finally {
      await cfg.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(doc.uri, (x) => JSON.stringify(rowsOf(ours(x).sort((a, b) => a.range.start.compareTo(b.range.start)))) === JSON.stringify(exp.rows), 60000);

    // each finding sits on its name and says what the corpus knows
    const mentions = analysis.entities.flatMap((e) => e.mentions.map((m) => ({ ...m, type: e.type })));
    for (const d of got) {
      const name = doc.getText(d.range);
      const corpusTypes = summaries.filter((s) => s.name === name).map((s) => s.type);
      assert.ok(corpusTypes.length > 0, `${name} is not in the index`);
      const s = doc.offsetAt(d.range.start), e = doc.offsetAt(d.range.end);
      if (codeOf(d) === 'entity-missed') {
        assert.ok(!mentions.some((m) => m.start < e && s < m.end), `${name}: flagged as not recognised but a mention covers it`);
        assert.match(d.message, new RegExp(`^「${name}」 is (a person|a place|an organisation) in (1 other article|\\d+ other articles) but is not recognised here\\.$`));
      } else {
        const here = mentions.find((m) => m.start === s && m.end === e);
        assert.ok(here && corpusTypes.some((t) => t !== here.type), `${name}: a type conflict needs a mention here and another type in the corpus`);
        assert.match(d.message, new RegExp(`^「${name}」 is ${TYPE_PHRASE[here.type]} here but an? .+ in (1 other article|\\d+ other articles)\\.$`));
      }
    }

    // the quick fix on the first finding: add the name as (one of) its corpus type(s)
    const target = got[0];
    const name = doc.getText(target.range);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, target.range);
    // (executeCodeActionProvider does not carry an action's diagnostics back: its kind tells the finding's fixes apart)
    const fixes = actions.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value);
    const type = summaries.find((s) => s.name === name && (codeOf(target) === 'entity-missed' || !mentions.some((m) => m.start === doc.offsetAt(target.range.start) && m.type === s.type)))!.type;
    const add = fixes.find((a) => a.title === `Add 「${name}」 to the corpus dictionary as ${TYPE_WORD[type]}`);
    assert.ok(add?.command, `quick fixes: ${fixes.map((a) => a.title).join(' | ')}`);
    assert.ok(fixes.some((a) => a.title === `Mark 「${name}」 as not an entity`), `quick fixes: ${fixes.map((a) => a.title).join(' | ')}`);
    const analysed = waitFor(api.client.onDidAnalyse, (ev) => ev.uri.toString() === doc.uri.toString() && ev.analysis.entities.some((x) => x.name === name && x.type === type), 60000, `re-analysis with ${name} as ${type}`);
    await vscode.commands.executeCommand(add.command.command, ...(add.command.arguments ?? []));
    await analysed;
    assert.equal(fs.readFileSync(workspaceFile('.corpus-lens/dictionary.tsv').fsPath, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join('\n'), `${name}\t${type}`);
    await waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => d.source === SOURCE && doc.getText(d.range) === name), 60000);
  }


  it('flags a dateline that breaks the order of the numbered files, naming the neighbours, and drops it once the date fits', async () => {
    // 005 is dated 16.04.2018 between 003 (12.09.2017; 004's dateline is malformed) and 006 (19.07.2018): typed back to 2011
    const { doc, editor } = await openDoc('005_4f1bb932835715bb.txt');
    const dl = '16.04.2018  08:40';
    const start = doc.getText().indexOf(dl);
    assert.ok(start > 0);
    const isOrder = (d: vscode.Diagnostic) => d.source === SOURCE && diagCode(d) === 'dateline-out-of-order';
    assert.deepEqual(findingsOf(doc.uri).filter(isOrder), []);
    try {
      await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(start + 6), doc.positionAt(start + 10)), '2011'));
      const ds = await waitForDiagnostics(doc.uri, (all) => all.some(isOrder), 60000);
      const d = ds.filter(isOrder);
      assert.equal(d.length, 1);
      assert.equal(doc.getText(d[0].range), '16.04.2011  08:40');
      assert.equal(d[0].severity, vscode.DiagnosticSeverity.Information);
      assert.equal(d[0].message, 'The dateline "16.04.2011  08:40" (2011-04-16) breaks the order of the file numbers: 003_0770aec23fd1b254.txt before it is dated 2017-09-12, 006_0a8c10c77a38c988.txt after it 2018-07-19.');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await waitForDiagnostics(doc.uri, (all) => !all.some(isOrder), 60000);
  });
});
