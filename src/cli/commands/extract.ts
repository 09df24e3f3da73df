/**
 * corpus-lens extract PATH... [--format json|jsonl|csv|tsv|conll|brat] [--out DIR] [--force]
 *   [--segmenter nodejieba|@node-rs/jieba|jieba-wasm] [--dictionary DIR] [--files-from FILE|-] [--shard K/N] [--jobs N] [--model FILE]
 * Without --out, json/jsonl/csv/tsv/conll go to stdout; brat needs --out (a .txt copy and an .ann per article).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBackend } from '../backend';
import { parseArgs } from 'node:util';
import type { DocumentAnalysis } from '../../core/analysis';
import { applyDecisions } from '../../core/annotations';
import { AtomicFileWriter, FileExistsError } from '../../core/atomic';
import { findDictionaryDir, readDictionarySource } from '../../core/engine';
import { ExportFormat, ExportStream, exportFileName, FORMATS, renderExport, streamExport } from '../../core/export/writers';
import { DEFAULT_MAX_BYTES, readCorpusFile } from '../../core/files';
import { CliIO, displayPath, EXIT, output, OutputError, printable, printPath, UsageError } from '../io';
import { collectInputs, inOutputOrder, parseShard, readFilesFrom } from '../inputs';
import { analyseInPool, AUTO_JOBS_MAX, AUTO_JOBS_MIN_FILES, autoJobs } from '../pool';
import { count } from '../plural';
import { readAnnotations } from '../reviewed';

const HELP = `Usage: corpus-lens extract PATH... [--format json|jsonl|csv|tsv|conll|brat] [--out DIR] [--force]
                              [--segmenter nodejieba|@node-rs/jieba|jieba-wasm] [--dictionary DIR] [--max-size MB] [--jobs N]
                              [--files-from FILE|-] [--shard K/N] [--reviewed-only] [--model FILE]

Extracts persons (PER), places (LOC) and organisations (ORG) from articles (files, or folders recursively).
  --format      json (default), jsonl, csv, tsv (one row per mention), conll (character + BIO tag),
                brat (standoff: a copy of each text and its .ann, plus annotation.conf; needs --out)
  --out DIR     write into DIR (entities.<format>, or the brat files) instead of stdout
  --force       overwrite files that already exist in DIR (otherwise nothing is overwritten)
  --dictionary  the folder with dictionary.tsv and not-entities.txt (default: the nearest .corpus-lens/)
  --jobs N      analyse in N threads (default: 1 for up to ${AUTO_JOBS_MIN_FILES - 1} files, else one a core, at most ${AUTO_JOBS_MAX})
  --files-from FILE|-  also the paths in FILE (- for stdin), one a line, relative to the working folder;
                blank lines are ignored (what Hadoop streaming and Spark's RDD.pipe give a mapper)
  --shard K/N   only the files of shard K of N (K from 1 to N), chosen by a hash of each file's path relative
                to the folder it was found under (a file named itself: its path as printed), so every machine
                that lists the same corpus agrees
Documents come in the order of their paths (the byte order of the JSON lines, LC_ALL=C sort): the shards'
JSON lines merged (LC_ALL=C sort -m) are byte for byte the JSON lines of one run over all files.
  --reviewed-only  only the articles marked reviewed in the dictionary folder's annotations.jsonl
  --model FILE  the recogniser's model (default the shipped models/ner.model; corpus-lens train writes one)
The decisions in annotations.jsonl (beside dictionary.tsv: a span typed, or "O" for no entity there) are applied
to every article they name, placed again by their text and context where the article changed; one that cannot be
placed is reported on stderr and left in the file.
Offsets (json, jsonl, csv, tsv, conll) are UTF-16 code units into each file's text as read, which begins
after a byte order mark (BOM) if the file has one, as VS Code counts: text === content.slice(start, end) where
content is the text without the BOM (readFileSync(file, 'utf8') keeps it: slice from its second character);
line and character count the same way. brat's .ann counts code points of its .txt copy, written without the BOM.
CSV and TSV: a cell that begins with =, +, - or @ (a file or dictionary name; in CSV also a tab or a carriage
return) gets a ' in front, so that a spreadsheet does not run it as a formula (CSV also quotes it).
A failed write (a full disk) ends the run with exit 2 and one line; --out files are replaced only when whole.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      format: { type: 'string', default: 'json' }, out: { type: 'string' }, force: { type: 'boolean', default: false },
      segmenter: { type: 'string' }, dictionary: { type: 'string' }, 'max-size': { type: 'string' },
      jobs: { type: 'string', short: 'j' }, shard: { type: 'string' }, 'files-from': { type: 'string' },
      'reviewed-only': { type: 'boolean', default: false },
      model: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { output(io.stdout).write(HELP); return EXIT.ok; }
  const format = values.format as ExportFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const backend = parseBackend('--segmenter', values.segmenter);
  if (positionals.length === 0 && values['files-from'] === undefined) throw new UsageError('no PATH given (a file or folder of articles)\n\n' + HELP);
  if (format === 'brat' && !values.out) throw new UsageError('--format brat writes several files: give --out DIR');
  const maxBytes = values['max-size'] !== undefined ? Number(values['max-size']) * 1048576 : DEFAULT_MAX_BYTES;
  if (!(maxBytes > 0)) throw new UsageError(`--max-size must be a positive number of MB, not "${values['max-size']}"`);
  const jobsGiven = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobsGiven !== undefined && (!Number.isInteger(jobsGiven) || jobsGiven < 1 || jobsGiven > 64)) throw new UsageError(`--jobs must be a whole number from 1 to 64, not "${values.jobs}"`);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const inputs = [...positionals, ...(values['files-from'] === undefined ? [] : await readFilesFrom(values['files-from'], io))];
  const walk = collectInputs(inputs, shard);
  if (values.model !== undefined && !fs.existsSync(values.model)) throw new UsageError(`--model: no file "${printable(values.model)}"`);
  const { missing } = walk;
  if (missing.length) throw new UsageError(`cannot read ${missing.map((m) => `"${printable(m)}"`).join(', ')}: no such file or folder`);

  const dictDir = values.dictionary ? path.resolve(values.dictionary) : findDictionaryDir(inputs[0] ?? '.');
  if (values.dictionary && !fs.existsSync(dictDir!)) throw new UsageError(`--dictionary: no folder "${printable(values.dictionary)}"`);
  const dictionary = readDictionarySource(dictDir);
  // the user's decisions per mention and reviewed articles (.corpus-lens/annotations.jsonl), keyed by the path
  // from the folder that holds .corpus-lens
  const review = readAnnotations(dictDir);
  for (const e of review.errors) io.stderr.write(`corpus-lens extract: ${printPath(review.file!)}:${e.line}: ${printable(e.message)} (line skipped)\n`);
  // in the order of the output's paths, so that the shards' outputs, merged, are one run's output
  const files = inOutputOrder(values['reviewed-only'] ? walk.files.filter((f) => review.annotations.reviewed.has(review.key(f))) : walk.files);
  if (values['reviewed-only'] && files.length === 0) io.stderr.write('corpus-lens extract: --reviewed-only: none of these articles is marked reviewed in annotations.jsonl\n');
  const jobs = jobsGiven ?? autoJobs(files.length);
  const needText = format === 'conll' || format === 'brat';
  const outDir = values.out ? path.resolve(values.out) : undefined;
  const refuse = (existing: string[]) => new UsageError(`${existing.length === 1 ? '1 file already exists' : `${existing.length} files already exist`} in ${printPath(outDir!)} (e.g. ${printable(path.basename(existing[0]))}); nothing was written. Use --force to overwrite, or another --out.`);
  const cannotWrite = (e: unknown, target: string) => (typeof (e as NodeJS.ErrnoException).code === 'string' ? new OutputError(e as NodeJS.ErrnoException, target) : e);
  const out = output(io.stdout);

  // Single-file formats are written as the articles are analysed (a batch at a time, core/analysis BATCH; to
  // stdout, or to a temporary file that replaces the target at the end), so that thousands of articles are never
  // all held at once.
  // brat writes a pair of files per article: it keeps them until the end and checks their names then.
  // a reader that stops early (`| head`) closes the pipe: stop analysing and end quietly, as Unix tools do (the
  // threads wind down first: see pool.ts). A failed write (a full disk) throws OutputError, which ends the run too.
  let readerGone = false;
  let interrupted: NodeJS.Signals | undefined;
  if (!outDir) out.onReaderGone = () => { readerGone = true; };
  let file: AtomicFileWriter | undefined;
  let stream: ExportStream | undefined;
  let flush: (() => void) | undefined;
  let unhook: (() => void) | undefined;
  const bratDocs: { analysis: DocumentAnalysis; text: string }[] = [];
  if (format !== 'brat') {
    if (outDir) {
      try {
        fs.mkdirSync(outDir, { recursive: true });
        file = new AtomicFileWriter(path.join(outDir, exportFileName(format)), { overwrite: values.force });
      } catch (e) {
        if (e instanceof FileExistsError) throw refuse([e.file]);
        throw cannotWrite(e, path.join(outDir, exportFileName(format)));
      }
    }
    const sink = file;
    // into a file (--out, or stdout redirected to one), the output goes in pieces of 64 K characters or more
    // rather than one write per article (10,000 writes were half a second of a 30 s run in the profile); a
    // pipe or a terminal gets each article as it is done (and a reader that has seen enough, | head, stops it)
    const piece = sink || out.isFile ? 1 << 16 : 0;
    let pending: string[] = [], pendingLength = 0;
    flush = () => {
      if (!pendingLength) return;
      const c = pending.join('');
      pending = []; pendingLength = 0;
      if (sink) sink.write(c); else out.write(c);
    };
    stream = streamExport(format, (c) => { pending.push(c); pendingLength += c.length; if (pendingLength >= piece) flush!(); });
    // interrupted (Ctrl-C, kill), the articles finished so far still reach the redirected output, as they did one by
    // one: the run stops taking work, its threads finish the batches in hand (ending a worker inside nodejieba
    // would abort the process), and the command ends with 130 / 143. A second signal ends it at once.
    if (piece && !sink) {
      const onSignal = (signal: NodeJS.Signals) => { interrupted = signal; };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      unhook = () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); };
    }
  }
  const counts = { docs: 0, skipped: 0, entities: 0, mentions: 0 };
  const emit = (analysis: DocumentAnalysis, text: string) => {
    counts.docs++;
    counts.entities += analysis.entities.length;
    for (const e of analysis.entities) counts.mentions += e.mentions.length;
    if (stream) stream.add({ analysis, text }); else bratDocs.push({ analysis, text });
  };
  // (core's messages begin with the file's path, as given: escaped here, where they are printed)
  const skip = (message: string) => { io.stderr.write(`corpus-lens extract: ${printable(message)}\n`); counts.skipped++; };
  // (what the walk left out, reported as files that cannot be read are: named pipes, devices, links to nothing or in a loop, unreadable folders)
  for (const s of walk.skipped) skip(s.message);

  try {
    // one thread (--jobs 1), or this thread and N-1 workers
    let outputError: unknown; // (a failure to write the output is not a failure to load the recogniser)
    const { init } = await analyseInPool(files, {
      jobs, backend, dictionary, maxBytes, modelPath: values.model, stop: () => readerGone || interrupted !== undefined,
      onResult: (r, text) => {
        if (!r.analysis) { skip(r.error ?? `${r.file}: not analysed`); return; }
        const decisions = review.annotations.decisions.get(review.key(r.file));
        const read = text === undefined && (needText || decisions) ? readCorpusFile(r.file, maxBytes) : undefined;
        const articleText = text ?? (read?.ok ? read.text : '');
        let analysis = r.analysis;
        if (decisions) {
          const applied = applyDecisions(analysis, articleText, decisions);
          analysis = applied.analysis;
          for (const d of applied.unplaced) {
            io.stderr.write(`corpus-lens extract: ${printPath(r.file)}: the decision ${printable(JSON.stringify(d.text))} ${d.type} at ${d.start}-${d.end} cannot be placed in the article as it is now (its text is gone, or stands in several places without its context); it stays in annotations.jsonl\n`);
          }
        }
        try { emit({ ...analysis, path: displayPath(r.file) }, articleText); } catch (e) { outputError = e; throw e; }
      },
    }).catch((e: Error) => { throw e instanceof UsageError || e === outputError ? e : new UsageError(`cannot load the recogniser: ${e.message}`); });
    if (init[0]?.fallbackReason) io.stderr.write(`corpus-lens extract: ${printable(init[0].fallbackReason)}\n`);
    for (const e of init[0]?.dictionaryErrors ?? []) io.stderr.write(`corpus-lens extract: ${printPath(e.file)}:${e.line}: ${printable(e.message)} (line skipped)\n`);
    if (!interrupted) stream?.end();
    flush?.();
    file?.commit();
  } catch (e) {
    file?.abort(); // the target stays as it was
    if (!file) try { flush?.(); } catch { /* the output itself failed */ } // (to stdout: the articles finished before the failure)
    if (e instanceof FileExistsError) throw refuse([e.file]);
    if (file && !(e instanceof UsageError)) throw cannotWrite(e, file.file); // disk full, gone, …
    throw e;
  } finally {
    unhook?.();
  }

  const summary = `${count(counts.docs, 'article')}${counts.skipped ? `, ${counts.skipped} skipped` : ''}: ${count(counts.entities, 'entity', 'entities')}, ${count(counts.mentions, 'mention')}`;
  if (interrupted) return interrupted === 'SIGINT' ? 130 : 143;
  if (readerGone) return EXIT.ok;
  if (!outDir) { out.check(); io.stderr.write(summary + '\n'); return EXIT.ok; } // (a pipe reports a failure late)
  if (file) { io.stderr.write(`${summary}; wrote 1 file to ${printPath(outDir)}\n`); return EXIT.ok; }
  const outputs = renderExport(format, bratDocs);
  if (!values.force) {
    const existing = outputs.map((o) => path.join(outDir, o.name)).filter((f) => fs.existsSync(f));
    if (existing.length) throw refuse(existing);
  }
  try {
    writeAllOrNone(outDir, outputs, values.force);
  } catch (e) {
    if (e instanceof FileExistsError) throw new UsageError(`${printable(e.message)}; use --force to overwrite`);
    throw cannotWrite(e, (e as { path?: string }).path ?? outDir);
  }
  io.stderr.write(`${summary}; wrote ${count(outputs.length, 'file')} to ${printPath(outDir)}\n`);
  return EXIT.ok;
}

