/**
 * The corpus dictionary in the editor: `.corpus-lens/dictionary.tsv` (name, type, aliases) and
 * `.corpus-lens/not-entities.txt`, plain files the user owns and versions. Code actions add a selection
 * as a person/place/organisation or mark a mention as not an entity; every open view updates at once.
 * Also information-level consistency findings: a string typed differently across articles, or an entity
 * elsewhere that is not recognised here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConfigCache, resolveRuleOptions } from '../core/config';
import {
  ConsistencyFinding, consistencyMessage, DatelineOrderBreak, datelineOrderFinding, DatelineRange, datelineRangeFinding,
} from '../core/consistency';
import { ANNOTATIONS_FILE, DICTIONARY_DIR, DICTIONARY_FILE, DictionarySource, readDictionaryFile, STOPLIST_FILE } from '../core/dictionaryFiles';
import type { EntityType } from '../core/ner/types';
import { AnalysisClient } from './analysisClient';
import { commandOf, FeatureCommands } from './commands';
import { getConfig, ruleOptions } from './config';
import { toCode, toRange, toSeverity } from './convert';
import { CorpusIndexer } from './corpusIndexer';
import { mentionAt, typeName, typeWord } from './entityInfo';
import { LANGUAGE_ID } from './languageDetection';
import { documentText } from './documentLength';
import { indexUnanswered, log } from './log';
import { mayWriteInWorkspace, workspaceTrusted } from './trust';
import { RULES, Severity, SeveritySetting } from '../core/rules';
import { Spacing } from '../core/spacing';

const TYPE_WORD: Record<EntityType, string> = { PER: 'PER', LOC: 'LOC', ORG: 'ORG' };

export function dictionaryFolder(): vscode.Uri | undefined {
  const ws = vscode.workspace.workspaceFolders?.[0];
  return ws ? vscode.Uri.joinPath(ws.uri, DICTIONARY_DIR) : undefined;
}

/**
 * The current dictionary files, read from open editors first (unsaved edits count) and then disk. None in
 * Restricted Mode: a workspace the user does not trust does not steer recognition (read once trusted).
 */
export function readDictionary(): DictionarySource {
  const dir = dictionaryFolder();
  if (!dir || dir.scheme !== 'file' || !workspaceTrusted()) return {};
  const read = (f: string) => {
    // unsaved edits count; a saved file is read from disk, which a change on disk reaches before the open document
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === f);
    if (open?.isDirty) return open.getText();
    return readDictionaryFile(f); // (a regular file only, bounded)
  };
  const tsvPath = path.join(dir.fsPath, DICTIONARY_FILE), stopPath = path.join(dir.fsPath, STOPLIST_FILE), annotationsPath = path.join(dir.fsPath, ANNOTATIONS_FILE);
  return { tsv: read(tsvPath), stop: read(stopPath), tsvPath, stopPath, annotations: read(annotationsPath), annotationsPath };
}

const DICT_HEADER = '# Corpus Lens dictionary: name<TAB>type (PER, LOC or ORG)<TAB>aliases, comma-separated. Overrides the model.\n';
const STOP_HEADER = '# Corpus Lens: strings that are never entities, one per line. Overrides the model.\n';

/**
 * Appends a line through a WorkspaceEdit (undoable), creating the file when missing, then saves it. Refused
 * (undefined, the user told why) in Restricted Mode or when the file's real path leaves the workspace folder.
 */
async function appendLine(file: vscode.Uri, header: string, line: string): Promise<boolean | undefined> {
  if (!mayWriteInWorkspace(file)) return undefined;
  const edit = new vscode.WorkspaceEdit();
  let exists = true;
  try { await vscode.workspace.fs.stat(file); } catch { exists = false; }
  if (!exists) {
    edit.createFile(file, { ignoreIfExists: true });
    edit.insert(file, new vscode.Position(0, 0), header + line + '\n');
  } else {
    const doc = await vscode.workspace.openTextDocument(file);
    const text = doc.getText();
    if (text.split(/\r?\n/).some((l) => l === line)) return true;
    const end = doc.positionAt(text.length);
    edit.insert(file, end, (text.length && !text.endsWith('\n') ? '\n' : '') + line + '\n');
  }
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  const doc = await vscode.workspace.openTextDocument(file);
  return doc.save();
}

