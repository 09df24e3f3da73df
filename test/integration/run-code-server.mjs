#!/usr/bin/env node
// Integration tests in a real VS Code: code-server (VS Code 1.139 server + web workbench, on Node 24) driven
// by headless Chromium through playwright-core.
//
// Phase 1: the mocha suite (out/test/integration/suite/index.js, built from test/integration/suite/*.ts) runs
//   inside the real extension host, with the extension loaded from this repo as a development path (the
//   smoke-test-driver payload URL). Per-test results come back through the JSON file named by
//   CORPUS_LENS_TEST_RESULTS.
// Phase 1b: Restricted Mode for real. code-server runs WITH workspace trust (no --disable-workspace-trust, user
//   setting security.workspace.trust.enabled) in a fresh browser, so the fresh copy of the sample corpus is
//   untrusted; that copy also ships a .vscode/settings.json, .corpus-lens.json and .corpus-lens dictionary
//   (UNTRUSTED_FILES). CORPUS_LENS_RESTRICTED=1 makes the extension host run suite/restricted.test.ts only.
// Phase 2: the packaged VSIX (scripts/package.mjs) is installed with `code-server --install-extension` into a
//   fresh extensions dir, code-server starts without any development path, a .corpus file is opened from the
//   explorer, and the extension must activate (status bar language mode "Corpus" + activation in the
//   extension-host log). Counts as one more test. Screenshot: .test-results/vsix-activated.png.
//
// Usage: node test/integration/run-code-server.mjs [options]   (npm run test:integration -- [options])
//   --skip-vsix       phases 1 and 1b only    --vsix-only     phase 2 only
//   --skip-restricted no phase 1b             --restricted-only  phase 1b only
//   --vsix FILE       use this VSIX instead of running scripts/package.mjs
//   --no-build        do not run scripts/build.mjs first
//   --grep PATTERN    only tests whose full title matches (phases 1 and 1b; 1b runs under --grep only when
//                     PATTERN matches its suite title, RESTRICTED_SUITE: e.g. --grep 'Restricted Mode')
//   --keep            keep the temp dirs (always kept when something failed)
// Environment: CORPUS_LENS_IT_TIMEOUT_MS (overall per phase, default 300000),
//   CORPUS_LENS_EXTENSION_PATH (default: the repo), CORPUS_LENS_SAMPLE_DIR (default: sample/corpus).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  repoRoot, ensureCodeServer, freePort, mkTemp, writeUserSettings, startCodeServer, launchBrowser, workbenchUrl,
  remoteUri, readSafe, tail, extensionHostLogs, findFiles, installVsix,
} from './lib/code-server.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const timeoutMs = Number(process.env.CORPUS_LENS_IT_TIMEOUT_MS || 300_000);
const extensionPath = path.resolve(process.env.CORPUS_LENS_EXTENSION_PATH || repoRoot);
const sampleDir = path.resolve(process.env.CORPUS_LENS_SAMPLE_DIR || path.join(repoRoot, 'sample/corpus'));
const testsModule = path.join(repoRoot, 'out/test/integration/suite/index.js');
const resultsDir = path.join(repoRoot, '.test-results');
const EXTENSION_ID = 'corpus-lens.corpus-lens';
const RESTRICTED_SUITE = 'Restricted Mode (an untrusted workspace, trust enabled)'; // (the describe() of suite/restricted.test.ts)
const t0 = Date.now();

const outcomes = []; // { title, state: 'passed'|'failed'|'pending', error?, durationMs? }
const tempDirs = [];
const cleanups = [];
let fatal = false;

function log(msg) { console.log(`[it] ${msg}`); }
function secs(ms) { return `${(ms / 1000).toFixed(1)} s`; }

function prepareWorkspace(tmp) {
  const ws = path.join(tmp, 'workspace');
  if (!fs.existsSync(sampleDir)) throw new Error(`no sample folder at ${sampleDir}`);
  fs.cpSync(sampleDir, ws, { recursive: true });
  return ws;
}

function printHostLogs(userDataDir, codeServerLog, exitLogs) {
  const parts = [];
  if (Array.isArray(exitLogs)) {
    for (const l of exitLogs) {
      const name = l?.relativePath ?? l?.path ?? '';
      if (/exthost/i.test(name) && typeof l?.contents === 'string') parts.push([`(workbench) ${name}`, l.contents]);
    }
  }
  for (const f of extensionHostLogs(userDataDir)) parts.push([f, readSafe(f)]);
  if (codeServerLog) parts.push([codeServerLog, readSafe(codeServerLog)]);
  for (const [name, text] of parts) {
    if (!text.trim()) continue;
    console.log(`\n----- tail of ${name} -----\n${tail(text, 50)}`);
  }
}

