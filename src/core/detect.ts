import { DATELINE_SEARCH_LINES } from './article';
import { parseDatelineLoose } from './dateline';

/** True when a text looks like a corpus article: a dateline-shaped line among its first lines, after a title. */
export function looksLikeArticle(head: string): boolean {
  const lines = head.replace(/^\ufeff/, '').split(/\r\n|\r|\n/).slice(0, DATELINE_SEARCH_LINES);
  return lines.some((l, i) => i > 0 && parseDatelineLoose(l) !== undefined);
}
