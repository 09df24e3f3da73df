/**
 * The Corpus Lens side panel's tree (corpusLens.entities): scope (this article / whole corpus), grouped
 * by type, then entity with mention and article counts, then its mentions with a context line; clicking
 * a mention opens the article and selects it. Filter and sort; refreshes (debounced) on edits and index changes.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../core/analysis';
import { entityKey, kwicContext } from '../core/corpusIndex';
import { ENTITY_TYPES, EntityType } from '../core/ner/types';
import { AnalysisClient } from './analysisClient';
import { commandOf, FeatureCommands } from './commands';
import { CorpusIndexer } from './corpusIndexer';
import type { DictionaryEntries } from './dictionaryEntries';
import type { AnnotationsStore } from './annotationsStore';
import { mentionCount, mentionsInArticles, TYPE_ICON, typeNamePlural } from './entityInfo';
import { ENTITY_COLOR } from './entityDecorations';
import { LANGUAGE_ID } from './languageDetection';
import { documentText } from './documentLength';
import { getConfig } from './config';
import { indexUnanswered } from './log';
import { entityConfidence } from '../core/mentionConfidence';

export type Scope = 'article' | 'corpus';
export type Sort = 'count' | 'name' | 'confidence';

export type Node =
  | { kind: 'type'; type: EntityType; count: number }
  | { kind: 'entity'; type: EntityType; name: string; key: string; mentions: number; articles: number; roles: string[]; aliases: string[]; confidence?: number }
  | { kind: 'mention'; key: string; file: string; uri: vscode.Uri; start: number; end: number; text: string; context: string; line: number };

interface Row { type: EntityType; name: string; key: string; mentions: number; articles: number; roles: string[]; aliases: string[]; confidence?: number }

const MAX_MENTIONS = 200;

export class EntitiesTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  scope: Scope = 'article';
  sort: Sort = 'count';
  filter = '';
  private timer: NodeJS.Timeout | undefined;
  private article: { uri: vscode.Uri; analysis: DocumentAnalysis } | undefined;
  view: vscode.TreeView<Node> | undefined;
  /** how the model scores on the user's reviewed articles (corpusLens.scoreReviewed), shown above the tree */
  estimate: string | undefined;

  constructor(private readonly client: AnalysisClient, private readonly indexer: CorpusIndexer, private readonly dictionary: DictionaryEntries, private readonly annotations?: AnnotationsStore) {}

  /** the corpus's rows as the index last answered (the corpus scope shows them until a newer answer comes) */
  private corpus: Row[] | undefined;
  /** the index's changes seen, and the one `corpus` was asked at */
  private indexVersion = 0;
  private corpusVersion = -1;
  /** the latest question to the index (an answer to an earlier one is dropped) */
  private asking: { version: number; answer: Promise<boolean> } | undefined;

  /** Debounced refresh: in the corpus scope, the index is asked first and the tree changes once, with the answer. */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), 200);
  }

  /** The index changed. */
  indexChanged(): void {
    this.indexVersion++;
    if (this.scope === 'corpus') this.refresh();
  }

  private async update() {
    // a superseded or failed query leaves the tree as it is (a failure is logged; the latest query fires)
    if (this.scope === 'corpus' && this.corpusVersion !== this.indexVersion && !(await this.askCorpus())) return;
    this.updateDescription();
    this.changed.fire(undefined);
  }

  /** Asks the index for the corpus's entities (once per state of the index); resolves to whether the answer is now `corpus`. */
  private askCorpus(): Promise<boolean> {
    const version = this.indexVersion;
    if (this.asking?.version === version) return this.asking.answer;
    const asking: { version: number; answer: Promise<boolean> } = {
      version,
      answer: this.indexer.queries.entities().then((list) => {
        if (this.asking !== asking) return false;
        this.corpus = list.map((s) => ({ type: s.type, name: s.name, key: s.key, mentions: s.mentions, articles: s.articles, roles: s.roles, aliases: s.aliases, confidence: s.confidence }));
        this.corpusVersion = version;
        return true;
      }, (e) => {
        if (this.asking === asking) this.asking = undefined; // (asked again on the next refresh)
        indexUnanswered(e, 'the entities panel', false);
        return false;
      }),
    };
    this.asking = asking;
    return asking.answer;
  }

  async setArticle(editor: vscode.TextEditor | undefined): Promise<void> {
    if (!editor || editor.document.languageId !== LANGUAGE_ID) {
      if (editor) { this.article = undefined; this.refresh(); }
      return;
    }
    const doc = editor.document;
    try {
      const analysis = await this.client.analyse(doc);
      if (vscode.window.activeTextEditor?.document === doc) { this.article = { uri: doc.uri, analysis }; this.refresh(); }
    } catch { /* a newer version will come */ }
  }

  onAnalysed(uri: vscode.Uri, analysis: DocumentAnalysis) {
    if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) {
      this.article = { uri, analysis };
      if (this.scope === 'article') this.refresh();
    }
  }

  private updateDescription() {
    if (!this.view) return;
    const scope = this.scope === 'article' ? vscode.l10n.t('this article') : vscode.l10n.t('whole corpus');
    this.view.description = this.filter ? `${scope} · “${this.filter}”` : scope;
    const empty = this.scope === 'article' && !this.article
      ? undefined
      : this.rows().length === 0 ? (this.filter ? vscode.l10n.t('No entity matches “{0}”.', this.filter) : vscode.l10n.t('No entities found.')) : undefined;
    this.view.message = empty ?? this.estimate;
  }

  private rows(): Row[] {
    let rows: Row[];
    if (this.scope === 'article') {
      if (!this.article) return [];
      rows = this.article.analysis.entities.map((e) => ({ type: e.type, name: e.name, key: entityKey(e.type, e.name), mentions: e.mentions.length, articles: 1, roles: e.roles, aliases: e.aliases, confidence: entityConfidence(e) }));
    } else {
      rows = this.corpus ?? [];
    }
    if (this.filter) {
      const f = this.filter.toLowerCase();
      rows = rows.filter((r) => r.name.toLowerCase().includes(f) || r.aliases.some((a) => a.includes(f)) || r.roles.some((x) => x.includes(f)));
    }
    const byName = (a: Row, b: Row) => a.name.localeCompare(b.name, 'zh-Hans-CN');
    return rows.sort(this.sort === 'count' ? (a, b) => b.mentions - a.mentions || byName(a, b)
      // least sure first: what most needs a look (no confidence, e.g. an older cached analysis: as if sure)
      : this.sort === 'confidence' ? (a, b) => (a.confidence ?? 1) - (b.confidence ?? 1) || byName(a, b)
        : byName);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      if (this.scope === 'article' && !this.article) return [];
      // the corpus scope before its first answer (or after a change no refresh has asked about yet): ask now; the
      // rows below the top level come from the same answer
      if (this.scope === 'corpus' && this.corpusVersion !== this.indexVersion) await this.askCorpus();
      const rows = this.rows();
      return ENTITY_TYPES.map((type) => ({ kind: 'type' as const, type, count: rows.filter((r) => r.type === type).length })).filter((n) => n.count > 0);
    }
    if (node.kind === 'type') return this.rows().filter((r) => r.type === node.type).map((r) => ({ kind: 'entity' as const, ...r }));
    if (node.kind === 'entity') return this.mentions(node.key);
    return [];
  }

  private async mentions(key: string): Promise<Node[]> {
    if (this.scope === 'article' && this.article) {
      const { uri, analysis } = this.article;
      const e = analysis.entities.find((x) => entityKey(x.type, x.name) === key);
      if (!e) return [];
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? documentText(open) : '';
      return e.mentions.slice(0, MAX_MENTIONS).map((m) => ({ kind: 'mention' as const, key, file: vscode.workspace.asRelativePath(uri), uri, start: m.start, end: m.end, text: m.text, line: m.line, context: contextLine(text, m.start, m.end) }));
    }
    let lines;
    try { lines = await this.indexer.queries.concordance(key, 12, { limit: MAX_MENTIONS, texts: this.indexer.openTexts() }); } catch (e) {
      indexUnanswered(e, 'the entities panel', false);
      return [];
    }
    return lines.map((l) => ({
      kind: 'mention' as const, key, file: vscode.workspace.asRelativePath(vscode.Uri.file(l.file)), uri: vscode.Uri.file(l.file), start: l.start, end: l.end, text: l.match, line: l.line,
      context: `…${l.left}【${l.match}】${l.right}…`,
    }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'type': {
        const item = new vscode.TreeItem(typeNamePlural(node.type), vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.count);
        item.iconPath = new vscode.ThemeIcon(TYPE_ICON[node.type], new vscode.ThemeColor(ENTITY_COLOR[node.type]));
        item.id = `${this.scope}:type:${node.type}`;
        item.contextValue = 'type';
        return item;
      }
      case 'entity': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        const counts = this.scope === 'article' ? mentionCount(node.mentions) : mentionsInArticles(node.mentions, node.articles);
        const fromDictionary = this.dictionary.of(node.name, node.type, node.aliases);
        // in an article: how many of its mentions the user decided (review mode)
        const decided = this.scope === 'article' && this.article && this.annotations
          ? (this.article.analysis.entities.find((e) => entityKey(e.type, e.name) === node.key)?.mentions ?? [])
            .filter((m) => this.annotations!.decisionAt(this.article!.uri, m.start, m.end)?.type === node.type).length
          : 0;
        const uncertain = !fromDictionary && node.confidence !== undefined && node.confidence < getConfig().confidenceThreshold;
        item.description = [counts, fromDictionary ? vscode.l10n.t('dictionary') : '', uncertain ? vscode.l10n.t('uncertain {0}', node.confidence!.toFixed(2)) : '',
          decided ? vscode.l10n.t('{0} decided', decided) : ''].filter(Boolean).join(' · ');
        const tip = new vscode.MarkdownString();
        if (fromDictionary) tip.appendText(`${vscode.l10n.t('From the corpus dictionary (dictionary.tsv, line {0})', fromDictionary.line)}\n`);
        if (!fromDictionary && node.confidence !== undefined) tip.appendText(`${vscode.l10n.t('Confidence of its surest mention: {0}', node.confidence.toFixed(2))}\n`);
        if (node.roles.length) tip.appendText(`${vscode.l10n.t('Roles')}: ${node.roles.join('、')}\n`);
        if (node.aliases.length) tip.appendText(`${vscode.l10n.t('Also written')}: ${node.aliases.join('、')}`);
        item.tooltip = tip.value ? tip : undefined;
        item.id = `${this.scope}:entity:${node.key}`;
        item.contextValue = 'entity';
        item.iconPath = new vscode.ThemeIcon(TYPE_ICON[node.type], new vscode.ThemeColor(ENTITY_COLOR[node.type]));
        return item;
      }
      case 'mention': {
        const item = new vscode.TreeItem(node.context, vscode.TreeItemCollapsibleState.None);
        item.description = `${node.file}:${node.line + 1}`;
        item.tooltip = `${node.file}:${node.line + 1}`;
        item.id = `${this.scope}:mention:${node.key}:${node.uri.toString()}:${node.start}`;
        item.contextValue = 'mention';
        item.command = commandOf('corpusLens.revealMention', vscode.l10n.t('Open'), [node.uri.toString(), node.start, node.end]);
        return item;
      }
    }
  }

  getParent(): undefined { return undefined; }

  dispose() { clearTimeout(this.timer); this.changed.dispose(); }
}

