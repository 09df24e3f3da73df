// The concordance and timeline commands, in the real extension host on a copy of sample/corpus: the lines and
// months they return (and show) are checked against counts made here from the articles' text with a plain
// string search, not against numbers written into the test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConcordanceLine } from '../../../src/core/corpusIndex';
import { parseArticle } from '../../../src/core/article';
import { datelineValue } from '../../../src/core/dateline';
import type { CorpusLensApi } from '../../../src/extension/extension';
import { activateExtension, corpusTexts, openDoc, until, workspaceRoot } from './util';


function occurrences(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) at.push(i);
  return at;
}

/** ISO date of a well-formed dateline, else null (the same rule the index applies). */
function articleDate(text: string): string | null {
  const dl = parseArticle(text).dateline?.text.trim();
  return dl ? datelineValue(dl)?.iso ?? null : null;
}

/** What the concordance must show for `name`, counted from the text: the occurrences per article and in all. */
function expectedFor(texts: Map<string, string>, name: string) {
  const perFile = new Map<string, number[]>();
  for (const [file, text] of texts) {
    const at = occurrences(text, name);
    if (at.length) perFile.set(file, at);
  }
  const total = [...perFile.values()].reduce((n, a) => n + a.length, 0);
  return { perFile, total };
}

const rel = (f: string) => path.relative(workspaceRoot().fsPath, f);

