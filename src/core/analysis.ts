/**
 * One article's analysis: header fields and the entities with every mention located by offset and by
 * line/character (UTF-16, as VS Code counts). The shape `corpus-lens extract` prints and the index stores.
 */
import { parseArticle } from './article';
import { datelineValue } from './dateline';
import type { Entity, EntityType } from './ner/types';
import type { Recogniser } from './ner/recogniser';
import { LineIndex } from './text';

export interface LocatedMention { start: number; end: number; text: string; line: number; character: number }
export interface DocumentEntity { name: string; type: EntityType; aliases: string[]; roles: string[]; mentions: LocatedMention[] }
export interface DocumentAnalysis {
  path: string;
  title: string | null;
  /** the dateline as written (null when the article has none) */
  dateline: string | null;
  /** ISO date-time of a well-formed dateline, for sorting, timelines and the index */
  date: string | null;
  entities: DocumentEntity[];
}

export function locateEntities(text: string, entities: Entity[], lines = new LineIndex(text)): DocumentEntity[] {
  return entities.map((e) => ({
    name: e.name, type: e.type, aliases: e.aliases, roles: e.roles,
    mentions: e.mentions.map((m) => {
      const p = lines.positionAt(m.start);
      return { start: m.start, end: m.end, text: m.text, line: p.line, character: p.character };
    }),
  }));
}

export function analyseArticle(path: string, text: string, recogniser: Recogniser): DocumentAnalysis {
  const article = parseArticle(text);
  const dl = article.dateline?.text.trim() ?? null;
  return {
    path,
    title: article.title?.text.trim() ?? null,
    dateline: dl,
    date: dl ? datelineValue(dl)?.iso ?? null : null,
    entities: locateEntities(text, recogniser.analyse(text), article.lines),
  };
}
