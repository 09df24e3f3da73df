/**
 * The recogniser's benchmark over the annotated data folder (../shared/data/ner): which sentences are evaluation
 * sets, held out, or validation splits, and the scores on each with the jieba baseline beside them. Training
 * (scripts/train.ts) reads the same split rules, so a sentence held out here is never trained on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EvalResult, evaluateSentences, formatScores, formatUnseen, GoldSentence, readAnnotated } from './eval';
import { formatBands } from './confidence';
import type { Recogniser } from './recogniser';
import type { Segmenter } from '../segment/segmenter';

/** pd-msra.dev.bio sentences held out for evaluation (0-based index): never trained on. */
export const isHeldOut = (i: number) => i % 5 === 4;
/** pd-msra.dev.bio sentences a --validate run keeps out of training: configurations are chosen on them. */
export const isPdValidation = (i: number) => i % 5 === 3;
/** cluener.train.jsonl sentences a --validate run keeps out of training: the 2010s side of validation. */
export const isCluenerValidation = (i: number) => i % 10 === 9;

export const HELD_OUT = 'pd-msra.dev.bio held-out fifth (index % 5 === 4)';
export const PD_VALIDATION = 'pd-msra.dev.bio index % 5 === 3';
export const CLUENER_VALIDATION = 'cluener.train.jsonl index % 10 === 9';

/** The files only ever evaluated on: training never opens them. */
export const EVALUATION_ONLY = ['msra.test.bio', 'cluener.dev.jsonl'] as const;

export interface NamedSet { name: string; sentences: GoldSentence[] }

/** The evaluation sets found in dataDir: msra.test.bio, the held-out fifth of pd-msra.dev.bio, cluener.dev.jsonl. */
export function benchmarkSets(dataDir: string, read: (file: string) => GoldSentence[] = readAnnotated): NamedSet[] {
  const out: NamedSet[] = [];
  const f = (name: string) => join(dataDir, name);
  if (existsSync(f('msra.test.bio'))) out.push({ name: 'msra.test.bio', sentences: read(f('msra.test.bio')) });
  if (existsSync(f('pd-msra.dev.bio'))) out.push({ name: HELD_OUT, sentences: read(f('pd-msra.dev.bio')).filter((_, i) => isHeldOut(i)) });
  if (existsSync(f('cluener.dev.jsonl'))) out.push({ name: 'cluener.dev.jsonl', sentences: read(f('cluener.dev.jsonl')) });
  return out;
}

/** The validation splits found in dataDir (what a --validate model never trained on). */
export function validationSets(dataDir: string, read: (file: string) => GoldSentence[] = readAnnotated): NamedSet[] {
  const out: NamedSet[] = [];
  const f = (name: string) => join(dataDir, name);
  if (existsSync(f('pd-msra.dev.bio'))) out.push({ name: PD_VALIDATION, sentences: read(f('pd-msra.dev.bio')).filter((_, i) => isPdValidation(i)) });
  if (existsSync(f('cluener.train.jsonl'))) out.push({ name: CLUENER_VALIDATION, sentences: read(f('cluener.train.jsonl')).filter((_, i) => isCluenerValidation(i)) });
  return out;
}

export type BenchmarkResult = Omit<EvalResult, 'file'> & { set: string };

/** Each set scored by the recogniser, with the jieba baseline and (given the model's lexicon) unseen-name recall. */
export function runBenchmark(sets: NamedSet[], recogniser: Recogniser, segmenter: Segmenter, lexicon?: readonly string[][]): BenchmarkResult[] {
  return sets.map((s) => ({ set: s.name, ...evaluateSentences(s.sentences, recogniser, { baseline: 'jieba', segmenter, lexicon }) }));
}

const f1 = (x: number) => (x * 100).toFixed(2);

/** The results as text: one summary table of micro F1 (model, jieba), then each set's full tables. */
export function formatBenchmark(results: BenchmarkResult[]): string {
  const width = Math.max(3, ...results.map((r) => r.set.length));
  const lines = ['micro F1, exact span and type', `  ${'set'.padEnd(width)}  sentences   model  (PER / LOC / ORG)        jieba   unseen recall PER / LOC / ORG`];
  for (const r of results) {
    const u = r.unseen;
    lines.push(`  ${r.set.padEnd(width)}  ${String(r.sentences).padStart(9)}  ${f1(r.model.micro.f1).padStart(6)}  (${f1(r.model.PER.f1)} / ${f1(r.model.LOC.f1)} / ${f1(r.model.ORG.f1)})  ${f1(r.baseline!.micro.f1).padStart(6)}` +
      (u ? `   ${f1(u.PER.recall)} / ${f1(u.LOC.recall)} / ${f1(u.ORG.recall)}` : ''));
    if (r.modelIgnoringUnmapped) {
      lines.push(`  ${''.padEnd(width)}  ${''.padStart(9)}  ${f1(r.modelIgnoringUnmapped.micro.f1).padStart(6)}  with predictions on an unmapped type's span ignored (jieba ${f1(r.baselineIgnoringUnmapped!.micro.f1)})`);
    }
  }
  for (const r of results) {
    lines.push('', `${r.set}: ${r.sentences} sentences, ${r.chars} chars, gold PER ${r.gold.PER} LOC ${r.gold.LOC} ORG ${r.gold.ORG}`);
    lines.push(formatScores('model', r.model), formatScores('jieba baseline (nr→PER, ns→LOC, nt→ORG)', r.baseline!));
    if (r.modelIgnoringUnmapped) lines.push(formatScores('model, a prediction exactly on a span of an unmapped type (scene, book, game, movie, position) ignored', r.modelIgnoringUnmapped));
    lines.push(formatBands('precision per confidence band', r.calibration));
    if (r.unseen) lines.push(formatUnseen('recall of names not in the model\'s lexicon', r.unseen));
  }
  return lines.join('\n');
}