/**
 * brat's files, all of them or none: each is written whole into a temporary folder inside DIR, and only when all
 * are on disk are they moved into place (renames, which need no room). A failure (a full disk) removes what this
 * run wrote, and DIR itself if this run made it: half a folder would block the next run ("already exist").
 */
function writeAllOrNone(outDir: string, outputs: { name: string; data: string }[], overwrite: boolean): void {
  const made = !fs.existsSync(outDir);
  const moved: string[] = [];
  let tmp: string | undefined;
  try {
    fs.mkdirSync(outDir, { recursive: true });
    tmp = fs.mkdtempSync(path.join(outDir, '.corpus-lens-'));
    for (const o of outputs) {
      const target = path.join(outDir, o.name);
      fs.writeFileSync(path.join(tmp, o.name), o.data); // (all of it, or it throws)
      try { fs.chmodSync(path.join(tmp, o.name), fs.statSync(target).mode); } catch { /* a new file */ }
    }
    for (const o of outputs) {
      const target = path.join(outDir, o.name);
      const existed = fs.existsSync(target);
      if (existed && !overwrite) throw new FileExistsError(target); // (made since the check before the analysis)
      fs.renameSync(path.join(tmp, o.name), target);
      if (!existed) moved.push(target);
    }
  } catch (e) {
    for (const f of moved) fs.rmSync(f, { force: true }); // (a file replaced under --force stays replaced, whole)
    throw e;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (made) try { fs.rmdirSync(outDir); } catch { /* not empty: the run succeeded */ }
  }
}