/**
 * The warnings VS Code's extension host logged about how Corpus Lens uses its API (a setting read at the wrong
 * scope, a code action of a kind not asked for, a webview without a content security policy), each once with its
 * count. A user's host logs them too, at every occurrence: one run logged 24,000 lines of them.
 */
function apiWarnings(userDataDir) {
  const seen = new Map();
  for (const f of extensionHostLogs(userDataDir, { ownChannels: false })) {
    for (const line of readSafe(f).split('\n')) {
      const m = /\[warning\] (?:\[corpus-lens\.corpus-lens\] |corpus-lens\.corpus-lens )(.*)$/.exec(line);
      if (!m) continue;
      const said = m[1].replace(/'corpusLens\.[\w.]+'/g, "'corpusLens.…'");
      seen.set(said, (seen.get(said) ?? 0) + 1);
    }
  }
  return [...seen].map(([said, n]) => `${n} × ${said}`);
}

/** One more outcome: "<who>: VS Code logged no warning about how Corpus Lens uses its API"; whether it passed. */
function checkApiWarnings(userDataDir, who) {
  const warnings = apiWarnings(userDataDir);
  outcomes.push({ title: `${who}: VS Code logged no warning about how Corpus Lens uses its API`, state: warnings.length ? 'failed' : 'passed', error: warnings.join('\n') || undefined });
  return warnings.length === 0;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${secs(ms)} waiting for ${what}`)), ms); }),
  ]);
}

// ---------------------------------------------------------------- phases 1 and 1b: mocha suites in the extension host
// Phase 1b's workspace ships what a workspace could use to steer Corpus Lens; in Restricted Mode none of it may
// apply (suite/restricted.test.ts asserts that, and that the files are there).
const UNTRUSTED_FILES = {
  '.vscode/settings.json': `${JSON.stringify({
    // the restricted configurations (package.json capabilities.untrustedWorkspaces): VS Code ignores these here
    'corpusLens.maxFileSizeMB': 0.1,
    'corpusLens.index.exclude': ['00*.txt'],
    'corpusLens.files': ['**/*.md'],
    'corpusLens.segmenter': 'jieba-wasm',
    // not restricted: applies, which shows the file was read
    'corpusLens.dateline.startYear': 2030,
  }, null, 2)}\n`,
  '.corpus-lens.json': '{ "rules": { "dateline-too-early": "off" } }\n',
  '.corpus-lens/dictionary.tsv': '重点项目\tORG\n',
  '.corpus-lens/not-entities.txt': '王建平\n',
};

/**
 * `restricted`: code-server with workspace trust enabled, a fresh browser (no folder trusted yet) and a folder
 * that ships UNTRUSTED_FILES, so the extension host runs in Restricted Mode; CORPUS_LENS_RESTRICTED makes the
 * suite run suite/restricted.test.ts only. Otherwise trust is disabled and the whole suite runs.
 */
async function runSuite({ restricted = false } = {}) {
  const phase = restricted ? 'phase 1b (Restricted Mode)' : 'phase 1 (suite)';
  const phaseStart = Date.now();
  if (!fs.existsSync(testsModule)) throw new Error(`${testsModule} is missing (node scripts/build.mjs)`);
  const main = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')).main;
  if (main && !fs.existsSync(path.join(extensionPath, main))) log(`warning: extension main ${main} is missing in ${extensionPath}`);

  const tmp = mkTemp(restricted ? 'corpus-lens-it-restricted-' : 'corpus-lens-it-');
  tempDirs.push(tmp);
  const ws = prepareWorkspace(tmp);
  if (restricted) {
    for (const [rel, text] of Object.entries(UNTRUSTED_FILES)) {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
    }
  }
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const resultsFile = path.join(tmp, 'results.json');
  writeUserSettings(userDataDir, restricted ? {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never', // no modal asking to trust: the folder stays untrusted
    'security.workspace.trust.banner': 'never',
  } : {});

  const port = await freePort();
  const server = await startCodeServer({
    port, userDataDir, extensionsDir, smokeTestDriver: true, logFile: path.join(tmp, 'code-server.log'), workspaceTrust: restricted,
    env: {
      CORPUS_LENS_TEST_RESULTS: resultsFile,
      CORPUS_LENS_TEST_WORKSPACE: ws,
      ...(restricted ? { CORPUS_LENS_RESTRICTED: '1' } : {}),
      ...(option('--grep') ? { CORPUS_LENS_TEST_GREP: option('--grep') } : {}),
    },
  });
  cleanups.push(() => server.stop());
  log(`${phase}: code-server ${server.url} (pid ${server.pid}) ready after ${secs(Date.now() - phaseStart)}; temp ${tmp}`);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close().catch(() => {}));
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const workbenchLog = fs.createWriteStream(path.join(tmp, 'workbench.log'));
  page.on('console', (m) => workbenchLog.write(`[console.${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => workbenchLog.write(`[pageerror] ${e.stack ?? e}\n`));

  let onExit;
  const exited = new Promise((resolve) => { onExit = resolve; });
  await page.exposeFunction('codeAutomationExit', (code, logs) => { onExit({ code, logs }); });
  await page.exposeFunction('codeAutomationLog', (level, message) => { workbenchLog.write(`[log ${level}] ${message}\n`); });

  const url = workbenchUrl({
    port, folder: ws,
    payload: [
      ['extensionDevelopmentPath', remoteUri(port, extensionPath)],
      ['extensionTestsPath', remoteUri(port, testsModule)],
      ['skipWelcome', 'true'],
    ],
  });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

  const serverDied = new Promise((resolve) => server.child.once('exit', (c, s) => resolve({ serverExit: { code: c, signal: s } })));
  let exit;
  let problem;
  try {
    exit = await withTimeout(Promise.race([exited, serverDied]), timeoutMs, 'the extension host to run the tests and exit (codeAutomationExit)');
    if (exit.serverExit) problem = `code-server exited during the run (${JSON.stringify(exit.serverExit)})`;
  } catch (err) {
    problem = err.message;
    await page.screenshot({ path: path.join(tmp, 'timeout.png') }).catch(() => {});
  }
  workbenchLog.end();

  let results;
  try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* host never reached run() */ }
  if (!results) {
    problem ??= `the extension host did not start the tests (no ${path.basename(resultsFile)}; exit code ${exit?.code})`;
  } else {
    for (const t of results.tests) outcomes.push({ title: t.fullTitle, state: t.state, error: t.error, stack: t.stack, durationMs: t.durationMs });
    if (results.fatal) problem ??= `the test module failed: ${results.fatal}`;
    else if (!results.done) problem ??= 'the test run did not finish (results file incomplete)';
    else if (results.tests.length === 0) problem ??= 'zero tests ran';
    else if (exit && exit.code !== 0 && results.failed === 0) problem ??= `the extension host exited with code ${exit.code}`;
  }
  if (!problem) checkApiWarnings(userDataDir, phase);
  const failed = !!problem || outcomes.some((o) => o.state === 'failed');
  if (problem) { fatal = true; outcomes.push({ title: 'extension host run', state: 'failed', error: problem }); }
  if (failed) {
    printHostLogs(userDataDir, server.logFile, exit?.logs);
    const wl = readSafe(path.join(tmp, 'workbench.log'));
    if (wl.trim()) console.log(`\n----- tail of ${path.join(tmp, 'workbench.log')} -----\n${tail(wl, 30)}`);
  }
  await browser.close().catch(() => {});
  server.stop();
  log(`${phase} took ${secs(Date.now() - phaseStart)}`);
  return !failed;
}

