/**
 * "Corpus Lens: Extract Entities": for the active article or the whole workspace, in a format the user
 * picks, to a file the user confirms (never overwritten without asking). Workspace runs show a
 * cancellable progress notification. Returns the result to executeCommand callers (tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../core/analysis';
import { writeFileAtomic } from '../core/atomic';
import { ExportFormat, FORMATS, renderExport } from '../core/export/writers';
import { AnalysisClient } from './analysisClient';
import { CorpusIndexer } from './corpusIndexer';
import { LANGUAGE_ID } from './languageDetection';
import { log } from './log';
import { documentText } from './documentLength';

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
    vscode.l10n.t('{0} already exists. Replace it?', existing.length === 1 ? path.basename(existing[0]) : vscode.l10n.t('{0} files', existing.length)),
    { modal: true }, replace);
  return answer === replace;
}

export function registerExtractCommand(context: vscode.ExtensionContext, client: AnalysisClient, indexer: CorpusIndexer): void {
  context.subscriptions.push(vscode.commands.registerCommand('corpusLens.extractEntities', async (arg?: ExtractArgs | vscode.Uri): Promise<ExtractResult | undefined> => {
    const args: ExtractArgs = arg && !(arg instanceof vscode.Uri) ? arg : {};
    const editor = vscode.window.activeTextEditor;
    const active = editor?.document.languageId === LANGUAGE_ID ? editor.document : undefined;
    let scope = args.scope;
    if (!scope) {
      const items = [
        ...(active ? [{ label: vscode.l10n.t('This article'), description: vscode.workspace.asRelativePath(active.uri), scope: 'article' as const }] : []),
        { label: vscode.l10n.t('Whole workspace'), description: vscode.l10n.t('{0} articles indexed', indexer.index.size), scope: 'workspace' as const },
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

    // where to write
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    let target = args.target ? vscode.Uri.parse(args.target) : undefined;
    if (!target) {
      if (format === 'brat') {
        target = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: base, openLabel: vscode.l10n.t('Write brat files here') }))?.[0];
      } else {
        const name = scope === 'article' ? `${path.basename(active!.uri.fsPath).replace(/\.(txt|corpus)$/i, '')}.entities.${EXT[format]}` : `entities.${EXT[format]}`;
        target = await vscode.window.showSaveDialog({ defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined, filters: { [format.toUpperCase()]: [EXT[format]] }, saveLabel: vscode.l10n.t('Export') });
      }
      if (!target) return undefined;
    }

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
          await Promise.race([indexer.ensureStarted(), new Promise((r) => token.onCancellationRequested(r))]);
          if (token.isCancellationRequested) return undefined; // (an empty index must not write an empty export either)
          const files = indexer.index.files();
          const out: { analysis: DocumentAnalysis; text: string }[] = [];
          for (let i = 0; i < files.length; i++) {
            // (files not open in an editor are read from disk: a slice of 50 at a time, then the event loop's turn, so
            // a corpus of thousands neither blocks the extension host nor ignores Cancel)
            if (i % 50 === 49) await new Promise((r) => setImmediate(r));
            if (token.isCancellationRequested) return undefined;
            const text = indexer.textOf(files[i]);
            const doc = indexer.index.get(files[i]);
            if (text === undefined || !doc) continue;
            out.push({ analysis: { ...doc.analysis, path: vscode.workspace.asRelativePath(vscode.Uri.file(files[i]), false) }, text });
            if (i % 200 === 0) progress.report({ message: vscode.l10n.t('{0} of {1} articles', i + 1, files.length), increment: (200 / files.length) * 100 });
          }
          return out;
        } finally { for (const d of subs) d.dispose(); either.dispose(); }
      });
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
  }));
}
