/**
 * The concordance (KWIC, AntConc's the bar): any string or regular expression over the corpus, or one recognised
 * entity's mentions; left context right-aligned, the match, right context, article and dateline; the context
 * bounded by the match's sentence or paragraph, its width adjustable; up to three sort levels (1L…3R, match, date,
 * article); copy and CSV/TSV export of the lines; selected lines' strings marked as a person, place, organisation
 * or not an entity through the corpus dictionary. A WebviewView in its own container in the bottom panel, where
 * the lines have the window's width; a click opens the article in the editor area with the match selected.
 * Searches run in a short-lived worker thread (worker/searchClient.ts), never on the extension host.
 *
 * Also the helpers the timeline view shares: entity argument/QuickPick resolution and the page builder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../core/atomic';
import {
  compileQuery, ConcordanceLine, ConcordanceQuery, ContextOptions, copyText, DEFAULT_CONTEXT, DEFAULT_LIMITS, ExportFormat, formatLines,
  ContextWords, MAX_SORT_LEVELS, MAX_WIDTH, MIN_WIDTH, needsWords, queryFromInput, SORT_KEYS, SortKey, sortLines, toQuery,
} from '../core/concordance';
import type { EntitySummary } from '../core/corpusIndex';
import type { EntityType } from '../core/ner/types';
import { SEARCH_TIMEOUT_MS, SearchRunner, SearchStopped } from '../worker/searchClient';
import type { AnalysisClient } from './analysisClient';
import type { CommandId, FeatureCommands } from './commands';
import { getConfig } from './config';
import type { CorpusIndexer } from './corpusIndexer';
import { mentionsInArticles, typeName, typeWord } from './entityInfo';
import { refusal } from './extractCommand';
import { indexUnanswered, log } from './log';
import { buildWebviewHtml, makeNonce } from './webviewHtml';

const MEDIA = ['media', 'webview'] as const;

// ---------------------------------------------------------------------------------------------------------
// shared with timelineView.ts

/** Waits for the first indexing pass (with a progress notification) when the index is still empty. */
async function indexReady(indexer: CorpusIndexer): Promise<void> {
  if (indexer.size > 0) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Corpus Lens: waiting for the corpus index…') },
    () => indexer.ensureStarted(),
  );
}

/**
 * The entity a command is about: `arg` is an entity key (`TYPE:name`), a bare name (canonical or alias),
 * or an object with a `key` (a tree item); without one the user picks from a QuickPick sorted by mentions.
 * Undefined when cancelled or unknown (the user is told).
 */
export async function resolveEntity(indexer: CorpusIndexer, arg: unknown, placeHolder: string): Promise<EntitySummary | undefined> {
  await indexReady(indexer);
  const key = typeof arg === 'string' ? arg
    : arg && typeof arg === 'object' && typeof (arg as { key?: unknown }).key === 'string' ? (arg as { key: string }).key
      : undefined;
  const q = indexer.queries;
  if (key !== undefined) {
    let found: EntitySummary | undefined;
    try {
      const m = /^(PER|LOC|ORG):(.+)$/.exec(key);
      found = await q.entity(key) ?? (m ? await q.find(m[2], m[1] as EntityType) : await q.find(key));
    } catch (e) { indexUnanswered(e, 'find an entity'); return undefined; }
    if (!found) void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" is not an entity of this corpus.', key));
    return found;
  }
  let all: EntitySummary[];
  try { all = await q.entities(); } catch (e) { indexUnanswered(e, 'list the entities'); return undefined; }
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No persons, places or organisations found in this corpus yet.'));
    return undefined;
  }
  const items = all
    .sort((a, b) => b.mentions - a.mentions || b.articles - a.articles || a.name.localeCompare(b.name, 'zh'))
    .map((e) => ({
      label: e.name,
      description: `${typeWord(e.type)} · ${mentionsInArticles(e.mentions, e.articles)}`,
      detail: e.aliases.length ? vscode.l10n.t('also: {0}', e.aliases.join('、')) : undefined,
      entity: e,
    }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.entity;
}

export type ViewKind = 'concordance' | 'timeline';

/** Panel options: scripts on, only media/webview readable, no retained context (state is restored by the page). */
export function panelOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, ...MEDIA)],
  };
}

