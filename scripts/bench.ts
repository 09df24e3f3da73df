/**
 * npm run bench: the performance figures, each the median of several runs with the spread (min–max), printed
 * as a table and written to bench/RESULTS.md with the machine's description. Ratios are against raw
 * nodejieba.tag over the same text in the same run. Workloads come from bench/generate (articles in the
 * corpus layout made from the sentences of ../shared/data/ner/*.bio when that folder exists, else from the
 * project's sample corpus): 1,000 and 10,000 articles and one 1 MB article, and for fix-all articles with 36,000
 * and 17,500 half-width commas (1 MB and 510 KB of the shared sentences; the sample corpus's are longer).
 *
 *   node dist/bench.js [--quick] [--runs N] [--skip-10k] [--only fix-all|segmenters]
 *
 * --only fix-all or segmenters measures that section alone and prints its figures; bench/RESULTS.md is written only
 * by a whole run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyseArticles, BATCH, fillBatch } from '../src/core/analysis';
import { createEngine } from '../src/core/engine';
import { loadSegmenter, nodeRsDictionary } from '../src/core/segment/backends';
import { SEGMENTER_BACKENDS, type SegmenterBackend } from '../src/core/segment/segmenter';
import { SETTINGS } from '../src/core/settings';
import { applyEdits, applySafeFixes, checkArticle, collectSafeEdits } from '../src/core/rules';
import { WorkerConnection } from '../src/worker/client';
import { generateCorpus, loadSentences, makeArticle, makeCommaArticle } from '../bench/generate';

const root = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const runs = Number(argv[argv.indexOf('--runs') + 1]) || (quick ? 1 : 3);
const work = path.join(root, 'bench/work');

interface Figure { name: string; values: number[]; unit: string; target?: string; ok?: boolean; note?: string }
const figures: Figure[] = [];
const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
function record(f: Figure) {
  figures.push(f);
  const m = median(f.values);
  const spread = f.values.length > 1 ? ` (${fmt(Math.min(...f.values))}–${fmt(Math.max(...f.values))})` : '';
  console.log(`${(f.name + (f.note ? ` (${f.note})` : '')).padEnd(58)} ${fmt(m).padStart(9)} ${f.unit}${spread}${f.target ? `   target ${f.target}: ${f.ok ? 'met' : 'NOT met'}` : ''}`);
}
const time = (fn: () => void) => { const t = performance.now(); fn(); return performance.now() - t; };
const listTexts = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(dir, f));

/**
 * --make-host-articles DIR [N]: the 10 KB and 1 MB articles for npm run bench:host, and N generated articles of
 * about 3 KB in DIR/scale (the index's growth in the extension host per article).
 */
function makeHostArticles(dir: string, scale = 0) {
  const { sentences } = loadSentences(root);
  if (scale > 0) {
    generateCorpus(path.join(work, `host-scale-${scale}`), scale, sentences, 11);
    fs.cpSync(path.join(work, `host-scale-${scale}`), path.join(dir, 'scale'), { recursive: true });
  }
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  fs.writeFileSync(path.join(dir, 'bench-10kb.corpus'), makeArticle(sentences, rand, 3400));
  fs.writeFileSync(path.join(dir, 'bench-10kb-cold.corpus'), makeArticle(sentences, rand, 3400));
  fs.writeFileSync(path.join(dir, 'bench-1mb.corpus'), makeArticle(sentences, rand, 350000));
}

