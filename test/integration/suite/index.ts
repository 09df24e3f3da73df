// Entry point the VS Code extension host calls (`run()`), for both code-server (run-code-server.mjs,
// smoke-test-driver payload) and desktop VS Code (@vscode/test-electron, run-electron.mjs).
// esbuild bundles this file and every test file it lists below into out/test/integration/suite/index.js;
// mocha stays external and resolves from the repo's node_modules at run time.
// Per-test results go to the JSON file named by CORPUS_LENS_TEST_RESULTS (console output from the
// extension host arrives mangled, so the runners read this file instead).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaTypes from 'mocha';

// The test files. They are required only after mocha has put describe/it on the global object, which a
// hoisted top-level `import './x.test'` would run too early for. The literal require() calls are still
// static: esbuild bundles each file into index.js. Add new test files here.
const TEST_FILES: ReadonlyArray<readonly [string, () => unknown]> = [
  ['smoke.test.ts', () => require('./smoke.test')],
  ['commands.test.ts', () => require('./commands.test')],
  ['problems.test.ts', () => require('./problems.test')],
  ['diagnostics.test.ts', () => require('./diagnostics.test')],
  ['entities.test.ts', () => require('./entities.test')],
  ['webviews.test.ts', () => require('./webviews.test')],
  ['timeline.test.ts', () => require('./timeline.test')],
  ['concordance.test.ts', () => require('./concordance.test')],
  ['reliability.test.ts', () => require('./reliability.test')],
  ['consistency.test.ts', () => require('./consistency.test')],
  ['editorSafety.test.ts', () => require('./editorSafety.test')],
  ['worker.test.ts', () => require('./worker.test')],
  ['fixCorpus.test.ts', () => require('./fixCorpus.test')],
  ['conventions.test.ts', () => require('./conventions.test')],
  ['review.test.ts', () => require('./review.test')],
  ['queries.test.ts', () => require('./queries.test')],
];
// the extension-host benchmark runs only when asked for (npm run bench:host), never as part of the tests
const BENCH_FILES: ReadonlyArray<readonly [string, () => unknown]> = [['bench.host.ts', () => require('./bench.host')]];
// its control in a host without Corpus Lens (CORPUS_LENS_BENCH=bare, with an empty development extension)
const BARE_FILES: ReadonlyArray<readonly [string, () => unknown]> = [['bench.bare.ts', () => require('./bench.bare')]];
// Restricted Mode for real: only in a host whose workspace is untrusted (CORPUS_LENS_RESTRICTED=1, the runner's phase 1b)
const RESTRICTED_FILES: ReadonlyArray<readonly [string, () => unknown]> = [['restricted.test.ts', () => require('./restricted.test')]];

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
  stack?: string;
}

export interface ResultsFile {
  startedAt: string;
  finishedAt?: string;
  done: boolean;
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  fatal?: string;
}

type MochaCtor = typeof MochaTypes;

async function loadMocha(): Promise<MochaCtor> {
  // mocha 12 is an ES module; require(esm) works on Node >= 20.19 / 22.12 (code-server's Node 24, current
  // VS Code's Electron). Fall back to import() for hosts without it.
  let mod: any;
  try {
    mod = require('mocha');
  } catch (err: any) {
    if (err?.code !== 'ERR_REQUIRE_ESM' && err?.code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
    mod = await import('mocha');
  }
  return (mod.Mocha ?? mod.default ?? mod) as MochaCtor;
}

function errorText(err: any): { message: string; stack?: string } {
  if (!err) return { message: 'unknown error' };
  let message = String(err.message ?? err);
  if (err.actual !== undefined && err.expected !== undefined && err.showDiff !== false && !/\bexpected\b/i.test(message)) {
    message += `\n  expected: ${safeJson(err.expected)}\n  actual:   ${safeJson(err.actual)}`;
  }
  return { message, stack: typeof err.stack === 'string' ? err.stack : undefined };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export async function run(): Promise<void> {
  const resultsPath = process.env.CORPUS_LENS_TEST_RESULTS;
  const results: ResultsFile = { startedAt: new Date().toISOString(), done: false, passed: 0, failed: 0, pending: 0, tests: [] };
  const flush = () => {
    if (!resultsPath) return;
    try {
      fs.mkdirSync(path.dirname(resultsPath), { recursive: true });
      fs.writeFileSync(resultsPath, JSON.stringify(results, null, 2));
    } catch (err) {
      console.error(`[corpus-lens tests] cannot write ${resultsPath}: ${err}`);
    }
  };
  flush(); // an (empty) file tells the runner the host started and reached run()

  let failures: number;
  try {
    const Mocha = await loadMocha();
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
    const grep = process.env.CORPUS_LENS_TEST_GREP;
    if (grep) mocha.grep(grep);
    const files = process.env.CORPUS_LENS_BENCH === '1' ? BENCH_FILES : process.env.CORPUS_LENS_BENCH === 'bare' ? BARE_FILES
      : process.env.CORPUS_LENS_RESTRICTED === '1' ? RESTRICTED_FILES : TEST_FILES;
    for (const [file, load] of files) {
      mocha.suite.emit('pre-require', globalThis, file, mocha);
      const exported = load();
      mocha.suite.emit('require', exported, file, mocha);
      mocha.suite.emit('post-require', globalThis, file, mocha);
    }

    failures = await new Promise<number>((resolve) => {
      const runner = mocha.run((n) => resolve(n));
      const record = (test: MochaTypes.Test | MochaTypes.Hook, state: TestResult['state'], err?: unknown) => {
        const e = err === undefined ? undefined : errorText(err);
        results.tests.push({
          title: test.title,
          fullTitle: test.fullTitle(),
          file: test.file,
          state,
          durationMs: test.duration ?? 0,
          error: e?.message,
          stack: e?.stack,
        });
        if (state === 'passed') results.passed++;
        else if (state === 'failed') results.failed++;
        else results.pending++;
        flush();
      };
      runner.on('pass', (t: MochaTypes.Test) => record(t, 'passed'));
      runner.on('fail', (t: MochaTypes.Test | MochaTypes.Hook, err: unknown) => record(t, 'failed', err)); // hooks too
      runner.on('pending', (t: MochaTypes.Test) => record(t, 'pending'));
    });
  } catch (err) {
    const e = errorText(err);
    results.fatal = e.stack ?? e.message;
    results.failed++;
    results.done = true;
    results.finishedAt = new Date().toISOString();
    flush();
    throw err;
  }
  results.done = true;
  results.finishedAt = new Date().toISOString();
  flush();
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
