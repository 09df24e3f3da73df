// The concordance search in the real extension host on a copy of sample/corpus: the lines of a regular expression
// against the matches this test finds in the indexed articles' text itself, contexts that stop at the sentence (the
// lead line's mention no longer reads the title and dateline), the CSV export byte for byte, and marking selected
// lines writing the corpus dictionary. The page's messages are sent to the view as the page sends them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConcordanceLine, sortLines } from '../../../src/core/concordance';
import { openDoc, until, useIndexedWorkspace, workspaceFile, workspaceRoot } from './util';

/** The current text of a file: the open editor's, else the file's without a UTF-8 BOM (as the index reads it). */
function textOf(file: string): string {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  return open ? open.getText() : fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

/** Matches of `pattern` in every indexed article, found here with String.prototype.matchAll: "file@start:match". */
function expectedMatches(files: string[], pattern: string, flags: string): string[] {
  const out: string[] = [];
  for (const f of files) for (const m of textOf(f).matchAll(new RegExp(pattern, flags))) if (m[0]) out.push(`${f}@${m.index}:${m[0]}`);
  return out.sort();
}

const rel = (f: string) => path.relative(workspaceRoot().fsPath, f);
/** A CSV cell as RFC 4180 writes it, with the `'` a spreadsheet formula gets. */
const cell = (v: string | number) => {
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\r\n]/.test(s) || s !== String(v) ? `"${s.replace(/"/g, '""')}"` : s;
};

