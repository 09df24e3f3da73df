#!/usr/bin/env node
// Screenshots for the README, taken in a real VS Code (code-server + headless Chromium) on a copy of the
// sample corpus with the extension loaded from this repo: docs/screenshots/{overview,hover,panel}.png (the
// concordance, the timeline and review mode in both default themes: scripts/screenshots-panels.mjs)
//   node scripts/screenshots.mjs   (after npm run build; code-server from scripts/setup-code-server.sh)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, ensureCodeServer } from '../test/integration/lib/code-server.mjs';
import { withWorkbench } from './lib/workbench.mjs';

const out = path.join(repoRoot, 'docs/screenshots');
const log = (m) => console.log(`[shots] ${m}`);

async function main() {
  ensureCodeServer({ log });
  fs.mkdirSync(out, { recursive: true });
  await withWorkbench({ theme: 'Default Dark Modern', viewport: { width: 1500, height: 900 } }, async (page) => {
    const open = async (name) => {
      const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();
      if (!(await row.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+E');
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.click();
      await page.waitForSelector(`.tabs-container .tab[aria-label^="${name}"]`, { timeout: 20_000 });
    };
    const token = (name) => page.locator('.view-lines .view-line span span', { hasText: new RegExp(`^${name}$`) }).first();

    // an article with a faulty dateline, the problems, and the Corpus Lens panel
    await open('007_4953c83b7edf354b.txt');
    await page.locator('.activitybar [aria-label^="Corpus Lens"]').first().click();
    await token('王建平').waitFor({ timeout: 90_000 });
    await page.keyboard.press('Control+Shift+M');
    await page.waitForTimeout(2500);
    await page.screenshot({ path: path.join(out, 'overview.png') });
    log('overview.png');

    // hover over a person
    await page.keyboard.press('Control+Shift+M'); // close the problems panel again
    await open('001_c1021a8422364d99.txt');
    await page.locator('.activitybar [aria-label^="Corpus Lens"]').first().click();
    const wjp = token('王建平');
    await wjp.waitFor({ timeout: 60_000 });
    const box = await wjp.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.monaco-hover', { hasText: 'Person' }).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, 'hover.png') });
    log('hover.png');
    await page.mouse.move(5, 450);

    // the panel, whole corpus
    await page.locator('.pane-header [aria-label="Show Entities of the Whole Corpus"], .title-actions [aria-label="Show Entities of the Whole Corpus"]').first().click();
    await page.waitForTimeout(2000);
    const firstEntity = page.locator('.pane-body .monaco-list-row[aria-level="2"]').first();
    if (await firstEntity.isVisible().catch(() => false)) { await firstEntity.click(); await page.keyboard.press('ArrowRight'); }
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(out, 'panel.png') });
    log('panel.png');

  });
}

main().catch((e) => { console.error(e); process.exit(1); });
