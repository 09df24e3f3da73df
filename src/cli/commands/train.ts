/**
 * corpus-lens train --from PATH [--out FILE] [--force] [--epochs N] [--model FILE] [--segmenter nodejieba|@node-rs/jieba|jieba-wasm]
 *   [--dictionary DIR] [--json]
 * Adapts the model to the reviewed articles under PATH (core/ner/adapt.ts) and writes the adapted model file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBackend } from '../backend';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../core/atomic';
import { createEngine, findDictionaryDir, readDictionarySource } from '../../core/engine';
import { DEFAULT_MAX_BYTES } from '../../core/files';
import { adaptModel, type AdaptRecord, DEFAULT_EPOCHS, HELD_OUT_EVERY } from '../../core/ner/adapt';
import { ENTITY_TYPES } from '../../core/ner/types';
import type { PRF } from '../../core/ner/eval';
import { defaultModelPath, deserialiseModel } from '../../core/ner/model';
import { jsonText } from '../../core/export/writers';
import { CliIO, EXIT, output, printable, printPath, UsageError } from '../io';
import { count } from '../plural';
import { readAnnotations, reviewedArticles, unplaced } from '../reviewed';

/** The adapted model's file name, beside annotations.jsonl in the .corpus-lens folder. */
export const ADAPTED_MODEL_FILE = 'model.ner';