async function main() {
  const wc = argv.indexOf('--worker-child');
  if (wc >= 0) { await workerChild(JSON.parse(argv[wc + 1])); return; }
  const lc = argv.indexOf('--load-child');
  if (lc >= 0) { loadChild(JSON.parse(argv[lc + 1])); return; }
  const tc = argv.indexOf('--throughput-child');
  if (tc >= 0) { throughputChild(JSON.parse(argv[tc + 1])); return; }
  const mk = argv.indexOf('--make-host-articles');
  if (mk >= 0) { makeHostArticles(argv[mk + 1], Number(argv[mk + 2] ?? 0) || 0); return; }
  const fc = argv.indexOf('--fix-all-child');
  if (fc >= 0) { fixAllChild(JSON.parse(argv[fc + 1])); return; }
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  if (only === 'fix-all') {
    console.log(`workloads from ${loadSentences(root).source}\n`);
    for (const f of runChild('--fix-all-child', { runs })) record(f);
    console.log('\n(--only fix-all: bench/RESULTS.md not written)');
    return;
  }
  if (only === 'segmenters') {
    // the segmenter backends' figures alone (section 1 and 1b), for repeated runs on a busy machine
    const { sentences, source } = loadSentences(root);
    console.log(`workloads from ${source}\n`);
    const c1k = generateCorpus(path.join(work, 'corpus-1k'), 1000, sentences, 1);
    for (const f of runChild('--throughput-child', { dir: c1k.dir, runs })) record(f);
    loadFigures();
    console.log('\n(--only segmenters: bench/RESULTS.md not written)');
    return;
  }
  if (only !== undefined) throw new Error(`--only: the sections that run alone are fix-all and segmenters, not ${only}`);
  fs.mkdirSync(work, { recursive: true });
  const { sentences, source } = loadSentences(root);
  console.log(`workloads from ${source} (${sentences.length} sentences)`);
  const c1k = generateCorpus(path.join(work, 'corpus-1k'), 1000, sentences, 1);
  const c10k = argv.includes('--skip-10k') ? undefined : generateCorpus(path.join(work, 'corpus-10k'), 10000, sentences, 2);
  const big = generateCorpus(path.join(work, 'article-1mb'), 1, sentences, 3, 1024 * 1024);
  const files1k = listTexts(c1k.dir);
  const mb1k = files1k.reduce((n, f) => n + fs.statSync(f).size, 0) / 1048576;
  console.log(`1k corpus: ${files1k.length} articles, ${mb1k.toFixed(2)} MB; 10k corpus: ${c10k ? `${c10k.count} articles, ${(c10k.bytes / 1048576).toFixed(1)} MB` : 'skipped'}; big article ${(big.bytes / 1048576).toFixed(2)} MB\n`);

  // 1. raw nodejieba.tag vs the whole extract pipeline, same text, same process: a child process of its own, as
  //    `corpus-lens extract` runs. In this process, the generator's garbage (the .bio files read and split into
  //    lines) left the heap about 100 MB larger, and every scavenge of the pipeline's short-lived objects took
  //    3–5 ms instead of 0.6–0.8 ms (node --trace-gc): the ratio measured here was 0.03–0.07 lower than in a
  //    clean process, from the bench's own leftovers, not from anything extract does
  for (const f of runChild('--throughput-child', { dir: c1k.dir, runs })) record(f);

  // 1b. each segmenter's load to its first cut and the memory it adds
  loadFigures();

  // 2. corpus-lens extract --jobs 1 vs --jobs 2 (whole command, load included), on the larger corpus so that
  //    the per-worker dictionary and model load (seconds) does not hide the parallel part
  const cli = path.join(root, 'bin/corpus-lens.js');
  const jobsCorpus = c10k ?? c1k;
  const jobsLabel = c10k ? '10k articles' : '1k articles';
  // the output goes to a file, as a user's would (`> out.jsonl`): collecting 50 MB from a pipe in this
  // process took CPU from the command being measured, more of it when --jobs 2 keeps both cores busy
  const outFile = path.join(work, 'extract-out.jsonl');
  const wall = (jobs: number) => {
    const fd = fs.openSync(outFile, 'w');
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, 'extract', jobsCorpus.dir, '--format', 'jsonl', '--jobs', String(jobs)], { encoding: 'utf8', stdio: ['ignore', fd, 'pipe'] });
    const ms = performance.now() - t;
    fs.closeSync(fd);
    if (r.status !== 0) throw new Error(`extract --jobs ${jobs} failed: ${r.stderr}`);
    const lines = fs.readFileSync(outFile, 'utf8').split('\n').filter(Boolean).length;
    if (lines !== jobsCorpus.count) throw new Error(`extract --jobs ${jobs} wrote ${lines} documents for ${jobsCorpus.count} files`);
    return ms;
  };
  const j1: number[] = [], j2: number[] = [];
  // alternating pairs, at least three: on a shared 2-core machine one pair alone varies by ±15 %
  for (let r = 0; r < Math.max(runs, 3); r++) { j1.push(wall(1) / 1000); j2.push(wall(2) / 1000); }
  fs.rmSync(outFile, { force: true });
  record({ name: `corpus-lens extract --jobs 1 (${jobsLabel}), wall`, values: j1, unit: 's' });
  record({ name: `corpus-lens extract --jobs 2 (${jobsLabel}), wall`, values: j2, unit: 's' });
  const speedup = j1.map((v, i) => v / j2[i]);
  record({ name: 'speed-up of --jobs 2 over --jobs 1', values: speedup, unit: '×', target: '≥ 1.8', ok: median(speedup) >= 1.8 });

  // 3. a cold worker's first entities for a 10 KB article, as the extension starts it (quick start: @node-rs/jieba
  //    answers while nodejieba loads) and without the quick start (nodejieba first)
  {
    let seed = 11;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    const article10k = makeArticle(sentences, rand, 3400);
    const cold = async (quickStart: boolean) => {
      const t = performance.now();
      const cw = new Worker(path.join(root, 'dist/worker.js'));
      const c = new WorkerConnection(cw);
      try {
        await c.request('init', { backend: 'nodejieba', dictionary: {}, quickStart });
        await c.request('analyse', { path: 'a.txt', text: article10k });
        return performance.now() - t;
      } finally { await cw.terminate(); }
    };
    const quick: number[] = [], slow: number[] = [];
    for (let r = 0; r < runs; r++) { quick.push(await cold(true)); slow.push(await cold(false)); }
    const kb = (Buffer.byteLength(article10k) / 1024).toFixed(1);
    record({ name: `first entities of a ${kb} KB article from a cold worker, quick start (worker start, @node-rs/jieba + model load, analysis)`, values: quick, unit: 'ms', target: '< 2000 ms', ok: median(quick) < 2000 });
    record({ name: `the same without the quick start (nodejieba's dictionary first)`, values: slow, unit: 'ms' });
  }

  // 4. the extension's worker: load, indexing, re-analysis after an edit, the 1 MB article. Measured in a child
  //    process of its own, so its memory is the worker's (plus a bare Node main thread), not this process's
  //    in-process engine and the workers started above
  for (const f of runChild('--worker-child', { dir10k: c10k?.dir, article: files1k[0], big: listTexts(big.dir)[0], runs })) record(f);

  // 5. fix-all (issue 15, case 10): the safe fixes of an article with tens of thousands of half-width commas,
  //    beside raw nodejieba.tag of the same text for scale, in a child process of its own (--only fix-all)
  for (const f of runChild('--fix-all-child', { runs })) record(f);

  writeResults({ source, mb1k, c10k: c10k ? { count: c10k.count, mb: c10k.bytes / 1048576 } : undefined, runs });
}

