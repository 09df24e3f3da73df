/**
 * corpus-lens tag [--jsonl] [--backend nodejieba|jieba-wasm] [--model FILE] [--dict FILE.tsv] [--stop FILE] [FILE]
 * With --jsonl: reads stdin (or FILE), one sentence per line, and prints one JSON object per line,
 * in order: {"text": <line>, "entities": [{"start","end","type","text"}]} (UTF-16 offsets into the line).
 * Without --jsonl: prints the document-level entities of the whole input as JSON.
 */
import { readFileSync } from 'node:fs';
import { loadSegmenter } from '../../core/segment/backends';
import { SegmenterBackend } from '../../core/segment/segmenter';
import { loadModel, createRecogniser, createDictionary } from '../../core/ner';
import { LINES_PER_CALL } from '../../core/ner/recogniser';

export interface Io { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(name + '='));
  return eq?.slice(name.length + 1);
}
const VALUED = new Set(['--backend', '--model', '--dict', '--stop']);
function positional(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (VALUED.has(args[i])) { i++; continue; }
    if (!args[i].startsWith('--')) out.push(args[i]);
  }
  return out;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

export function buildRecogniser(args: string[], io: Io) {
  const backend = (option(args, '--backend') ?? 'nodejieba') as SegmenterBackend;
  if (backend !== 'nodejieba' && backend !== 'jieba-wasm') throw new Error(`unknown backend "${backend}" (nodejieba or jieba-wasm)`);
  const loaded = loadSegmenter(backend);
  if (loaded.fallbackReason) io.stderr.write(`corpus-lens: ${loaded.fallbackReason}\n`);
  const model = loadModel(option(args, '--model'));
  const dictFile = option(args, '--dict'), stopFile = option(args, '--stop');
  let dictionary;
  if (dictFile || stopFile) {
    const { dictionary: d, errors } = createDictionary({
      tsv: dictFile ? readFileSync(dictFile, 'utf8') : undefined,
      stop: stopFile ? readFileSync(stopFile, 'utf8') : undefined,
    });
    for (const e of errors) io.stderr.write(`${dictFile}:${e.line}: ${e.message}\n`);
    dictionary = d;
  }
  return createRecogniser({ segmenter: loaded.segmenter, model, dictionary });
}

export async function run(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write('usage: corpus-lens tag [--jsonl] [--backend nodejieba|jieba-wasm] [--model FILE] [--dict FILE.tsv] [--stop FILE] [FILE]\n');
    return 0;
  }
  let recogniser;
  try { recogniser = buildRecogniser(args, io); } catch (e) { io.stderr.write(`corpus-lens tag: ${(e as Error).message}\n`); return 2; }
  const files = positional(args);
  let input: string;
  try { input = files.length ? readFileSync(files[0], 'utf8') : await readAll(io.stdin); } catch (e) { io.stderr.write(`corpus-lens tag: ${(e as Error).message}\n`); return 2; }
  if (args.includes('--jsonl')) {
    const lines = input.split(/\r\n|\r|\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    // a few hundred lines at a time, segmented together (the same entities as line by line, faster)
    for (let from = 0; from < lines.length; from += LINES_PER_CALL) {
      const batch = lines.slice(from, from + LINES_PER_CALL);
      const found = recogniser.recogniseMany(batch);
      let out = '';
      batch.forEach((line, i) => { out += JSON.stringify({ text: line, entities: found[i].map((m) => ({ start: m.start, end: m.end, type: m.type, text: m.text })) }) + '\n'; });
      io.stdout.write(out);
    }
    return 0;
  }
  io.stdout.write(JSON.stringify(recogniser.analyse(input), null, 2) + '\n');
  return 0;
}
