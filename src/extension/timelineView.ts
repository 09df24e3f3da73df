/**
 * Corpus Lens: Show Timeline — one entity's mentions (or articles) per month across the corpus as a bar
 * chart, months by dateline, gaps filled; mentions in articles without a well-formed dateline are counted
 * apart. One panel, reused; it follows the index while it is open. Clicking a bar opens the concordance
 * filtered to that month.
 */
import * as vscode from 'vscode';
import type { EntitySummary } from '../core/corpusIndex';
import { entityKey } from '../core/corpusIndex';
import type { CommandId, FeatureCommands } from './commands';
import type { CorpusIndexer } from './corpusIndexer';
import { pageHtml, panelOptions, resolveEntity } from './concordanceView';
import { mentionsInArticles, typeWord } from './entityInfo';

export interface TimelineMonth { month: string; mentions: number; articles: number }

/** What the command returns and the chart shows. */
export interface TimelineData {
  key: string;
  name: string;
  /** continuous months (YYYY-MM) from the first to the last dated mention */
  months: TimelineMonth[];
  /** mentions in articles without a well-formed dateline */
  undated: number;
  /** articles without a well-formed dateline that mention the entity */
  undatedArticles: number;
}

export function timelineOf(indexer: CorpusIndexer, entity: EntitySummary): TimelineData {
  const t = indexer.index.timeline(entity.key);
  let undatedArticles = 0;
  for (const f of indexer.index.files()) {
    const a = indexer.index.get(f)?.analysis;
    if (a && !a.date && a.entities.some((e) => entityKey(e.type, e.name) === entity.key)) undatedArticles++;
  }
  return { key: entity.key, name: entity.name, months: t.months, undated: t.undated, undatedArticles };
}

class TimelinePanel {
  private panel: vscode.WebviewPanel | undefined;
  private entity: EntitySummary | undefined;
  private timeline: TimelineData | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly indexer: CorpusIndexer) {
    this.disposables.push(indexer.onDidChange(() => { if (this.panel) this.refresh(); }));
  }

  show(entity: EntitySummary): TimelineData {
    this.entity = entity;
    this.timeline = timelineOf(this.indexer, entity);
    const title = vscode.l10n.t('Timeline: {0}', entity.name);
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('corpusLens.timeline', title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, panelOptions(this.context));
      this.panel.onDidDispose(() => { this.panel = undefined; this.entity = undefined; this.timeline = undefined; }, null, this.disposables);
      this.panel.webview.onDidReceiveMessage((m) => this.onMessage(m), null, this.disposables);
    } else {
      this.panel.title = title;
      this.panel.reveal(undefined, false);
    }
    this.panel.webview.html = pageHtml(this.panel.webview, this.context, 'timeline', title, this.data());
    return this.timeline;
  }

  private refresh() {
    if (!this.entity || !this.panel) return;
    this.entity = this.indexer.index.entities().get(this.entity.key) ?? this.entity;
    this.timeline = timelineOf(this.indexer, this.entity);
    void this.panel.webview.postMessage({ type: 'update', data: this.data() });
  }

  private data() {
    const e = this.entity!;
    const t = this.timeline!;
    const summary = this.indexer.index.entities().get(e.key);
    return {
      entity: { key: e.key, name: e.name, type: e.type, typeWords: typeWord(e.type) },
      months: t.months,
      undated: t.undated,
      undatedArticles: t.undatedArticles,
      strings: {
        heading: vscode.l10n.t('Timeline of {0}', e.name),
        summary: summary ? mentionsInArticles(summary.mentions, summary.articles) : '',
        show: vscode.l10n.t('Show'),
        mentions: vscode.l10n.t('Mentions'),
        articles: vscode.l10n.t('Articles'),
        month: vscode.l10n.t('Month'),
        chartLabel: vscode.l10n.t('{0} per month', '{0}'),
        // per bar: month, count of mentions, count of articles
        barTitle: vscode.l10n.t('{0}: {1} mentions in {2} articles', '{0}', '{1}', '{2}'),
        barTitleOne: vscode.l10n.t('{0}: 1 mention in 1 article', '{0}'),
        barTitleOneArticle: vscode.l10n.t('{0}: {1} mentions in 1 article', '{0}', '{1}'),
        barTitleNone: vscode.l10n.t('{0}: no mentions', '{0}'),
        undated: vscode.l10n.t('Undated: {0} mentions in {1} articles without a valid dateline', '{0}', '{1}'),
        undatedNone: vscode.l10n.t('Every mention is in an article with a valid dateline.'),
        none: vscode.l10n.t('No dated mentions of {0} in the corpus.', e.name),
        openHint: vscode.l10n.t('Click a bar for the concordance of that month.'),
      },
    };
  }

  private async onMessage(m: unknown) {
    const msg = m as { type?: string; month?: unknown };
    if (msg?.type === 'ready') {
      if (this.panel && this.entity) void this.panel.webview.postMessage({ type: 'update', data: this.data() });
    } else if (msg?.type === 'month' && this.entity && typeof msg.month === 'string' && /^\d{4}-\d{2}$/.test(msg.month)) {
      await vscode.commands.executeCommand('corpusLens.showConcordance' satisfies CommandId, this.entity.key, { filter: msg.month });
    }
  }

  dispose() {
    this.panel?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/**
 * The timeline panel, and the handler of `corpusLens.showTimeline(key?: string | { key: string })`. Resolves to the TimelineData shown,
 * or undefined when no entity was chosen.
 */
export function registerTimeline(context: vscode.ExtensionContext, indexer: CorpusIndexer) {
  const view = new TimelinePanel(context, indexer);
  context.subscriptions.push(view);
  return {
    'corpusLens.showTimeline': async (arg?: unknown): Promise<TimelineData | undefined> => {
      const entity = await resolveEntity(indexer, arg, vscode.l10n.t('Show the timeline of…'));
      return entity ? view.show(entity) : undefined;
    },
  } satisfies FeatureCommands;
}