/**
 * Each segmenter backend's load to its first cut and the memory it adds, each in a fresh process (a thread loads its
 * own), the backends taking turns.
 */
function loadFigures() {
  const load = new Map<SegmenterBackend, { ms: number[]; mb: number[] }>(BACKENDS.map((b) => [b, { ms: [], mb: [] }]));
  for (let r = 0; r < Math.max(runs, 3); r++) {
    for (const b of BACKENDS) {
      const f = runChild<{ ms: number; mb: number }>('--load-child', { backend: b });
      load.get(b)!.ms.push(f.ms); load.get(b)!.mb.push(f.mb);
    }
  }
  for (const [b, v] of load) record({ name: `${b}: load to the first cut (a fresh process)`, values: v.ms, unit: 'ms' });
  for (const [b, v] of load) record({ name: `${b}: memory after load (RSS added)`, values: v.mb, unit: 'MB' });
}

/** Runs this script with `flag` and its options in a child process; the figures it prints (JSON after @@FIGURES). */
function runChild<T = Figure[]>(flag: string, opts: object): T {
  const child = spawnSync(process.execPath, [__filename, flag, JSON.stringify(opts)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`${flag} failed: ${child.stderr}`);
  const marker = child.stdout.lastIndexOf('@@FIGURES ');
  if (marker < 0) throw new Error(`${flag} printed no figures: ${child.stdout}${child.stderr}`);
  return JSON.parse(child.stdout.slice(marker + 10)) as T;
}

/** The backends whose extract pipeline the throughput section measures (the default first: its ratio has the target). */
const BACKENDS: SegmenterBackend[] = [SETTINGS.segmenter.default, ...SEGMENTER_BACKENDS.filter((b) => b !== SETTINGS.segmenter.default)];

/**
 * --throughput-child: raw nodejieba.tag against the whole extract pipeline with each segmenter backend over the 1k
 * corpus, and each backend's raw cut; prints the figures as JSON.
 */
function throughputChild(opts: { dir: string; runs: number }) {
  const files1k = listTexts(opts.dir);
  const texts1k = files1k.map((f) => fs.readFileSync(f, 'utf8'));
  const mb1k = texts1k.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1048576;
  const engines = BACKENDS.map((backend) => createEngine({ backend }));
  for (const e of engines) if (e.fallbackReason) throw new Error(e.fallbackReason);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const nodejieba = require('nodejieba') as { tag(s: string): unknown[]; cut(s: string, hmm: boolean): string[] };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const rs = (require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): { cut(s: string, hmm: boolean): string[] } } }).Jieba.withDict(nodeRsDictionary());
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const wasm = require('jieba-wasm') as { cut(s: string, hmm: boolean): string[] };
  const cuts: [string, (s: string) => unknown][] = [
    ['nodejieba.cut(text, true)', (t) => nodejieba.cut(t, true)],
    ['@node-rs/jieba cut(text, true)', (t) => rs.cut(t, true)],
    ['jieba-wasm cut(text, true)', (t) => wasm.cut(t, true)],
  ];
  const raw: number[] = [], pipe: number[][] = engines.map(() => []), cut: number[][] = cuts.map(() => []);
  // raw and pipelines alternate over blocks of three batches (96 articles; each run sums its blocks), in an order
  // that turns each block: on this shared machine the speed drifts by a third within a minute, and whole passes one
  // after the other caught different drifts. All get the texts in memory: reading the files and writing extract's
  // output are not counted. Run -1 warms up and is not recorded: nodejieba loads its dictionary on its first call
  // (seconds), and the first pass runs while V8 still compiles the pipeline's functions
  const BLOCK = 3 * BATCH.articles; // (whole batches, as extract takes them)
  for (let r = -1; r < Math.max(opts.runs, 5); r++) {
    let rawMs = 0;
    const pipeMs = engines.map(() => 0), cutMs = cuts.map(() => 0);
    for (let b = 0, turn = 0; b < texts1k.length; b += BLOCK, turn++) {
      const end = Math.min(b + BLOCK, texts1k.length);
      const steps: (() => void)[] = [
        () => { rawMs += time(() => { for (let i = b; i < end; i++) nodejieba.tag(texts1k[i]); }); },
        ...engines.map((e, k) => () => {
          pipeMs[k] += time(() => {
            // as extract reads and analyses them: a few articles at a time (core/analysis BATCH)
            for (let i = b; i < end;) {
              const articles = fillBatch(() => (i < end ? { path: files1k[i], text: texts1k[i++] } : undefined), (a) => a.text.length);
              analyseArticles(articles, e.recogniser);
            }
          });
        }),
        ...cuts.map(([, fn], k) => () => { cutMs[k] += time(() => { for (let i = b; i < end; i++) fn(texts1k[i]); }); }),
      ];
      for (let k = 0; k < steps.length; k++) steps[(k + turn) % steps.length]();
    }
    if (r < 0) continue;
    raw.push(mb1k / (rawMs / 1000));
    engines.forEach((_, k) => pipe[k].push(mb1k / (pipeMs[k] / 1000)));
    cuts.forEach((_, k) => cut[k].push(mb1k / (cutMs[k] / 1000)));
  }
  record({ name: 'raw nodejieba.tag throughput (1k articles)', values: raw, unit: 'MB/s' });
  engines.forEach((e, k) => {
    const label = k === 0 ? `extract pipeline, 1 thread, ${e.backend} (the default)` : `extract pipeline, 1 thread, ${e.backend}`;
    record({ name: `${label} (1k articles)`, values: pipe[k], unit: 'MB/s' });
    const ratio = pipe[k].map((p, i) => p / raw[i]);
    record({ name: `extract with ${e.backend} / raw nodejieba.tag`, values: ratio, unit: '×', ...(k === 0 && { target: '≥ 0.8', ok: median(ratio) >= 0.8 }) });
    if (k > 0) record({ name: `extract with ${e.backend} / extract with ${engines[0].backend}`, values: pipe[k].map((p, i) => p / pipe[0][i]), unit: '×' });
  });
  // the pipelines segment with cut(text, true) and look the tags up themselves (the same words and tags as the
  // library's tag, which builds one object per word; jieba-wasm alone calls its tag): each library's raw cut
  cuts.forEach(([name], k) => record({ name: `raw ${name} throughput (1k articles)`, values: cut[k], unit: 'MB/s' }));
  process.stdout.write('\n@@FIGURES ' + JSON.stringify(figures) + '\n');
}

