/**
 * "Fix Problems Across the Corpus…": the safe fixes of the rules the user picks, for every indexed article, as ONE
 * WorkspaceEdit. Each edit asks for confirmation, so VS Code's refactor preview lists every file's changes with a
 * checkbox, and the whole change is one entry of the workspace's undo stack. Files are read as they are now (an
 * open editor's unsaved text, else the file on disk) and checked in the worker, a few at a time, with progress and
 * cancellation; the extension host only turns the core's edits into ranges.
 */
import * as vscode from 'vscode';
import { ConfigCache, resolveRuleOptions } from '../core/config';
import { decodeCorpusBytes } from '../core/files';
import { collectSafeEdits, CorpusDiagnostic, describeRuleCounts, RuleCode, RuleOptions, RULES, selectRules } from '../core/rules';
import { LineIndex } from '../core/text';
import type { AnalysisClient } from './analysisClient';
import type { FeatureCommands } from './commands';
import { getConfig, ruleOptions } from './config';
import type { CorpusIndexer } from './corpusIndexer';
import { documentText } from './documentLength';
import { indexUnanswered, log } from './log';
import { workspaceTrusted } from './trust';

/** The rules that can have a safe fix, as the picker offers them: the dateline family first, then one by one. */
const FIXABLE: RuleCode[] = [
  'dateline-format', 'dateline-short-year', 'dateline-padding', 'dateline-fullwidth-digits', 'dateline-separator',
  'dateline-seconds', 'dateline-leading-space', 'dateline-trailing-space', 'dateline-position',
  'halfwidth-punctuation', 'paragraph-indent',
];

/** The command's argument, for tests and keybindings: the rule patterns instead of the picker; `confirm: false` applies without the preview. */
export interface FixCorpusArgs { rules: string[]; confirm?: boolean }

export interface FixCorpusResult {
  /** whether the edit was applied (false: nothing to fix, cancelled, or refused) */
  applied: boolean;
  /** problems fixed (several findings that share one edit, such as a dateline rewrite, count each) */
  problems: number;
  /** the articles changed, as file paths */
  files: string[];
  byRule: Partial<Record<RuleCode, number>>;
  /** what the user was told */
  message?: string;
}

/** How many articles are checked at once (the worker takes them one after another; a few keep it busy). */
const CHUNK = 8;

