/**
 * The user's decisions and reviewed articles (.corpus-lens/annotations.jsonl) as the commands read them: extract
 * applies the decisions, train and eval --from take the reviewed articles' gold mentions.
 */
import * as path from 'node:path';
import { analyseArticles, BATCH } from '../core/analysis';
import { annotationPath, ANNOTATIONS_FILE, type AnnotationError, type Annotations, applyDecisions, type MentionDecision, mentionSpans, parseAnnotations } from '../core/annotations';
import { readDictionaryFile } from '../core/dictionaryFiles';
import { collectFiles, readCorpusFile } from '../core/files';
import type { GoldSpan } from '../core/ner/eval';
import type { Recogniser } from '../core/ner/recogniser';
import { printable, printPath } from './io';

export interface Review { annotations: Annotations; errors: AnnotationError[]; file?: string; key: (file: string) => string }

/** annotations.jsonl of the dictionary folder (none without one), and the key of an article in it. */
export function readAnnotations(dictDir: string | undefined): Review {
  const base = dictDir ? path.dirname(dictDir) : process.cwd();
  // (an article outside that folder gets no key any line of the file has)
  const key = (file: string) => annotationPath(base, path.resolve(file)) ?? '';
  const file = dictDir ? path.join(dictDir, ANNOTATIONS_FILE) : undefined;
  const text = file ? readDictionaryFile(file) : undefined;
  if (text === undefined) return { annotations: { decisions: new Map(), reviewed: new Set() }, errors: [], key };
  return { ...parseAnnotations(text), file, key };
}

/** What train and eval --from say of a decision that cannot be placed in its article. */
export const unplaced = (file: string, d: MentionDecision): string =>
  `${printPath(file)}: the decision ${printable(JSON.stringify(d.text))} ${d.type} at ${d.start}-${d.end} cannot be placed in the article as it is now; it is left out of the gold`;

export interface ReviewedArticle {
  file: string;
  /** the article's key in annotations.jsonl (its path from the folder that holds .corpus-lens) */
  path: string;
  text: string;
  /** the recogniser's mentions */
  found: GoldSpan[];
  /** the recogniser's mentions with the user's decisions applied: every one of them is gold (the article is reviewed) */
  gold: GoldSpan[];
}

/**
 * The articles under `paths` that annotations.jsonl marks reviewed, analysed by `recogniser` (a few dozen at a time,
 * as extract does), with their gold. Files that cannot be read and decisions that cannot be placed are reported
 * through the callbacks (the decision stays out of the gold, as extract leaves it out of its output).
 */
export function reviewedArticles(paths: string[], review: Review, recogniser: Recogniser, opts: {
  maxBytes: number; onSkipped: (message: string) => void; onUnplaced: (file: string, d: MentionDecision) => void;
}): ReviewedArticle[] {
  const walk = collectFiles(paths);
  for (const s of walk.skipped) opts.onSkipped(s.message);
  const files = walk.files.filter((f) => review.annotations.reviewed.has(review.key(f)));
  const out: ReviewedArticle[] = [];
  for (let from = 0; from < files.length; from += BATCH.articles) {
    const read: { path: string; text: string }[] = [];
    for (const file of files.slice(from, from + BATCH.articles)) {
      const r = readCorpusFile(file, opts.maxBytes);
      if (r.ok) read.push({ path: file, text: r.text }); else opts.onSkipped(r.message);
    }
    analyseArticles(read, recogniser).forEach((analysis, i) => {
      const { path: file, text } = read[i];
      const decisions = review.annotations.decisions.get(review.key(file)) ?? [];
      const applied = applyDecisions(analysis, text, decisions);
      for (const d of applied.unplaced) opts.onUnplaced(file, d);
      out.push({ file, path: review.key(file), text, found: mentionSpans(analysis), gold: mentionSpans(applied.analysis) });
    });
  }
  return out;
}
