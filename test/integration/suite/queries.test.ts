// Issue 20: the features ask the corpus index (indexer.queries) asynchronously. A failed query is logged and leaves
// each view as it was, never an error thrown into VS Code; an answer to an older question is never shown over a
// newer one's.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { CorpusQueries } from '../../../src/core/corpusQueries';
import type { EntitySummary } from '../../../src/core/corpusIndex';
import type { CorpusLensApi } from '../../../src/extension/extension';
import { openDoc, rows, useIndexedWorkspace } from './util';

const A001 = '001_c1021a8422364d99.txt';

/** Puts `queries` in the indexer's place for the duration of `body`. */
async function withQueries(api: CorpusLensApi, queries: CorpusQueries, body: () => Promise<void>): Promise<void> {
  const real = api.indexer.queries;
  Object.defineProperty(api.indexer, 'queries', { value: queries, configurable: true, writable: true });
  try { await body(); } finally { Object.defineProperty(api.indexer, 'queries', { value: real, configurable: true, writable: true }); }
}

/** A CorpusQueries whose every answer is a failure. */
function unreachable(): CorpusQueries {
  return new Proxy({} as CorpusQueries, { get: () => () => Promise.reject(new Error('test: the corpus index is unreachable')) });
}

async function corpusNames(api: CorpusLensApi): Promise<string[]> {
  const names: string[] = [];
  for (const t of await rows(api, 'type')) for (const e of await rows(api, 'entity', t)) names.push(e.key);
  return names.sort();
}

const hoverText = (hovers: vscode.Hover[]) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');

describe('asking the corpus index', function () {
  this.timeout(60_000);
  const extensionApi = useIndexedWorkspace();

  it('a failed query leaves the panel as it was, the hover without the corpus\'s counts, and throws nothing into VS Code', async () => {
    const api = extensionApi();
    const { doc } = await openDoc(A001);
    const d = doc.languageId === 'corpus' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'corpus');
    await api.client.analyse(d);
    await vscode.commands.executeCommand('corpusLens.scopeCorpus');
    const shown = await corpusNames(api);
    assert.ok(shown.includes('PER:王建平'), shown.join());
    await withQueries(api, unreachable(), async () => {
      api.tree.indexChanged(); // as when the index changes: the panel asks again, and is refused
      assert.deepEqual(await corpusNames(api), shown);
      const per = (await rows(api, 'type')).find((n) => n.type === 'PER')!;
      const row = (await rows(api, 'entity', per)).find((n) => n.name === '王建平')!;
      assert.deepEqual(await rows(api, 'mention', row), [], 'no mentions without an answer');
      const md = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', d.uri, d.positionAt(d.getText().indexOf('王建平') + 1)));
      assert.match(md, /\*\*王建平\*\* — Person/);
      assert.doesNotMatch(md, /In the corpus/);
      assert.equal(await vscode.commands.executeCommand('corpusLens.showConcordance', 'PER:王建平'), undefined);
      assert.equal(await vscode.commands.executeCommand('corpusLens.showTimeline', 'PER:王建平'), undefined);
      assert.equal(await vscode.commands.executeCommand('corpusLens.showConventions', { apply: false }), undefined);
    });
    // the index answers again: so does the panel
    api.tree.indexChanged();
    assert.deepEqual(await corpusNames(api), shown);
  });

  it('an answer that comes after a newer question\'s is dropped: the panel shows the newer answer', async () => {
    const api = extensionApi();
    await vscode.commands.executeCommand('corpusLens.scopeCorpus');
    const real = api.indexer.queries;
    // the newer answer as the index gave it (the index may still change from earlier tests' edits meanwhile)
    let newer: string[] | undefined;
    const stale: EntitySummary = { key: 'PER:旧答案', name: '旧答案', type: 'PER', aliases: [], roles: [], mentions: 1, articles: 1, confidence: 1 };
    let answerFirst!: (list: EntitySummary[]) => void;
    let asked!: () => void;
    const firstAsked = new Promise<void>((r) => (asked = r));
    let calls = 0;
    const slowFirst = new Proxy(real, {
      get: (target, prop) => prop !== 'entities' ? Reflect.get(target, prop).bind(target) : () => {
        // the first question is answered late (after the second), with what the index held before
        if (++calls === 1) { asked(); return new Promise<EntitySummary[]>((r) => (answerFirst = r)); }
        return target.entities().then((list) => { newer = list.map((e) => e.key).sort(); return list; });
      },
    });
    await withQueries(api, slowFirst, async () => {
      api.tree.indexChanged();
      await firstAsked;
      api.tree.indexChanged();
      assert.deepEqual(await corpusNames(api), newer); // the second question, answered
      answerFirst([stale]);
      await new Promise((r) => setImmediate(r)); // (the late answer's handler has run)
      // (a change of the index meanwhile asks again: the panel shows the newest answer, never the late first one)
      const shown = await corpusNames(api);
      assert.ok(!shown.includes(stale.key), 'the late answer is not shown');
      assert.deepEqual(shown, newer);
      assert.ok(calls >= 2);
    });
  });
});
