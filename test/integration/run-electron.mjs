#!/usr/bin/env node
// The same integration suite (out/test/integration/suite/index.js) in desktop VS Code through
// @vscode/test-electron. It downloads a VS Code build into .vscode-test/ on first use, so it needs
// internet access (this repo's CI machines have none: there, use run-code-server.mjs). On a Linux box
// without a display run it under xvfb-run.
//   node test/integration/run-electron.mjs [--no-build] [--version stable|insiders|1.90.0] [--grep PATTERN]
//   VSCODE_EXECUTABLE=/path/to/code uses an installed VS Code instead of downloading one.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const option = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const testsModule = path.join(repoRoot, 'out/test/integration/suite/index.js');
const sampleDir = path.resolve(process.env.CORPUS_LENS_SAMPLE_DIR || path.join(repoRoot, 'sample/corpus'));

if (!argv.includes('--no-build')) {
  const b = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (b.status !== 0) { console.error('[it] node scripts/build.mjs failed'); process.exit(1); }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-lens-electron-'));
const workspace = path.join(tmp, 'workspace');
fs.cpSync(sampleDir, workspace, { recursive: true });
const resultsFile = path.join(tmp, 'results.json');

let runError;
try {
  await runTests({
    version: option('--version'),
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsModule,
    extensionTestsEnv: {
      CORPUS_LENS_TEST_RESULTS: resultsFile,
      CORPUS_LENS_TEST_WORKSPACE: workspace,
      ...(option('--grep') ? { CORPUS_LENS_TEST_GREP: option('--grep') } : {}),
    },
    launchArgs: [
      workspace,
      '--disable-extensions', // other installed extensions; the development extension still loads
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-telemetry',
      `--user-data-dir=${path.join(tmp, 'user-data')}`,
    ],
  });
} catch (err) {
  runError = err; // runTests rejects when the tests fail or VS Code could not be started/downloaded
}

let results;
try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* tests never started */ }
const tests = results?.tests ?? [];
console.log('');
for (const t of tests) {
  if (t.state === 'passed') console.log(`✔ ${t.fullTitle} (${t.durationMs} ms)`);
  else if (t.state === 'pending') console.log(`- ${t.fullTitle} (skipped)`);
  else {
    console.log(`✘ ${t.fullTitle}`);
    const detail = t.stack && t.stack.includes(t.error ?? '\u0000') ? t.stack : [t.error, t.stack].filter(Boolean).join('\n');
    if (detail) console.log(detail.split('\n').slice(0, 15).map((l) => `    ${l}`).join('\n'));
  }
}
const passed = tests.filter((t) => t.state === 'passed').length;
let failed = tests.filter((t) => t.state === 'failed').length;
const skipped = tests.filter((t) => t.state === 'pending').length;
const problem = !results ? `VS Code did not run the tests${runError ? `: ${runError.message ?? runError}` : ''}`
  : results.fatal ? `the test module failed: ${results.fatal}`
  : !results.done ? 'the test run did not finish'
  : tests.length === 0 ? 'zero tests ran'
  : runError && failed === 0 ? `VS Code exited with an error: ${runError.message ?? runError}` : undefined;
if (problem) { console.log(`✘ extension host run\n    ${problem}`); failed++; }
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (failed === 0) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`[it] kept ${tmp}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
