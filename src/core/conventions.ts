/**
 * The corpus's own conventions, detected from its indexed articles, for the user to see and to fix in
 * `.corpus-lens.json`: which form of punctuation between Chinese characters the articles write. Each article
 * counts once, by the form it writes more often (an article of 115 half-width commas and one full-width one is a
 * half-width article); articles without such punctuation, or with as many of each, do not vote.
 */
import type { DocumentAnalysis } from './analysis';

export interface PunctuationSurvey {
  /** articles written mostly half-width / mostly full-width between Chinese characters */
  halfwidth: number;
  fullwidth: number;
  /** articles with as many of each form */
  even: number;
  /** the form most articles write, when at least SHARE of the voting articles write it */
  convention?: 'halfwidth' | 'fullwidth';
}

/** the share of voting articles that makes a form the corpus's convention (below it the corpus is mixed) */
export const CONVENTION_SHARE = 0.8;

export function surveyPunctuation(analyses: Iterable<Pick<DocumentAnalysis, 'punctuation'> | undefined>): PunctuationSurvey {
  let halfwidth = 0, fullwidth = 0, even = 0;
  for (const a of analyses) {
    const p = a?.punctuation;
    if (!p || (p.half === 0 && p.full === 0)) continue;
    if (p.half > p.full) halfwidth++;
    else if (p.full > p.half) fullwidth++;
    else even++;
  }
  const voting = halfwidth + fullwidth;
  const convention = voting === 0 ? undefined
    : halfwidth >= CONVENTION_SHARE * voting ? 'halfwidth'
      : fullwidth >= CONVENTION_SHARE * voting ? 'fullwidth' : undefined;
  return { halfwidth, fullwidth, even, convention };
}