/**
 * --load-child: one segmenter backend loaded in a fresh process, as a worker thread loads it: the time to the
 * first cut (the library, its dictionary, the tag table) and the memory it added (RSS).
 */
function loadChild(opts: { backend: SegmenterBackend }) {
  const rss0 = process.memoryUsage().rss;
  const t = performance.now();
  const { segmenter, fallbackReason } = loadSegmenter(opts.backend);
  segmenter.tag('预热');
  const ms = performance.now() - t;
  if (fallbackReason) throw new Error(fallbackReason);
  process.stdout.write('\n@@FIGURES ' + JSON.stringify({ ms, mb: (process.memoryUsage().rss - rss0) / 1048576 }) + '\n');
}

/**
 * --fix-all-child: fix-all on articles whose commas are half-width, each figure beside raw nodejieba.tag of the
 * same text in the same pass (fix-all and tagging alternate, as the throughput figures do, against drift).
 * - The editor's Fix All with the findings at hand (they are the diagnostics it shows): collectSafeEdits +
 *   applyEdits on a 1 MB article, 36,000 edits. The quadratic code took 81 s + 13 s on such an article.
 * - `check --fix`'s work on a 510 KB article: applySafeFixes (check, collect, apply, a second check that finds
 *   nothing). Each pass takes a new article: the checker caches its findings by line (rules.ts LINE_CACHE), and a
 *   `check --fix` run starts with an empty cache. The quadratic code took 69 s on a 559 KB article.
 * Pass -1 warms up (nodejieba's dictionary load, V8's compiling) and is not recorded.
 */