// ---------------------------------------------------------------- phase 2: packaged VSIX in a clean code-server
function packageVsix() {
  const explicit = option('--vsix');
  if (explicit) return path.resolve(explicit);
  log('packaging the VSIX (node scripts/package.mjs --no-build)');
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/package.mjs'), '--no-build'] /* built (or --no-build) at the start */, { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const m = /^\[package\] wrote (.+\.vsix)/m.exec(out);
  if (r.status !== 0 || !m) throw new Error(`scripts/package.mjs failed (exit ${r.status}):\n${tail(out, 40)}`);
  return m[1].trim();
}

async function runVsixCheck() {
  const title = 'packaged VSIX installs into a clean code-server and activates on a .corpus file';
  const phaseStart = Date.now();
  const tmp = mkTemp('corpus-lens-vsix-');
  tempDirs.push(tmp);
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  let server;
  let browser;
  try {
    const vsix = packageVsix();
    log(`installing ${path.relative(repoRoot, vsix)} (${(fs.statSync(vsix).size / 1048576).toFixed(1)} MB)`);
    installVsix({ vsix, extensionsDir, userDataDir });
    log(`installed after ${secs(Date.now() - phaseStart)}`);
    const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
    if (installed.length === 0) throw new Error(`--install-extension did not create ${EXTENSION_ID}-* in ${extensionsDir}`);
    const ws = prepareWorkspace(tmp);
    writeUserSettings(userDataDir);
    const port = await freePort();
    server = await startCodeServer({ port, userDataDir, extensionsDir, logFile: path.join(tmp, 'code-server.log') });
    cleanups.push(() => server.stop());
    browser = await launchBrowser();
    cleanups.push(() => browser.close().catch(() => {}));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl({ port, folder: ws }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90_000 });
    log(`workbench shown after ${secs(Date.now() - phaseStart)}`);

    // a .corpus file at the top of the workspace, opened from the explorer like a user would
    const file = fs.readdirSync(ws).filter((f) => f.endsWith('.corpus')).sort()[0]
      ?? path.relative(ws, findFiles(ws, /\.corpus$/)[0] ?? '');
    if (!file) throw new Error('the sample workspace has no .corpus file');
    const opened = await openFromExplorer(page, path.basename(file)).catch(() => false) || await openWithQuickOpen(page, file);
    if (!opened) throw new Error(`could not open ${file} in the workbench`);
    log(`${file} opened after ${secs(Date.now() - phaseStart)}`);

    const modeSel = '[id="status.editor.mode"]';
    let mode = '';
    await page.waitForFunction((sel) => /corpus/i.test(document.querySelector(sel)?.textContent ?? ''), modeSel, { timeout: 90_000 })
      .catch(() => { /* reported below with what the status bar shows */ });
    mode = ((await page.textContent(modeSel).catch(() => '')) ?? '').trim();
    fs.mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, 'vsix-activated.png') }).catch(() => {});
    if (!/corpus/i.test(mode)) throw new Error(`after 90 s the status bar language mode is "${mode}", expected the extension's Corpus language (screenshot .test-results/vsix-activated.png)`);
    log(`language mode "${mode}" after ${secs(Date.now() - phaseStart)}`);

    // activation shows up in the extension-host log: "ExtensionService#_doActivateExtension corpus-lens.corpus-lens, startup: ..., activationEvent: '...'"
    const idRe = EXTENSION_ID.replace('.', '\\.');
    const activatedRe = new RegExp(`_doActivateExtension ${idRe}\\b[^\\n]*`);
    const failedRe = new RegExp(`Activating extension '?${idRe}'? failed[^\\n]*`, 'i');
    const hostLog = () => extensionHostLogs(userDataDir, { ownChannels: false }).map(readSafe).join('\n');
    const deadline = Date.now() + 30_000;
    let text = hostLog();
    while (!activatedRe.test(text) && !failedRe.test(text) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      text = hostLog();
    }
    const failedActivation = failedRe.exec(text);
    if (failedActivation) throw new Error(`the extension failed to activate: ${failedActivation[0]}`);
    const activation = activatedRe.exec(text);
    if (!activation) throw new Error('no activation of the extension in the extension-host log');
    log(`extension host: ${activation[0].trim()}`);
    outcomes.push({ title, state: 'passed', durationMs: Date.now() - phaseStart });

    // the installed copy recognises entities: its worker loads nodejieba and the model from the VSIX.
    // A person of the opened article becomes its own semantic token (a span of exactly the name), and the
    // hover over it says what it is.
    const entityTitle = 'packaged VSIX recognises entities: the person 王建平 is highlighted and its hover says Person';
    const entityStart = Date.now();
    try {
      const name = '王建平';
      const span = page.locator('.view-lines .view-line span span', { hasText: new RegExp(`^${name}$`) }).first();
      await span.waitFor({ timeout: 90_000 });
      const box = await span.boundingBox();
      if (!box) throw new Error(`no box for the ${name} token`);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover', { hasText: 'Person' }).first();
      await hover.waitFor({ timeout: 30_000 });
      const hoverText = (await hover.textContent()) ?? '';
      await page.screenshot({ path: path.join(resultsDir, 'vsix-hover.png') }).catch(() => {});
      if (!hoverText.includes(name)) throw new Error(`the hover shows "${hoverText.slice(0, 200)}"`);
      outcomes.push({ title: entityTitle, state: 'passed', durationMs: Date.now() - entityStart });
      log(`entity hover from the installed VSIX after ${secs(Date.now() - entityStart)}: ${hoverText.replace(/\s+/g, ' ').slice(0, 120)}`);
    } catch (err) {
      await page.screenshot({ path: path.join(resultsDir, 'vsix-hover.png') }).catch(() => {});
      outcomes.push({ title: entityTitle, state: 'failed', error: `${err.message} (screenshot .test-results/vsix-hover.png)`, durationMs: Date.now() - entityStart });
      printHostLogs(userDataDir, server?.logFile);
      return false;
    }

    // the segmenters load from the VSIX's own files, none falling back (its @node-rs/jieba once needed a file the
    // VSIX leaves out, and the quick start fell back to jieba-wasm with a warning, though entities were shown)
    const segTitle = 'packaged VSIX: the worker starts on @node-rs/jieba, then loads nodejieba, with no fallback';
    const segStart = Date.now();
    const ownLog = () => extensionHostLogs(userDataDir).filter((f) => /corpus[-_ ]?lens/i.test(f)).map(readSafe).join('\n');
    let own = ownLog();
    while (!/nodejieba loaded|could not load/.test(own) && Date.now() - segStart < 60_000) {
      await new Promise((r) => setTimeout(r, 250));
      own = ownLog();
    }
    const said = (re) => (re.exec(own)?.[0] ?? '').trim();
    const problems = [
      !/analysis worker ready: @node-rs\/jieba \(quick start/.test(own) && `no quick start on @node-rs/jieba: "${said(/analysis worker ready[^\n]*/)}"`,
      !/analysis worker: nodejieba loaded/.test(own) && 'nodejieba did not load within 60 s',
      /could not load/.test(own) && `a fallback: "${said(/[^\n]*could not load[^\n]*/)}"`,
    ].filter(Boolean);
    outcomes.push({ title: segTitle, state: problems.length ? 'failed' : 'passed', error: problems.join('; ') || undefined, durationMs: Date.now() - segStart });
    if (problems.length) { printHostLogs(userDataDir, server?.logFile); return false; }
    if (!checkApiWarnings(userDataDir, 'packaged VSIX')) return false;
    log(`phase 2 (VSIX) took ${secs(Date.now() - phaseStart)}; language mode "${mode}", screenshot .test-results/vsix-activated.png`);
    return true;
  } catch (err) {
    outcomes.push({ title, state: 'failed', error: err.message, durationMs: Date.now() - phaseStart });
    printHostLogs(userDataDir, server?.logFile);
    return false;
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
  }
}

