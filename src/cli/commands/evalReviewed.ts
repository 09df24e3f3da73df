/**
 * corpus-lens eval --from PATH [--model FILE] [--segmenter nodejieba|@node-rs/jieba|jieba-wasm] [--dictionary DIR] [--json]
 * The model's scores on the user's own reviewed articles (gold: its mentions with the user's decisions applied).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBackend } from '../backend';
import { parseArgs } from 'node:util';
import { createEngine, findDictionaryDir, readDictionarySource } from '../../core/engine';
import { jsonText } from '../../core/export/writers';
import { DEFAULT_MAX_BYTES } from '../../core/files';
import { formatScores, score } from '../../core/ner/eval';
import { defaultModelPath, deserialiseModel } from '../../core/ner/model';
import { ENTITY_TYPES, type EntityType } from '../../core/ner/types';
import { CliIO, displayPath, EXIT, output, printable, printPath, UsageError } from '../io';
import { count } from '../plural';
import { readAnnotations, reviewedArticles, unplaced } from '../reviewed';

export const HELP = `Usage: corpus-lens eval --from PATH [--model FILE] [--segmenter nodejieba|@node-rs/jieba|jieba-wasm] [--dictionary DIR] [--json]

Scores the model on your own reviewed articles: the articles under PATH marked reviewed in annotations.jsonl (of
the nearest .corpus-lens folder above PATH). Precision, recall and F1 per type and micro, exact span and type.
The gold of a reviewed article is the model's own mentions with your decisions applied (a mention you left
alone is one you accepted). So a mention the model finds and you did not change counts as right: the scores
measure how much you had to correct, your estimate of how far to trust the model on the articles you have not
reviewed. They are not a comparison with an independent gold standard; for the held-out scores of an adapted
model against a fixed gold, see corpus-lens train.
  --model FILE  the model to score (default the shipped models/ner.model; corpus-lens train writes one)
  --dictionary  the folder with annotations.jsonl, dictionary.tsv and not-entities.txt (default: the nearest
                .corpus-lens/); the dictionary applies as in extract
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      from: { type: 'string' }, model: { type: 'string' }, segmenter: { type: 'string' },
      dictionary: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
    },
  });
  const out = output(io.stdout);
  if (values.help) { out.write(HELP); return EXIT.ok; }
  if (positionals.length) throw new UsageError(`unexpected "${printable(positionals[0])}" with --from (an annotated file is scored without --from)`);
  if (!values.from || !fs.existsSync(values.from)) throw new UsageError(`--from: no such file or folder "${printable(values.from ?? '')}"`);
  const backend = parseBackend('--segmenter', values.segmenter);
  const modelPath = values.model ?? defaultModelPath();
  if (!fs.existsSync(modelPath)) throw new UsageError(`--model: no file "${printable(modelPath)}"`);
  const dictDir = values.dictionary ? path.resolve(values.dictionary) : findDictionaryDir(values.from);
  if (!dictDir || !fs.existsSync(dictDir)) throw new UsageError(values.dictionary ? `--dictionary: no folder "${printable(values.dictionary)}"` : `no .corpus-lens folder at or above "${printable(values.from)}": no articles are marked reviewed`);

  const review = readAnnotations(dictDir);
  for (const e of review.errors) io.stderr.write(`corpus-lens eval: ${printPath(review.file!)}:${e.line}: ${printable(e.message)} (line skipped)\n`);
  let model;
  try { model = deserialiseModel(fs.readFileSync(modelPath)); } catch (e) { throw new UsageError(`--model: ${printPath(modelPath)}: ${printable((e as Error).message)}`); }
  const engine = createEngine({ backend, model, dictionary: readDictionarySource(dictDir) });
  if (engine.fallbackReason) io.stderr.write(`corpus-lens eval: ${printable(engine.fallbackReason)}\n`);
  for (const e of engine.dictionaryErrors) io.stderr.write(`corpus-lens eval: ${printPath(e.file)}:${e.line}: ${printable(e.message)} (line skipped)\n`);
  const articles = reviewedArticles([values.from], review, engine.recogniser, {
    maxBytes: DEFAULT_MAX_BYTES,
    onSkipped: (m) => io.stderr.write(`corpus-lens eval: ${printable(m)}\n`),
    onUnplaced: (file, d) => io.stderr.write(`corpus-lens eval: ${unplaced(file, d)}\n`),
  });
  if (articles.length === 0) throw new UsageError(`none of the articles under "${printable(values.from)}" is marked reviewed in ${printPath(review.file ?? path.join(dictDir, 'annotations.jsonl'))}`);

  const scores = score(articles.map((a) => a.gold), articles.map((a) => a.found));
  const gold = Object.fromEntries(ENTITY_TYPES.map((t) => [t, 0])) as Record<EntityType, number>;
  for (const a of articles) for (const s of a.gold) gold[s.type]++;
  const shown = displayPath(modelPath);
  if (values.json) {
    out.write(jsonText(JSON.stringify({ from: displayPath(values.from), model: shown, articles: articles.length, gold, scores }, null, 2)) + '\n');
    return EXIT.ok;
  }
  out.write(`${count(articles.length, 'reviewed article')} under ${printPath(values.from)}, gold PER ${gold.PER} LOC ${gold.LOC} ORG ${gold.ORG} (the model's mentions with your decisions applied)\n`);
  out.write(formatScores(`${printable(shown)} on your reviewed articles`, scores) + '\n');
  return EXIT.ok;
}
