#!/usr/bin/env node
// The concordance, the timeline and review mode as a user sees them, in VS Code's default themes (Light 2026 and
// Dark 2026) at VS Code's default window size (1024 × 768), in a real VS Code (code-server + headless Chromium) on a
// copy of the sample corpus: docs/screenshots/{concordance,timeline,review}-{light,dark}.png for the README.
//   node scripts/screenshots-panels.mjs   (after npm run build; code-server from scripts/setup.sh)
import * as path from 'node:path';
import { repoRoot, ensureCodeServer } from '../test/integration/lib/code-server.mjs';
import { withWorkbench } from './lib/workbench.mjs';

const out = path.join(repoRoot, 'docs/screenshots');
const log = (m) => console.log(`[panels] ${m}`);
const THEMES = { light: 'Light 2026', dark: 'Dark 2026' };
const ARTICLE = '001_c1021a8422364d99.txt';

async function shoot(kind, theme) {
  await withWorkbench({ theme, viewport: { width: 1024, height: 768 }, tempPrefix: 'corpus-lens-panels-' }, async (page) => {
    const command = async (title, pick) => {
      await page.keyboard.press('F1');
      await page.keyboard.type(title);
      await page.waitForTimeout(600);
      await page.keyboard.press('Enter');
      if (pick) {
        await page.waitForTimeout(1000);
        await page.keyboard.type(pick);
        await page.waitForTimeout(600);
        await page.keyboard.press('Enter');
      }
    };
    await page.keyboard.press('Control+Shift+E');
    const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${ARTICLE}"]`).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    await page.locator('.view-lines span[class*="ced-"]').first().waitFor({ timeout: 90_000 });
    await page.keyboard.press('Control+B'); // the side bar closed: the editor and the panel get the width

    // the concordance of a person, in the bottom panel
    await command('Corpus Lens: Show Concordance', '王建平');
    const conc = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
    await conc.locator('table.kwic tbody tr').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(out, `concordance-${kind}.png`) });
    log(`concordance-${kind}.png`);

    // the timeline of the same person, by quarter
    await command('Corpus Lens: Show Timeline', '王建平');
    await page.waitForTimeout(4000);
    await page.screenshot({ path: path.join(out, `timeline-${kind}.png`) });
    log(`timeline-${kind}.png`);

    // review mode on the article: the panel closed, a mention framed, the progress in the status bar
    await page.keyboard.press('Control+J');
    await page.locator(`.tabs-container .tab[aria-label^="${ARTICLE}"]`).first().click();
    await command('Corpus Lens: Review Entities in This Article');
    await page.locator('.statusbar-item', { hasText: 'Review' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('2'); // the first mention (a one-character place, if any) decided as a place
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(out, `review-${kind}.png`) });
    log(`review-${kind}.png`);
  });
}

async function main() {
  ensureCodeServer({ log });
  for (const [kind, theme] of Object.entries(THEMES)) await shoot(kind, theme);
}

main().catch((e) => { console.error(e); process.exit(1); });