async function openFromExplorer(page, name) {
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();
  if (!(await row.isVisible().catch(() => false))) {
    await page.keyboard.press('Control+Shift+E'); // show the explorer
  }
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  await page.waitForSelector(`.tabs-container .tab[aria-label^="${name}"], .editor-group-container .title .label-name:has-text("${name}")`, { timeout: 15_000 });
  return true;
}

async function openWithQuickOpen(page, relPath) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(relPath);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tabs-container .tab[aria-label^="${path.basename(relPath)}"]`, { timeout: 15_000 });
  return true;
}

// ---------------------------------------------------------------- main
function report() {
  console.log('');
  for (const o of outcomes) {
    if (o.state === 'passed') console.log(`✔ ${o.title}${o.durationMs ? ` (${o.durationMs} ms)` : ''}`);
    else if (o.state === 'pending') console.log(`- ${o.title} (skipped)`);
    else {
      console.log(`✘ ${o.title}`);
      const detail = o.stack && o.stack.includes(o.error ?? '\u0000') ? o.stack : [o.error, o.stack].filter(Boolean).join('\n');
      if (detail) console.log(detail.split('\n').slice(0, 15).map((l) => `    ${l}`).join('\n'));
    }
  }
  const passed = outcomes.filter((o) => o.state === 'passed').length;
  const failed = outcomes.filter((o) => o.state === 'failed').length;
  const skipped = outcomes.filter((o) => o.state === 'pending').length;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return { passed, failed };
}

function cleanup(keep) {
  for (const c of cleanups.splice(0).reverse()) { try { c(); } catch { /* ignore */ } }
  if (keep) { if (tempDirs.length) log(`kept temp dirs: ${tempDirs.join(' ')}`); return; }
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { cleanup(true); process.exit(130); });
}

let exitCode = 1;
try {
  ensureCodeServer({ log });
  if (!flag('--no-build')) {
    const b = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('node scripts/build.mjs failed');
  }
  const grep = option('--grep');
  const restricted = !flag('--skip-restricted') && !flag('--vsix-only') && (!grep || new RegExp(grep).test(RESTRICTED_SUITE));
  if (!flag('--vsix-only') && !flag('--restricted-only')) await runSuite();
  if (restricted) await runSuite({ restricted: true });
  if (!flag('--skip-vsix') && !flag('--restricted-only')) await runVsixCheck();
  const { passed, failed } = report();
  exitCode = failed > 0 || passed === 0 || fatal ? 1 : 0;
} catch (err) {
  console.error(`[it] ${err.stack ?? err}`);
  outcomes.push({ title: 'integration run', state: 'failed', error: err.message });
  report();
  exitCode = 1;
} finally {
  cleanup(flag('--keep') || exitCode !== 0);
  log(`total ${secs(Date.now() - t0)}`);
}
process.exit(exitCode);
