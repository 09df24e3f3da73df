import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The contributed entity colours (package.json contributes.colors) against every built-in theme of the
 * VS Code the integration tests run (code-server's theme-defaults): readable (WCAG AA, ≥ 4.5:1 against the
 * theme's editor.background) and the three types told apart in every theme kind.
 */
const ROOT = path.join(__dirname, '..', '..');
const THEMES = path.join(ROOT, 'tools/code-server/node_modules/code-server/lib/vscode/extensions/theme-defaults');
type Kind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';
const KIND: Record<string, Kind> = { 'vs': 'light', 'vs-dark': 'dark', 'hc-black': 'highContrast', 'hc-light': 'highContrastLight' };
// VS Code's editor.background default per kind (for themes that do not set it, e.g. High Contrast Light)
const DEFAULT_BACKGROUND: Record<Kind, string> = { light: '#FFFFFF', dark: '#1E1E1E', highContrast: '#000000', highContrastLight: '#FFFFFF' };
const IDS = ['corpusLens.person', 'corpusLens.place', 'corpusLens.organisation'];

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** editor.background of a theme file, following its "include" chain (theme files are JSON with comments). */
function background(file: string): string | undefined {
  const theme = new Function(`return (${readFileSync(file, 'utf8')})`)() as { include?: string; colors?: Record<string, string> };
  return theme.colors?.['editor.background'] ?? (theme.include ? background(path.join(path.dirname(file), theme.include)) : undefined);
}

describe('entity colours in the built-in themes', () => {
  const colors = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).contributes.colors ?? []) as { id: string; defaults: Record<Kind, string> }[];
  const byId = new Map(colors.map((c) => [c.id, c.defaults]));

  it('contributes a colour per entity type with a default for every theme kind', () => {
    for (const id of IDS) for (const kind of Object.values(KIND)) assert.match(byId.get(id)?.[kind] ?? '', /^#[0-9A-F]{6}$/i, `${id} ${kind}`);
  });

  it('gives the three types pairwise different colours in every theme kind', () => {
    for (const kind of Object.values(KIND)) assert.equal(new Set(IDS.map((id) => byId.get(id)?.[kind]?.toUpperCase())).size, 3, kind);
  });

  it('reads at WCAG AA (≥ 4.5:1) against the editor background of every built-in theme', () => {
    assert.ok(existsSync(THEMES), `code-server's themes at ${THEMES}`);
    const themes = JSON.parse(readFileSync(path.join(THEMES, 'package.json'), 'utf8')).contributes.themes as { id: string; uiTheme: string; path: string }[];
    assert.ok(themes.some((t) => t.id === 'Light 2026') && themes.some((t) => t.id === 'Dark 2026'), 'the default themes are among them');
    for (const t of themes) {
      const kind = KIND[t.uiTheme];
      const bg = background(path.join(THEMES, t.path)) ?? DEFAULT_BACKGROUND[kind];
      for (const id of IDS) {
        const fg = byId.get(id)![kind];
        assert.ok(contrast(fg, bg) >= 4.5, `${id} ${fg} on ${t.id} (${bg}): ${contrast(fg, bg).toFixed(2)}:1`);
      }
    }
  });

  it('computes WCAG contrast as specified (black on white 21:1, equal colours 1:1)', () => {
    assert.equal(contrast('#000000', '#FFFFFF'), 21);
    assert.equal(contrast('#777777', '#777777'), 1);
  });
});