async function pickRules(): Promise<string[] | undefined> {
  type Item = vscode.QuickPickItem & { pattern: string };
  const items: Item[] = [
    { label: 'dateline-*', description: vscode.l10n.t('every dateline rule'), pattern: 'dateline-*' },
    ...FIXABLE.map((c) => ({ label: c, detail: RULES[c].description.replace(/`#?([^`#]+)#?`/g, '$1'), pattern: c })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true, matchOnDetail: true,
    title: vscode.l10n.t('Fix Problems Across the Corpus'),
    placeHolder: vscode.l10n.t('The rules whose safe fixes to apply to every article'),
  });
  return picked?.length ? picked.map((p) => p.pattern) : undefined;
}

/** The text of a file as the user sees it now: the open document's, else the disk's (undefined: not a readable article). */
async function currentText(uri: vscode.Uri, maxBytes: number): Promise<{ text: string; doc?: vscode.TextDocument } | undefined> {
  try {
    // a file deleted since it was indexed is no article any more (an edit to it would create it again), even
    // while a document of it is still open
    await vscode.workspace.fs.stat(uri);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) return { text: documentText(doc), doc };
    const read = decodeCorpusBytes(await vscode.workspace.fs.readFile(uri), uri.fsPath, maxBytes);
    return read.ok ? { text: read.text } : undefined;
  } catch (e) {
    log.warn(`fix across the corpus: cannot read ${uri.fsPath}: ${(e as Error).message}`);
    return undefined;
  }
}

export async function fixCorpus(indexer: CorpusIndexer, check: (text: string, opts: RuleOptions) => Promise<CorpusDiagnostic[]>, args?: FixCorpusArgs): Promise<FixCorpusResult> {
  const none: FixCorpusResult = { applied: false, problems: 0, files: [], byRule: {} };
  const patterns = Array.isArray(args?.rules) ? args.rules : await pickRules();
  if (!patterns) return none;
  let only: RuleCode[];
  try { only = selectRules(patterns); } catch (e) { void vscode.window.showErrorMessage((e as Error).message); return none; }
  const confirm = args?.confirm !== false;
  let files: string[];
  // (every indexed article: a first pass not yet run, or a rebuild under way, would leave some out)
  try { await indexer.whenCurrent(); files = (await indexer.queries.articles()).map((a) => a.file).sort(); } catch (e) { indexUnanswered(e, 'fix across the corpus'); return none; }
  const configs = new ConfigCache((ps) => { for (const p of ps) log.warn(`${p.file}: ${p.message}`); });
  const trusted = workspaceTrusted();
  const edit = new vscode.WorkspaceEdit();
  const result: FixCorpusResult = { ...none, files: [], byRule: {} };

  const done = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, cancellable: true,
    title: vscode.l10n.t('Corpus Lens: finding the fixes of {0}', only.length > 3 ? patterns.join(', ') : only.join(', ')),
  }, async (progress, token) => {
    for (let i = 0; i < files.length; i += CHUNK) {
      if (token.isCancellationRequested) return false;
      const chunk = files.slice(i, i + CHUNK);
      const checked = await Promise.all(chunk.map(async (file) => {
        const uri = vscode.Uri.file(file);
        const cfg = getConfig(uri);
        const current = await currentText(uri, cfg.maxFileSizeMB * 1048576);
        if (!current) return undefined;
        let opts = ruleOptions(cfg);
        // (Restricted Mode: the workspace's .corpus-lens.json is not read, as for the diagnostics)
        if (trusted) opts = resolveRuleOptions(file, opts, configs, vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath);
        return { uri, ...current, edits: collectSafeEdits(await check(current.text, opts), only) };
      }));
      for (const c of checked) {
        if (!c || c.edits.length === 0) continue;
        const lines = c.doc ? undefined : new LineIndex(c.text);
        for (const e of c.edits) {
          // positions, not offsets: VS Code may normalise a file's mixed line ends when it opens it
          const range = c.doc ? new vscode.Range(c.doc.positionAt(e.start), c.doc.positionAt(e.end)) : (() => {
            const r = lines!.range(e);
            return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
          })();
          const codes = [...new Set(e.from.map((f) => f.code))];
          edit.replace(c.uri, range, e.newText, {
            needsConfirmation: confirm, label: codes.join(', '), description: e.from[0]?.title,
          });
          for (const f of e.from) { result.problems++; result.byRule[f.code] = (result.byRule[f.code] ?? 0) + 1; }
        }
        result.files.push(c.uri.fsPath);
      }
      progress.report({ increment: (chunk.length / files.length) * 100, message: `${Math.min(i + CHUNK, files.length)}/${files.length}` });
    }
    return true;
  });
  if (!done) return none;
  const rules = only.join(', ');
  if (result.problems === 0) {
    const message = vscode.l10n.t('Nothing to fix: the indexed articles have no safe fix of {0}.', rules);
    void vscode.window.showInformationMessage(message);
    return { ...none, message };
  }
  result.applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  if (!result.applied) return { ...result, applied: false };
  const counts = describeRuleCounts(result.byRule);
  result.message = fixedMessage(result.problems, result.files.length, counts, confirm);
  void vscode.window.showInformationMessage(result.message);
  log.info(`fix across the corpus (${rules}): ${result.problems} problems in ${result.files.length} articles (${counts})`);
  return result;
}

/** What was fixed, as a sentence (singular and plural spelled out for the translations). */
function fixedMessage(problems: number, articles: number, counts: string, confirmed: boolean): string {
  const what = problems === 1 ? vscode.l10n.t('1 problem in 1 article ({0})', counts)
    : articles === 1 ? vscode.l10n.t('{0} problems in 1 article ({1})', problems, counts)
      : vscode.l10n.t('{0} problems in {1} articles ({2})', problems, articles, counts);
  return confirmed ? vscode.l10n.t('Applied the fixes you kept of {0}. One undo reverts them.', what)
    : vscode.l10n.t('Fixed {0}. One undo reverts them.', what);
}

export function fixCorpusCommands(indexer: CorpusIndexer, client: AnalysisClient) {
  return {
    'corpusLens.fixCorpus': (args?: FixCorpusArgs) => fixCorpus(indexer, (text, opts) => client.check(text, opts), args && typeof args === 'object' ? args : undefined),
  } satisfies FeatureCommands;
}