function fixAllChild(opts: { runs: number }) {
  const { sentences } = loadSentences(root);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const nodejieba = require('nodejieba') as { tag(s: string): unknown[] };
  let seed = 13;
  const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const big = makeCommaArticle(sentences, rand, 36000);
  // (the full-width convention: an article written half-width throughout is otherwise its own convention, and clean)
  const findings = checkArticle(big, { punctuation: 'fullwidth' });
  const bigEdits = collectSafeEdits(findings).length;
  const collect: number[] = [], apply: number[] = [], fixAll: number[] = [], tagBig: number[] = [];
  const safe: number[] = [], tagHalf: number[] = [], halfKB: number[] = [], halfEdits: number[] = [];
  for (let r = -1; r < Math.max(opts.runs, 5); r++) {
    let edits: ReturnType<typeof collectSafeEdits> = [];
    const c = time(() => { edits = collectSafeEdits(findings); });
    const a = time(() => applyEdits(big, edits));
    const tb = time(() => nodejieba.tag(big));
    const half = makeCommaArticle(sentences, rand, 17500);
    let fixed = 0;
    const s = time(() => { fixed = applySafeFixes(half, { punctuation: 'fullwidth' }).applied.length; });
    const th = time(() => nodejieba.tag(half));
    if (r < 0) continue;
    collect.push(c); apply.push(a); fixAll.push(c + a); tagBig.push(tb);
    safe.push(s); tagHalf.push(th); halfKB.push(Buffer.byteLength(half) / 1024); halfEdits.push(fixed);
  }
  const bigLabel = `${(Buffer.byteLength(big) / 1048576).toFixed(2)} MB article, ${bigEdits.toLocaleString('en')} safe edits (half-width commas)`;
  record({ name: `fix-all with the findings at hand: collectSafeEdits + applyEdits, ${bigLabel}`, values: fixAll, unit: 'ms', note: `collect ${fmt(median(collect))} ms, apply ${fmt(median(apply))} ms` });
  record({ name: 'raw nodejieba.tag of that article', values: tagBig, unit: 'ms' });
  record({ name: 'fix-all / raw nodejieba.tag, same article', values: fixAll.map((v, i) => v / tagBig[i]), unit: '×' });
  const halfLabel = `a ${fmt(median(halfKB))} KB article, ${Math.round(median(halfEdits)).toLocaleString('en')} safe edits (a new article each pass)`;
  record({ name: `applySafeFixes (check --fix's work: check, collect, apply, check again), ${halfLabel}`, values: safe, unit: 'ms' });
  record({ name: 'raw nodejieba.tag of those articles', values: tagHalf, unit: 'ms' });
  record({ name: 'applySafeFixes / raw nodejieba.tag, same articles', values: safe.map((v, i) => v / tagHalf[i]), unit: '×' });
  process.stdout.write('\n@@FIGURES ' + JSON.stringify(figures) + '\n');
}