/** The page for a view: shared + view style sheet and script from media/webview, the data as a JSON block. */
export function pageHtml(webview: vscode.Webview, context: vscode.ExtensionContext, kind: ViewKind, title: string, data: unknown): string {
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, ...MEDIA, file)).toString();
  return buildWebviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    title,
    lang: vscode.env.language,
    styles: [uri('common.css'), uri(`${kind}.css`)],
    scripts: [uri('common.js'), uri(`${kind}.js`)],
    data,
  });
}

/** The ViewColumn to open an article in: not the one the panel occupies. */
export function columnBesidePanel(panel: vscode.WebviewPanel): vscode.ViewColumn {
  return panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}

// ---------------------------------------------------------------------------------------------------------
// the concordance

export interface ConcordanceOptions {
  /** pre-fills the filter box (e.g. a month "2018-10" from the timeline) */
  filter?: string;
}

/** The view's id (package.json contributes.views, in the panel container `corpusLensConcordance`). */
export const CONCORDANCE_VIEW = 'corpusLens.concordance';
/** How a string the user marks is typed: an entity type, or not an entity. */
export type MarkAs = EntityType | 'none';

interface WebviewLine {
  file: string; name: string; rel: string; dateline: string | null; date: string | null;
  left: string; match: string; right: string; start: number; end: number; line: number;
}

type Source =
  | { kind: 'entity'; entity: EntitySummary }
  | { kind: 'search'; query: Required<ConcordanceQuery> };

const isSortKey = (k: unknown): k is SortKey => typeof k === 'string' && (SORT_KEYS as readonly string[]).includes(k);