describe('concordance search', function () {
  this.timeout(120_000);
  const api = useIndexedWorkspace();
  let out: string;
  before(() => { out = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-conc-')); });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it('a regex concordance returns exactly the matching lines', async () => {
    const pattern = '[省市]委书记|\\d+(?:\\.\\d+)?亿元';
    const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', { pattern, regex: true });
    assert.ok(Array.isArray(lines), 'the command returned no lines');
    const files = (await api().indexer.queries.articles()).map((a) => a.file);
    const expected = expectedMatches(files, pattern, 'giu');
    assert.ok(expected.length >= 5, `the sample has only ${expected.length} matches of ${pattern}`);
    assert.deepEqual(lines.map((l) => `${l.file}@${l.start}:${l.match}`).sort(), expected);
    for (const l of lines) {
      const text = textOf(l.file);
      assert.equal(text.slice(l.start, l.end), l.match);
      const before = text.slice(0, l.start).split(/\r?\n/);
      assert.deepEqual([l.line, l.character], [before.length - 1, before[before.length - 1].length], `${rel(l.file)}@${l.start}`);
    }
    // in date order (undated articles last), as the view shows them without sort levels
    const dates = lines.map((l) => l.date ?? '\uffff');
    assert.deepEqual(dates, [...dates].sort());
    await until(() => api().concordance.visible, 10_000, 'the concordance view to show');
    assert.deepEqual(api().concordance.shown.lines, lines);
  });

  it('a plain string is matched literally; an invalid expression returns nothing and says why', async () => {
    const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', '327.6亿元');
    assert.deepEqual(lines.map((l) => `${l.file}@${l.start}`).sort(), expectedMatches((await api().indexer.queries.articles()).map((a) => a.file), '327\\.6亿元', 'g').map((s) => s.replace(/:.*$/, '')));
    assert.equal(lines.length > 0, true);
    assert.equal(await vscode.commands.executeCommand('corpusLens.searchConcordance', { pattern: '书记(', regex: true }), undefined);
    assert.deepEqual(api().concordance.shown.lines, []);
  });

  it('bounds the context by the sentence: the lead line does not read the title and dateline', async () => {
    const file = workspaceFile('001_c1021a8422364d99.txt').fsPath;
    const text = textOf(file);
    const lead = text.split(/\r?\n/)[3];
    assert.equal(lead, '市委书记王建平出席并讲话', 'the sample article 001 has changed');
    const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', '王建平');
    const inLead = lines.find((l) => l.file === file && l.line === 3);
    assert.ok(inLead, 'no line for the lead line\'s 王建平');
    assert.deepEqual([inLead.left, inLead.match, inLead.right], ['市委书记', '王建平', '出席并讲话']);
    const inBody = lines.find((l) => l.file === file && l.line === 5);
    assert.ok(inBody);
    assert.deepEqual([inBody.left, inBody.right], ['市委书记', '出席会议并讲话，市长郭志宏主持会议。']);
    // paragraph: the whole line, still without the header
    await api().concordance.handleMessage({ type: 'context', bound: 'paragraph', width: 12 });
    const para = api().concordance.shown.lines.find((l) => l.file === file && l.line === 5)!;
    assert.deepEqual([para.left, para.right], ['大会在榆次召开。市委书记', '出席会议并讲话，市长郭志']);
    await api().concordance.handleMessage({ type: 'context', bound: 'sentence', width: 30 });
  });

  it('sorts by the jieba words left of the match (1L), then right (1R), as the page asks', async () => {
    const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', { pattern: '[省市]委书记|市长', regex: true });
    assert.ok(lines.length >= 5);
    await api().concordance.handleMessage({ type: 'sort', keys: ['1L', '1R'] });
    const shown = api().concordance.shown.lines;
    const words = await api().client.request('segment', { texts: shown.flatMap((l) => [l.left, l.right]) });
    const byLine = new Map(shown.map((l, i) => [l, { left: words[2 * i], right: words[2 * i + 1] }]));
    for (const [l, w] of byLine) {
      assert.equal(w.left.join(''), l.left.replace(/[\s\u3000]/g, ''), 'the words are the context');
      if (w.left.length) assert.ok(l.left.endsWith(w.left[w.left.length - 1]));
    }
    assert.deepEqual(shown, sortLines(lines, ['1L', '1R'], undefined, (f) => vscode.workspace.asRelativePath(f, true), (l) => byLine.get(l)));
    // a word of two characters or more decides somewhere, or the sort would be by characters
    assert.ok([...byLine.values()].some((w) => (w.left[w.left.length - 1] ?? '').length > 1));
    await api().concordance.handleMessage({ type: 'sort', keys: [] });
  });

  it('exports the lines as the CSV expected, and never replaces a file it was given', async () => {
    const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', { pattern: '郭志宏', regex: false });
    assert.ok(lines.length >= 2);
    const target = path.join(out, 'lines.csv');
    assert.equal(await vscode.commands.executeCommand('corpusLens.exportConcordance', 'csv', target), target);
    const expected = '\ufeffarticle,dateline,date,start,end,line,left,match,right\r\n' + lines.map((l) => {
      const dateline = textOf(l.file).split(/\r?\n/)[2];
      return [rel(l.file), dateline, l.date ?? '', l.start, l.end, l.line + 1, l.left, '郭志宏', l.right].map(cell).join(',') + '\r\n';
    }).join('');
    assert.equal(fs.readFileSync(target, 'utf8'), expected);
    // a second export to the same file is refused; the file stays as it was
    fs.writeFileSync(target, 'keep me\n');
    assert.equal(await vscode.commands.executeCommand('corpusLens.exportConcordance', 'csv', target), undefined);
    assert.equal(fs.readFileSync(target, 'utf8'), 'keep me\n');
  });

  it('marks the selected lines\' string in the corpus dictionary, once for all of them', async () => {
    const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', '推进大会');
    assert.ok(lines.length >= 2, `推进大会: ${lines.length} lines`);
    const { generation } = api().concordance.shown;
    await api().concordance.handleMessage({ type: 'mark', ids: [0, 1], as: 'ORG', generation });
    await until(async () => !!(await api().indexer.queries.entity('ORG:推进大会')), 60_000, 'the index to know 推进大会 as an organisation');
    const dict = fs.readFileSync(workspaceFile('.corpus-lens/dictionary.tsv').fsPath, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(dict, ['推进大会\tORG']);
    // lines of an older set are refused: nothing more is written
    await api().concordance.handleMessage({ type: 'mark', ids: [0], as: 'none', generation: generation - 1 });
    assert.equal(fs.existsSync(workspaceFile('.corpus-lens/not-entities.txt').fsPath), false);
    // put the dictionary back (the suite's end removes the folder) and let the index drop the entry
    fs.writeFileSync(workspaceFile('.corpus-lens/dictionary.tsv').fsPath, '# empty\n');
    await until(async () => !(await api().indexer.queries.entity('ORG:推进大会')), 60_000, 'the index to drop 推进大会');
  });

  it('reads an open editor\'s unsaved text, and a search shown follows an edit', async () => {
    const needle = '检索测试专用词';
    assert.deepEqual(await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', needle), []);
    await until(() => api().concordance.visible, 10_000, 'the concordance view to show');
    const { doc, editor } = await openDoc('002_74056459ba3d8153.txt');
    const original = doc.getText();
    const onDisk = fs.readFileSync(doc.uri.fsPath);
    try {
      const at = doc.getText().length;
      await editor.edit((b) => b.insert(doc.positionAt(at), `\n\n  会上提到${needle}。\n`));
      await until(() => api().concordance.shown.lines.length === 1, 30_000, `the shown search to find the typed ${needle}`);
      const [l] = api().concordance.shown.lines;
      assert.equal(doc.getText().slice(l.start, l.end), needle);
      assert.deepEqual([l.file, l.left, l.right], [doc.uri.fsPath, '会上提到', '。']);
      const again = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', needle);
      assert.deepEqual(again.map((x) => x.start), [l.start]);
    } finally {
      // (code-server may have auto-saved the edit: put the text back and save, so the file is as it was)
      const undo = new vscode.WorkspaceEdit();
      undo.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(undo);
      await doc.save();
    }
    assert.deepEqual(fs.readFileSync(doc.uri.fsPath), onDisk);
  });

  it('a click on a line opens the article in the editor area with the match selected', async () => {
    const lines = await vscode.commands.executeCommand<ConcordanceLine[]>('corpusLens.searchConcordance', '郭志宏');
    const { generation } = api().concordance.shown;
    const l = lines[1];
    await api().concordance.handleMessage({ type: 'open', i: 1, generation });
    await until(() => vscode.window.activeTextEditor?.document.uri.fsPath === l.file, 10_000, `${rel(l.file)} to open`);
    const ed = vscode.window.activeTextEditor!;
    assert.deepEqual([ed.document.offsetAt(ed.selection.start), ed.document.offsetAt(ed.selection.end)], [l.start, l.end]);
  });
});
