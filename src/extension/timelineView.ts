/**
 * The timeline: a WebviewView in its own container of the bottom panel (`corpusLens.timeline`), one or more
 * entities' mentions per month, quarter or year by dateline as a bar chart (raw mentions, articles, or
 * mentions per 1,000 dated articles of the bucket), over the bulk of the dated mentions by default (far
 * outliers counted, not drawn) or a range the user chooses. The extension holds what is shown (series,
 * granularity, range, measure) and computes it with src/core/timeline.ts; the page draws it and posts the
 * user's choices back. A click on a bar opens the concordance of that entity filtered to the bucket. Export:
 * CSV from the same figures, PNG rendered by the page from its SVG.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../core/atomic';
import { writeStaysInside } from '../core/realPath';
import type { EntitySummary } from '../core/corpusIndex';
import {
  bucketsBetween, concordanceFilter, GRANULARITIES, Granularity, monthIndex, RangeChoice, timelineCsv, timelineView,
  TimelineView,
} from '../core/timeline';
import type { CommandId, FeatureCommands } from './commands';
import type { CorpusIndexer } from './corpusIndexer';
import { pageHtml, panelOptions, resolveEntity } from './concordanceView';
import { typeWord } from './entityInfo';
import { indexUnanswered, log } from './log';
import { workspaceTrusted } from './trust';

export const TIMELINE_VIEW_ID = 'corpusLens.timeline';
/** Series on one chart: each gets one of the theme's chart colours (charts.blue, .orange, … in timeline.css). */
export const MAX_SERIES = 6;
export type Measure = 'mentions' | 'articles' | 'perThousand';
const MEASURES: readonly Measure[] = ['mentions', 'articles', 'perThousand'];

export interface TimelineOptions {
  granularity?: Granularity;
  /** 'bulk' (the default range), 'all', or the first and last month shown (YYYY-MM) */
  range?: 'bulk' | 'all';
  from?: string;
  to?: string;
  measure?: Measure;
}

/** What showTimeline returns: the view's figures (the buckets shown) and the measure drawn. */
export type TimelineData = TimelineView & { measure: Measure };

export interface ExportArgs { format?: 'csv' | 'png'; /** a file URI string; skips the save dialog */ target?: string; /** with target: replace an existing file */ overwrite?: boolean }

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The range the options ask for, or undefined when they name none (or a malformed one). */
function rangeOf(o: TimelineOptions): RangeChoice | undefined {
  if (typeof o.from === 'string' && typeof o.to === 'string' && MONTH.test(o.from) && MONTH.test(o.to)) return { from: o.from, to: o.to };
  return o.range === 'bulk' || o.range === 'all' ? o.range : undefined;
}

class TimelineProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private entities: EntitySummary[] = [];
  private granularity: Granularity = 'month';
  private range: RangeChoice = 'bulk';
  private measure: Measure = 'mentions';
  private current: TimelineView | undefined;
  private readonly renders = new Map<number, (dataUrl: string | undefined) => void>();
  private renderId = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly indexer: CorpusIndexer) {
    this.disposables.push(indexer.onDidChange(() => { if (this.entities.length) void this.update(); }));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.onDidReceiveMessage((m) => this.onMessage(m), null, this.disposables);
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
      for (const done of this.renders.values()) done(undefined);
      this.renders.clear();
    }, null, this.disposables);
    // (the page before the options: options set first reload the view's empty page, which has no content security
    // policy, and VS Code warns of it)
    view.webview.html = pageHtml(view.webview, this.context, 'timeline', vscode.l10n.t('Timeline'), this.data());
    view.webview.options = panelOptions(this.context);
    this.describe();
    if (this.entities.length && !this.current) void this.update();
  }

  /** Shows these entities (replacing the series) with the options given; the rest of the view stays as it was. */
  async show(entities: EntitySummary[], options: TimelineOptions): Promise<TimelineData> {
    const keys = entities.map((e) => e.key);
    const same = keys.length === this.entities.length && keys.every((k, i) => k === this.entities[i].key);
    this.entities = entities.slice(0, MAX_SERIES);
    if (entities.length > MAX_SERIES) void vscode.window.showWarningMessage(vscode.l10n.t('At most {0} entities on one chart: the first {0} are shown.', MAX_SERIES));
    this.applyOptions(options, !same);
    await this.settled(this.update());
    await vscode.commands.executeCommand(`${TIMELINE_VIEW_ID}.focus`);
    return { ...this.current ?? this.empty(), measure: this.measure };
  }

  private applyOptions(o: TimelineOptions, newSeries: boolean) {
    if (o.granularity && GRANULARITIES.includes(o.granularity)) this.granularity = o.granularity;
    if (o.measure && MEASURES.includes(o.measure)) this.measure = o.measure;
    // a new set of entities starts on the bulk of its own mentions
    this.range = rangeOf(o) ?? (newSeries ? 'bulk' : this.range);
  }

  /** What the view shows before the index has answered: no series. */
  private empty(): TimelineView { return timelineView([], new Map(), this.granularity, this.range); }

  /** the latest update (an earlier one's answer is dropped) */
  private updating: Promise<void> | undefined;

  /**
   * Asks the index for the series and the corpus's articles per month, then shows them (entities renamed since are
   * taken from the index). Only the latest update's answer is shown, whole; a failed one leaves the view as it was.
   */
  private update(): Promise<void> {
    const entities = this.entities;
    const q = this.indexer.queries;
    const run: Promise<void> = Promise.all([Promise.all(entities.map((e) => q.entity(e.key))), Promise.all(entities.map((e) => q.timeline(e.key))), q.articlesPerMonth()])
      .then(([now, timelines, perMonth]) => {
        if (this.updating !== run) return;
        this.entities = entities.map((e, i) => now[i] ?? e);
        const series = this.entities.map((e, i) => ({ key: e.key, name: e.name, type: e.type, ...timelines[i] }));
        this.current = timelineView(series, new Map(Object.entries(perMonth)), this.granularity, this.range);
        this.describe();
        void this.view?.webview.postMessage({ type: 'update', data: this.data() });
      }, (e) => indexUnanswered(e, 'timeline', false));
    this.updating = run;
    return run;
  }

  /** Waits for `run` and for any update started while it ran: the view then shows the latest answer. */
  private async settled(run: Promise<void>): Promise<void> {
    await run;
    while (this.updating && this.updating !== run) { run = this.updating; await run; }
  }

  private describe() {
    if (this.view) this.view.description = this.entities.map((e) => e.name).join(', ') || undefined;
  }

  private data() {
    const v = this.current ?? this.empty();
    // the from/to choices: every bucket from the first dated mention (or the range shown, if it starts earlier) to the last
    const ends = [v.full, v.range].filter((r): r is { from: string; to: string } => !!r);
    const from = ends.map((r) => r.from).sort()[0];
    const to = ends.map((r) => r.to).sort().reverse()[0];
    const choices = from && to && monthIndex(to) - monthIndex(from) < 12 * 500 ? bucketsBetween(from, to, v.granularity) : [];
    const names = this.entities.map((e) => e.name).join('、');
    return {
      view: v,
      measure: this.measure,
      choices,
      maxSeries: MAX_SERIES,
      series: this.entities.map((e) => ({ key: e.key, typeWords: typeWord(e.type) })),
      strings: {
        heading: names ? vscode.l10n.t('Timeline of {0}', names) : vscode.l10n.t('Timeline'),
        choose: vscode.l10n.t('Choose an entity to see its mentions over time.'),
        add: vscode.l10n.t('Add Entity…'),
        remove: vscode.l10n.t('Remove {0} from the chart', '{0}'),
        granularity: vscode.l10n.t('Per'),
        month: vscode.l10n.t('Month'),
        quarter: vscode.l10n.t('Quarter'),
        year: vscode.l10n.t('Year'),
        show: vscode.l10n.t('Show'),
        mentions: vscode.l10n.t('Mentions'),
        articles: vscode.l10n.t('Articles'),
        perThousand: vscode.l10n.t('Per 1,000 articles'),
        from: vscode.l10n.t('From'),
        to: vscode.l10n.t('To'),
        reset: vscode.l10n.t('Reset'),
        resetTitle: vscode.l10n.t('Back to the range of the bulk of the mentions'),
        showAll: vscode.l10n.t('Show All'),
        outsideOne: vscode.l10n.t('1 mention outside the range shown'),
        outside: vscode.l10n.t('{0} mentions outside the range shown', '{0}'),
        exportCsv: vscode.l10n.t('Export CSV…'),
        exportPng: vscode.l10n.t('Export PNG…'),
        chartLabel: vscode.l10n.t('Timeline chart: {0}', '{0}'),
        // per bar: "bucket · name", count of mentions, count of articles
        barTitle: vscode.l10n.t('{0}: {1} mentions in {2} articles', '{0}', '{1}', '{2}'),
        barTitleOne: vscode.l10n.t('{0}: 1 mention in 1 article', '{0}'),
        barTitleOneArticle: vscode.l10n.t('{0}: {1} mentions in 1 article', '{0}', '{1}'),
        barTitleNone: vscode.l10n.t('{0}: no mentions', '{0}'),
        // per bar: mentions per 1,000 articles, dated articles of the bucket
        rateTitle: vscode.l10n.t('{0} per 1,000 of the {1} dated articles', '{0}', '{1}'),
        undated: vscode.l10n.t('Undated: {0} mentions in {1} articles without a valid dateline', '{0}', '{1}'),
        undatedNone: vscode.l10n.t('Every mention is in an article with a valid dateline.'),
        none: vscode.l10n.t('No dated mentions of {0} in the corpus.', names),
        openHint: vscode.l10n.t('Click a bar for the concordance of that entity in that period; drag across bars to zoom in.'),
      },
    };
  }

  private async onMessage(m: unknown) {
    const msg = (m ?? {}) as { type?: string; key?: unknown; bucket?: unknown; id?: unknown; dataUrl?: unknown; format?: unknown } & TimelineOptions;
    switch (msg.type) {
      case 'ready':
        void this.view?.webview.postMessage({ type: 'update', data: this.data() });
        break;
      case 'view':
        this.applyOptions(msg, false);
        await this.update();
        break;
      case 'open': {
        const v = this.current;
        if (!v || typeof msg.key !== 'string' || typeof msg.bucket !== 'string') break;
        // only a bar this view shows can be opened
        if (!v.series.some((s) => s.key === msg.key) || !v.buckets.some((b) => b.bucket === msg.bucket)) break;
        await vscode.commands.executeCommand('corpusLens.showConcordance' satisfies CommandId, msg.key, { filter: concordanceFilter(msg.bucket, v.granularity) });
        break;
      }
      case 'add': {
        if (this.entities.length >= MAX_SERIES) {
          void vscode.window.showInformationMessage(vscode.l10n.t('At most {0} entities on one chart: remove one first.', MAX_SERIES));
          break;
        }
        const e = await resolveEntity(this.indexer, undefined, vscode.l10n.t('Add to the timeline…'));
        if (e && !this.entities.some((x) => x.key === e.key)) {
          this.entities = [...this.entities, e];
          this.range = 'bulk';
          await this.update();
        }
        break;
      }
      case 'remove':
        this.entities = this.entities.filter((e) => e.key !== msg.key);
        this.range = 'bulk';
        await this.update();
        break;
      case 'export':
        if (msg.format === 'csv' || msg.format === 'png') await this.export({ format: msg.format });
        break;
      case 'png':
        if (typeof msg.id === 'number') {
          this.renders.get(msg.id)?.(typeof msg.dataUrl === 'string' ? msg.dataUrl : undefined);
          this.renders.delete(msg.id);
        }
        break;
    }
  }

  /** The chart as PNG bytes, drawn by the page (revealed first if it is not showing). */
  private async png(): Promise<Buffer | undefined> {
    if (!this.view) await vscode.commands.executeCommand(`${TIMELINE_VIEW_ID}.focus`);
    const view = this.view;
    if (!view) return undefined;
    const id = ++this.renderId;
    const url = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => { this.renders.delete(id); resolve(undefined); }, 15_000);
      this.renders.set(id, (u) => { clearTimeout(timer); resolve(u); });
      void view.webview.postMessage({ type: 'renderPng', id });
    });
    const m = url && /^data:image\/png;base64,(.+)$/.exec(url);
    return m ? Buffer.from(m[1], 'base64') : undefined;
  }

  /**
   * Writes the chart's figures (CSV) or picture (PNG) to a file the user picks in a save dialog (which asks
   * before replacing a file), or to `target` (replaced only with `overwrite`); never over an article, nor into
   * the workspace in Restricted Mode (as Extract Entities). Resolves to the file written.
   */
  async export(args: ExportArgs): Promise<string | undefined> {
    const v = this.current;
    if (!v || !v.series.length || !v.buckets.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The timeline shows nothing to export yet.'));
      return undefined;
    }
    let format = args.format;
    if (format !== 'csv' && format !== 'png') {
      format = (await vscode.window.showQuickPick([
        { label: 'CSV', description: vscode.l10n.t('the figures of every bucket shown'), f: 'csv' as const },
        { label: 'PNG', description: vscode.l10n.t('the chart as a picture'), f: 'png' as const },
      ], { title: vscode.l10n.t('Export the timeline as…') }))?.f;
      if (!format) return undefined;
    }
    let file: string;
    let overwrite = !!args.overwrite;
    if (args.target) {
      file = vscode.Uri.parse(args.target).fsPath;
    } else {
      const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
      const stem = `timeline-${this.entities.map((e) => e.name).join('-')}-${v.granularity}`.replace(/[\\/:*?"<>|\s]+/g, '_');
      const uri = await vscode.window.showSaveDialog({
        defaultUri: ws && ws.scheme === 'file' ? vscode.Uri.file(path.join(path.dirname(ws.fsPath), `${stem}.${format}`)) : undefined,
        filters: { [format.toUpperCase()]: [format] },
        saveLabel: vscode.l10n.t('Export'),
      });
      if (!uri) return undefined;
      file = uri.fsPath;
      overwrite = true; // (the save dialog asked before returning an existing file)
    }
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file' && writeStaysInside(file, f.uri.fsPath));
    if (folder && !workspaceTrusted()) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Restricted Mode: Corpus Lens writes nothing into this workspace. Choose a place outside {0}; nothing was written.', folder.name));
      return undefined;
    }
    if (this.indexer.has(file)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is an article; an export never replaces it. Choose another file; nothing was written.', path.basename(file)));
      return undefined;
    }
    if (!overwrite && fs.existsSync(file)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} already exists; nothing was written.', path.basename(file)));
      return undefined;
    }
    const data = format === 'csv' ? timelineCsv(v) : await this.png();
    if (data === undefined) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The timeline could not draw its chart; nothing was written.'));
      return undefined;
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, data, { overwrite });
    } catch (e) {
      const msg = vscode.l10n.t('Could not write the export: {0}. Nothing was overwritten.', (e as Error).message);
      log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
    log.info(`timeline exported to ${file}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Timeline exported to {0}.', path.basename(file)));
    return file;
  }

  dispose() {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** The entities a command argument names: a key, a bare name, an object with a key, or an array of those. */
async function resolveEntities(indexer: CorpusIndexer, arg: unknown): Promise<EntitySummary[]> {
  const args = Array.isArray(arg) ? arg : [arg];
  const out: EntitySummary[] = [];
  for (const a of args) {
    const e = await resolveEntity(indexer, a, vscode.l10n.t('Show the timeline of…'));
    if (e && !out.some((x) => x.key === e.key)) out.push(e);
  }
  return out;
}

/**
 * The timeline view, and the handlers of `corpusLens.showTimeline(keys?: string | string[] | { key: string },
 * options?: TimelineOptions)` (resolves to the TimelineData shown, or undefined when no entity was chosen) and
 * `corpusLens.exportTimeline(args?: ExportArgs)` (resolves to the file written).
 */
export function registerTimeline(context: vscode.ExtensionContext, indexer: CorpusIndexer) {
  const provider = new TimelineProvider(context, indexer);
  context.subscriptions.push(provider, vscode.window.registerWebviewViewProvider(TIMELINE_VIEW_ID, provider));
  return {
    'corpusLens.showTimeline': async (arg?: unknown, options?: unknown): Promise<TimelineData | undefined> => {
      const entities = await resolveEntities(indexer, arg);
      if (!entities.length) return undefined;
      return provider.show(entities, options && typeof options === 'object' ? options as TimelineOptions : {});
    },
    'corpusLens.exportTimeline': async (args?: unknown): Promise<string | undefined> =>
      provider.export(args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args as ExportArgs : {}),
  } satisfies FeatureCommands;
}
