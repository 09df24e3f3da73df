/**
 * Review mode (doccano's keys, INCEpTION's "what needs a look first"): walks an article's mentions one at a time,
 * the ones that most need a look first (one-character names, names the corpus types otherwise, then in reading
 * order), selected and framed in the editor. Keys while reviewing: 1 person, 2 place, 3 organisation, 0 not an
 * entity, Enter accept, arrows to move, Ctrl/Cmd+Z undo the last decision, Escape to stop; with a selection that is
 * not the current mention, 1/2/3 add it as a missed mention. Each decision is one line of annotations.jsonl
 * (AnnotationsStore); the status bar shows the progress. "Mark Article Reviewed" ends an article.
 * The article's decisions reach the worker with the dictionary (readDictionary) and come back applied in its
 * analysis; the index re-analyses the articles whose decisions changed. Decisions that cannot be placed any more
 * are Information diagnostics with quick fixes to drop one or place it at an occurrence of its text.
 */
import * as vscode from 'vscode';
import { formatCount } from '../core/messages';
import type { DocumentAnalysis } from '../core/analysis';
import { entityKey } from '../core/corpusIndex';
import type { DecisionType, MentionDecision } from '../core/annotations';
import type { EntityType } from '../core/ner/types';
import { AnalysisClient } from './analysisClient';
import { AnnotationsStore } from './annotationsStore';
import { commandOf, type FeatureCommands } from './commands';
import type { CorpusIndexer } from './corpusIndexer';
import { typeName } from './entityInfo';
import { LANGUAGE_ID } from './languageDetection';
import { getConfig } from './config';
import { indexUnanswered, log } from './log';

const TYPES: readonly EntityType[] = ['PER', 'LOC', 'ORG'];

export type ReviewReason = 'uncertain' | 'one-character' | 'types-differ' | 'mention';
export interface ReviewItem { start: number; end: number; text: string; type: EntityType; reason: ReviewReason; confidence?: number }
/** the order of the groups: what most needs a look first */
export const REVIEW_RANK: Record<ReviewReason, number> = { uncertain: 0, 'one-character': 1, 'types-differ': 2, mention: 3 };

/**
 * The mentions of an analysis in the order they most need a look: those the recogniser is unsure of (below the
 * threshold, least sure first), one-character names, names the corpus has as another type too, then the rest; in
 * reading order within the last three groups. Mentions the user decided already are left out.
 */
export function reviewQueue(analysis: DocumentAnalysis, decided: readonly MentionDecision[], otherTypes: (name: string, type: EntityType) => boolean, threshold = 0): ReviewItem[] {
  const done = new Set(decided.map((d) => `${d.start}:${d.end}`));
  const items: ReviewItem[] = [];
  for (const e of analysis.entities) {
    for (const m of e.mentions) {
      if (done.has(`${m.start}:${m.end}`)) continue;
      const reason: ReviewReason = m.confidence !== undefined && m.confidence < threshold ? 'uncertain'
        : [...m.text].length === 1 ? 'one-character' : otherTypes(e.name, e.type) ? 'types-differ' : 'mention';
      items.push({ start: m.start, end: m.end, text: m.text, type: e.type, reason, ...(m.confidence !== undefined && { confidence: m.confidence }) });
    }
  }
  return items.sort((a, b) => REVIEW_RANK[a.reason] - REVIEW_RANK[b.reason]
    || (a.reason === 'uncertain' ? (a.confidence ?? 1) - (b.confidence ?? 1) : 0) || a.start - b.start);
}

class ReviewSession {
  private index = 0;
  constructor(readonly doc: vscode.TextDocument, readonly items: ReviewItem[]) {}
  get current(): ReviewItem | undefined { return this.items[this.index]; }
  get position(): number { return this.index; }
  move(by: number) { this.index = Math.max(0, Math.min(this.items.length, this.index + by)); }
}

