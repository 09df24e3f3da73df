/**
 * corpus-lens eval DIR | --benchmark [DIR] [--validation] [--model FILE] [--json]
 * The benchmark over the annotated data folder (default ../shared/data/ner): msra.test.bio, the held-out fifth of
 * pd-msra.dev.bio and cluener.dev.jsonl in one run, each with the jieba baseline and unseen-name recall beside
 * it (--validation: the validation splits instead, which choose configurations).
 *
 * corpus-lens eval FILE [--baseline jieba] [--backend nodejieba|@node-rs/jieba|jieba-wasm] [--model FILE] [--without RULE[,RULE…]]
 * [--rules-effect] [--json]
 * Scores the recogniser on an annotated file (BIO, BMES or CLUENER jsonl): per type P/R/F1 and micro,
 * exact span and type; the precision per confidence band (calibration) and the recall of names the model's
 * lexicon does not hold, per type. --without switches post-rules off; --rules-effect scores the file once more per
 * post-rule that is on, with that rule off, and prints what each one adds.
 */
import { existsSync, statSync } from 'node:fs';
import { benchmarkSets, formatBenchmark, runBenchmark, validationSets } from '../../core/ner/benchmark';
import { EvalResult, evaluateSentences, formatRulesEffect, formatScores, formatUnseen, readAnnotated, rulesEffect } from '../../core/ner/eval';
import { formatBands } from '../../core/ner/confidence';
import { loadModel } from '../../core/ner/model';
import { POST_RULE_NAMES, PostRuleName } from '../../core/ner/postRules';
import { buildRecogniser, Io } from './tag';
import { output, printable } from '../io';
import { jsonText } from '../../core/export/writers';

const USAGE = 'usage: corpus-lens eval FILE [--baseline jieba] [--backend nodejieba|@node-rs/jieba|jieba-wasm] [--model FILE] [--without RULE[,RULE…]] [--rules-effect] [--json]\n' +
  '       corpus-lens eval DIR | --benchmark [DIR=../shared/data/ner] [--validation] [--model FILE] [--json]   (the benchmark sets in DIR)\n' +
  '       corpus-lens eval --from PATH [--model FILE] [--json]   (your reviewed articles: corpus-lens eval --from PATH --help)\n' +
  `post-rules: ${POST_RULE_NAMES.join(', ')}\n`;

export async function run(args: string[], io: Io): Promise<number> {
  if (args.some((a) => a === '--from' || a.startsWith('--from='))) return (await import('./evalReviewed')).run(args, io);
  const VALUED = new Set(['--baseline', '--backend', '--model', '--dict', '--stop', '--without']);
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) { if (VALUED.has(args[i])) { i++; continue; } if (!args[i].startsWith('--')) files.push(args[i]); }
  const out = output(io.stdout);
  if (!args.includes('--help') && (args.includes('--benchmark') || files.length === 1 && existsSync(files[0]) && statSync(files[0]).isDirectory())) {
    return benchmark(files[0] ?? '../shared/data/ner', args, io);
  }
  if (args.includes('--help') || !files.length) {
    (files.length ? out : io.stderr).write(USAGE);
    return files.length ? 0 : 2;
  }
  const without: PostRuleName[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i] === '--without' ? args[i + 1] ?? '' : args[i].startsWith('--without=') ? args[i].slice('--without='.length) : undefined;
    if (value === undefined) continue;
    for (const name of value.split(',')) {
      if (!(POST_RULE_NAMES as readonly string[]).includes(name)) {
        io.stderr.write(`corpus-lens eval: unknown post-rule "${printable(name)}" (${POST_RULE_NAMES.join(', ')})\n`);
        return 2;
      }
      without.push(name as PostRuleName);
    }
  }
  const bi = args.indexOf('--baseline');
  const baseline = bi >= 0 ? args[bi + 1] : undefined;
  if (baseline !== undefined && baseline !== 'jieba') { io.stderr.write(`corpus-lens eval: unknown baseline "${printable(String(baseline))}" (only "jieba")\n`); return 2; }
  if (!existsSync(files[0])) { io.stderr.write(`corpus-lens eval: ${printable(files[0])}: no such file\n`); return 2; }
  let recogniser;
  try { recogniser = buildRecogniser(args, io); } catch (e) { io.stderr.write(`corpus-lens eval: ${printable((e as Error).message)}\n`); return 2; }
  if (without.length) recogniser = recogniser.withoutRules(without);
  let res: EvalResult;
  try {
    const sentences = readAnnotated(files[0]);
    const mi = args.indexOf('--model');
    const lexicon = loadModel(mi >= 0 ? args[mi + 1] : undefined).lexicon?.entries;
    res = { file: files[0], ...evaluateSentences(sentences, recogniser, { baseline: baseline as 'jieba' | undefined, segmenter: recogniser.segmenter, lexicon }) };
    if (without.length) res.without = without;
    if (args.includes('--rules-effect')) res.rulesEffect = rulesEffect(sentences, recogniser, res.model, POST_RULE_NAMES.filter((r) => !without.includes(r)));
  } catch (e) { io.stderr.write(`corpus-lens eval: ${printable((e as Error).message)}\n`); return 1; }
  if (args.includes('--json')) { out.write(jsonText(JSON.stringify(res, null, 2)) + '\n'); return 0; }
  out.write(`${printable(res.file)}: ${res.sentences} sentences, ${res.chars} chars, gold PER ${res.gold.PER} LOC ${res.gold.LOC} ORG ${res.gold.ORG}\n`);
  out.write(formatScores(without.length ? `model without ${without.join(', ')}` : 'model', res.model) + '\n');
  if (res.baseline) out.write(formatScores('jieba baseline (nr→PER, ns→LOC, nt→ORG)', res.baseline) + '\n');
  out.write(formatBands('precision per confidence band (exact span and type)', res.calibration) + '\n');
  if (res.unseen) out.write(formatUnseen('recall of names not in the model\'s lexicon (never seen in training)', res.unseen) + '\n');
  if (res.rulesEffect) out.write(formatRulesEffect(res.rulesEffect) + '\n');
  out.write(`tagging speed: ${Math.round(res.charsPerSecond)} chars/s\n`);
  return 0;
}

/** The benchmark sets of the data folder dir (or its validation splits), scored in one run. */
function benchmark(dir: string, args: string[], io: Io): number {
  const out = output(io.stdout);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr.write(`corpus-lens eval: the annotated data folder ${printable(dir)} is missing (msra.test.bio, pd-msra.dev.bio, cluener.dev.jsonl)\n`);
    return 2;
  }
  const sets = args.includes('--validation') ? validationSets(dir) : benchmarkSets(dir);
  if (!sets.length) { io.stderr.write(`corpus-lens eval: ${printable(dir)} holds none of msra.test.bio, pd-msra.dev.bio, cluener.dev.jsonl\n`); return 2; }
  let recogniser;
  try { recogniser = buildRecogniser(args, io); } catch (e) { io.stderr.write(`corpus-lens eval: ${printable((e as Error).message)}\n`); return 2; }
  const mi = args.indexOf('--model');
  const results = runBenchmark(sets, recogniser, recogniser.segmenter, loadModel(mi >= 0 ? args[mi + 1] : undefined).lexicon?.entries);
  if (args.includes('--json')) { out.write(jsonText(JSON.stringify(results, null, 2)) + '\n'); return 0; }
  out.write(formatBenchmark(results) + '\n');
  return 0;
}
