// A real VS Code (code-server + headless Chromium) on a fresh copy of the sample corpus, with this repository
// loaded as the extension: the set-up the README's screenshot scripts share (screenshots.mjs, entity-colours.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  repoRoot, freePort, mkTemp, writeUserSettings, startCodeServer, launchBrowser, workbenchUrl,
} from '../../test/integration/lib/code-server.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/**
 * Runs `fn(page)` on a workbench shown in `theme` at `viewport`, then closes the browser and stops the server
 * (also when `fn` throws).
 */
export async function withWorkbench({ theme, viewport, tempPrefix = 'corpus-lens-shots-' }, fn) {
  const tmp = mkTemp(tempPrefix);
  const ws = path.join(tmp, 'corpus');
  fs.cpSync(path.join(repoRoot, 'sample/corpus'), ws, { recursive: true });
  fs.rmSync(path.join(ws, 'README.md'), { force: true });
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.symlinkSync(repoRoot, path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
  writeUserSettings(userDataDir, { 'workbench.colorTheme': theme, 'editor.fontSize': 15, 'workbench.tips.enabled': false, 'editor.minimap.enabled': false });
  const port = await freePort();
  const server = await startCodeServer({ port, userDataDir, extensionsDir, logFile: path.join(tmp, 'code-server.log') });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport });
    await page.goto(workbenchUrl({ port, folder: ws }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90_000 });
    return await fn(page);
  } finally {
    await browser.close().catch(() => {});
    server.stop();
  }
}
