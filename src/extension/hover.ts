/**
 * Hover over a recognised mention (and only there): type in words, canonical name and aliases, roles,
 * counts in this article and across the corpus, first and last dateline, and command links. Served
 * from the cached analysis: a hover never starts segmentation.
 */
import * as vscode from 'vscode';
import { entityKey } from '../core/corpusIndex';
import { AnalysisClient } from './analysisClient';
import type { CommandId } from './commands';
import { CorpusIndexer } from './corpusIndexer';
import type { DictionaryEntries } from './dictionaryEntries';
import type { AnnotationsStore } from './annotationsStore';
import { commandUri, mentionAt, mentionCount, mentionsInArticles, showDate, typeName } from './entityInfo';
import { LANGUAGE_ID } from './languageDetection';
import { getConfig } from './config';
import { indexUnanswered } from './log';
import { isUncertain } from '../core/mentionConfidence';

export class EntityHover implements vscode.HoverProvider {
  /** how long each hover took in the extension host (the last 1,000), for npm run bench:host */
  readonly times: number[] = [];
  constructor(private readonly client: AnalysisClient, private readonly indexer: CorpusIndexer, private readonly dictionary: DictionaryEntries, private readonly annotations: AnnotationsStore) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const t0 = performance.now();
    try { return await this.hover(doc, pos, token); } finally {
      this.times.push(performance.now() - t0);
      if (this.times.length > 1000) this.times.shift();
    }
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const version = doc.version;
    const pending = this.client.cached(doc);
    if (!pending) return undefined;
    const analysis = await pending.catch(() => undefined);
    if (!analysis || token.isCancellationRequested) return undefined;
    const hit = mentionAt(analysis, doc.offsetAt(pos));
    if (!hit) return undefined;
    const { entity, mention } = hit;
    // one query; a failed one leaves the corpus's lines out (logged), never the hover
    const asked = await this.indexer.queries.entity(entityKey(entity.type, entity.name)).then((summary) => ({ summary }), (e) => { indexUnanswered(e, 'hover', false); return undefined; });
    // a newer hover, or an edit that moved the mention: this answer is stale
    if (token.isCancellationRequested || doc.version !== version) return undefined;
    const corpus = asked?.summary;
    const md = new vscode.MarkdownString(undefined, true);
    md.supportThemeIcons = true;
    const esc = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    md.appendMarkdown(`**${esc(entity.name)}** — ${typeName(entity.type)}`);
    if (mention.text !== entity.name) md.appendMarkdown(` · ${vscode.l10n.t('here as')} «${esc(mention.text)}»`);
    md.appendMarkdown('\n\n');
    const fromDictionary = this.dictionary.of(entity.name, entity.type, entity.aliases);
    const decided = this.annotations.decisionAt(doc.uri, mention.start, mention.end);
    md.appendMarkdown(decided
      ? `$(pass) ${vscode.l10n.t('Your decision (annotations.jsonl)')}  \n`
      : fromDictionary
      ? `$(book) ${vscode.l10n.t('From the corpus dictionary (dictionary.tsv, line {0})', fromDictionary.line)}  \n`
      : mention.confidence === undefined
      ? `$(hubot) ${vscode.l10n.t('Recognised by the model')}  \n`
      : isUncertain(mention, getConfig(doc.uri).confidenceThreshold)
      ? `$(warning) ${vscode.l10n.t('Uncertain: the model\'s confidence here is {0}, below {1} (corpusLens.entities.confidenceThreshold)', mention.confidence.toFixed(2), getConfig(doc.uri).confidenceThreshold)}  \n`
      : `$(hubot) ${vscode.l10n.t('Recognised by the model, confidence {0}', mention.confidence.toFixed(2))}  \n`);
    const aliases = new Set([...entity.aliases, ...(corpus?.aliases ?? [])]);
    aliases.delete(entity.name);
    if (aliases.size) md.appendMarkdown(`${vscode.l10n.t('Also written')}: ${[...aliases].map(esc).join('、')}  \n`);
    const roles = new Set([...entity.roles, ...(corpus?.roles ?? [])]);
    if (roles.size) md.appendMarkdown(`${vscode.l10n.t('Roles')}: ${[...roles].map(esc).join('、')}  \n`);
    md.appendMarkdown(`${vscode.l10n.t('In this article')}: ${mentionCount(entity.mentions.length)}  \n`);
    if (corpus) {
      md.appendMarkdown(`${vscode.l10n.t('In the corpus')}: ${mentionsInArticles(corpus.mentions, corpus.articles)}  \n`);
      md.appendMarkdown(`${vscode.l10n.t('First seen')}: ${showDate(corpus.first)} · ${vscode.l10n.t('last seen')}: ${showDate(corpus.last)}\n\n`);
    } else if (asked) {
      md.appendMarkdown(`${vscode.l10n.t('In the corpus')}: ${vscode.l10n.t('not indexed yet')}\n\n`);
    } else {
      md.appendMarkdown('\n');
    }
    const key = entityKey(entity.type, entity.name);
    const links: { icon: string; label: string; command: CommandId; args: unknown[] }[] = [
      { icon: 'list-flat', label: vscode.l10n.t('Show all mentions'), command: 'corpusLens.showConcordance', args: [key] },
      { icon: 'graph', label: vscode.l10n.t('Timeline'), command: 'corpusLens.showTimeline', args: [key] },
      { icon: 'add', label: vscode.l10n.t('Add to dictionary'), command: 'corpusLens.addToDictionary', args: [entity.name, entity.type] },
      { icon: 'circle-slash', label: vscode.l10n.t('Not an entity'), command: 'corpusLens.markNotEntity', args: [mention.text] },
    ];
    md.appendMarkdown(links.map((l) => `[$(${l.icon}) ${l.label}](${commandUri(l.command, l.args)})`).join(' · '));
    // a link runs only if its command is trusted: trust exactly the commands linked here, nothing else
    md.isTrusted = { enabledCommands: links.map((l) => l.command) };
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(mention.start), doc.positionAt(mention.end)));
  }
}

export function registerHover(context: vscode.ExtensionContext, client: AnalysisClient, indexer: CorpusIndexer, dictionary: DictionaryEntries, annotations: AnnotationsStore): EntityHover {
  const hover = new EntityHover(client, indexer, dictionary, annotations);
  context.subscriptions.push(vscode.languages.registerHoverProvider({ language: LANGUAGE_ID }, hover));
  return hover;
}