describe('concordance and timeline webviews', function () {
  this.timeout(120_000);
  let api: CorpusLensApi;
  let person: string;

  before(async () => {
    const ext = await activateExtension();
    api = ext.exports;
    assert.ok(api?.indexer, 'the extension API has no `indexer` (activate() must return { indexer, ... })');
    await api.indexer.ready;
    // a person the index knows, without other forms (so every mention is written as the name), that the
    // text mentions in at least two articles; the most frequent one
    const texts = await corpusTexts();
    const persons = (await api.indexer.queries.entities()).filter((e) => e.type === 'PER');
    const candidates = persons
      .filter((e) => e.aliases.length === 0)
      .map((e) => ({ name: e.name, e: expectedFor(texts, e.name) }))
      .filter((c) => c.e.perFile.size >= 2)
      .sort((a, b) => b.e.total - a.e.total || a.name.localeCompare(b.name));
    assert.ok(candidates.length > 0,
      `no person without aliases appears in two sample articles; persons indexed: ${persons.map((p) => `${p.name}(${p.articles})`).join(', ') || 'none'}`);
    person = candidates[0].name;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('showConcordance returns one line per occurrence of the name, each slicing to it, in date order', async () => {
    const texts = await corpusTexts();
    const exp = expectedFor(texts, person);
    const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.showConcordance', `PER:${person}`);
    assert.ok(Array.isArray(lines), 'the command returned no lines');
    assert.equal(lines.length, exp.total,
      `${person}: ${lines.length} lines, the text has ${exp.total} occurrences (${[...exp.perFile].map(([f, a]) => `${rel(f)}×${a.length}`).join(', ')})`);
    for (const l of lines) {
      assert.equal(l.match, person);
      const text = texts.get(l.file);
      assert.ok(text !== undefined, `line in a file outside the workspace: ${l.file}`);
      assert.equal(text.slice(l.start, l.end), person, `${rel(l.file)}@${l.start}`);
      assert.equal(l.date, articleDate(text), `${rel(l.file)}: date`);
      // contexts bounded by the mention's sentence: within its line, never across a sentence's end
      const lineText = text.split(/\r?\n/)[l.line];
      assert.ok(lineText.slice(0, l.character).endsWith(l.left), `${rel(l.file)}@${l.start}: left context "${l.left}"`);
      assert.ok(lineText.slice(l.character + person.length).startsWith(l.right), `${rel(l.file)}@${l.start}: right context "${l.right}"`);
      assert.doesNotMatch(l.left, /[。！？!?]/, `${rel(l.file)}@${l.start}: left context "${l.left}" runs into the sentence before`);
      assert.doesNotMatch(l.right, /[。！？!?]./, `${rel(l.file)}@${l.start}: right context "${l.right}" runs into the sentence after`);
    }
    // exactly the occurrences found by the plain search, file by file
    const got = new Map<string, number[]>();
    for (const l of lines) got.set(l.file, [...(got.get(l.file) ?? []), l.start]);
    for (const at of got.values()) at.sort((a, b) => a - b);
    assert.deepEqual(new Map([...got].sort()), new Map([...exp.perFile].sort()));
    // default order: by date, undated articles last
    const dated = lines.map((l) => l.date);
    const firstUndated = dated.indexOf(null);
    if (firstUndated >= 0) assert.ok(dated.slice(firstUndated).every((d) => d === null), 'an undated line before a dated one');
    const ds = dated.filter((d): d is string => d !== null);
    assert.deepEqual(ds, [...ds].sort());
  });

  it('showConcordance shows every indexed mention of every entity (none dropped as stale), at its offsets', async () => {
    const texts = await corpusTexts();
    const problems: string[] = [];
    for (const e of await api.indexer.queries.entities()) {
      const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.showConcordance', e.key);
      if (lines.length !== e.mentions) problems.push(`${e.key}: ${lines.length} lines for ${e.mentions} indexed mentions`);
      for (const l of lines) {
        const got = texts.get(l.file)?.slice(l.start, l.end);
        if (got !== l.match) problems.push(`${e.key}: ${rel(l.file)}@${l.start} is "${got}", not "${l.match}"`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('showConcordance accepts a bare name and reveals its view in the panel, not an editor tab', async () => {
    const a = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.showConcordance', `PER:${person}`);
    const b = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.showConcordance', person);
    assert.deepEqual(b, a);
    await until(() => api.concordance.visible, 10_000, 'the concordance view to show');
    const webviewTabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).map((t) => t.label);
    assert.ok(!webviewTabs.some((l) => l.startsWith('Concordance')), `a concordance editor tab: ${webviewTabs.join(', ')}`);
  });

  it('showConcordance on an unknown entity returns undefined', async () => {
    const r = await vscode.commands.executeCommand('corpusLens.showConcordance', 'PER:不存在的人名字');
    assert.equal(r, undefined);
  });

  it('follows unsaved edits: a mention typed into an article shows up in the concordance', async () => {
    const texts = await corpusTexts();
    const exp = expectedFor(texts, person);
    const file = [...exp.perFile.keys()].find((f) => f.endsWith('.corpus')) ?? [...exp.perFile.keys()][0];
    const { doc } = await openDoc(rel(file));
    const key = `PER:${person}`;
    const mentions = async () => (await api.indexer.queries.entity(key))?.mentions ?? 0;
    const before = await mentions();
    const original = doc.getText();
    let failed = false;
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, doc.positionAt(doc.getText().length), `\n\n  市委书记${person}在会上强调，要抓好重点项目建设。\n`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await until(async () => (await mentions()) > before, 30_000, `the index to count the new mention of ${person} in ${rel(file)}`);
      const now = expectedFor(await corpusTexts(), person);
      assert.equal(now.total, exp.total + 1);
      const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.showConcordance', key);
      assert.equal(lines.length, now.total);
      const added = lines.filter((l) => l.file === file && l.start >= texts.get(file)!.length);
      assert.equal(added.length, 1, 'the typed mention is not among the lines');
      assert.equal(doc.getText().slice(added[0].start, added[0].end), person);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      // leave the workspace and the index as they were for the tests after this one (the edit may have been
      // auto-saved already: code-server saves after a delay): put the original text back, save, wait for the
      // index to drop the typed mention, then close
      let restored: Promise<unknown> = Promise.resolve();
      if (doc.getText() !== original) {
        const undo = new vscode.WorkspaceEdit();
        undo.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
        await vscode.workspace.applyEdit(undo);
        restored = until(async () => (await mentions()) === before, 30_000, `the index to drop the removed mention of ${person}`);
        restored.catch(() => undefined);
      }
      // (an auto-save of the edit may still land after ours: save until the document stays clean)
      await until(async () => !doc.isDirty || (await doc.save(), !doc.isDirty), 10_000, `${rel(file)} to be saved`).catch(() => undefined);
      try { await restored; } catch (e) { if (!failed) throw e; }
      finally {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
    }
    assert.equal(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), original, `${rel(file)} is not back to its original text`);
  });
});
