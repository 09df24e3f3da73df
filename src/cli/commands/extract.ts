/**
 * corpus-lens extract PATH... [--format json|jsonl|csv|tsv|conll|brat] [--out DIR] [--force]
 *   [--segmenter nodejieba|jieba-wasm] [--dictionary DIR]
 * Without --out, json/jsonl/csv/tsv/conll go to stdout; brat needs --out (a .txt copy and an .ann per article).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyseArticle, DocumentAnalysis } from '../../core/analysis';
import { FileExistsError, writeFileAtomic } from '../../core/atomic';
import { createEngine, findDictionaryDir, readDictionarySource } from '../../core/engine';
import { ExportFormat, FORMATS, renderExport } from '../../core/export/writers';
import { collectFiles, DEFAULT_MAX_BYTES, readCorpusFile } from '../../core/files';
import { CliIO, displayPath, EXIT, UsageError } from '../io';
import { analyseInPool } from '../pool';

const HELP = `Usage: corpus-lens extract PATH... [--format json|jsonl|csv|tsv|conll|brat] [--out DIR] [--force]
                              [--segmenter nodejieba|jieba-wasm] [--dictionary DIR] [--max-size MB] [--jobs N]

Extracts persons (PER), places (LOC) and organisations (ORG) from articles (files, or folders recursively).
  --format      json (default), jsonl, csv, tsv (one row per mention), conll (character + BIO tag),
                brat (standoff: a copy of each text and its .ann, plus annotation.conf; needs --out)
  --out DIR     write into DIR (entities.<format>, or the brat files) instead of stdout
  --force       overwrite files that already exist in DIR (otherwise nothing is overwritten)
  --dictionary  the folder with dictionary.tsv and not-entities.txt (default: the nearest .corpus-lens/)
  --jobs N      analyse in N worker threads (default 1)
Offsets are UTF-16 code units into each file's text as read (text === content.slice(start, end)).
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      format: { type: 'string', default: 'json' }, out: { type: 'string' }, force: { type: 'boolean', default: false },
      segmenter: { type: 'string', default: 'nodejieba' }, dictionary: { type: 'string' }, 'max-size': { type: 'string' },
      jobs: { type: 'string', short: 'j', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { io.stdout.write(HELP); return EXIT.ok; }
  const format = values.format as ExportFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  if (values.segmenter !== 'nodejieba' && values.segmenter !== 'jieba-wasm') throw new UsageError(`--segmenter must be nodejieba or jieba-wasm, not "${values.segmenter}"`);
  if (positionals.length === 0) throw new UsageError('no PATH given (a file or folder of articles)\n\n' + HELP);
  if (format === 'brat' && !values.out) throw new UsageError('--format brat writes several files: give --out DIR');
  const maxBytes = values['max-size'] !== undefined ? Number(values['max-size']) * 1048576 : DEFAULT_MAX_BYTES;
  if (!(maxBytes > 0)) throw new UsageError(`--max-size must be a positive number of MB, not "${values['max-size']}"`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64, not "${values.jobs}"`);
  const { files, missing } = collectFiles(positionals);
  if (missing.length) throw new UsageError(`cannot read ${missing.map((m) => `"${m}"`).join(', ')}: no such file or folder`);

  const dictDir = values.dictionary ? path.resolve(values.dictionary) : findDictionaryDir(positionals[0]);
  if (values.dictionary && !fs.existsSync(dictDir!)) throw new UsageError(`--dictionary: no folder "${values.dictionary}"`);
  const dictionary = readDictionarySource(dictDir);
  const docs: { analysis: DocumentAnalysis; text: string; file: string }[] = [];
  let skipped = 0;
  const needText = format === 'conll' || format === 'brat';
  if (jobs === 1) {
    let engine;
    try { engine = createEngine({ backend: values.segmenter, dictionary }); } catch (e) { throw new UsageError(`cannot load the recogniser: ${(e as Error).message}`); }
    if (engine.fallbackReason) io.stderr.write(`corpus-lens extract: ${engine.fallbackReason}\n`);
    for (const e of engine.dictionaryErrors) io.stderr.write(`corpus-lens extract: ${e.file}:${e.line}: ${e.message} (line skipped)\n`);
    for (const file of files) {
      const read = readCorpusFile(file, maxBytes);
      if (!read.ok) { io.stderr.write(`corpus-lens extract: ${read.message}\n`); skipped++; continue; }
      docs.push({ analysis: analyseArticle(displayPath(file), read.text, engine.recogniser), text: read.text, file });
    }
  } else {
    const { results, init } = await analyseInPool(files, { jobs, backend: values.segmenter, dictionary, maxBytes }).catch((e: Error) => { throw new UsageError(`cannot load the recogniser: ${e.message}`); });
    if (init[0]?.fallbackReason) io.stderr.write(`corpus-lens extract: ${init[0].fallbackReason}\n`);
    for (const e of init[0]?.dictionaryErrors ?? []) io.stderr.write(`corpus-lens extract: ${e.file}:${e.line}: ${e.message} (line skipped)\n`);
    for (const r of results) {
      if (!r.analysis) { io.stderr.write(`corpus-lens extract: ${r.error ?? `${r.file}: not analysed`}\n`); skipped++; continue; }
      const read = needText ? readCorpusFile(r.file, maxBytes) : undefined;
      docs.push({ analysis: { ...r.analysis, path: displayPath(r.file) }, text: read?.ok ? read.text : '', file: r.file });
    }
  }

  const outputs = renderExport(format, docs);
  const analyses = docs.map((d) => d.analysis);
  const mentions = analyses.reduce((n, a) => n + a.entities.reduce((m, e) => m + e.mentions.length, 0), 0);
  const summary = `${docs.length} article(s)${skipped ? `, ${skipped} skipped` : ''}: ${analyses.reduce((n, a) => n + a.entities.length, 0)} entities, ${mentions} mentions`;
  if (!values.out) {
    io.stdout.write(outputs[0].data);
    io.stderr.write(summary + '\n');
    return EXIT.ok;
  }
  const outDir = path.resolve(values.out);
  fs.mkdirSync(outDir, { recursive: true });
  if (!values.force) {
    const existing = outputs.map((o) => path.join(outDir, o.name)).filter((f) => fs.existsSync(f));
    if (existing.length) throw new UsageError(`${existing.length} file(s) already exist in ${outDir} (e.g. ${path.basename(existing[0])}); nothing was written. Use --force to overwrite, or another --out.`);
  }
  try {
    for (const o of outputs) writeFileAtomic(path.join(outDir, o.name), o.data, { overwrite: values.force });
  } catch (e) {
    if (e instanceof FileExistsError) throw new UsageError(`${e.message}; use --force to overwrite`);
    throw new UsageError(`cannot write to ${outDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.stderr.write(`${summary}; wrote ${outputs.length} file(s) to ${outDir}\n`);
  return EXIT.ok;
}
