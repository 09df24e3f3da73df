/**
 * Corpus Lens: Show the Corpus's Conventions — what the corpus itself writes, detected from the indexed articles:
 * the form of punctuation between Chinese characters (core/conventions) and the years of its datelines
 * (core/consistency), beside what `halfwidth-punctuation` follows now. Where the corpus has a convention that the
 * workspace's `.corpus-lens.json` does not state, one button writes it there: an edit of that file through VS Code
 * (undoable), only the `"punctuation"` member changed, only in a trusted workspace.
 */
import * as path from 'node:path';
import { modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import { formatCount } from '../core/messages';
import { CONFIG_FILE, ConfigCache } from '../core/config';
import type { DatelineRange } from '../core/consistency';
import type { PunctuationSurvey } from '../core/conventions';
import type { PunctuationConvention } from '../core/rules';
import type { FeatureCommands } from './commands';
import type { CorpusIndexer } from './corpusIndexer';
import { indexUnanswered } from './log';
import { mayWriteInWorkspace, workspaceTrusted } from './trust';

export interface CorpusConventions {
  articles: number;
  punctuation: PunctuationSurvey;
  datelines: DatelineRange | undefined;
  /** what halfwidth-punctuation follows at the workspace folder's root: its .corpus-lens.json, else each article's majority */
  configured: PunctuationConvention;
}

export async function corpusConventions(indexer: CorpusIndexer): Promise<CorpusConventions> {
  const [totals, punctuation, datelines] = await Promise.all([indexer.queries.totals(), indexer.queries.punctuation(), indexer.queries.datelines()]);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fromFile = root?.scheme === 'file' && workspaceTrusted() ? new ConfigCache().load(path.join(root.fsPath, CONFIG_FILE))?.punctuation : undefined;
  return { articles: totals.articles, punctuation, datelines: datelines.range, configured: fromFile ?? 'article' };
}

/** One line on the punctuation the corpus writes (the index's status bar item shows it too). */
export function punctuationSummary(p: PunctuationSurvey): string {
  const voting = p.halfwidth + p.fullwidth;
  if (voting === 0) return vscode.l10n.t('No punctuation between Chinese characters in the indexed articles.');
  if (p.convention === 'halfwidth') return vscode.l10n.t('Punctuation between Chinese characters: half-width in {0} of {1} articles that use it.', p.halfwidth, voting);
  if (p.convention === 'fullwidth') return vscode.l10n.t('Punctuation between Chinese characters: full-width in {0} of {1} articles that use it.', p.fullwidth, voting);
  return vscode.l10n.t('Punctuation between Chinese characters is mixed: {0} articles mostly half-width, {1} mostly full-width.', p.halfwidth, p.fullwidth);
}

function configuredLine(c: PunctuationConvention): string {
  return c === 'article'
    ? vscode.l10n.t('halfwidth-punctuation follows each article\'s own majority form (the default).')
    : vscode.l10n.t('halfwidth-punctuation follows "punctuation": "{0}" in {1}.', c, CONFIG_FILE);
}

/** `"punctuation": value` set in the root's .corpus-lens.json (created when missing) by one WorkspaceEdit, then saved. */
async function writePunctuation(value: 'halfwidth' | 'fullwidth'): Promise<boolean> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) return false;
  const file = vscode.Uri.joinPath(root, CONFIG_FILE);
  if (!mayWriteInWorkspace(file)) return false;
  let doc: vscode.TextDocument | undefined;
  // (an editor may still hold a document of a file deleted since: only a file on disk is edited, else it is made)
  try { await vscode.workspace.fs.stat(file); doc = await vscode.workspace.openTextDocument(file); } catch { doc = undefined; }
  if (doc && !(await inStepWithDisk(doc))) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} changed on disk while it was being read; it is unchanged. Try again.', CONFIG_FILE));
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  if (doc) {
    const text = doc.getText();
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    // jsonc-parser's edits touch the "punctuation" member only; an undo restores the file's bytes
    const changes = modify(text, ['punctuation'], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } });
    if (changes.length === 0) return true;
    for (const c of changes) edit.replace(file, new vscode.Range(doc.positionAt(c.offset), doc.positionAt(c.offset + c.length)), c.content);
  } else {
    edit.createFile(file, { ignoreIfExists: true });
    edit.insert(file, new vscode.Position(0, 0), `{\n  "punctuation": "${value}"\n}\n`);
  }
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  return (await vscode.workspace.openTextDocument(file)).save();
}

/**
 * Whether the document holds what its file on disk holds (or unsaved edits of the user's, which win): a document VS
 * Code has not yet reloaded after a change on disk is waited for (up to 10 s: a loaded code-server takes seconds to notice), so an edit never writes a stale text
 * over the file.
 */
export async function inStepWithDisk(doc: vscode.TextDocument): Promise<boolean> {
  if (doc.isDirty) return true;
  const disk = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(doc.uri)).replace(/^\ufeff/, '');
  if ((await disk()) === doc.getText()) return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => { sub.dispose(); clearTimeout(timer); resolve(ok); };
    const sub = vscode.workspace.onDidChangeTextDocument(async (e) => { if (e.document === doc && (await disk()) === doc.getText()) done(true); });
    const timer = setTimeout(async () => done((await disk()) === doc.getText()), 10000);
  });
}

export function conventionsCommands(indexer: CorpusIndexer) {
  return {
    /**
     * Shows the conventions; resolves to them (and whether the button was taken). `{ apply: true }` takes the button
     * without asking (tests, keybindings).
     */
    'corpusLens.showConventions': async (options?: { apply?: boolean }): Promise<(CorpusConventions & { applied: boolean }) | undefined> => {
      await indexer.whenCurrent();
      let c: CorpusConventions;
      try { c = await corpusConventions(indexer); } catch (e) { indexUnanswered(e, 'conventions'); return undefined; }
      const lines = [punctuationSummary(c.punctuation), configuredLine(c.configured)];
      if (c.datelines) {
        const years = c.datelines.from === c.datelines.to ? String(c.datelines.from) : `${c.datelines.from}–${c.datelines.to}`;
        lines.push(vscode.l10n.t('Datelines: {0} (the 1st to 99th percentile of {1} dated articles).', years, c.datelines.articles));
      }
      const wanted = c.punctuation.convention;
      const button = wanted && wanted !== c.configured ? vscode.l10n.t('Set "punctuation": "{0}" in {1}', wanted, CONFIG_FILE) : undefined;
      const apply = options && typeof options === 'object' && options.apply === true;
      const choice = apply ? button : await vscode.window.showInformationMessage(
        vscode.l10n.t('The conventions of this corpus ({0} articles indexed)', formatCount(c.articles)),
        { modal: true, detail: lines.join('\n') }, ...(button ? [button] : []));
      const applied = !!button && choice === button && await writePunctuation(wanted!);
      if (applied) void vscode.window.showInformationMessage(vscode.l10n.t('halfwidth-punctuation now flags what is not {0}.', wanted === 'halfwidth' ? vscode.l10n.t('half-width') : vscode.l10n.t('full-width')));
      return { ...c, configured: applied ? wanted! : c.configured, applied };
    },
  } satisfies FeatureCommands;
}
