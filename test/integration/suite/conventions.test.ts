// The corpus's conventions in the real extension host: detected from the indexed articles, shown, and written into
// .corpus-lens.json by one undoable edit, after which halfwidth-punctuation follows them in every article.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { punctuationForms } from '../../../src/core/rules';
import type { CorpusLensApi } from '../../../src/extension/extension';
import type { CorpusConventions } from '../../../src/extension/conventions';
import { diagCode, openDoc, useIndexedWorkspace, waitForDiagnostics, workspaceFile, workspaceRoot } from './util';

let api: CorpusLensApi;

describe('the corpus\'s conventions', function () {
  this.timeout(120000);
  const extensionApi = useIndexedWorkspace();
  before(() => { api = extensionApi(); });

  it('detects the punctuation most articles write, writes it into .corpus-lens.json on request, and halfwidth-punctuation follows it', async () => {
    const config = workspaceFile('.corpus-lens.json');
    fs.rmSync(config.fsPath, { force: true });
    // each indexed article's majority form, counted from the files here
    const root = workspaceRoot().fsPath;
    const votes = { halfwidth: 0, fullwidth: 0, even: 0 };
    const indexed = (await api.indexer.queries.articles()).map((a) => a.file);
    for (const f of indexed) {
      const p = punctuationForms(fs.readFileSync(f, 'utf8').replace(/^\ufeff/, ''));
      if (p.half + p.full === 0) continue;
      if (p.half > p.full) votes.halfwidth++; else if (p.full > p.half) votes.fullwidth++; else votes.even++;
    }
    assert.ok(votes.fullwidth >= 0.8 * (votes.halfwidth + votes.fullwidth) && votes.halfwidth > 0, JSON.stringify(votes));
    assert.ok(indexed.every((f) => f.startsWith(root + path.sep)));

    // an article written half-width gets no finding while each article follows its own majority (the default)
    const half = await openDoc('002_74056459ba3d8153.txt');
    assert.deepEqual(api.diagnostics.findings(half.doc).filter((d) => d.code === 'halfwidth-punctuation'), []);

    const shown = await vscode.commands.executeCommand<CorpusConventions & { applied: boolean }>('corpusLens.showConventions', { apply: true });
    assert.deepEqual(shown.punctuation, { ...votes, convention: 'fullwidth' });
    assert.equal(shown.articles, api.indexer.size);
    assert.equal(shown.applied, true);
    assert.equal(shown.configured, 'fullwidth');
    assert.equal(fs.readFileSync(config.fsPath, 'utf8'), '{\n  "punctuation": "fullwidth"\n}\n');
    // every half-width mark between Chinese characters of 002 is now a finding
    const count = punctuationForms(half.doc.getText()).half;
    await waitForDiagnostics(half.doc.uri, (ds) => ds.filter((d) => diagCode(d) === 'halfwidth-punctuation').length === count, 60000);

    // a second time there is nothing to write
    const again = await vscode.commands.executeCommand<CorpusConventions & { applied: boolean }>('corpusLens.showConventions', { apply: true });
    assert.equal(again.applied, false);
    assert.equal(again.configured, 'fullwidth');

    // an existing file keeps its other members and bytes: only "punctuation" changes
    fs.writeFileSync(config.fsPath, '{\r\n    "startYear": 1990,\r\n    "punctuation": "article"\r\n}');
    const edited = await vscode.commands.executeCommand<CorpusConventions & { applied: boolean }>('corpusLens.showConventions', { apply: true });
    assert.equal(edited.applied, true);
    assert.equal(fs.readFileSync(config.fsPath, 'utf8'), '{\r\n    "startYear": 1990,\r\n    "punctuation": "fullwidth"\r\n}');
    fs.rmSync(config.fsPath, { force: true });
    await waitForDiagnostics(half.doc.uri, (ds) => !ds.some((d) => diagCode(d) === 'halfwidth-punctuation'), 60000);
  });

  it('writes .corpus-lens.json only where it may, and only the member it means: a BOM kept, a read-only file and a link out of the workspace left as they were', async () => {
    const config = workspaceFile('.corpus-lens.json').fsPath;
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-conv-'));
    const apply = () => vscode.commands.executeCommand<CorpusConventions & { applied: boolean }>('corpusLens.showConventions', { apply: true });
    try {
      // a BOM and CRLF: the same bytes around the changed value
      fs.rmSync(config, { force: true });
      fs.writeFileSync(config, '\ufeff{\r\n  "startYear": 1990\r\n}\r\n');
      assert.equal((await apply()).applied, true);
      assert.equal(fs.readFileSync(config, 'utf8'), '\ufeff{\r\n  "startYear": 1990,\r\n  "punctuation": "fullwidth"\r\n}\r\n');
      // read-only: not written (the save fails), the bytes as they were
      const readOnly = '{ "punctuation": "halfwidth" }\n';
      fs.writeFileSync(config, readOnly);
      fs.chmodSync(config, 0o444);
      assert.equal((await apply()).applied, false);
      assert.equal(fs.readFileSync(config, 'utf8'), readOnly);
      fs.chmodSync(config, 0o644);
      fs.rmSync(config, { force: true });
      // a link to a file outside the workspace: refused, the target unchanged
      const target = path.join(outside, 'corpus-lens.json');
      fs.writeFileSync(target, '{}\n');
      fs.symlinkSync(target, config);
      assert.equal((await apply()).applied, false);
      assert.equal(fs.readFileSync(target, 'utf8'), '{}\n');
      assert.ok(fs.lstatSync(config).isSymbolicLink());
    } finally {
      fs.rmSync(config, { force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