/** The mention in a short context: …left【mention】right… */
export function contextLine(text: string, start: number, end: number, width = 12): string {
  const { left, right } = kwicContext(text, start, end, width);
  return `…${left.trimStart()}【${text.slice(start, end)}】${right.trimEnd()}…`;
}

export async function revealMention(uriString: string, start: number, end: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uriString));
  const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
  await vscode.window.showTextDocument(doc, { selection: range, preserveFocus: false });
}

/** The side panel and the handlers of its title-bar and row commands. */
export function registerEntitiesView(context: vscode.ExtensionContext, client: AnalysisClient, indexer: CorpusIndexer, dictionary: DictionaryEntries, annotations?: AnnotationsStore) {
  const tree = new EntitiesTree(client, indexer, dictionary, annotations);
  const view = vscode.window.createTreeView('corpusLens.entities', { treeDataProvider: tree, showCollapseAll: true });
  tree.view = view;
  const setScope = (s: Scope) => { tree.scope = s; void vscode.commands.executeCommand('setContext', 'corpusLens.entityScope', s); tree.refresh(); };
  const setSort = (s: Sort) => { tree.sort = s; void vscode.commands.executeCommand('setContext', 'corpusLens.entitySort', s); tree.refresh(); };
  setScope('article');
  setSort('count');
  context.subscriptions.push(
    tree, view,
    vscode.window.onDidChangeActiveTextEditor((e) => void tree.setArticle(e)),
    client.onDidAnalyse(({ uri, analysis }) => tree.onAnalysed(uri, analysis)),
    indexer.onDidChange(() => tree.indexChanged()),
    ...(annotations ? [annotations.onDidChange(() => tree.refresh())] : []),
  );
  void tree.setArticle(vscode.window.activeTextEditor);
  const commands = {
    'corpusLens.scopeCorpus': () => { setScope('corpus'); void indexer.ensureStarted(); },
    'corpusLens.scopeArticle': () => setScope('article'),
    'corpusLens.sortByName': () => setSort('name'),
    'corpusLens.sortByCount': () => setSort('count'),
    'corpusLens.sortByConfidence': () => setSort('confidence'),
    // From the view's title bar VS Code passes the focused row (a Node), not a string: only a string skips the box
    'corpusLens.filterEntities': async (value?: unknown) => {
      const v = typeof value === 'string' ? value : await vscode.window.showInputBox({ prompt: vscode.l10n.t('Show entities whose name, alias or role contains…'), value: tree.filter });
      if (v === undefined) return;
      tree.filter = v.trim();
      void vscode.commands.executeCommand('setContext', 'corpusLens.entityFiltered', !!tree.filter);
      tree.refresh();
    },
    'corpusLens.clearFilter': () => { tree.filter = ''; void vscode.commands.executeCommand('setContext', 'corpusLens.entityFiltered', false); tree.refresh(); },
    'corpusLens.revealMention': revealMention,
    'corpusLens.focusEntities': () => vscode.commands.executeCommand('corpusLens.entities.focus'),
    // from an entity row's right-click menu (the row), or with a name
    'corpusLens.copyEntityName': async (arg?: unknown) => {
      const name = typeof arg === 'string' ? arg
        : arg && typeof arg === 'object' && (arg as Node).kind === 'entity' ? (arg as Extract<Node, { kind: 'entity' }>).name : undefined;
      if (name) await vscode.env.clipboard.writeText(name);
      return name;
    },
  } satisfies FeatureCommands;
  return { tree, commands };
}
