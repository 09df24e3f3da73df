/**
 * The model learns the corpus: "Corpus Lens: Learn from Reviewed Articles" continues training the current model on
 * the reviewed articles (annotations.jsonl) in the analysis worker, with progress and cancel, writes
 * `.corpus-lens/model.ner`, says how it scores on the reviewed articles it held out, and on request makes it the
 * workspace's model (`corpusLens.model`, read only in a trusted workspace), after which the worker restarts with it
 * and the corpus is analysed again. "Score the Model on Reviewed Articles" gives the live estimate of how far to trust
 * the unreviewed rest; the Entities panel shows it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Scores } from '../core/ner/eval';
import { AnalysisClient, CancelledError } from './analysisClient';
import type { AnnotationsStore } from './annotationsStore';
import type { FeatureCommands } from './commands';
import { getConfig } from './config';
import type { CorpusIndexer } from './corpusIndexer';
import { log } from './log';
import { mayWriteInWorkspace, workspaceTrusted } from './trust';

export const ADAPTED_MODEL = '.corpus-lens/model.ner';

/** The model file corpusLens.model names (relative to the workspace folder), in a trusted workspace; else undefined (the shipped model). */
export function modelSetting(): string | undefined {
  const value = getConfig().model.trim();
  if (!value || !workspaceTrusted()) return undefined;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const file = path.isAbsolute(value) || !root ? value : path.join(root.fsPath, value);
  if (!fs.existsSync(file)) { log.warn(`corpusLens.model: no file ${file}; the shipped model is used`); return undefined; }
  return file;
}

const pct = (x: number) => (x * 100).toFixed(1);
/** "F1 93.1 (P 95.0, R 91.3)" */
export function scoreLine(s: Scores): string {
  return vscode.l10n.t('F1 {0} (precision {1}, recall {2})', pct(s.micro.f1), pct(s.micro.precision), pct(s.micro.recall));
}

export function learnCommands(client: AnalysisClient, indexer: CorpusIndexer, store: AnnotationsStore, show: (message: string | undefined) => void) {
  const reviewedFiles = () => store.reviewedFiles().filter((f) => indexer.has(f));
  const maxBytes = () => getConfig().maxFileSizeMB * 1048576;

  const scoreReviewed = async (): Promise<{ articles: number; scores: Scores | null }> => {
    // (the reviewed articles among the indexed ones: all of them once a rebuild under way has put them back)
    await indexer.whenCurrent();
    const r = await client.request('scoreReviewed', { files: reviewedFiles(), maxBytes: maxBytes() });
    show(!r.scores ? undefined : r.articles === 1 ? vscode.l10n.t('The model on your 1 reviewed article: {0}', scoreLine(r.scores))
      : vscode.l10n.t('The model on your {0} reviewed articles: {1}', r.articles, scoreLine(r.scores)));
    return r;
  };

  // the estimate follows the reviews, a little after the last change of a reviewed article (its decisions, or its
  // status: a path reviewed now or before); a decision in an article still under review leaves the score as it is
  let timer: NodeJS.Timeout | undefined;
  let reviewedBefore = new Set<string>();
  const follow = store.onDidChange((paths) => {
    const reviewed = store.annotations.reviewed;
    const touched = paths.some((p) => reviewed.has(p) || reviewedBefore.has(p));
    reviewedBefore = new Set(reviewed);
    if (!touched) return;
    clearTimeout(timer);
    timer = setTimeout(() => { if (reviewedFiles().length) void scoreReviewed().catch((e) => log.warn(`score on reviewed articles: ${(e as Error).message}`)); }, 2000);
  });

  const commands = {
    'corpusLens.scoreReviewed': scoreReviewed,
    /** `{ use: true }` makes the adapted model the workspace's without asking (tests); resolves to the record */
    'corpusLens.learnFromReviewed': async (options?: { use?: boolean; epochs?: number }) => {
      await indexer.whenCurrent();
      const files = reviewedFiles();
      if (files.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No article is marked reviewed yet: review some (Corpus Lens: Review Entities in This Article, then Mark Article Reviewed) and learn from them.'));
        return undefined;
      }
      const root = vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!root) return undefined;
      const out = vscode.Uri.joinPath(root, ...ADAPTED_MODEL.split('/'));
      if (!mayWriteInWorkspace(out)) return undefined;
      let result;
      try {
        result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, cancellable: true, title: vscode.l10n.t('Corpus Lens: learning from {0} reviewed articles', files.length) }, (progress, token) => {
          let last = 0;
          return client.request('adapt', { files, maxBytes: maxBytes(), out: out.fsPath, ...(typeof options?.epochs === 'number' && { epochs: options.epochs }) }, {
            token,
            onProgress: (p) => { const now = Math.floor((p.done / Math.max(1, p.total)) * 100); if (now > last) { progress.report({ increment: now - last }); last = now; } },
          });
        });
      } catch (e) {
        if (e instanceof CancelledError || (e as { cancelled?: boolean }).cancelled) { void vscode.window.showInformationMessage(vscode.l10n.t('Learning stopped; the model is unchanged.')); return undefined; }
        void vscode.window.showErrorMessage(vscode.l10n.t('Corpus Lens could not learn from the reviewed articles: {0}', (e as Error).message));
        return undefined;
      }
      const r = result.record;
      const held = r.before && r.after
        ? (r.heldOut.articles === 1 ? vscode.l10n.t('On the reviewed article it held out: before {0}, after {1}.', scoreLine(r.before), scoreLine(r.after))
          : vscode.l10n.t('On the {0} reviewed articles it held out: before {1}, after {2}.', r.heldOut.articles, scoreLine(r.before), scoreLine(r.after)))
        : vscode.l10n.t('Too few reviewed articles to hold any out: review more to see how it scores.');
      const use = vscode.l10n.t('Use It');
      const choice = options?.use === true ? use : await vscode.window.showInformationMessage(
        r.articles === 1 ? vscode.l10n.t('Learned from 1 reviewed article ({0} mentions, {1} epochs): {2}', r.mentions, r.epochs, ADAPTED_MODEL)
          : vscode.l10n.t('Learned from {0} reviewed articles ({1} mentions, {2} epochs): {3}', r.articles, r.mentions, r.epochs, ADAPTED_MODEL), { modal: true, detail: held }, use);
      if (choice === use) {
        // a workspace setting: this corpus's model; the worker restarts with it and the index is analysed again
        // (the setting's change restarts the worker: AnalysisClient's RESTART_SETTINGS)
        await vscode.workspace.getConfiguration('corpusLens').update('model', ADAPTED_MODEL, vscode.ConfigurationTarget.Workspace);
        await indexer.reanalyse();
        await scoreReviewed();
      }
      return { ...result, used: choice === use };
    },
  } satisfies FeatureCommands;
  return { commands, disposable: { dispose() { clearTimeout(timer); follow.dispose(); } } };
}