export class ReviewFeature implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private session: ReviewSession | undefined;
  private readonly frame = vscode.window.createTextEditorDecorationType({
    border: '2px solid', borderColor: new vscode.ThemeColor('editor.findMatchHighlightBorder'), borderRadius: '2px',
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
  });
  private readonly status = vscode.window.createStatusBarItem('corpusLens.review', vscode.StatusBarAlignment.Left, 8);
  private readonly unplaced = vscode.languages.createDiagnosticCollection('corpus-lens-decisions');
  private readonly disposables: vscode.Disposable[] = [this.frame, this.status, this.unplaced];

  constructor(readonly store: AnnotationsStore, private readonly client: AnalysisClient, private readonly indexer: CorpusIndexer) {
    this.status.name = 'Corpus Lens review';
    this.disposables.push(
      client.onDidAnalyse(({ uri, analysis }) => this.showUnplaced(uri, analysis)),
      indexer.onDidChange(() => this.indexChanged()),
      // another article in front ends the review (focus moving to a panel, with no editor in front, does not)
      vscode.window.onDidChangeActiveTextEditor((e) => { if (this.session && e && e.document !== this.session.doc) void this.stop(); }),
      vscode.workspace.onDidCloseTextDocument((d) => { if (this.session?.doc === d) void this.stop(); this.unplaced.delete(d.uri); }),
    );
  }

  /** what the status bar says, for tests */
  get statusText(): string { return this.status.text; }
  get current(): ReviewItem | undefined { return this.session?.current; }

  /** counts the reviews started: one started while an earlier one waits for its answers supersedes it */
  private starts = 0;

  async start(editor = vscode.window.activeTextEditor): Promise<ReviewItem[] | undefined> {
    if (!editor || editor.document.languageId !== LANGUAGE_ID) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a corpus article to review its entities.'));
      return undefined;
    }
    if (!this.store.pathOf(editor.document.uri)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Only articles inside the workspace folder can be reviewed: their decisions are kept in its .corpus-lens folder.'));
      return undefined;
    }
    const started = ++this.starts;
    const analysis = await this.client.analyse(editor.document);
    // the corpus's entities of this article's names under their other types (a failed query: none, logged)
    const others = [...new Set(analysis.entities.flatMap((e) => TYPES.filter((t) => t !== e.type).map((t) => entityKey(t, e.name))))];
    const known = new Set<string>();
    try {
      (await Promise.all(others.map((k) => this.indexer.queries.entity(k)))).forEach((s, i) => { if (s) known.add(others[i]); });
    } catch (e) { indexUnanswered(e, 'review', false); }
    if (started !== this.starts) return undefined; // a newer review started meanwhile
    const otherTypes = (name: string, type: EntityType) => TYPES.some((t) => t !== type && known.has(entityKey(t, name)));
    const items = reviewQueue(analysis, this.store.decisionsOf(editor.document.uri), otherTypes, getConfig(editor.document.uri).confidenceThreshold);
    this.session = new ReviewSession(editor.document, items);
    await vscode.commands.executeCommand('setContext', 'corpusLens.reviewing', true);
    this.show();
    return items;
  }

  async stop(): Promise<void> {
    this.session = undefined;
    this.corpusMode = false;
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.frame, []);
    this.status.hide();
    await vscode.commands.executeCommand('setContext', 'corpusLens.reviewing', false);
  }

  /** 1/2/3/0: the current mention's type (or, with another selection, that span's); then the next mention. */
  async decide(type: DecisionType): Promise<boolean> {
    const s = this.session;
    const editor = vscode.window.activeTextEditor;
    if (!s || !editor || editor.document !== s.doc) return false;
    const sel = editor.selection;
    const cur = s.current;
    const doc = s.doc;
    const onCurrent = cur && doc.offsetAt(sel.start) === cur.start && doc.offsetAt(sel.end) === cur.end;
    // a selection of its own: a missed mention (or a span that is no entity)
    if (!sel.isEmpty && !onCurrent) {
      const ok = await this.store.decide(doc, doc.offsetAt(sel.start), doc.offsetAt(sel.end), type);
      this.show();
      return ok;
    }
    if (!cur) return false;
    const ok = await this.store.decide(doc, cur.start, cur.end, type);
    if (ok) s.move(1);
    this.show();
    return ok;
  }

  /** Enter: the model's type is right. */
  accept(): Promise<boolean> {
    const cur = this.session?.current;
    return cur ? this.decide(cur.type) : Promise.resolve(false);
  }

  move(by: number) { this.session?.move(by); this.show(); }

  async undo(): Promise<boolean> {
    const ok = await this.store.undo();
    if (ok && this.session) this.session.move(-1);
    this.show();
    return ok;
  }

  async markReviewed(uri = vscode.window.activeTextEditor?.document.uri, reviewed = true): Promise<boolean> {
    if (!uri) return false;
    const ok = await this.store.setReviewed(uri, reviewed);
    const wasReviewing = this.session?.doc.uri.toString() === uri.toString();
    const corpus = this.corpusMode;
    if (ok && wasReviewing) await this.stop();
    if (ok) void vscode.window.showInformationMessage(this.progress());
    // reviewing the corpus: on to the next article that most needs a look
    if (ok && wasReviewing && corpus) { this.corpusMode = true; await this.next(); }
    return ok;
  }

  /** reviewing article after article (Review Entities in the Corpus) rather than one article */
  private corpusMode = false;

  /**
   * The unreviewed indexed articles in the order they most need a look: the most mentions below the confidence
   * threshold first, then by path.
   */
  async queueOfArticles(): Promise<string[]> {
    const [articles, unsure] = await Promise.all([this.indexer.queries.articles(), this.indexer.queries.uncertainCounts(getConfig().confidenceThreshold)]);
    return articles.map((a) => a.file)
      .filter((f) => !this.store.isReviewed(vscode.Uri.file(f)) && this.store.pathOf(vscode.Uri.file(f)) !== undefined)
      .map((f) => ({ f, unsure: unsure[f] ?? 0 }))
      .sort((a, b) => b.unsure - a.unsure || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0))
      .map((x) => x.f);
  }

  /** Review Entities in the Corpus: opens the next unreviewed article (queueOfArticles) and reviews it; after Mark Article Reviewed, the next. */
  async reviewCorpus(): Promise<string | undefined> {
    await this.indexer.whenCurrent();
    this.corpusMode = true;
    return this.next();
  }

  private async next(): Promise<string | undefined> {
    let queue: string[];
    try { queue = await this.queueOfArticles(); } catch (e) { this.corpusMode = false; indexUnanswered(e, 'review the corpus'); return undefined; }
    const file = queue[0];
    if (!file) {
      this.corpusMode = false;
      void vscode.window.showInformationMessage(vscode.l10n.t('Every article of the corpus is reviewed.'));
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc.languageId === LANGUAGE_ID ? doc : await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID), { preview: false });
    const corpus = this.corpusMode;
    await this.start(editor);
    this.corpusMode = corpus;
    return file;
  }

  /** "37 of 301 articles reviewed" (shown on every key: the reviewed articles are counted, not every article asked) */
  progress(): string {
    const reviewed = this.store.reviewedFiles().filter((f) => this.indexer.has(f)).length;
    return vscode.l10n.t('{0} of {1} articles reviewed', formatCount(reviewed), formatCount(this.indexer.size));
  }

  /** the indexed mentions, asked of the index once per change of it (undefined: not answered yet) */
  private mentionTotal: number | undefined;
  /** counts the questions about it: an answer about an index that changed since is dropped */
  private mentionRun = 0;
  private mentionAsked = false;
  private countMentions() {
    const run = ++this.mentionRun;
    this.mentionAsked = true;
    this.indexer.queries.totals().then((t) => {
      if (run !== this.mentionRun) return;
      this.mentionTotal = t.mentions;
      this.show();
    }, (e) => { if (run === this.mentionRun) this.mentionAsked = false; indexUnanswered(e, 'review', false); });
  }
  private indexChanged() { this.mentionTotal = undefined; this.mentionAsked = false; this.mentionRun++; }

  /** "412 of 1,030 mentions decided": the decisions of the corpus against the indexed mentions ("…" until the index answers) */
  mentionProgress(): string {
    if (this.mentionTotal === undefined && !this.mentionAsked) this.countMentions();
    const mentions = this.mentionTotal;
    let decided = 0;
    for (const list of this.store.annotations.decisions.values()) decided += list.filter((d) => d.type !== 'O').length;
    return vscode.l10n.t('{0} of {1} mentions decided', formatCount(decided), mentions === undefined ? '…' : formatCount(mentions));
  }

  private show() {
    const s = this.session;
    if (!s) return;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === s.doc);
    const cur = s.current;
    if (editor && cur) {
      const range = new vscode.Range(s.doc.positionAt(cur.start), s.doc.positionAt(cur.end));
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.setDecorations(this.frame, [range]);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } else editor?.setDecorations(this.frame, []);
    const done = Math.min(s.position, s.items.length);
    const what = cur ? vscode.l10n.t('「{0}」 {1}?', cur.text, typeName(cur.type)) : vscode.l10n.t('all mentions seen: Mark Article Reviewed');
    this.status.text = `$(checklist) ${vscode.l10n.t('Review {0}/{1}', done, s.items.length)} · ${what}`;
    this.status.tooltip = `${vscode.l10n.t('Review {0} of {1} mentions', done, s.items.length)} · ${this.progress()}${this.corpusMode ? ` · ${this.mentionProgress()}` : ''}\n`;
    this.status.tooltip += vscode.l10n.t('1 person · 2 place · 3 organisation · 0 not an entity · Enter accept · ←/→ move · Ctrl+Z undo · Esc stop. With a selection of your own, 1/2/3 add it as a missed mention.');
    this.status.command = 'corpusLens.markReviewed';
    this.status.show();
    if (!cur && s.items.length > 0 && done === s.items.length) log.info(`review: all ${s.items.length} mentions of ${s.doc.uri.fsPath} seen`);
  }

  /** The article's decisions that no longer fit its text: one Information diagnostic each, at the start of the article. */
  private showUnplaced(uri: vscode.Uri, analysis: DocumentAnalysis) {
    const list = analysis.unplacedDecisions ?? [];
    const diags = list.map((d) => {
      const diag = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0),
        vscode.l10n.t('Your decision 「{0}」 ({1}) at {2}–{3} no longer fits the article: its text is gone or stands in several places without its context. Drop it, or place it at one of them.', d.text, d.type === 'O' ? vscode.l10n.t('not an entity') : typeName(d.type), d.start, d.end),
        vscode.DiagnosticSeverity.Information);
      diag.source = 'corpus-lens-decisions';
      diag.code = 'decision-unplaced';
      UNPLACED.set(diag, d);
      return diag;
    });
    this.unplaced.set(uri, diags);
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const diag of context.diagnostics) {
      const d = UNPLACED.get(diag);
      if (!d) continue;
      const drop = new vscode.CodeAction(vscode.l10n.t('Drop the decision 「{0}」', d.text), vscode.CodeActionKind.QuickFix);
      drop.command = commandOf('corpusLens.dropDecision', drop.title, [d]);
      drop.diagnostics = [diag];
      out.push(drop);
      const text = doc.getText();
      let n = 0;
      for (let i = text.indexOf(d.text); i >= 0 && n < 5; i = text.indexOf(d.text, i + 1), n++) {
        const pos = doc.positionAt(i);
        const place = new vscode.CodeAction(vscode.l10n.t('Place it at line {0}, column {1}', pos.line + 1, pos.character + 1), vscode.CodeActionKind.QuickFix);
        place.command = commandOf('corpusLens.placeDecision', place.title, [doc.uri.toString(), d, i]);
        place.diagnostics = [diag];
        out.push(place);
      }
    }
    return out;
  }

  dispose() { vscode.Disposable.from(...this.disposables).dispose(); }
}

