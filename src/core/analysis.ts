/**
 * One article's analysis: header fields and the entities with every mention located by offset and by
 * line/character (UTF-16, as VS Code counts). The shape `corpus-lens extract` prints and the index stores.
 */
import { parseArticle } from './article';
import { datelineValue } from './dateline';
import type { Entity, EntityType } from './ner/types';
import type { Recogniser } from './ner/recogniser';
import { punctuationForms } from './rules';
import { LineIndex } from './text';
import { roundConfidence } from './mentionConfidence';
export { entityConfidence } from './mentionConfidence';

/** `confidence` in [0, 1], 3 decimals (core/ner/confidence.ts); absent in analyses made before confidences existed: certain. */
export interface LocatedMention { start: number; end: number; text: string; line: number; character: number; confidence?: number }
export interface DocumentEntity { name: string; type: EntityType; aliases: string[]; roles: string[]; mentions: LocatedMention[] }
export interface DocumentAnalysis {
  path: string;
  title: string | null;
  /** the dateline as written (null when the article has none) */
  dateline: string | null;
  /** ISO date-time of a well-formed dateline, for sorting, timelines and the index */
  date: string | null;
  entities: DocumentEntity[];
  /** where the dateline as written begins (UTF-16), for findings about it in articles that are not open */
  datelineAt?: { line: number; character: number };
  /** the user's decisions for this article (annotations.jsonl) that could not be placed in its text as it is now */
  unplacedDecisions?: import('./annotations').MentionDecision[];
  /** marks of punctuation between Chinese characters in each form (the corpus's convention is detected from them) */
  punctuation?: { half: number; full: number };
}

export function locateEntities(text: string, entities: Entity[], lines = new LineIndex(text)): DocumentEntity[] {
  return entities.map((e) => ({
    name: e.name, type: e.type, aliases: e.aliases, roles: e.roles,
    mentions: e.mentions.map((m) => {
      const p = lines.positionAt(m.start);
      const located: LocatedMention = { start: m.start, end: m.end, text: m.text, line: p.line, character: p.character };
      if (m.confidence !== undefined) located.confidence = roundConfidence(m.confidence);
      return located;
    }),
  }));
}

export function analyseArticle(path: string, text: string, recogniser: Recogniser): DocumentAnalysis {
  return describe(path, text, recogniser.analyse(text));
}

/**
 * How many articles to analyse together (analyseArticles), and up to how many characters in all. One segmenter
 * call for a few dozen articles keeps jieba's dictionary in the processor's cache while it cuts them, then the
 * tagger's weights while it tags them. 1,000 bench articles (3.3 MB), median of six passes each, alternating:
 * one at a time 1,712 ms, 8 at a time 1,693, 16: 1,615, 32: 1,574, 64: 1,727, 128: 1,796.
 */
export const BATCH = { articles: 32, chars: 65536 };
/** The batches of the extension's indexing, where a request for an open article waits for the batch in hand. */
export const INDEX_BATCH = { articles: 8, chars: 16384 };

/** analyseArticle of each article (the same results), the recogniser segmenting them together where it can. */
export function analyseArticles(articles: { path: string; text: string }[], recogniser: Recogniser): DocumentAnalysis[] {
  if (articles.length === 0) return []; // (a batch of unchanged or unreadable files)
  const texts = articles.map((a) => a.text);
  const entities = recogniser.analyseMany ? recogniser.analyseMany(texts) : texts.map((t) => recogniser.analyse(t));
  return articles.map((a, i) => describe(a.path, a.text, entities[i]));
}

/** Whether a batch of `count` articles holding `chars` characters in all is full: take no more into it. */
export function batchFull(count: number, chars: number, limits = BATCH): boolean {
  return count >= limits.articles || chars >= limits.chars;
}

/** The next batch: items from `take` (undefined when there are no more) until it is full (batchFull, `chars` of each). */
export function fillBatch<T>(take: () => T | undefined, chars: (item: T) => number, limits = BATCH): T[] {
  const out: T[] = [];
  for (let total = 0; !batchFull(out.length, total, limits);) {
    const item = take();
    if (item === undefined) break;
    out.push(item);
    total += chars(item);
  }
  return out;
}

function describe(path: string, text: string, entities: Entity[]): DocumentAnalysis {
  const article = parseArticle(text);
  const dl = article.dateline?.text.trim() ?? null;
  const raw = article.dateline?.text ?? '';
  const datelineAt = article.dateline && dl ? article.lines.positionAt(article.dateline.start + raw.length - raw.trimStart().length) : undefined;
  return {
    path,
    title: article.title?.text.trim() ?? null,
    dateline: dl,
    date: dl ? datelineValue(dl)?.iso ?? null : null,
    entities: locateEntities(text, entities, article.lines),
    ...(datelineAt && { datelineAt: { line: datelineAt.line, character: datelineAt.character } }),
    punctuation: punctuationForms(text),
  };
}
