/**
 * "Corpus Lens: Extract Entities": for the active article or the whole workspace, in a format the user
 * picks, to a file the user confirms (never overwritten without asking). The dialogs offer a place beside
 * the corpus, never in it; an article is never replaced, brat's per-article .txt copies are never written into
 * the workspace (they would join the corpus), and in Restricted Mode nothing is written into the workspace.
 * Workspace runs show a cancellable progress notification. Returns the result to executeCommand callers (tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../core/analysis';
import { writeFileAtomic } from '../core/atomic';
import { realTarget, writeStaysInside } from '../core/realPath';
import { ExportFormat, FORMATS, renderExport } from '../core/export/writers';
import { AnalysisClient } from './analysisClient';
import type { FeatureCommands } from './commands';
import { CorpusIndexer } from './corpusIndexer';
import { LANGUAGE_ID } from './languageDetection';
import { indexUnanswered, log } from './log';
import { documentText } from './documentLength';
import { workspaceTrusted } from './trust';

export interface ExtractArgs {
  scope?: 'article' | 'workspace';
  format?: ExportFormat;
  /** a file (or, for brat, a folder) URI string; skips the save dialog */
  target?: string;
  /** with target: replace existing files without asking (tests); the UI always asks */
  overwrite?: boolean;
  /** API callers (and tests): cancels a workspace run like the notification's Cancel button */
  token?: vscode.CancellationToken;
}

export interface ExtractResult { scope: 'article' | 'workspace'; format: ExportFormat; files: string[]; documents: number; entities: number; mentions: number }

const EXT: Record<ExportFormat, string> = { json: 'json', jsonl: 'jsonl', csv: 'csv', tsv: 'tsv', conll: 'conll', brat: '' };

async function confirmOverwrite(files: string[]): Promise<boolean> {
  const existing = files.filter((f) => fs.existsSync(f));
  if (existing.length === 0) return true;
  const replace = vscode.l10n.t('Replace');
  const answer = await vscode.window.showWarningMessage(
    existing.length === 1 ? vscode.l10n.t('{0} already exists. Replace it?', path.basename(existing[0])) : vscode.l10n.t('{0} files already exist. Replace them?', existing.length),
    { modal: true }, replace);
  return answer === replace;
}

/** The workspace folder whose real path holds `file`'s real path (symbolic links resolved), if any. */
function workspaceFolderHolding(file: string): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file' && writeStaysInside(file, f.uri.fsPath));
}

/** Why these outputs must not be written (one line for the user), or undefined when they may be (the concordance export asks too). */
export function refusal(format: ExportFormat, target: string, files: string[], indexer: CorpusIndexer): string | undefined {
  const folder = workspaceFolderHolding(target);
  if (folder && format === 'brat') return vscode.l10n.t('brat writes a .txt copy of every article: in {0} they would join the corpus. Choose a folder outside the workspace; nothing was written.', folder.name);
  if (folder && !workspaceTrusted()) return vscode.l10n.t('Restricted Mode: Corpus Lens writes nothing into this workspace. Choose a place outside {0}; nothing was written.', folder.name);
  for (const f of files) {
    if (!fs.existsSync(f)) continue;
    const real = realTarget(f);
    const article = indexer.has(f) || (real !== undefined && indexer.has(real))
      || vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID && d.uri.scheme === 'file' && (d.uri.fsPath === f || d.uri.fsPath === real))
      // (a .txt or .corpus file is taken for an article, unless it is the text of an earlier brat export: its .ann beside it)
      || (/\.(txt|corpus)$/i.test(f) && !(format === 'brat' && /\.txt$/i.test(f) && fs.existsSync(f.slice(0, -4) + '.ann')));
    if (article) return vscode.l10n.t('{0} is an article; an export never replaces it. Choose another file; nothing was written.', path.basename(f));
  }
  return undefined;
}

