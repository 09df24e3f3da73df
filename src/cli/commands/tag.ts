/**
 * corpus-lens tag [--jsonl] [--backend nodejieba|@node-rs/jieba|jieba-wasm] [--model FILE] [--dict FILE.tsv] [--stop FILE] [FILE]
 * With --jsonl: reads stdin (or FILE), one sentence per line, and prints one JSON object per line,
 * in order: {"text": <line>, "entities": [{"start","end","type","text","confidence"}]} (UTF-16 offsets into the
 * line; confidence in [0, 1], 3 decimals, 1 for the dictionary's names).
 * Without --jsonl: prints the document-level entities of the whole input as JSON.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { loadSegmenter } from '../../core/segment/backends';
import { parseBackend } from '../backend';
import { loadModel, createRecogniser, createDictionary } from '../../core/ner';
import { LINES_PER_CALL } from '../../core/ner/recogniser';
import { output, printable } from '../io';
import { jsonText } from '../../core/export/writers';
import { roundConfidence } from '../../core/mentionConfidence';

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

/**
 * The lines of a stream as it is read, a chunk's worth at a time (what the stream had ready: one line typed
 * into a pipe, or 64 KB of a file), so that an answer can go out before the input ends and memory holds one
 * chunk rather than all of it. Lines end with \r\n, \r or \n (a \r at a chunk's end waits for the next chunk,
 * which may begin with its \n); an empty last piece is no line, as with split() and a final pop.
 */
async function* linesOf(stream: NodeJS.ReadableStream): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8'); // (a character split between two chunks)
  let carry = '';
  for await (const c of stream as AsyncIterable<Buffer | string>) {
    let text = carry + (typeof c === 'string' ? c : decoder.write(c));
    const hold = text.endsWith('\r') ? '\r' : '';
    if (hold) text = text.slice(0, -1);
    const lines = text.split(/\r\n|\r|\n/);
    carry = lines.pop()! + hold;
    if (lines.length) yield lines;
  }
  const rest = (carry + decoder.end()).split(/\r\n|\r|\n/);
  if (rest[rest.length - 1] === '') rest.pop();
  if (rest.length) yield rest;
}

export function buildRecogniser(args: string[], io: Io) {
  const loaded = loadSegmenter(parseBackend('--backend', option(args, '--backend')));
  if (loaded.fallbackReason) io.stderr.write(`corpus-lens: ${printable(loaded.fallbackReason)}\n`);
  const modelPath = option(args, '--model');
  if (modelPath !== undefined && !existsSync(modelPath)) throw new Error(`--model: no file "${modelPath}"`);
  const model = loadModel(modelPath);
  const dictFile = option(args, '--dict'), stopFile = option(args, '--stop');
  let dictionary;
  if (dictFile || stopFile) {
    const { dictionary: d, errors } = createDictionary({
      tsv: dictFile ? readFileSync(dictFile, 'utf8') : undefined,
      stop: stopFile ? readFileSync(stopFile, 'utf8') : undefined,
    });
    for (const e of errors) io.stderr.write(`${printable(dictFile!)}:${e.line}: ${printable(e.message)}\n`);
    dictionary = d;
  }
  return createRecogniser({ segmenter: loaded.segmenter, model, dictionary });
}

export async function run(args: string[], io: Io): Promise<number> {
  const out = output(io.stdout);
  if (args.includes('--help') || args.includes('-h')) {
    out.write('usage: corpus-lens tag [--jsonl] [--backend nodejieba|@node-rs/jieba|jieba-wasm] [--model FILE] [--dict FILE.tsv] [--stop FILE] [FILE]\n');
    return 0;
  }
  let recogniser;
  try { recogniser = buildRecogniser(args, io); } catch (e) { io.stderr.write(`corpus-lens tag: ${printable((e as Error).message)}\n`); return 2; }
  const files = positional(args);
  const cannotRead = (e: unknown) => { io.stderr.write(`corpus-lens tag: ${printable((e as Error).message)}\n`); return 2; };
  if (args.includes('--jsonl')) {
    // streamed: the lines read so far, a few hundred at a time, segmented together (the same entities as line by
    // line, faster); each batch's answers are written before more is read, and a reader that is slow to take
    // them (a full pipe) holds the reading back (drained), so that memory stays bounded however long the input
    let input: NodeJS.ReadableStream;
    try { input = files.length ? createReadStream(files[0]) : io.stdin; } catch (e) { return cannotRead(e); }
    try {
      for await (const lines of linesOf(input)) {
        for (let from = 0; from < lines.length; from += LINES_PER_CALL) {
          const batch = lines.slice(from, from + LINES_PER_CALL);
          const found = recogniser.recogniseMany(batch);
          let text = '';
          batch.forEach((line, i) => { text += jsonText(JSON.stringify({ text: line, entities: found[i].map((m) => ({ start: m.start, end: m.end, type: m.type, text: m.text, confidence: roundConfidence(m.confidence ?? 1) })) })) + '\n'; });
          if (!out.write(text)) await out.drained();
          if (out.readerGone) return 0;
        }
      }
    } catch (e) {
      if (!(e as NodeJS.ErrnoException).syscall || out.failure) throw e; // (a failed write: main reports it)
      return cannotRead(e);
    }
    return 0;
  }
  let input: string;
  try { input = files.length ? readFileSync(files[0], 'utf8') : await readAll(io.stdin); } catch (e) { return cannotRead(e); }
  out.write(jsonText(JSON.stringify(recogniser.analyse(input), null, 2)) + '\n');
  return 0;
}