const UNPLACED = new WeakMap<vscode.Diagnostic, MentionDecision>();

/** Review mode, the decisions' diagnostics and quick fixes, and the handlers of their commands. */
export function registerReview(context: vscode.ExtensionContext, client: AnalysisClient, indexer: CorpusIndexer, store: AnnotationsStore) {
  const review = new ReviewFeature(store, client, indexer);
  context.subscriptions.push(review, vscode.languages.registerCodeActionsProvider({ language: LANGUAGE_ID }, review, ReviewFeature.metadata));
  // the file changed (a decision here, an edit or a checkout there): the worker takes it with the dictionary, then the
  // open articles and the indexed ones whose decisions changed are analysed again
  const base = store.base;
  context.subscriptions.push(store.onDidChange(async (paths) => {
    if (!base) return;
    const files = paths.map((p) => vscode.Uri.joinPath(base, ...p.split('/')));
    try {
      await client.reloadDictionary();
      const changed = new Set(files.map((u) => u.toString()));
      for (const d of vscode.workspace.textDocuments) if (d.languageId === LANGUAGE_ID && changed.has(d.uri.toString())) void client.analyse(d);
      await indexer.refreshFiles(files.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
    } catch (e) { log.warn(`annotations: ${(e as Error).message}`); }
  }));
  const target = store.uri;
  if (target && base) {
    setImmediate(() => {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, `.corpus-lens/annotations.jsonl`));
      context.subscriptions.push(w, w.onDidChange(() => store.reload()), w.onDidCreate(() => store.reload()), w.onDidDelete(() => store.reload()));
    });
  }
  const commands = {
    'corpusLens.review': () => review.start(),
    'corpusLens.reviewCorpus': () => review.reviewCorpus(),
    'corpusLens.review.person': () => review.decide('PER'),
    'corpusLens.review.place': () => review.decide('LOC'),
    'corpusLens.review.organisation': () => review.decide('ORG'),
    'corpusLens.review.notEntity': () => review.decide('O'),
    'corpusLens.review.accept': () => review.accept(),
    'corpusLens.review.next': () => review.move(1),
    'corpusLens.review.previous': () => review.move(-1),
    'corpusLens.review.undo': () => review.undo(),
    'corpusLens.review.stop': () => review.stop(),
    'corpusLens.markReviewed': (arg?: unknown) => review.markReviewed(arg instanceof vscode.Uri ? arg : undefined),
    /**
     * Decisions at places given by file and offsets (the concordance's selected lines): each place whose text is
     * still `match` gets the type; one write, one undo. Resolves to the number of places decided.
     */
    'corpusLens.decideMentions': async (places?: unknown, type?: unknown): Promise<number> => {
      if (!Array.isArray(places) || !(['PER', 'LOC', 'ORG', 'O'] as unknown[]).includes(type)) return 0;
      const list: { doc: vscode.TextDocument; start: number; end: number; type: DecisionType }[] = [];
      for (const p of places as { file?: unknown; start?: unknown; end?: unknown; match?: unknown }[]) {
        if (typeof p?.file !== 'string' || typeof p.start !== 'number' || typeof p.end !== 'number' || typeof p.match !== 'string') continue;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(p.file)).then((d) => d, () => undefined);
        if (doc && doc.getText().slice(p.start, p.end) === p.match) list.push({ doc, start: p.start, end: p.end, type: type as DecisionType });
      }
      return list.length && await store.decideMany(list) ? list.length : 0;
    },
    'corpusLens.dropDecision': (d?: MentionDecision) => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      const p = uri && store.pathOf(uri);
      return d && p ? store.drop(p, d) : false;
    },
    'corpusLens.placeDecision': async (uriString?: string, d?: MentionDecision, at?: number) => {
      if (typeof uriString !== 'string' || !d || typeof at !== 'number') return false;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uriString));
      const p = store.pathOf(doc.uri);
      if (!p || doc.getText().slice(at, at + d.text.length) !== d.text) return false;
      return (await store.drop(p, d)) && store.decide(doc, at, at + d.text.length, d.type);
    },
  } satisfies FeatureCommands;
  return { review, commands };
}