/** The handler of corpusLens.extractEntities. */
export function extractCommands(client: AnalysisClient, indexer: CorpusIndexer) {
  return { 'corpusLens.extractEntities': async (arg?: ExtractArgs | vscode.Uri): Promise<ExtractResult | undefined> => {
    const args: ExtractArgs = arg && !(arg instanceof vscode.Uri) ? arg : {};
    const editor = vscode.window.activeTextEditor;
    const active = editor?.document.languageId === LANGUAGE_ID ? editor.document : undefined;
    let scope = args.scope;
    if (!scope) {
      const items = [
        ...(active ? [{ label: vscode.l10n.t('This article'), description: vscode.workspace.asRelativePath(active.uri), scope: 'article' as const }] : []),
        { label: vscode.l10n.t('Whole workspace'), description: indexer.size === 1 ? vscode.l10n.t('1 article indexed') : vscode.l10n.t('{0} articles indexed', indexer.size), scope: 'workspace' as const },
      ];
      scope = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Extract entities from…') }))?.scope;
      if (!scope) return undefined;
    }
    if (scope === 'article' && !active) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a corpus article first, or extract from the whole workspace.'));
      return undefined;
    }
    let format = args.format;
    if (!format) {
      const labels: Record<ExportFormat, string> = {
        json: vscode.l10n.t('JSON — documents with entities, aliases, roles and mentions'),
        jsonl: vscode.l10n.t('JSON lines — one document per line'),
        csv: vscode.l10n.t('CSV — one row per mention (spreadsheets)'),
        tsv: vscode.l10n.t('TSV — one row per mention'),
        conll: vscode.l10n.t('CoNLL — character and BIO tag per line'),
        brat: vscode.l10n.t('brat standoff — .txt and .ann per article (brat, INCEpTION)'),
      };
      format = (await vscode.window.showQuickPick(FORMATS.map((f) => ({ label: f, description: labels[f], f })), { title: vscode.l10n.t('Export format') }))?.f;
      if (!format) return undefined;
    }
    if (!FORMATS.includes(format)) throw new Error(`unknown format ${format}`);

    // where to write: the dialogs start beside the corpus (the workspace folder's parent), never inside it
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
    const beside = ws && ws.scheme === 'file' ? vscode.Uri.file(path.dirname(ws.fsPath)) : undefined;
    let target = args.target ? vscode.Uri.parse(args.target) : undefined;
    if (!target) {
      if (format === 'brat') {
        target = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: beside, openLabel: vscode.l10n.t('Write brat files here') }))?.[0];
      } else {
        const stem = scope === 'article' ? path.basename(active!.uri.fsPath).replace(/\.(txt|corpus)$/i, '') : ws ? path.basename(ws.fsPath) : 'corpus';
        const name = `${stem}.entities.${EXT[format]}`;
        target = await vscode.window.showSaveDialog({ defaultUri: beside ? vscode.Uri.joinPath(beside, name) : undefined, filters: { [format.toUpperCase()]: [EXT[format]] }, saveLabel: vscode.l10n.t('Export') });
      }
      if (!target) return undefined;
    }
    // (checked before the work and again before writing: the outputs' names are known only then)
    const early = refusal(format, target.fsPath, format === 'brat' ? [] : [target.fsPath], indexer);
    if (early) { log.warn(early); void vscode.window.showErrorMessage(early); return undefined; }

    // what to write
    let docs: { analysis: DocumentAnalysis; text: string }[];
    if (scope === 'article') {
      const analysis = await client.analyse(active!);
      docs = [{ analysis: { ...analysis, path: vscode.workspace.asRelativePath(active!.uri, false) }, text: documentText(active!) }];
    } else {
      const collected = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Extracting entities'), cancellable: true }, async (progress, button) => {
        // the notification's Cancel button, or the caller's token
        const either = new vscode.CancellationTokenSource();
        const subs = [button.onCancellationRequested(() => either.cancel()), ...(args.token ? [args.token.onCancellationRequested(() => either.cancel())] : [])];
        if (args.token?.isCancellationRequested) either.cancel();
        const token = either.token;
        try {
          progress.report({ message: vscode.l10n.t('waiting for the index…') });
          await Promise.race([indexer.whenCurrent(), new Promise((r) => token.onCancellationRequested(r))]);
          if (token.isCancellationRequested) return undefined; // (an empty index must not write an empty export either)
          const files = (await indexer.queries.articles()).map((a) => a.file);
          const out: { analysis: DocumentAnalysis; text: string }[] = [];
          for (let i = 0; i < files.length; i++) {
            // (files not open in an editor are read from disk: a slice of 50 at a time, then the event loop's turn, so
            // a corpus of thousands neither blocks the extension host nor ignores Cancel)
            if (i % 50 === 49) await new Promise((r) => setImmediate(r));
            if (token.isCancellationRequested) return undefined;
            const text = indexer.textOf(files[i]);
            const analysis = text === undefined ? undefined : await indexer.queries.analysis(files[i]);
            if (text === undefined || !analysis) continue;
            out.push({ analysis: { ...analysis, path: vscode.workspace.asRelativePath(vscode.Uri.file(files[i]), false) }, text });
            if (i % 200 === 0) progress.report({ message: vscode.l10n.t('{0} of {1} articles', i + 1, files.length), increment: (200 / files.length) * 100 });
          }
          return out;
        } catch (e) {
          indexUnanswered(e, 'extract entities');
          return 'failed' as const;
        } finally { for (const d of subs) d.dispose(); either.dispose(); }
      });
      if (collected === 'failed') return undefined;
      if (!collected) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Extraction cancelled; nothing was written.'));
        return undefined;
      }
      docs = collected.sort((a, b) => a.analysis.path.localeCompare(b.analysis.path));
    }

    const rendered = renderExport(format, docs);
    const outputs = format === 'brat'
      ? rendered.map((o) => ({ file: path.join(target!.fsPath, o.name), data: o.data }))
      : [{ file: target.fsPath, data: rendered[0].data }];
    const refused = refusal(format, target.fsPath, outputs.map((o) => o.file), indexer);
    if (refused) { log.warn(refused); void vscode.window.showErrorMessage(refused); return undefined; }
    if (!args.overwrite && !(await confirmOverwrite(outputs.map((o) => o.file)))) return undefined;
    try {
      fs.mkdirSync(path.dirname(outputs[0].file), { recursive: true });
      for (const o of outputs) writeFileAtomic(o.file, o.data);
    } catch (e) {
      const msg = vscode.l10n.t('Could not write the export: {0}. Nothing was overwritten.', (e as Error).message);
      log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
    const result: ExtractResult = {
      scope, format, files: outputs.map((o) => o.file), documents: docs.length,
      entities: docs.reduce((n, d) => n + d.analysis.entities.length, 0),
      mentions: docs.reduce((n, d) => n + d.analysis.entities.reduce((m, e) => m + e.mentions.length, 0), 0),
    };
    log.info(`extracted ${result.entities} entities (${result.mentions} mentions) from ${result.documents} articles to ${result.files[0]}`);
    if (format !== 'brat') await vscode.window.showTextDocument(vscode.Uri.file(outputs[0].file), { preview: true });
    else void vscode.window.showInformationMessage(vscode.l10n.t('Wrote {0} brat files to {1}.', outputs.length, target.fsPath));
    return result;
  } } satisfies FeatureCommands;
}
