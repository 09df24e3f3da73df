/**
 * corpus-lens eval FILE [--baseline jieba] [--backend nodejieba|jieba-wasm] [--model FILE] [--json]
 * Scores the recogniser on an annotated file (BIO, BMES or CLUENER jsonl): per type P/R/F1 and micro,
 * exact span and type.
 */
import { existsSync } from 'node:fs';
import { evaluate, formatScores } from '../../core/ner';
import { buildRecogniser, Io } from './tag';
import { output, printable } from '../io';
import { jsonText } from '../../core/export/writers';

export async function run(args: string[], io: Io): Promise<number> {
  const VALUED = new Set(['--baseline', '--backend', '--model', '--dict', '--stop']);
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) { if (VALUED.has(args[i])) { i++; continue; } if (!args[i].startsWith('--')) files.push(args[i]); }
  const out = output(io.stdout);
  if (args.includes('--help') || !files.length) {
    (files.length ? out : io.stderr).write('usage: corpus-lens eval FILE [--baseline jieba] [--backend nodejieba|jieba-wasm] [--model FILE] [--json]\n');
    return files.length ? 0 : 2;
  }
  const bi = args.indexOf('--baseline');
  const baseline = bi >= 0 ? args[bi + 1] : undefined;
  if (baseline !== undefined && baseline !== 'jieba') { io.stderr.write(`corpus-lens eval: unknown baseline "${printable(String(baseline))}" (only "jieba")\n`); return 2; }
  if (!existsSync(files[0])) { io.stderr.write(`corpus-lens eval: ${printable(files[0])}: no such file\n`); return 2; }
  let recogniser;
  try { recogniser = buildRecogniser(args, io); } catch (e) { io.stderr.write(`corpus-lens eval: ${printable((e as Error).message)}\n`); return 2; }
  let res;
  try { res = evaluate(files[0], recogniser, { baseline: baseline as 'jieba' | undefined }); } catch (e) { io.stderr.write(`corpus-lens eval: ${printable((e as Error).message)}\n`); return 1; }
  if (args.includes('--json')) { out.write(jsonText(JSON.stringify(res, null, 2)) + '\n'); return 0; }
  out.write(`${printable(res.file)}: ${res.sentences} sentences, ${res.chars} chars, gold PER ${res.gold.PER} LOC ${res.gold.LOC} ORG ${res.gold.ORG}\n`);
  out.write(formatScores('model', res.model) + '\n');
  if (res.baseline) out.write(formatScores('jieba baseline (nr→PER, ns→LOC, nt→ORG)', res.baseline) + '\n');
  out.write(`tagging speed: ${Math.round(res.charsPerSecond)} chars/s\n`);
  return 0;
}
