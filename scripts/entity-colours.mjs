#!/usr/bin/env node
// Entity colours as rendered in a real VS Code (code-server + headless Chromium) under the default themes:
// screenshots docs/screenshots/entities-{light,dark}.png of an article with the Entities view (its type headers
// are the legend), and a check that a person, a place and an organisation are rendered in three different colours.
//   node scripts/entity-colours.mjs   (after npm run build; code-server from scripts/setup-code-server.sh)
import * as path from 'node:path';
import { repoRoot, ensureCodeServer } from '../test/integration/lib/code-server.mjs';
import { withWorkbench } from './lib/workbench.mjs';

const out = path.join(repoRoot, 'docs/screenshots');
const log = (m) => console.log(`[colours] ${m}`);
const ARTICLE = '001_c1021a8422364d99.txt';
const THEMES = { light: 'Light 2026', dark: 'Dark 2026' };

async function shoot(kind, theme) {
  return withWorkbench({ theme, viewport: { width: 1300, height: 700 }, tempPrefix: 'corpus-lens-colours-' }, async (page) => {
    await page.keyboard.press('Control+Shift+E');
    const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${ARTICLE}"]`).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    await page.locator('.activitybar [aria-label^="Corpus Lens"]').first().click();
    // a decorated span (class ced-…) holds exactly one entity mention
    await page.locator('.view-lines span[class*="ced-"]').first().waitFor({ timeout: 90_000 });
    await page.mouse.move(900, 640); // no tooltip over the view
    await page.waitForTimeout(1500); // the tree's rows render after the editor's decorations
    await page.screenshot({ path: path.join(out, `entities-${kind}.png`) });
    const spans = await page.$$eval('.view-lines span[class*="ced-"]', (els) => els.map((e) => ({ text: e.textContent, color: getComputedStyle(e).color })));
    const byColour = new Map();
    for (const s of spans) byColour.set(s.color, [...new Set([...(byColour.get(s.color) ?? []), s.text])]);
    log(`${theme}: ${[...byColour].map(([c, t]) => `${c} ${t.slice(0, 4).join('、')}`).join(' | ')}`);
    return byColour.size;
  });
}

async function main() {
  ensureCodeServer({ log });
  let ok = true;
  for (const [kind, theme] of Object.entries(THEMES)) {
    const colours = await shoot(kind, theme);
    if (colours !== 3) { ok = false; log(`${theme}: ${colours} entity colours, expected 3`); }
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(1); });