export class DictionaryFeature implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite] };
  private readonly consistency = vscode.languages.createDiagnosticCollection('corpus-lens-consistency');
  /** dateline-out-of-range / -out-of-order of indexed articles that are not open (Problems for the whole corpus) */
  private readonly corpusDates = vscode.languages.createDiagnosticCollection('corpus-lens-dates');
  private readonly disposables: vscode.Disposable[] = [this.consistency, this.corpusDates];
  private timer: NodeJS.Timeout | undefined;
  /** the years of the corpus's datelines (dateline-out-of-range), asked of the index once per change of it */
  private datelineRange: DatelineRange | undefined;
  /** the indexed articles whose dateline breaks their folder's numbered order (dateline-out-of-order) */
  private datelineOrder: Record<string, DatelineOrderBreak> = {};
  /** the indexed articles with a dateline finding, with where their dateline stands (for those not open) */
  private datedFindings = new Map<string, { dateline: string; date: string | null; at: { line: number; character: number } }>();
  private datesGeneration = -1;
  /** the corpus's datelines: asked again no sooner than DATES_SPACING times their last answer's time */
  private readonly datesSpacing = new Spacing(DATES_SPACING);
  private datesTimer: NodeJS.Timeout | undefined;
  private indexGeneration = 0;
  /** per open article: the analysis and index generation its findings were computed from */
  private readonly checked = new Map<string, { analysis: object; generation: number }>();
  private consistencyRun = 0;
  /** .corpus-lens.json files, for the findings' severities (their problems are logged by the rules' diagnostics) */
  private readonly configs = new ConfigCache(() => undefined);

  constructor(private readonly client: AnalysisClient, private readonly indexer: CorpusIndexer, private readonly afterChange: () => void) {
    const dir = dictionaryFolder();
    // the watcher (a watch request of its own, up to ~13 ms in code-server) is set up just after activation
    if (dir) setImmediate(() => {
      if (this.disposed) return;
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, '*.{tsv,txt}'));
      this.disposables.push(w, w.onDidChange(() => this.reload()), w.onDidCreate(() => this.reload()), w.onDidDelete(() => this.reload()));
    });
    this.disposables.push(
      client.onDidAnalyse(() => this.scheduleConsistency()),
      indexer.onDidChange(() => { this.indexGeneration++; this.scheduleConsistency(); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('corpusLens.rules') || e.affectsConfiguration('corpusLens.problems.scope') || e.affectsConfiguration('corpusLens.entities.confidenceThreshold')) { this.checked.clear(); this.scheduleConsistency(); }
      }),
      // a closed article's dateline findings move to the corpus's (publishCorpusDates)
      vscode.workspace.onDidCloseTextDocument((d) => { this.checked.delete(d.uri.toString()); this.scheduleConsistency(); }),
    );
  }

  /** Reloads the dictionary in the worker, then re-analyses open articles and the indexed files it may touch. */
  async reload(changed?: string): Promise<void> {
    await this.client.reloadDictionary();
    for (const d of vscode.workspace.textDocuments) if (d.languageId === LANGUAGE_ID) void this.client.analyse(d);
    await this.indexer.reanalyse(changed);
    this.afterChange();
  }

  async addToDictionary(name: string, type: EntityType, aliases: string[] = []): Promise<boolean> {
    const dir = dictionaryFolder();
    if (!dir) { void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: the corpus dictionary lives in its .corpus-lens folder.')); return false; }
    const clean = name.trim();
    if (!clean || /[\t\r\n]/.test(clean)) { void vscode.window.showWarningMessage(vscode.l10n.t('A dictionary entry is one line of text without tabs.')); return false; }
    const ok = await appendLine(vscode.Uri.joinPath(dir, DICTIONARY_FILE), DICT_HEADER, [clean, TYPE_WORD[type], aliases.join(',')].join('\t').replace(/\t$/, '')).catch(() => false);
    if (ok === undefined) return false;
    if (!ok) void vscode.window.showErrorMessage(vscode.l10n.t('Could not write the corpus dictionary {0}; it is unchanged.', vscode.workspace.asRelativePath(vscode.Uri.joinPath(dir, DICTIONARY_FILE))));
    if (ok) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Added 「{0}」 as {1} to {2}.', clean, typeName(type), vscode.workspace.asRelativePath(vscode.Uri.joinPath(dir, DICTIONARY_FILE))), vscode.l10n.t('Open dictionary'))
        .then((a) => { if (a) void vscode.window.showTextDocument(vscode.Uri.joinPath(dir, DICTIONARY_FILE)); });
      await this.reload(clean);
    }
    return ok;
  }

  async markNotEntity(text: string): Promise<boolean> {
    const dir = dictionaryFolder();
    if (!dir) { void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: the corpus dictionary lives in its .corpus-lens folder.')); return false; }
    const clean = text.trim();
    if (!clean || /[\r\n]/.test(clean)) return false;
    const ok = await appendLine(vscode.Uri.joinPath(dir, STOPLIST_FILE), STOP_HEADER, clean).catch(() => false);
    if (ok === undefined) return false;
    if (!ok) void vscode.window.showErrorMessage(vscode.l10n.t('Could not write the corpus dictionary {0}; it is unchanged.', vscode.workspace.asRelativePath(vscode.Uri.joinPath(dir, STOPLIST_FILE))));
    if (ok) {
      void vscode.window.showInformationMessage(vscode.l10n.t('「{0}」 is no longer an entity ({1}).', clean, vscode.workspace.asRelativePath(vscode.Uri.joinPath(dir, STOPLIST_FILE))));
      await this.reload(clean);
    }
    return ok;
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const pending = this.client.cached(doc);
    // (only the kinds asked for: VS Code drops the others, with a warning in the extension host's log)
    const wanted = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind);
    const selected = range.isEmpty || !wanted(vscode.CodeActionKind.RefactorRewrite) ? '' : doc.getText(range);
    if (selected && selected.length <= 40 && !/[\r\n\t]/.test(selected)) {
      for (const t of ['PER', 'LOC', 'ORG'] as EntityType[]) {
        const a = new vscode.CodeAction(vscode.l10n.t('Add 「{0}」 to the corpus dictionary as {1}', selected.trim(), typeWord(t)), vscode.CodeActionKind.RefactorRewrite);
        a.command = commandOf('corpusLens.addToDictionary', a.title, [selected.trim(), t]);
        actions.push(a);
      }
    }
    // the consistency findings under the cursor carry their own actions
    for (const d of context.diagnostics.filter((x) => x.source === 'corpus-lens-consistency')) {
      const data = CONSISTENCY_DATA.get(d);
      if (!data) continue;
      for (const t of data.types) {
        const a = new vscode.CodeAction(vscode.l10n.t('Add 「{0}」 to the corpus dictionary as {1}', data.text, typeWord(t)), vscode.CodeActionKind.QuickFix);
        a.command = commandOf('corpusLens.addToDictionary', a.title, [data.text, t]);
        a.diagnostics = [d];
        actions.push(a);
      }
      const n = new vscode.CodeAction(vscode.l10n.t('Mark 「{0}」 as not an entity', data.text), vscode.CodeActionKind.QuickFix);
      n.command = commandOf('corpusLens.markNotEntity', n.title, [data.text]);
      n.diagnostics = [d];
      actions.push(n);
    }
    if (pending) {
      // a synchronous provider cannot await: use the analysis if it has settled (it has by the time a user clicks)
      const settled = SETTLED.get(doc.uri.toString());
      if (settled && settled.version === doc.version) {
        const hit = mentionAt(settled.analysis, doc.offsetAt(range.start));
        if (hit && !actions.some((a) => a.title.includes(hit.mention.text) && a.title.includes('not an entity'))) {
          const a = new vscode.CodeAction(vscode.l10n.t('Mark 「{0}」 as not an entity', hit.mention.text), vscode.CodeActionKind.QuickFix);
          a.command = commandOf('corpusLens.markNotEntity', a.title, [hit.mention.text]);
          actions.push(a);
        }
      }
    }
    return actions.filter((a) => !a.kind || wanted(a.kind));
  }

  private scheduleConsistency() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.updateConsistency(), 400);
  }

  /**
   * Information findings: the same string typed differently across the corpus, or an entity elsewhere but not here,
   * and the datelines out of the corpus's range or order; asked of the index (which scans the article). An answer
   * is shown only if no newer run started and the article has not changed meanwhile; a failed query leaves the
   * findings shown as they were (logged).
   */
  private async updateConsistency() {
    const run = ++this.consistencyRun;
    const current = () => run === this.consistencyRun;
    if (this.datesGeneration !== this.indexGeneration) {
      // the datelines' answer reads every indexed article: while an index run changes the index every moment, they are
      // asked again only DATES_SPACING times their last answer's time later (asked at every change, they took 27 s of
      // the worker's 286 s in a run of 100,000 articles, in a time that grows with the square of the corpus)
      const datesWait = this.datesSpacing.wait(performance.now());
      if (datesWait > 0) {
        // (the open articles' findings wait with them: checked now, against the datelines as they were, they would
        // count as done for this generation of the index and miss the datelines' answer)
        clearTimeout(this.datesTimer);
        this.datesTimer = setTimeout(() => this.scheduleConsistency(), datesWait);
        return;
      }
      const generation = this.indexGeneration;
      try {
        const t0 = performance.now();
        const { range, orderBreaks, outOfRange, computeMs } = await this.indexer.queries.datelines();
        // (the answer's own time where the worker says it: a question that waited behind an index run or nodejieba's
        // load, seconds, had put the next one off by 20 times that, and the findings of a file just saved with it)
        const now = performance.now();
        this.datesSpacing.answered(computeMs === undefined ? t0 : now - computeMs, now);
        const found = await this.datedArticles([...Object.keys(orderBreaks), ...outOfRange]);
        if (!current()) return;
        this.datelineRange = range;
        this.datelineOrder = orderBreaks;
        this.datedFindings = found;
        this.datesGeneration = generation;
      } catch (e) {
        indexUnanswered(e, 'dateline findings', false);
        if (!current()) return;
      }
    }
    this.publishCorpusDates();
    const threshold = getConfig().confidenceThreshold;
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.languageId !== LANGUAGE_ID) continue;
      const key = doc.uri.toString();
      const settled = SETTLED.get(key);
      if (!settled || settled.version !== doc.version) continue;
      // unchanged article and index: the findings stand
      const done = this.checked.get(key);
      const generation = this.indexGeneration;
      if (done && done.analysis === settled.analysis && done.generation === generation) continue;
      const version = doc.version;
      const text = documentText(doc);
      let findings: ConsistencyFinding[];
      try {
        findings = await this.indexer.queries.consistency(text, settled.analysis.entities, threshold);
      } catch (e) {
        indexUnanswered(e, 'consistency findings', false);
        continue;
      }
      if (!current() || doc.isClosed || doc.version !== version) return; // a newer run takes over
      this.checked.set(key, { analysis: settled.analysis, generation });
      // information findings: the first MAX_CONSISTENCY_FINDINGS by position are plenty to act on (a 1 MB article can have thousands)
      findings.sort((a, b) => a.start - b.start);
      const severities = this.severities(doc);
      const severity = (f: { code: ConsistencyFinding['code'] | 'dateline-out-of-range' | 'dateline-out-of-order' }): SeveritySetting => severities[f.code] ?? RULES[f.code].severity;
      const shown: vscode.Diagnostic[] = [];
      // the order is the indexed one: an open article counts with the date it has on disk until it is saved
      const orderBreak = doc.uri.scheme === 'file' && Object.hasOwn(this.datelineOrder, doc.uri.fsPath) ? this.datelineOrder[doc.uri.fsPath] : undefined;
      const datelineFindings = [
        datelineRangeFinding(text, settled.analysis.dateline, settled.analysis.date, this.datelineRange),
        orderBreak?.date === settled.analysis.date ? datelineOrderFinding(text, settled.analysis.dateline, orderBreak) : undefined,
      ];
      for (const dated of datelineFindings) {
        const datedSeverity = dated && severity(dated);
        if (!dated || !datedSeverity || datedSeverity === 'off') continue;
        const d = new vscode.Diagnostic(toRange(doc, dated.start, dated.end), dated.message, toSeverity(datedSeverity));
        d.source = 'corpus-lens-consistency';
        d.code = toCode(dated.code);
        shown.push(d);
      }
      for (const f of findings) {
        const s = severity(f);
        if (s !== 'off' && shown.length < MAX_CONSISTENCY_FINDINGS) shown.push(this.toDiagnostic(doc, f, s));
      }
      this.consistency.set(doc.uri, shown);
    }
  }

  /**
   * The indexed articles with a dateline finding (out of the order, or a year outside the range), with their dateline
   * and where it stands: only these articles' analyses are asked for.
   */
  private async datedArticles(files: string[]) {
    const candidates = new Set(files);
    const out = new Map<string, { dateline: string; date: string | null; at: { line: number; character: number } }>();
    for (const file of candidates) {
      const a = await this.indexer.queries.analysis(file);
      if (a?.dateline && a.datelineAt) out.set(file, { dateline: a.dateline, date: a.date, at: a.datelineAt });
    }
    return out;
  }

  /**
   * The dateline findings of indexed articles that are not open, when Problems shows the whole corpus (an open
   * article gets them with its other consistency findings).
   */
  private publishCorpusDates() {
    this.corpusDates.clear();
    if (getConfig().problemsScope !== 'workspace') return;
    const open = new Set(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => d.uri.fsPath));
    for (const [file, a] of this.datedFindings) {
      if (open.has(file)) continue;
      const uri = vscode.Uri.file(file);
      const severities = this.severities(uri);
      const at = a.at;
      const shown: vscode.Diagnostic[] = [];
      // (found in the dateline itself: its offsets are relative to the dateline's start)
      for (const f of [datelineRangeFinding(a.dateline, a.dateline, a.date, this.datelineRange), datelineOrderFinding(a.dateline, a.dateline, this.datelineOrder[file])]) {
        const severity = f && (severities[f.code] ?? RULES[f.code].severity);
        if (!f || !severity || severity === 'off') continue;
        const d = new vscode.Diagnostic(new vscode.Range(at.line, at.character + f.start, at.line, at.character + f.end), f.message, toSeverity(severity));
        d.source = 'corpus-lens-consistency';
        d.code = toCode(f.code);
        shown.push(d);
      }
      if (shown.length) this.corpusDates.set(uri, shown);
    }
  }

  /** The rules' severities for this article: the settings under the .corpus-lens.json files above it (not in Restricted Mode). */
  private severities(target: vscode.TextDocument | vscode.Uri): Partial<Record<string, SeveritySetting>> {
    const uri = target instanceof vscode.Uri ? target : target.uri;
    let opts = ruleOptions(getConfig(uri));
    if (uri.scheme === 'file' && workspaceTrusted()) {
      try { opts = resolveRuleOptions(uri.fsPath, opts, this.configs, vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath); } catch (e) { log.warn(`consistency severities: ${(e as Error).message}`); }
    }
    return opts.severities ?? {};
  }

  private toDiagnostic(doc: vscode.TextDocument, f: ConsistencyFinding, severity: Severity): vscode.Diagnostic {
    const d = new vscode.Diagnostic(toRange(doc, f.start, f.end), consistencyMessage(f), toSeverity(severity));
    d.source = 'corpus-lens-consistency';
    d.code = toCode(f.code);
    CONSISTENCY_DATA.set(d, { text: f.name, types: f.code === 'entity-type-conflict' ? [f.type, ...f.others] : f.others });
    return d;
  }

  private disposed = false;
  dispose() { this.disposed = true; clearTimeout(this.timer); clearTimeout(this.datesTimer); vscode.Disposable.from(...this.disposables).dispose(); }
}