/** --worker-child: the worker figures, in a process of their own; prints them as JSON. */
async function workerChild(opts: { dir10k?: string; article: string; big: string; runs: number }) {
  const w = new Worker(path.join(root, 'dist/worker.js'));
  const call = new WorkerConnection(w);
  const t0 = performance.now();
  const info = await call.request('init', { backend: 'nodejieba', dictionary: {} }).catch(() => undefined);
  const initMs = performance.now() - t0;
  record({ name: 'worker start + segmenter + model load', values: [initMs], unit: 'ms', note: info ? `segmenter ${fmt(info.loadMs.segmenter)} ms, model ${fmt(info.loadMs.model)} ms` : undefined });
  if (info) record({ name: 'memory after the worker loaded (RSS of a process with only the worker and a bare main thread)', values: [info.memoryMB], unit: 'MB' });
  if (opts.dir10k) {
    const files10k = listTexts(opts.dir10k);
    let peak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
    const ti = performance.now();
    await call.request('analyseFiles', { files: files10k, maxBytes: 10 * 1048576, known: {} });
    const idxS = (performance.now() - ti) / 1000;
    clearInterval(sampler);
    record({ name: 'indexing 10,000 articles in the worker, wall', values: [idxS], unit: 's', target: '< 60 s', ok: idxS < 60 });
    record({ name: 'indexing 10,000 articles, peak memory (RSS, the same process)', values: [peak / 1048576], unit: 'MB', target: '< 1024 MB', ok: peak / 1048576 < 1024 });
  }
  const article = fs.readFileSync(opts.article, 'utf8');
  const edited = article.replace(/。/, '，有关负责人表示。');
  const reanalysis: number[] = [];
  for (let r = 0; r < Math.max(5, opts.runs * 3); r++) {
    const t = performance.now();
    await call.request('analyse', { path: 'x.txt', text: r % 2 ? article : edited });
    reanalysis.push(performance.now() - t);
  }
  record({ name: `re-analysis of one ${(Buffer.byteLength(article) / 1024).toFixed(1)} KB article after an edit`, values: reanalysis, unit: 'ms', target: '< 50 ms', ok: median(reanalysis) < 50 });
  const bigText = fs.readFileSync(opts.big, 'utf8');
  const bigT: number[] = [];
  for (let r = 0; r < Math.max(1, opts.runs - 1); r++) {
    const t = performance.now();
    await call.request('analyse', { path: 'big.txt', text: bigText });
    bigT.push(performance.now() - t);
  }
  record({ name: 'analysis of the 1 MB article in the worker', values: bigT, unit: 'ms' });
  await w.terminate();

  process.stdout.write('\n@@FIGURES ' + JSON.stringify(figures) + '\n');
}

function writeResults(meta: { source: string; mb1k: number; c10k?: { count: number; mb: number }; runs: number }) {
  const cpu = os.cpus();
  const lines = [
    '# Benchmark results', '',
    `Written by \`npm run bench\` on ${new Date().toISOString()}.`, '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1073741824).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.`,
    `Workloads: generated from ${meta.source}; 1k corpus ${meta.mb1k.toFixed(2)} MB${meta.c10k ? `, 10k corpus ${meta.c10k.mb.toFixed(1)} MB` : ''}, one 1 MB article. Median of ${meta.runs} run(s), spread in brackets.`, '',
    '| figure | median | spread | target |', '|---|---|---|---|',
    ...figures.map((f) => `| ${f.name}${f.note ? ` (${f.note})` : ''} | ${fmt(median(f.values))} ${f.unit} | ${f.values.length > 1 ? `${fmt(Math.min(...f.values))}–${fmt(Math.max(...f.values))}` : '—'} | ${f.target ? `${f.target}: ${f.ok ? 'met' : '**not met**'}` : '—'} |`),
    '',
    'Extension-host figures (activation, first diagnostics, hover latency, event-loop blocking) come from',
    '`npm run bench:host`, which measures inside a real VS Code extension host (code-server); see below when present.',
    '',
  ];
  const out = path.join(root, 'bench/RESULTS.md');
  const prev = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  const host = prev.indexOf('## Extension host');
  fs.writeFileSync(out, lines.join('\n') + (host >= 0 ? '\n' + prev.slice(host) : ''));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
