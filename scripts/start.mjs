#!/usr/bin/env node
// `npm start [-- FOLDER]`: opens FOLDER (your own corpus; default $CORPUS_LENS_SAMPLE_DIR, else sample/corpus) in a
// real VS Code with this extension loaded from the repo. A relative FOLDER is taken from where npm was run (INIT_CWD).
//   - a desktop `code` on PATH: `code --extensionDevelopmentPath=<repo> sample/corpus` (unless --code-server)
//   - otherwise code-server (tools/, installed by scripts/setup-code-server.sh) on 127.0.0.1:$PORT (8080),
//     with the repo linked into a dedicated extensions dir (.vscode-test/start/extensions), so after
//     `npm run build` (or `node scripts/build.mjs --watch`) "Developer: Reload Window" picks up the change.
//     Runs until Ctrl-C.
//   --check       start, load the page once in headless Chromium, open a .corpus file, check the language mode
//                 is the extension's, save .test-results/start.png, stop. Exit code 0 when all of that worked.
//   --vsix        install the packaged VSIX (npm run package) instead of linking the repo
//   --no-build    skip `npm run build`
//   --code-server use code-server even when a desktop `code` is on PATH
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  repoRoot, ensureCodeServer, freePort, portInUse, writeUserSettings, startCodeServer, launchBrowser, workbenchUrl,
  installVsix, readSafe, tail, stopProcessGroup,
} from '../test/integration/lib/code-server.mjs';

const argv = process.argv.slice(2);
const check = argv.includes('--check');
const folderArg = argv.find((a) => !a.startsWith('--'));
const folder = folderArg !== undefined
  ? path.resolve(process.env.INIT_CWD || process.cwd(), folderArg)
  : path.resolve(process.env.CORPUS_LENS_SAMPLE_DIR || path.join(repoRoot, 'sample/corpus'));
const stateDir = path.join(repoRoot, '.vscode-test/start');
const userDataDir = path.join(stateDir, 'user-data');
const extensionsDir = path.join(stateDir, 'extensions');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;
const log = (m) => console.log(`[start] ${m}`);

function onPath(bin) {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, bin)));
}

function build() {
  if (argv.includes('--no-build')) return;
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** Puts exactly one copy of the extension into the dedicated extensions dir: a link to the repo, or the VSIX. */
function provideExtension() {
  fs.mkdirSync(extensionsDir, { recursive: true });
  // drop earlier copies/links of this extension and the scanner's cache of them
  for (const d of fs.readdirSync(extensionsDir)) {
    if (d.startsWith(`${extensionId}-`)) fs.rmSync(path.join(extensionsDir, d), { recursive: true, force: true });
  }
  for (const f of ['extensions.json', '.obsolete']) fs.rmSync(path.join(extensionsDir, f), { force: true });
  if (argv.includes('--vsix')) {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/package.mjs'), '--no-build'], { cwd: repoRoot, encoding: 'utf8' });
    const m = /^\[package\] wrote (.+\.vsix)/m.exec(r.stdout ?? '');
    if (r.status !== 0 || !m) throw new Error(`packaging failed:\n${tail(`${r.stdout}${r.stderr}`, 30)}`);
    installVsix({ vsix: m[1].trim(), extensionsDir, userDataDir });
    log(`installed ${path.relative(repoRoot, m[1].trim())} into ${path.relative(repoRoot, extensionsDir)}`);
  } else {
    const link = path.join(extensionsDir, `${extensionId}-${manifest.version}`);
    fs.symlinkSync(repoRoot, link, 'dir');
    log(`linked the repo as ${path.relative(repoRoot, link)}`);
  }
}

async function checkPage(url) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90_000 });
    log('workbench shown');
    const file = fs.readdirSync(folder).filter((f) => f.endsWith('.corpus')).sort()[0];
    let mode = '';
    if (file) {
      const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${file}"]`).first();
      if (!(await row.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+E');
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.click();
      await page.waitForFunction(() => /corpus/i.test(document.querySelector('[id="status.editor.mode"]')?.textContent ?? ''), null, { timeout: 60_000 })
        .catch(() => {});
      mode = ((await page.textContent('[id="status.editor.mode"]').catch(() => '')) ?? '').trim();
      log(`opened ${file}: language mode "${mode}"`);
    } else {
      log(`no .corpus file at the top of ${folder}`);
    }
    fs.mkdirSync(path.join(repoRoot, '.test-results'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, '.test-results/start.png') });
    log('screenshot .test-results/start.png');
    if (file && !/corpus/i.test(mode)) throw new Error(`the extension's language is not active (language mode "${mode}")`);
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main() {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new Error(`${folder} is not a folder`);
  if (!check && !argv.includes('--code-server') && onPath('code')) {
    build();
    log(`code --extensionDevelopmentPath=${repoRoot} ${folder}`);
    const r = spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, folder], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  ensureCodeServer({ log });
  build();
  provideExtension();
  writeUserSettings(userDataDir);

  let port = Number(process.env.PORT || 8080);
  if (await portInUse(port)) {
    if (!check) throw new Error(`port ${port} is in use; set PORT=... (e.g. PORT=8081 npm start)`);
    port = await freePort();
  }
  const server = await startCodeServer({ port, userDataDir, extensionsDir, logFile: path.join(stateDir, 'code-server.log') });
  const url = workbenchUrl({ port, folder });
  const stop = () => stopProcessGroup(server.pid);
  process.on('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { log('stopping code-server'); stop(); process.exit(0); });

  if (check) {
    try {
      await checkPage(url);
      log('check passed');
    } catch (err) {
      console.error(`[start] check failed: ${err.message}\n${tail(readSafe(server.logFile), 30)}`);
      process.exitCode = 1;
    }
    stop();
    return;
  }
  log(`code-server (pid ${server.pid}) log: ${path.relative(repoRoot, server.logFile)}`);
  log(`open ${url}`);
  log('Ctrl-C to stop');
  server.child.on('exit', (code, signal) => { log(`code-server exited (${code ?? signal})`); process.exit(code ?? 1); });
}

main().catch((err) => {
  console.error(`[start] ${err.message}`);
  process.exit(1);
});