export class ConcordanceView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private source: Source | undefined;
  private context: ContextOptions = { ...DEFAULT_CONTEXT };
  private sort: SortKey[] = [];
  /** the lines in the order shown (the sort levels applied) */
  private lines: ConcordanceLine[] = [];
  private total = 0;
  private more = false;
  private articles = 0;
  /** counts line sets: the page's selections name lines by index in one set, and one from an older set is refused */
  private generation = 0;
  private status: { state: 'idle' | 'searching' | 'error'; message?: string } = { state: 'idle' };
  private filter: string | undefined;
  /** counts shows: the page applies a pre-filled filter once per show, not on every update */
  private showId = 0;
  private readonly runner: SearchRunner;
  /** the last search started (a search stopped by a re-run of its own query answers with the re-run's lines) */
  private latest: { query: Required<ConcordanceQuery>; ticket: number; promise: Promise<ConcordanceLine[] | undefined> } | undefined;
  private tickets = 0;
  private readonly disposables: vscode.Disposable[] = [];

  /** the contexts' jieba words, for the sort positions (asked of the analysis worker when a sort level needs them) */
  private readonly words = new WeakMap<ConcordanceLine, ContextWords>();

  constructor(private readonly extension: vscode.ExtensionContext, private readonly indexer: CorpusIndexer, private readonly client: AnalysisClient) {
    this.runner = new SearchRunner(vscode.Uri.joinPath(extension.extensionUri, 'dist', 'search.js').fsPath);
    this.disposables.push(indexer.onDidChange(() => {
      if (this.wanted) void this.refreshEntity();
      else this.scheduleRerun();
    }), { dispose: () => clearTimeout(this.rerunTimer) });
  }

  private rerunTimer: NodeJS.Timeout | undefined;
  /**
   * A search shown follows the articles' edits: run again once the index has been quiet for a moment, while the page
   * keeps its lines (and filter) until the new ones come. Not while a search runs or failed, nor for a hidden page.
   */
  private scheduleRerun() {
    clearTimeout(this.rerunTimer);
    this.rerunTimer = setTimeout(() => {
      if (this.source?.kind === 'search' && this.view?.visible && this.status.state === 'idle') void this.search(this.source.query, false, true);
    }, 500);
  }

  /** Whether the page is showing (tests). */
  get visible(): boolean { return !!this.view?.visible; }
  /** The lines in the order shown, and the number of their set (the page names lines by index in a set; tests too). */
  get shown(): { lines: readonly ConcordanceLine[]; generation: number } { return { lines: this.lines, generation: this.generation }; }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.onDidReceiveMessage((m) => this.handleMessage(m), null, this.disposables);
    view.onDidDispose(() => { if (this.view === view) this.view = undefined; }, null, this.disposables);
    // (the page before the options, as in the timeline's view)
    view.webview.html = pageHtml(view.webview, this.extension, 'concordance', vscode.l10n.t('Concordance'), this.data());
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extension.extensionUri, ...MEDIA)] };
  }

  /** Shows the view (its container in the panel); the page asks for the data once it is loaded. */
  private async reveal() {
    if (this.view) { this.view.show(true); this.post(); }
    await vscode.commands.executeCommand(`${CONCORDANCE_VIEW}.focus`);
  }

  /** One entity's mentions as the index has them; resolves to them in the order shown (by date unless sort levels are chosen). */
  async showEntity(entity: EntitySummary, options: ConcordanceOptions = {}): Promise<ConcordanceLine[]> {
    this.runner.cancel();
    this.wanted = { entity, onShow: () => { this.filter = options.filter; this.showId++; } };
    let load = this.loadEntity();
    // a refresh started meanwhile (the index changed) answers in its place
    while (!(await load) && this.entityLoading !== load && this.entityLoading) load = this.entityLoading;
    await this.reveal();
    return [...this.lines];
  }

  /** the entity the view is to show, from its latest request (undefined once a search is asked for) */
  private wanted: { entity: EntitySummary; onShow?: () => void } | undefined;
  /** counts the entity's queries (a search counts too): only the latest one's answer is shown */
  private entityRun = 0;
  private entityLoading: Promise<boolean> | undefined;

  /**
   * Asks the index for the wanted entity's lines and summary and shows them together, unless a newer request came
   * meanwhile; a failed query leaves the view as it was (the user is told when the request was theirs). Resolves to
   * whether this answer is shown.
   */
  private loadEntity(): Promise<boolean> {
    const wanted = this.wanted;
    if (!wanted) return Promise.resolve(false);
    const run = ++this.entityRun;
    const q = this.indexer.queries;
    const load = Promise.all([q.entity(wanted.entity.key), q.concordance(wanted.entity.key, this.context, { texts: this.indexer.openTexts() })]).then(([now, lines]) => {
      if (run !== this.entityRun) return false;
      wanted.onShow?.();
      wanted.onShow = undefined;
      if (now) wanted.entity = now;
      this.source = { kind: 'entity', entity: wanted.entity };
      this.setLines(lines, lines.length, false);
      this.status = { state: 'idle' };
      this.post();
      return true;
    }, (e) => { indexUnanswered(e, 'concordance', !!wanted.onShow); return false; });
    this.entityLoading = load;
    return load;
  }

  /** The index changed: an entity's lines are asked again (the page keeps its filter and selection of sort levels). */
  private refreshEntity(): Promise<boolean> { return this.loadEntity(); }

  /**
   * Searches the corpus in a worker thread of its own; a newer search (or an entity shown) stops it. Resolves to the
   * lines in the order shown (by date unless sort levels are chosen), or undefined when the query is invalid, the search was stopped or failed (the page and a
   * message say why).
   */
  search(query: Required<ConcordanceQuery>, reveal = true, again = false): Promise<ConcordanceLine[] | undefined> {
    const ticket = ++this.tickets;
    const promise = this.runSearch(query, reveal, again, ticket);
    this.latest = { query, ticket, promise };
    return promise;
  }

  private async runSearch(query: Required<ConcordanceQuery>, reveal: boolean, again: boolean, ticket: number): Promise<ConcordanceLine[] | undefined> {
    // an entity's lines still on their way are not shown
    this.wanted = undefined;
    this.entityRun++;
    this.source = { kind: 'search', query };
    if (!again) {
      // a new query clears the page's filter; the same one again (a new context) keeps it
      this.filter = undefined;
      this.showId++;
    }
    const compiled = compileQuery(query);
    if (!compiled.ok) {
      this.runner.cancel();
      this.setLines([], 0, false);
      this.status = { state: 'error', message: compiled.message };
      if (reveal) await this.reveal(); else this.post();
      void vscode.window.showErrorMessage(compiled.message);
      return undefined;
    }
    this.status = { state: 'searching' };
    if (!again) this.setLines([], 0, false);
    if (reveal) await this.reveal(); else this.post();
    await this.indexer.ensureStarted();
    try {
      const texts = this.indexer.openTexts();
      const among = await this.candidates(query, texts);
      const articles = (await this.indexer.queries.articles()).filter((a) => !among || among.has(a.file)).map(({ file, dateline, date }) => ({ file, dateline, date }));
      if (this.source?.kind !== 'search' || this.source.query !== query) return undefined; // superseded meanwhile
      const reply = await this.runner.run({ query, context: this.context, limits: DEFAULT_LIMITS, articles, texts, maxBytes: getConfig().maxFileSizeMB * 1048576 });
      if (this.source?.kind !== 'search' || this.source.query !== query) return undefined; // superseded meanwhile
      if (!reply.ok) {
        this.status = { state: 'error', message: reply.message };
        this.post();
        return undefined;
      }
      this.setLines(reply.result.lines, reply.result.total, reply.result.more, reply.result.articles);
      this.status = { state: 'idle' };
      this.post();
      return [...this.lines];
    } catch (e) {
      if (e instanceof SearchStopped && e.reason === 'cancelled') {
        // stopped by the same query run again (the articles changed): its lines are this one's answer too
        const later = this.latest;
        return later && later.query === query && later.ticket > ticket ? later.promise : undefined;
      }
      const message = e instanceof SearchStopped
        ? vscode.l10n.t('The search took longer than {0} seconds and was stopped. A regular expression with nested repetition, such as (a+)+, can take that long: simplify it.', SEARCH_TIMEOUT_MS / 1000)
        : vscode.l10n.t('The search failed: {0}', (e as Error).message);
      log.warn(`concordance search /${query.pattern}/: ${(e as Error).message}`);
      if (this.source?.kind === 'search' && this.source.query === query) { this.status = { state: 'error', message }; this.post(); }
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  /**
   * The articles that can hold a plain string of 3 characters or more, from the index database's trigram index
   * without reading them (open editors' texts included); undefined: every article is searched (a regular
   * expression, a shorter string, or letters whose case the search ignores, which the index may fold otherwise).
   */
  private async candidates(query: ConcordanceQuery, texts: Record<string, string>): Promise<Set<string> | undefined> {
    const p = query.pattern;
    if (query.regex || [...p].length < 3 || (!query.caseSensitive && p.toLowerCase() !== p.toUpperCase())) return undefined;
    try {
      const files = await this.indexer.candidates(p, texts);
      return files && new Set(files);
    } catch (e) {
      log.warn(`the index's full-text search: ${(e as Error).message}; every article is searched`);
      return undefined;
    }
  }

  private setLines(lines: ConcordanceLine[], total: number, more: boolean, articles = new Set(lines.map((l) => l.file)).size) {
    this.lines = this.sorted(lines);
    this.total = total;
    this.more = more;
    this.articles = articles;
    this.generation++;
    // sorted by characters where words are still missing: by words once the worker has them
    if (needsWords(this.sort) && lines.some((l) => !this.words.has(l))) {
      const generation = this.generation;
      void this.segment(lines).then(() => { if (this.generation === generation) this.resort(); });
    }
  }

  private sorted(lines: readonly ConcordanceLine[]): ConcordanceLine[] {
    return sortLines(lines, this.sort, undefined, (f) => vscode.workspace.asRelativePath(f, true), (l) => this.words.get(l));
  }

  /** Sorts the lines shown again (a new line set for the page) and tells the page. */
  private resort() {
    this.lines = this.sorted(this.lines);
    this.generation++;
    this.post();
  }

  /**
   * The contexts' words from the analysis worker (one request for all lines not yet segmented: 5,000 lines of 30
   * characters a side take 0.15 s with nodejieba). If the worker cannot answer, positions stay characters (logged).
   */
  private async segment(lines: readonly ConcordanceLine[]): Promise<void> {
    const todo = lines.filter((l) => !this.words.has(l));
    if (todo.length === 0) return;
    try {
      const words = await this.client.request('segment', { texts: todo.flatMap((l) => [l.left, l.right]) });
      todo.forEach((l, i) => this.words.set(l, { left: words[2 * i], right: words[2 * i + 1] }));
    } catch (e) {
      log.warn(`concordance: the contexts could not be segmented (${(e as Error).message}); sort positions count characters`);
    }
  }

  /** The selected lines (indices into the lines shown, of the generation the page had). */
  private picked(ids: unknown, generation: unknown): ConcordanceLine[] | undefined {
    if (generation !== this.generation || !Array.isArray(ids)) return undefined;
    return ids.filter((i): i is number => Number.isInteger(i) && i >= 0 && i < this.lines.length).map((i) => this.lines[i]);
  }

  /**
   * Writes every line shown as CSV or TSV. Without a target the save dialog asks (and confirms a replacement); a
   * target given by a caller is never replaced. An article is never overwritten, and in Restricted Mode nothing is
   * written into the workspace. Resolves to the file written, or undefined.
   */
  async exportLines(format?: ExportFormat, target?: vscode.Uri): Promise<string | undefined> {
    if (!format) {
      format = (await vscode.window.showQuickPick([
        { label: 'CSV', description: vscode.l10n.t('comma-separated, for spreadsheets'), f: 'csv' as const },
        { label: 'TSV', description: vscode.l10n.t('tab-separated'), f: 'tsv' as const },
      ], { title: vscode.l10n.t('Export the concordance lines as…') }))?.f;
      if (!format) return undefined;
    }
    if (format !== 'csv' && format !== 'tsv') throw new Error(`unknown format ${String(format)}`);
    if (this.lines.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The concordance has no lines to export.'));
      return undefined;
    }
    const fromDialog = !target;
    if (!target) {
      const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
      const beside = ws && ws.scheme === 'file' ? vscode.Uri.file(path.dirname(ws.fsPath)) : undefined;
      const stem = (this.source?.kind === 'entity' ? this.source.entity.name : this.source?.query.pattern ?? 'lines').replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 40) || 'lines';
      target = await vscode.window.showSaveDialog({ defaultUri: beside ? vscode.Uri.joinPath(beside, `concordance.${stem}.${format}`) : undefined, filters: { [format.toUpperCase()]: [format] }, saveLabel: vscode.l10n.t('Export') });
      if (!target) return undefined;
    }
    const refused = refusal(format, target.fsPath, [target.fsPath], this.indexer);
    if (refused) { log.warn(refused); void vscode.window.showErrorMessage(refused); return undefined; }
    try {
      // the dialog has asked before replacing a file; a caller's target is never replaced
      writeFileAtomic(target.fsPath, formatLines(this.lines, format, (f) => vscode.workspace.asRelativePath(f, false)), { overwrite: fromDialog });
    } catch (e) {
      const message = vscode.l10n.t('Could not write {0}: {1}', target.fsPath, (e as Error).message);
      log.warn(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
    void vscode.window.showInformationMessage(this.lines.length === 1 ? vscode.l10n.t('Exported 1 line to {0}.', target.fsPath)
      : vscode.l10n.t('Exported {0} lines to {1}.', this.lines.length, target.fsPath));
    return target.fsPath;
  }

  /**
   * Marks the matched strings of the lines in the corpus dictionary (every occurrence of each string, in every
   * article) through the dictionary's own commands. Resolves to the strings written.
   */
  async markLines(lines: readonly ConcordanceLine[], as: MarkAs): Promise<string[]> {
    const strings = [...new Set(lines.map((l) => l.match.trim()).filter((s) => s && !/[\t\r\n]/.test(s)))];
    const done: string[] = [];
    for (const s of strings) {
      const ok = as === 'none'
        ? await vscode.commands.executeCommand<boolean>('corpusLens.markNotEntity' satisfies CommandId, s)
        : await vscode.commands.executeCommand<boolean>('corpusLens.addToDictionary' satisfies CommandId, s, as);
      if (ok) done.push(s);
    }
    return done;
  }

  private post() {
    if (this.view) void this.view.webview.postMessage({ type: 'update', data: this.data() });
  }

  private data() {
    const s = this.source;
    const lines: WebviewLine[] = this.lines.map((l) => ({
      file: l.file, name: path.basename(l.file), rel: vscode.workspace.asRelativePath(l.file, true),
      dateline: l.dateline, date: l.date, left: l.left, match: l.match, right: l.right, start: l.start, end: l.end, line: l.line,
    }));
    const e = s?.kind === 'entity' ? s.entity : undefined;
    const q = s?.kind === 'search' ? s.query : undefined;
    return {
      showId: this.showId,
      generation: this.generation,
      source: e ? { kind: 'entity', key: e.key, name: e.name, typeWords: typeWord(e.type), also: e.aliases.length ? vscode.l10n.t('also: {0}', e.aliases.join('、')) : '' }
        : q ? { kind: 'search', ...q } : { kind: 'none' },
      query: q ?? { pattern: e?.name ?? '', regex: false, caseSensitive: false },
      context: this.context,
      sort: this.sort,
      status: this.status,
      total: this.total,
      more: this.more,
      articles: this.articles,
      lines,
      filter: this.filter,
      limits: { minWidth: MIN_WIDTH, maxWidth: MAX_WIDTH, levels: MAX_SORT_LEVELS },
      strings: {
        heading: e ? vscode.l10n.t('Concordance of {0}', e.name) : q ? vscode.l10n.t('Concordance of {0}', q.regex ? `/${q.pattern}/` : q.pattern) : vscode.l10n.t('Concordance'),
        intro: vscode.l10n.t('Search the corpus for a string or a regular expression, or open an entity\'s concordance from the Corpus Lens panel.'),
        search: vscode.l10n.t('Search'),
        searchPlaceholder: vscode.l10n.t('String or regular expression'),
        regex: vscode.l10n.t('Use regular expression'),
        caseSensitive: vscode.l10n.t('Match case'),
        searching: vscode.l10n.t('Searching…'),
        entityMentions: vscode.l10n.t('mentions recognised as this entity'),
        bound: vscode.l10n.t('Context'),
        sentence: vscode.l10n.t('sentence'),
        paragraph: vscode.l10n.t('paragraph'),
        width: vscode.l10n.t('Width (characters)'),
        sortBy: vscode.l10n.t('Sort by'),
        sortNone: vscode.l10n.t('(none)'),
        sortLevel: vscode.l10n.t('Sort level {0}', '{0}'),
        sortKeys: {
          '1L': vscode.l10n.t('1L (1st left)'), '2L': vscode.l10n.t('2L (2nd left)'), '3L': vscode.l10n.t('3L (3rd left)'),
          '1R': vscode.l10n.t('1R (1st right)'), '2R': vscode.l10n.t('2R (2nd right)'), '3R': vscode.l10n.t('3R (3rd right)'),
          match: vscode.l10n.t('match'), date: vscode.l10n.t('date'), article: vscode.l10n.t('article'),
        },
        sortHint: vscode.l10n.t('Positions count the words of the context (jieba).'),
        left: vscode.l10n.t('Left context'),
        match: vscode.l10n.t('Match'),
        right: vscode.l10n.t('Right context'),
        article: vscode.l10n.t('Article'),
        date: vscode.l10n.t('Dateline'),
        select: vscode.l10n.t('Select line'),
        selectAll: vscode.l10n.t('Select all lines shown'),
        selected: vscode.l10n.t('{0} selected', '{0}'),
        copy: vscode.l10n.t('Copy selected'),
        exportCsv: vscode.l10n.t('Export CSV…'),
        exportTsv: vscode.l10n.t('Export TSV…'),
        markAs: vscode.l10n.t('Mark selected as'),
        markNote: vscode.l10n.t('Applies to every occurrence of the string in the corpus (corpus dictionary).'),
        decide: vscode.l10n.t('Decide here'),
        decideNote: vscode.l10n.t('Decide: only at the selected lines (your decisions, annotations.jsonl).'),
        mark: vscode.l10n.t('Mark'),
        types: { PER: typeName('PER'), LOC: typeName('LOC'), ORG: typeName('ORG'), none: vscode.l10n.t('Not an entity') },
        filter: vscode.l10n.t('Filter'),
        filterPlaceholder: vscode.l10n.t('Filter lines (text, article, date)'),
        countOne: vscode.l10n.t('1 line in 1 article'),
        countOneArticle: vscode.l10n.t('{0} lines in 1 article', '{0}'),
        count: vscode.l10n.t('{0} lines in {1} articles', '{0}', '{1}'),
        countCapped: vscode.l10n.t('first {0} of {1} lines', '{0}', '{1}'),
        countFiltered: vscode.l10n.t('{0} of {1} lines shown', '{0}', '{1}'),
        none: e ? vscode.l10n.t('No mentions of {0} in the corpus.', e.name) : vscode.l10n.t('No matches in the corpus.'),
        noneFiltered: vscode.l10n.t('No lines match the filter.'),
        undated: vscode.l10n.t('no valid dateline'),
        openHint: vscode.l10n.t('Open the article at this match (Enter)'),
        more: vscode.l10n.t('Show {0} more', '{0}'),
        timeline: vscode.l10n.t('Show Timeline'),
      },
    };
  }

  /** A message from the page (the integration tests send the page's messages here too). */
  async handleMessage(m: unknown): Promise<void> {
    const msg = (m ?? {}) as Record<string, unknown>;
    switch (msg.type) {
      case 'ready':
        this.post();
        break;
      case 'search': {
        const q = toQuery(msg.query);
        if (q) await this.search(q, false);
        break;
      }
      case 'context': {
        const width = Math.round(Number(msg.width));
        this.context = {
          bound: msg.bound === 'paragraph' ? 'paragraph' : 'sentence',
          width: Number.isFinite(width) ? Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)) : this.context.width,
        };
        if (this.wanted) await this.refreshEntity();
        else if (this.source?.kind === 'search') await this.search(this.source.query, false, true);
        else this.post();
        break;
      }
      case 'sort': {
        this.sort = Array.isArray(msg.keys) ? msg.keys.filter(isSortKey).slice(0, MAX_SORT_LEVELS) : [];
        if (needsWords(this.sort)) await this.segment(this.lines);
        this.resort();
        break;
      }
      case 'open': {
        const line = this.picked([msg.i], msg.generation)?.[0];
        if (line) await this.open(line);
        break;
      }
      case 'copy': {
        const lines = this.picked(msg.ids, msg.generation);
        if (lines?.length) await vscode.env.clipboard.writeText(copyText(lines, (f) => vscode.workspace.asRelativePath(f, true)));
        break;
      }
      case 'export':
        if (msg.format === 'csv' || msg.format === 'tsv') await this.exportLines(msg.format);
        break;
      case 'mark': {
        const lines = this.picked(msg.ids, msg.generation);
        const as = msg.as;
        if (lines?.length && (as === 'PER' || as === 'LOC' || as === 'ORG' || as === 'none')) await this.markLines(lines, as);
        break;
      }
      case 'decide': {
        // at the selected places only (annotations.jsonl), not every occurrence of the string
        const lines = this.picked(msg.ids, msg.generation);
        const type = msg.as === 'none' ? 'O' : msg.as;
        if (lines?.length && (type === 'PER' || type === 'LOC' || type === 'ORG' || type === 'O')) {
          const n = await vscode.commands.executeCommand<number>('corpusLens.decideMentions' satisfies CommandId, lines.map((l) => ({ file: l.file, start: l.start, end: l.end, match: l.match })), type);
          void vscode.window.showInformationMessage(n === 1 ? vscode.l10n.t('Decided 1 place (annotations.jsonl).') : vscode.l10n.t('Decided {0} places (annotations.jsonl).', n));
        }
        break;
      }
      case 'timeline':
        if (this.source?.kind === 'entity') await vscode.commands.executeCommand('corpusLens.showTimeline' satisfies CommandId, this.source.entity.key);
        break;
    }
  }

  /** Opens the article in the editor area with the match selected (the nearest occurrence if the text changed since). */
  private async open(line: ConcordanceLine) {
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(line.file));
      let start = line.start;
      let end = line.end;
      const text = doc.getText();
      if (text.slice(start, end) !== line.match) {
        const before = text.lastIndexOf(line.match, start);
        const after = text.indexOf(line.match, start);
        const best = [before, after].filter((i) => i >= 0).sort((a, b) => Math.abs(a - start) - Math.abs(b - start))[0];
        if (best !== undefined) { start = best; end = best + line.match.length; }
      }
      const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
      const editor = await vscode.window.showTextDocument(doc, { selection: range, preview: true, preserveFocus: false });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (e) {
      log.warn(`concordance: cannot open ${line.file}: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot open {0}: {1}', path.basename(line.file), (e as Error).message));
    }
  }

  dispose() {
    this.runner.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/**
 * The concordance view and the handlers of
 * - `corpusLens.showConcordance(key?: string | { key: string }, options?: { filter?: string })`: an entity's mentions;
 *   resolves to the lines (ConcordanceLine[], in the order shown: by date unless sort levels are chosen), or undefined
 *   when no entity was chosen;
 * - `corpusLens.searchConcordance(query?: string | { pattern, regex?, caseSensitive? })`: a search over the corpus
 *   (without a query, an input box asks); resolves to the matching lines in the order shown (the first
 *   DEFAULT_LIMITS.maxLines), or undefined when the query is invalid or the search was stopped;
 * - `corpusLens.exportConcordance(format?: 'csv' | 'tsv', target?: string)`: the lines shown to a file.
 */
export function registerConcordance(context: vscode.ExtensionContext, indexer: CorpusIndexer, client: AnalysisClient) {
  const view = new ConcordanceView(context, indexer, client);
  context.subscriptions.push(view, vscode.window.registerWebviewViewProvider(CONCORDANCE_VIEW, view, { webviewOptions: { retainContextWhenHidden: true } }));
  const commands = {
    'corpusLens.showConcordance': async (arg?: unknown, options?: ConcordanceOptions): Promise<ConcordanceLine[] | undefined> => {
      const entity = await resolveEntity(indexer, arg, vscode.l10n.t('Show the concordance of…'));
      if (!entity) return undefined;
      const filter = options && typeof options === 'object' && typeof options.filter === 'string' ? options.filter : undefined;
      return view.showEntity(entity, { filter });
    },
    'corpusLens.searchConcordance': async (arg?: unknown): Promise<ConcordanceLine[] | undefined> => {
      let query = toQuery(arg);
      if (!query) {
        const input = await vscode.window.showInputBox({
          title: vscode.l10n.t('Search the corpus'),
          prompt: vscode.l10n.t('A string, or a regular expression between slashes: /中国.{0,2}银行/'),
        });
        if (!input) return undefined;
        query = queryFromInput(input);
      }
      return view.search(query);
    },
    'corpusLens.exportConcordance': async (format?: unknown, target?: unknown): Promise<string | undefined> =>
      view.exportLines(format === 'csv' || format === 'tsv' ? format : undefined, typeof target === 'string' ? vscode.Uri.file(target) : undefined),
  } satisfies FeatureCommands;
  return { view, commands };
}
