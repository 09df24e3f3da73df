/**
 * Corpus Lens: Show Concordance — a KWIC view of one entity's mentions across the corpus (AntConc style):
 * left context right-aligned, the mention highlighted, right context, article and dateline; sortable by
 * date, left context (nearest character first), right context and article; filterable; a click opens the
 * article with the mention selected. One panel, reused; it follows the index while it is open.
 *
 * Also the helpers the timeline view shares: entity argument/QuickPick resolution and the page builder.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConcordanceLine, EntitySummary } from '../core/corpusIndex';
import type { EntityType } from '../core/ner/types';
import type { CommandId, FeatureCommands } from './commands';
import type { CorpusIndexer } from './corpusIndexer';
import { mentionsInArticles, typeWord } from './entityInfo';
import { log } from './log';
import { buildWebviewHtml, makeNonce } from './webviewHtml';

/** Characters of context on each side of a mention. */
const CONTEXT_WIDTH = 30;
const MEDIA = ['media', 'webview'] as const;

// ---------------------------------------------------------------------------------------------------------
// shared with timelineView.ts

/** Waits for the first indexing pass (with a progress notification) when the index is still empty. */
async function indexReady(indexer: CorpusIndexer): Promise<void> {
  if (indexer.index.size > 0) return;
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
  const all = indexer.index.entities();
  if (key !== undefined) {
    const direct = all.get(key);
    if (direct) return direct;
    const m = /^(PER|LOC|ORG):(.+)$/.exec(key);
    const found = m ? indexer.index.find(m[2], m[1] as EntityType) : indexer.index.find(key);
    if (!found) void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" is not an entity of this corpus.', key));
    return found;
  }
  if (all.size === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No persons, places or organisations found in this corpus yet.'));
    return undefined;
  }
  const items = [...all.values()]
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

/** Display order ("by date"): dated articles oldest first, undated ones last; then file, then offset. */
export function byDate(a: ConcordanceLine, b: ConcordanceLine): number {
  if (!!a.date !== !!b.date) return a.date ? -1 : 1;
  return (a.date ?? '').localeCompare(b.date ?? '') || a.file.localeCompare(b.file) || a.start - b.start;
}

export interface ConcordanceOptions {
  /** pre-fills the filter box (e.g. a month "2018-10" from the timeline) */
  filter?: string;
}

interface WebviewLine {
  file: string; name: string; rel: string; dateline: string | null; date: string | null;
  left: string; match: string; right: string; start: number; end: number; line: number;
}

class ConcordancePanel {
  private panel: vscode.WebviewPanel | undefined;
  private entity: EntitySummary | undefined;
  private lines: ConcordanceLine[] = [];
  private filter: string | undefined;
  /** counts show() calls: the page applies a pre-filled filter once per show, not on every reload */
  private showId = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly indexer: CorpusIndexer) {
    this.disposables.push(indexer.onDidChange(() => { if (this.panel) this.refresh(); }));
  }

  show(entity: EntitySummary, options: ConcordanceOptions = {}): ConcordanceLine[] {
    this.entity = entity;
    this.filter = options.filter;
    this.showId++;
    this.lines = this.compute();
    const title = vscode.l10n.t('Concordance: {0}', entity.name);
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('corpusLens.concordance', title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, panelOptions(this.context));
      this.panel.onDidDispose(() => { this.panel = undefined; this.entity = undefined; this.lines = []; }, null, this.disposables);
      this.panel.webview.onDidReceiveMessage((m) => this.onMessage(m), null, this.disposables);
      this.panel.webview.html = pageHtml(this.panel.webview, this.context, 'concordance', title, this.data());
    } else {
      this.panel.title = title;
      this.panel.webview.html = pageHtml(this.panel.webview, this.context, 'concordance', title, this.data());
      this.panel.reveal(undefined, false);
    }
    return this.lines;
  }

  private compute(): ConcordanceLine[] {
    if (!this.entity) return [];
    return this.indexer.index.concordance(this.entity.key, (f) => this.indexer.textOf(f), CONTEXT_WIDTH).sort(byDate);
  }

  /** The index changed: recompute; the page gets the new lines (it keeps its sort and filter). */
  private refresh() {
    if (!this.entity || !this.panel) return;
    const now = this.indexer.index.entities().get(this.entity.key);
    if (now) this.entity = now;
    this.lines = this.compute();
    void this.panel.webview.postMessage({ type: 'update', data: this.data() });
  }

  private data() {
    const e = this.entity!;
    const lines: WebviewLine[] = this.lines.map((l) => ({
      file: l.file, name: path.basename(l.file), rel: vscode.workspace.asRelativePath(l.file, true),
      dateline: l.dateline, date: l.date, left: l.left, match: l.match, right: l.right, start: l.start, end: l.end, line: l.line,
    }));
    return {
      showId: this.showId,
      entity: { key: e.key, name: e.name, type: e.type, typeWords: typeWord(e.type), aliases: e.aliases, roles: e.roles },
      lines,
      filter: this.filter,
      strings: {
        heading: vscode.l10n.t('Concordance of {0}', e.name),
        left: vscode.l10n.t('Left context'),
        match: vscode.l10n.t('Mention'),
        right: vscode.l10n.t('Right context'),
        article: vscode.l10n.t('Article'),
        date: vscode.l10n.t('Dateline'),
        sortBy: vscode.l10n.t('Sort by'),
        sortDate: vscode.l10n.t('date'),
        sortLeft: vscode.l10n.t('left context'),
        sortRight: vscode.l10n.t('right context'),
        sortArticle: vscode.l10n.t('article'),
        filter: vscode.l10n.t('Filter'),
        filterPlaceholder: vscode.l10n.t('Filter lines (text, article, date)'),
        countOne: vscode.l10n.t('1 line in 1 article'),
        countOneArticle: vscode.l10n.t('{0} lines in 1 article', '{0}'),
        count: vscode.l10n.t('{0} lines in {1} articles', '{0}', '{1}'),
        countFiltered: vscode.l10n.t('{0} of {1} lines shown', '{0}', '{1}'),
        none: vscode.l10n.t('No mentions of {0} in the corpus.', e.name),
        noneFiltered: vscode.l10n.t('No lines match the filter.'),
        undated: vscode.l10n.t('no valid dateline'),
        openHint: vscode.l10n.t('Open the article at this mention (Enter)'),
        more: vscode.l10n.t('Show {0} more', '{0}'),
        timeline: vscode.l10n.t('Show Timeline'),
        also: e.aliases.length ? vscode.l10n.t('also: {0}', e.aliases.join('、')) : '',
      },
    };
  }

  private async onMessage(m: unknown) {
    const msg = m as { type?: string; file?: unknown; start?: unknown; end?: unknown };
    if (msg?.type === 'ready') {
      // the page (re)loaded, e.g. shown again after being hidden: give it the current lines
      if (this.panel && this.entity) void this.panel.webview.postMessage({ type: 'update', data: this.data() });
    } else if (msg?.type === 'open') {
      // only a line this panel shows can be opened
      const line = this.lines.find((l) => l.file === msg.file && l.start === msg.start && l.end === msg.end);
      if (line) await this.open(line);
    } else if (msg?.type === 'timeline' && this.entity) {
      await vscode.commands.executeCommand('corpusLens.showTimeline' satisfies CommandId, this.entity.key);
    }
  }

  private async open(line: ConcordanceLine) {
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(line.file));
      let start = line.start;
      let end = line.end;
      const text = doc.getText();
      if (text.slice(start, end) !== line.match) {
        // edited since the line was computed: the nearest occurrence of the mention
        const before = text.lastIndexOf(line.match, start);
        const after = text.indexOf(line.match, start);
        const best = [before, after].filter((i) => i >= 0).sort((a, b) => Math.abs(a - start) - Math.abs(b - start))[0];
        if (best !== undefined) { start = best; end = best + line.match.length; }
      }
      const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
      const editor = await vscode.window.showTextDocument(doc, { viewColumn: columnBesidePanel(this.panel!), selection: range, preview: true });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (e) {
      log.warn(`concordance: cannot open ${line.file}: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot open {0}: {1}', path.basename(line.file), (e as Error).message));
    }
  }

  dispose() {
    this.panel?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/**
 * The concordance panel, and the handler of `corpusLens.showConcordance(key?: string | { key: string }, options?: { filter?: string })`.
 * Resolves to the lines shown (ConcordanceLine[], in date order), or undefined when no entity was chosen.
 */
export function registerConcordance(context: vscode.ExtensionContext, indexer: CorpusIndexer) {
  const view = new ConcordancePanel(context, indexer);
  context.subscriptions.push(view);
  return {
    'corpusLens.showConcordance': async (arg?: unknown, options?: ConcordanceOptions): Promise<ConcordanceLine[] | undefined> => {
      const entity = await resolveEntity(indexer, arg, vscode.l10n.t('Show the concordance of…'));
      if (!entity) return undefined;
      const filter = options && typeof options === 'object' && typeof options.filter === 'string' ? options.filter : undefined;
      return view.show(entity, { filter });
    },
  } satisfies FeatureCommands;
}
