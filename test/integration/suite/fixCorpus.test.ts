// Fix across the corpus: the safe fixes of chosen rules in every indexed article, as one WorkspaceEdit.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { applyEdits, checkArticle, collectSafeEdits, RULE_CODES, RuleCode, selectRules } from '../../../src/core/rules';
import type { FixCorpusResult } from '../../../src/extension/fixCorpus';
import * as path from 'node:path';
import { until, useIndexedWorkspace, workspaceRoot } from './util';

/** A file's text as VS Code reads it: without a BOM. */
const CONFIG = path.join(workspaceRoot().fsPath, '.corpus-lens.json');
const diskText = (file: string) => fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');

describe('fix across the corpus', () => {
  const api = useIndexedWorkspace();

  it("changes only the chosen rules' ranges in every article, in one edit that one undo reverts, and counts what it fixed by rule", async () => {
    const only = selectRules(['dateline-*']);
    // (the articles on disk: earlier suites create and delete files, which the index may still be catching up on)
    const files = (await api().indexer.queries.articles()).map((a) => a.file).filter((f) => fs.existsSync(f)).sort();
    // what the core computes for each article (the sample has no .corpus-lens.json; the settings are the defaults)
    const expected = new Map<string, string>();
    const before = new Map(files.map((f) => [f, diskText(f)]));
    const byRule: Partial<Record<RuleCode, number>> = {};
    for (const f of files) {
      const text = diskText(f);
      const edits = collectSafeEdits(checkArticle(text), only);
      for (const e of edits) for (const x of e.from) byRule[x.code] = (byRule[x.code] ?? 0) + 1;
      if (edits.length) expected.set(f, applyEdits(text, edits));
    }
    assert.ok(expected.size >= 4, `the sample has faulty datelines in several articles (${expected.size})`);
    // the sample writes half-width commas throughout, its own convention; a corpus that writes full width
    // (.corpus-lens.json "punctuation") has commas a fix-all would rewrite, which the chosen rules must leave alone
    fs.writeFileSync(CONFIG, JSON.stringify({ punctuation: 'fullwidth' }));
    const all = collectSafeEdits(files.flatMap((f) => checkArticle(diskText(f), { punctuation: 'fullwidth' })));
    assert.ok(all.some((e) => e.from.some((x) => x.code === 'halfwidth-punctuation')), 'the sample also has commas a fix-all would rewrite');

    const bytes = new Map(files.map((f) => [f, fs.readFileSync(f)]));
    const r = await vscode.commands.executeCommand<FixCorpusResult>('corpusLens.fixCorpus', { rules: ['dateline-*'], confirm: false });
    const docText = async (f: string) => (await vscode.workspace.openTextDocument(vscode.Uri.file(f))).getText();
    try {
      assert.equal(r.applied, true);
      assert.deepEqual(r.files.sort(), [...expected.keys()]);
      assert.deepEqual(r.byRule, byRule);
      assert.equal(r.problems, Object.values(byRule).reduce((a, b) => a + b, 0));
      // the rules in the order of the rule table, a count where a rule was fixed more than once
      const list = RULE_CODES.filter((c) => byRule[c]).map((c) => (byRule[c]! > 1 ? `${c} ×${byRule[c]}` : c)).join(', ');
      assert.equal(r.message, `Fixed ${r.problems} problems in ${expected.size} articles (${list}). One undo reverts them.`);
      assert.ok(['dateline-format', 'dateline-short-year', 'dateline-padding', 'dateline-fullwidth-digits', 'dateline-separator'].every((c) => byRule[c as RuleCode]),
        `the sample's faulty datelines are among them: ${list}`);
      for (const f of files) {
        // (the text model the edit opened, or the article's unchanged one)
        assert.equal(await docText(f), expected.get(f) ?? before.get(f), f);
      }
      // VS Code saves the files a refactoring changed (files.refactoring.autoSave, on by default)
      await until(() => r.files.every((f) => diskText(f) === expected.get(f)), 10000, 'the fixed articles to be saved');

      // one undo, from an editor of one of the articles, restores every article
      await vscode.window.showTextDocument(vscode.Uri.file(r.files[r.files.length - 1]));
      await vscode.commands.executeCommand('undo');
      for (const f of files) assert.equal(await docText(f), before.get(f), `${f} after one undo`);
    } finally {
      // the workspace as it was, on disk and in the editors, for the suites that follow
      fs.rmSync(CONFIG, { force: true });
      for (const f of r?.files ?? []) {
        if (bytes.has(f)) fs.writeFileSync(f, bytes.get(f)!);
        await vscode.window.showTextDocument(vscode.Uri.file(f));
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    }
  });

  it('Fix All in one article says what it fixed', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'corpus', content: '标题\n\n2018-10-17 06:24\n\n  上午,省委书记说，我们。\n\n没有缩进。' });
    await vscode.window.showTextDocument(doc);
    const r = await vscode.commands.executeCommand<{ applied: boolean; message?: string }>('corpusLens.fixAll');
    assert.deepEqual(r, { applied: true, message: 'Fixed 4 problems in this file (dateline-format, dateline-separator, halfwidth-punctuation, paragraph-indent).' });
    assert.equal(doc.getText(), '标题\n\n17.10.2018  06:24\n\n  上午，省委书记说，我们。\n\n  没有缩进。');
    const again = await vscode.commands.executeCommand<{ applied: boolean; message?: string }>('corpusLens.fixAll');
    assert.deepEqual(again, { applied: false, message: 'Nothing in this file can be fixed automatically.' });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a pattern that names no rule changes nothing and returns nothing applied', async () => {
    const r = await vscode.commands.executeCommand<FixCorpusResult>('corpusLens.fixCorpus', { rules: ['datline-*'], confirm: false });
    assert.deepEqual(r, { applied: false, problems: 0, files: [], byRule: {} });
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isDirty));
  });
});