const HELP = `Usage: corpus-lens train --from PATH [--out FILE] [--force] [--epochs N] [--model FILE]
                            [--segmenter nodejieba|@node-rs/jieba|jieba-wasm] [--dictionary DIR] [--json]

Teaches the recogniser your corpus: continues training its model (an averaged perceptron) from the shipped
weights on the articles under PATH that you marked reviewed in annotations.jsonl (of the nearest .corpus-lens
folder above PATH, as extract finds it). An article's gold is what the recogniser finds in it with your
decisions applied: a mention you left alone in a reviewed article counts as right. Nothing else is needed.
Every ${HELD_OUT_EVERY}th reviewed article by path (the ${HELD_OUT_EVERY}th, ${HELD_OUT_EVERY * 2}th, …) is held out of training and scored with the model
before and after; the record (articles, mentions, epochs, those scores) is printed and kept in the model file.
  --out FILE    where to write the model (default: ${ADAPTED_MODEL_FILE} in that .corpus-lens folder); an existing file
                is replaced only with --force
  --epochs N    passes over the training articles (default ${DEFAULT_EPOCHS})
  --model FILE  the model to start from and to find the mentions with (default the shipped models/ner.model)
  --dictionary  the folder with annotations.jsonl, dictionary.tsv and not-entities.txt (default: the nearest
                .corpus-lens/); the dictionary applies as in extract
  --json        print the record as JSON
Use the model with --model FILE on extract, tag and eval.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      from: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false },
      epochs: { type: 'string', default: String(DEFAULT_EPOCHS) }, model: { type: 'string' },
      segmenter: { type: 'string' }, dictionary: { type: 'string' }, json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const out = output(io.stdout);
  if (values.help) { out.write(HELP); return EXIT.ok; }
  if (positionals.length) throw new UsageError(`unexpected "${printable(positionals[0])}": give the articles with --from PATH`);
  if (!values.from) throw new UsageError('no --from PATH given (the folder or file of your reviewed articles)\n\n' + HELP);
  if (!fs.existsSync(values.from)) throw new UsageError(`--from: no such file or folder "${printable(values.from)}"`);
  const epochs = Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 100) throw new UsageError(`--epochs must be a whole number from 1 to 100, not "${printable(values.epochs!)}"`);
  const backend = parseBackend('--segmenter', values.segmenter);
  const basePath = values.model ?? defaultModelPath();
  if (!fs.existsSync(basePath)) throw new UsageError(`--model: no file "${printable(basePath)}"`);
  const dictDir = values.dictionary ? path.resolve(values.dictionary) : findDictionaryDir(values.from);
  if (!dictDir || !fs.existsSync(dictDir)) throw new UsageError(values.dictionary ? `--dictionary: no folder "${printable(values.dictionary)}"` : `no .corpus-lens folder at or above "${printable(values.from)}": there are no reviewed articles to learn from`);
  const target = path.resolve(values.out ?? path.join(dictDir, ADAPTED_MODEL_FILE));
  if (!values.force && fs.existsSync(target)) throw new UsageError(`${printPath(target)} already exists; nothing was written. Use --force to replace it, or another --out.`);

  const review = readAnnotations(dictDir);
  for (const e of review.errors) io.stderr.write(`corpus-lens train: ${printPath(review.file!)}:${e.line}: ${printable(e.message)} (line skipped)\n`);
  const base = fs.readFileSync(basePath);
  let model;
  try { model = deserialiseModel(base); } catch (e) { throw new UsageError(`--model: ${printPath(basePath)}: ${printable((e as Error).message)}`); }
  const engine = createEngine({ backend, model, dictionary: readDictionarySource(dictDir) });
  if (engine.fallbackReason) io.stderr.write(`corpus-lens train: ${printable(engine.fallbackReason)}\n`);
  for (const e of engine.dictionaryErrors) io.stderr.write(`corpus-lens train: ${printPath(e.file)}:${e.line}: ${printable(e.message)} (line skipped)\n`);
  const { recogniser, segmenter, dictionary } = engine;
  const articles = reviewedArticles([values.from], review, recogniser, {
    maxBytes: DEFAULT_MAX_BYTES,
    onSkipped: (m) => io.stderr.write(`corpus-lens train: ${printable(m)}\n`),
    onUnplaced: (file, d) => io.stderr.write(`corpus-lens train: ${unplaced(file, d)}\n`),
  });
  if (articles.length === 0) throw new UsageError(`none of the articles under "${printable(values.from)}" is marked reviewed in ${printPath(review.file ?? path.join(dictDir, 'annotations.jsonl'))}; nothing to learn from`);

  const { bytes, record } = await adaptModel({ base, articles, epochs, segmenter, dictionary });
  writeFileAtomic(target, bytes, { overwrite: values.force });
  if (values.json) out.write(jsonText(JSON.stringify(record, null, 2)) + '\n');
  else out.write(formatRecord(record) + '\n');
  io.stderr.write(`wrote ${printPath(target)}; use it with --model on extract, tag and eval\n`);
  return EXIT.ok;
}

/** The record as a short table: what was trained on, and the held-out scores before and after. */
export function formatRecord(r: AdaptRecord): string {
  const lines = [
    `trained on ${count(r.articles, 'reviewed article')} (${count(r.mentions, 'mention')}, ${count(r.sentences, 'sentence')}), ${count(r.epochs, 'epoch')}`,
  ];
  if (!r.before || !r.after) {
    lines.push(`held out: none (every ${HELD_OUT_EVERY}th reviewed article is held out: review at least ${HELD_OUT_EVERY} for scores)`);
    return lines.join('\n');
  }
  lines.push(`held out: ${count(r.heldOut.articles, 'article')} (every ${HELD_OUT_EVERY}th by path, ${count(r.heldOut.mentions, 'mention')}); exact span and type, %`);
  const pct = (x: number) => (x * 100).toFixed(2).padStart(6);
  const prf = (s: PRF) => `${pct(s.precision)} ${pct(s.recall)} ${pct(s.f1)}`;
  const cols = `${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)}`;
  lines.push(`  ${''.padEnd(6)}  ${'before'.padEnd(20)}   after`);
  lines.push(`  ${'type'.padEnd(6)}  ${cols}   ${cols}`);
  for (const k of [...ENTITY_TYPES, 'micro'] as const) lines.push(`  ${k.padEnd(6)}  ${prf(r.before[k])}   ${prf(r.after[k])}`);
  return lines.join('\n');
}