/** at most this many consistency findings per article */
const MAX_CONSISTENCY_FINDINGS = 200;
/** the corpus's datelines are asked for again no sooner than this many times their last answer's time (the worker then spends at most about 1/21 of its time on them) */
const DATES_SPACING = 20;
const CONSISTENCY_DATA = new WeakMap<vscode.Diagnostic, { text: string; types: EntityType[] }>();
/** Settled analyses per document, for synchronous providers (code actions). */
const SETTLED = new Map<string, { version: number; analysis: import('../core/analysis').DocumentAnalysis }>();

const ENTITY_TYPE_SET = new Set<EntityType>(['PER', 'LOC', 'ORG']);

/** An entity row of the Entities panel, as VS Code passes it to a command of the row's right-click menu. */
export function entityRow(arg: unknown): { name: string; type: EntityType; aliases: string[] } | undefined {
  const r = arg as { kind?: unknown; name?: unknown; type?: unknown; aliases?: unknown } | undefined;
  if (!r || typeof r !== 'object' || r.kind !== 'entity' || typeof r.name !== 'string' || !ENTITY_TYPE_SET.has(r.type as EntityType)) return undefined;
  return { name: r.name, type: r.type as EntityType, aliases: Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === 'string') : [] };
}

/** The corpus dictionary's code actions, and the handlers of its commands. */
export function registerDictionary(context: vscode.ExtensionContext, client: AnalysisClient, indexer: CorpusIndexer, afterChange: () => void) {
  const f = new DictionaryFeature(client, indexer, afterChange);
  context.subscriptions.push(
    f,
    client.onDidAnalyse(({ uri, analysis }) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) SETTLED.set(uri.toString(), { version: doc.version, analysis });
    }),
    vscode.workspace.onDidCloseTextDocument((d) => SETTLED.delete(d.uri.toString())),
    vscode.languages.registerCodeActionsProvider({ language: LANGUAGE_ID }, f, DictionaryFeature.metadata),
  );
  const commands = {
    // (name, type) from links and code actions; an entity row of the panel from its right-click menu
    'corpusLens.addToDictionary': async (arg?: unknown, type?: EntityType) => {
      const row = entityRow(arg);
      const editor = vscode.window.activeTextEditor;
      const text = row?.name ?? (typeof arg === 'string' ? arg : undefined)
        ?? (editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : await vscode.window.showInputBox({ prompt: vscode.l10n.t('Name to add to the corpus dictionary') }));
      if (!text) return false;
      // a recognised entity offers its own type first
      const types = (['PER', 'LOC', 'ORG'] as EntityType[]).sort((a, b) => Number(b === row?.type) - Number(a === row?.type));
      const t = (ENTITY_TYPE_SET.has(type as EntityType) ? type : undefined) ?? (await vscode.window.showQuickPick(
        types.map((x) => ({ label: typeName(x), description: x === row?.type ? vscode.l10n.t('as recognised') : undefined, t: x })),
        { title: vscode.l10n.t('Add 「{0}」 as…', text) }))?.t;
      if (!t) return false;
      return f.addToDictionary(text, t, row ? row.aliases.filter((a) => a !== text) : []);
    },
    'corpusLens.markNotEntity': async (arg?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const s = entityRow(arg)?.name ?? (typeof arg === 'string' ? arg : undefined)
        ?? (editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined);
      return s ? f.markNotEntity(s) : false;
    },
    'corpusLens.openDictionary': async () => {
      const dir = dictionaryFolder();
      if (!dir) return;
      const file = vscode.Uri.joinPath(dir, DICTIONARY_FILE);
      try { await vscode.workspace.fs.stat(file); } catch {
        if (!(await appendLine(file, DICT_HEADER, '').catch(() => false))) return;
      }
      await vscode.window.showTextDocument(file);
    },
  } satisfies FeatureCommands;
  return { dictionary: f, commands };
}
