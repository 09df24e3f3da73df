/** Shared helpers for the entity features: type names in words, and finding the mention under a position. */
import * as vscode from 'vscode';
import type { DocumentAnalysis, DocumentEntity, LocatedMention } from '../core/analysis';
import type { EntityType } from '../core/ner/types';
import type { CommandId } from './commands';

export function typeName(t: EntityType): string {
  switch (t) {
    case 'PER': return vscode.l10n.t('Person');
    case 'LOC': return vscode.l10n.t('Place');
    default: return vscode.l10n.t('Organisation');
  }
}

/** The type as a word inside a sentence ("a person"), translated. */
export function typeWord(t: EntityType): string {
  switch (t) {
    case 'PER': return vscode.l10n.t('person');
    case 'LOC': return vscode.l10n.t('place');
    default: return vscode.l10n.t('organisation');
  }
}

export function typeNamePlural(t: EntityType): string {
  switch (t) {
    case 'PER': return vscode.l10n.t('Persons');
    case 'LOC': return vscode.l10n.t('Places');
    default: return vscode.l10n.t('Organisations');
  }
}

export const TYPE_ICON: Record<EntityType, string> = { PER: 'person', LOC: 'location', ORG: 'organization' };

export function mentionAt(a: DocumentAnalysis, offset: number): { entity: DocumentEntity; mention: LocatedMention } | undefined {
  for (const entity of a.entities) {
    for (const mention of entity.mentions) if (offset >= mention.start && offset < mention.end) return { entity, mention };
  }
  return undefined;
}

/** Formats an ISO date-time of a dateline back as the corpus writes it (DD.MM.YYYY). */
export function showDate(iso: string | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** A `command:` link (markdown) that runs one of the table's commands with these JSON arguments. */
export function commandUri(command: CommandId, args: unknown[]): vscode.Uri {
  return vscode.Uri.parse(`command:${command}?${encodeURIComponent(JSON.stringify(args))}`);
}

/** "1 mention" / "N mentions" (and the same with articles), translated. */
export function mentionCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 mention') : vscode.l10n.t('{0} mentions', n);
}

export function mentionsInArticles(mentions: number, articles: number): string {
  if (articles === 1) return mentions === 1 ? vscode.l10n.t('1 mention in 1 article') : vscode.l10n.t('{0} mentions in 1 article', mentions);
  return vscode.l10n.t('{0} mentions in {1} articles', mentions, articles);
}
