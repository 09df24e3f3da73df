/**
 * What training reads from the data folder, as one function over the folder and a reader (a test passes a
 * reader that records every file it is asked for). The evaluation sets are never read here: msra.test.bio and
 * cluener.dev.jsonl are evaluation only, and of pd-msra.dev.bio the fifth with index % 5 === 4 is held out
 * (and, with `validate`, the fifth with index % 5 === 3 and the cluener.train.jsonl validation split as well).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gazetteer } from '../src/core/ner/gazetteer';
import { GoldSentence, readAnnotated } from '../src/core/ner/eval';
import { isCluenerValidation, isHeldOut, isPdValidation } from '../src/core/ner/benchmark';

export { EVALUATION_ONLY } from '../src/core/ner/benchmark';

export interface TrainingSet {
  name: string;
  /** 0 msra (the target convention), 1 pku, 2 cluener */
  domain: number;
  /** how many times each sentence is used per epoch (a fraction: in that share of the epochs) */
  weight: number;
  /** whether its spans go into the entity lexicon */
  lexicon: boolean;
  sents: GoldSentence[];
  /** the file it was read from (for the scene spans of --latent) */
  file: string;
}

export interface TrainingOptions {
  validate: boolean;
  msraWeight: number;
  sampleWeight: number;
  pkuWeight: number;
  cluenerWeight: number;
  useCluener: boolean;
  /**
   * CLUENER spans of these types also go into the lexicon: CLUENER's own types (name, address, organization,
   * government, company), each under the type it maps to; by default its organisation, government and company
   * names (brands and firms 1998 text lacks): over two shuffling seeds they gained 1.8 points on the CLUENER
   * validation split over company names alone, for 0.4 on pd-msra.dev.bio's (less than one seed's spread)
   */
  cluenerLexiconTypes: readonly string[];
}

export const DEFAULT_TRAINING: TrainingOptions = {
  validate: false, msraWeight: 3, sampleWeight: 3, pkuWeight: 1, cluenerWeight: 0.5, useCluener: true, cluenerLexiconTypes: ['organization', 'government', 'company'],
};

/**
 * PKU 1998 tags "中国政府" / "法国政府" as one nt; the MSRA-style sets tag the place (中国/LOC) and
 * leave 政府 out. Rewrite those PKU spans so the two sets do not contradict each other.
 */
export function toMsraConventions(s: GoldSentence): GoldSentence {
  const g = gazetteer();
  const spans = s.spans.map((sp) => {
    if (sp.type !== 'ORG') return sp;
    const t = s.text.slice(sp.start, sp.end);
    if (!t.endsWith('政府') || t.endsWith('人民政府') || t.length < 3) return sp;
    const place = t.slice(0, -2);
    const placeLike = g.divisionNames.has(place) || g.fullForms.has(place) || /[省市县区国州]$/.test(place);
    return placeLike ? { start: sp.start, end: sp.end - 2, type: 'LOC' as const } : sp;
  });
  return { text: s.text, spans };
}

/**
 * The training sets found in dataDir, in training order. `read` reads one annotated file (readAnnotated by
 * default); `exists` tells whether an optional file is there.
 */
export function trainingSets(dataDir: string, opts: TrainingOptions, read: (file: string, keepTypes?: readonly string[]) => GoldSentence[] = readAnnotated,
  exists: (file: string) => boolean = existsSync): TrainingSet[] {
  const file = (f: string) => join(dataDir, f);
  const pd = read(file('pd-msra.dev.bio'));
  const sets: TrainingSet[] = [{
    name: `pd-msra.dev.bio (${opts.validate ? '3' : '4'} of every 5 sentences)`, domain: 0, weight: opts.msraWeight, lexicon: true,
    sents: pd.filter((_, i) => !isHeldOut(i) && !(opts.validate && isPdValidation(i))), file: file('pd-msra.dev.bio'),
  }];
  if (exists(file('msra.train-sample.bio'))) {
    sets.push({ name: 'msra.train-sample.bio', domain: 0, weight: opts.sampleWeight, lexicon: true, sents: read(file('msra.train-sample.bio')), file: file('msra.train-sample.bio') });
  }
  for (const f of ['pku1998.train.bmes', 'pku1998.dev.bmes']) {
    if (exists(file(f))) sets.push({ name: f, domain: 1, weight: opts.pkuWeight, lexicon: true, sents: read(file(f)).map(toMsraConventions), file: file(f) });
  }
  if (opts.useCluener && exists(file('cluener.train.jsonl'))) {
    const all = read(file('cluener.train.jsonl'), opts.cluenerLexiconTypes);
    sets.push({
      name: opts.validate ? 'cluener.train.jsonl (9 of every 10 sentences)' : 'cluener.train.jsonl', domain: 2, weight: opts.cluenerWeight, lexicon: false,
      sents: opts.validate ? all.filter((_, i) => !isCluenerValidation(i)) : all, file: file('cluener.train.jsonl'),
    });
  }
  return sets;
}

/** Whether a set's spans go into the entity lexicon (CLUENER's only with cluenerLexiconTypes). */
export const inLexicon = (s: TrainingSet, opts: Pick<TrainingOptions, 'cluenerLexiconTypes'>) => s.lexicon || (s.domain === 2 && opts.cluenerLexiconTypes.length > 0);

/** The lexicon's sentences, in training order (the jack-knife folds count them): CLUENER's only with the spans of the types asked for. */
export function lexiconSentences(sets: TrainingSet[], opts: Pick<TrainingOptions, 'cluenerLexiconTypes'>): GoldSentence[] {
  return sets.filter((s) => inLexicon(s, opts)).flatMap((s) => s.lexicon ? s.sents
    : s.sents.map((x) => ({ text: x.text, spans: x.spans.filter((sp) => sp.source !== undefined && opts.cluenerLexiconTypes.includes(sp.source)) })));
}
