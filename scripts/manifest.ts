/**
 * What `npm run generate` (scripts/generate.ts) writes, made from RULES (src/core/rules.ts) and SETTINGS
 * (src/core/settings.ts): package.json's contributes.configuration and restricted settings, the English
 * setting texts of package.nls.json (its `config.*` keys), and the README's rule and settings tables (between
 * their marker comments). Pure: text in, text out, so a unit test runs it in memory and compares with what is
 * committed. Everything outside those parts is kept as it is.
 */
import { ruleRow } from '../src/core/ruleDocs';
import { RULE_CODES, RULES } from '../src/core/rules';
import { SECTION, SETTINGS, SettingKey, SettingSpec, SEVERITY_SETTINGS } from '../src/core/settings';

/** The generated files, by path from the repository root. */
export const GENERATED = ['package.json', 'package.nls.json', 'README.md'] as const;
export type GeneratedFile = (typeof GENERATED)[number];

const NLS_PREFIX = 'config.';
const descriptionKey = (key: string) => `${NLS_PREFIX}${key}.description`;
const enumKey = (key: string, i: number) => `${NLS_PREFIX}${key}.enum.${i}`;
const ruleKey = (code: string) => `${NLS_PREFIX}rules.${code}.description`;
const nlsRef = (k: string) => `%${k}%`;

const settingEntries = () => Object.entries(SETTINGS) as [SettingKey, SettingSpec<unknown>][];

/** contributes.configuration.properties: one per setting; corpusLens.rules gets one property per rule. */
function properties(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of settingEntries()) {
    const p: Record<string, unknown> = { type: s.type };
    if (s.items) p.items = s.items;
    if (s.enum) p.enum = s.enum;
    if (s.enumDescriptions) p.enumDescriptions = s.enumDescriptions.map((_, i) => nlsRef(enumKey(key, i)));
    p.default = s.default;
    if (s.minimum !== undefined) p.minimum = s.minimum;
    if (s.maximum !== undefined) p.maximum = s.maximum;
    p.scope = s.scope;
    p.markdownDescription = nlsRef(descriptionKey(key));
    if (key === 'rules') {
      p.properties = Object.fromEntries(RULE_CODES.map((code) => [code, {
        type: 'string', enum: SEVERITY_SETTINGS, default: RULES[code].severity, markdownDescription: nlsRef(ruleKey(code)),
      }]));
      p.additionalProperties = false;
    }
    out[`${SECTION}.${key}`] = p;
  }
  return out;
}

/** The English texts behind the manifest's %config.…% keys. */
function nlsTexts(): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, s] of settingEntries()) {
    out.push([descriptionKey(key), s.description]);
    s.enumDescriptions?.forEach((d, i) => out.push([enumKey(key, i), d]));
    if (key === 'rules') for (const code of RULE_CODES) out.push([ruleKey(code), RULES[code].description]);
  }
  return out;
}

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

function packageJson(text: string): string {
  const pkg = JSON.parse(text);
  pkg.contributes.configuration = { title: '%configuration.title%', properties: properties() };
  pkg.capabilities.untrustedWorkspaces.restrictedConfigurations = settingEntries().filter(([, s]) => s.restricted).map(([k]) => `${SECTION}.${k}`).sort();
  return json(pkg);
}

/** The `config.*` keys replaced where the first of them stood; the other keys (commands, views) are kept. */
function nlsJson(text: string): string {
  const out: [string, string][] = [];
  let placed = false;
  for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, string>)) {
    if (!k.startsWith(NLS_PREFIX)) { out.push([k, v]); continue; }
    if (!placed) { out.push(...nlsTexts()); placed = true; }
  }
  if (!placed) out.push(...nlsTexts());
  return json(Object.fromEntries(out));
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** `#corpusLens.x#` links to a setting in the settings UI; in the README it is just its name. */
const readmeMarkdown = (s: string) => s.replace(/`#([^`#]+)#`/g, '`$1`');

function rulesTable(): string[] {
  return [
    '| code | default | what |',
    '|---|---|---|',
    ...RULE_CODES.map((code) => ruleRow(code, RULES[code].severity, cell(readmeMarkdown(RULES[code].description)))),
  ];
}

function settingsTable(): string[] {
  const shown = (v: unknown) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
  const rows = settingEntries().map(([key, s]) => {
    let what = readmeMarkdown(s.description);
    if (s.enum) what += ' ' + s.enum.map((v, i) => `${shown(v)}${s.enumDescriptions ? `: ${s.enumDescriptions[i]}` : ''}`).join('; ') + '.';
    if (key === 'rules') what += ` Severities: ${SEVERITY_SETTINGS.map(shown).join(', ')} (defaults in the rule table above).`;
    if (s.restricted) what += ' In Restricted Mode only your user setting applies.';
    return `| \`${SECTION}.${key}\` | ${shown(s.default)} | ${cell(what)} |`;
  });
  return ['| setting | default | |', '|---|---|---|', ...rows];
}

/** Replaces the lines between `<!-- NAME:start … -->` and `<!-- NAME:end -->` (the markers stay). */
function between(text: string, name: string, lines: string[]): string {
  const all = text.split('\n');
  const start = all.findIndex((l) => l.startsWith(`<!-- ${name}:start`));
  const end = all.findIndex((l, i) => i > start && l.startsWith(`<!-- ${name}:end`));
  if (start < 0 || end < 0) throw new Error(`README.md: no <!-- ${name}:start --> … <!-- ${name}:end --> markers`);
  return [...all.slice(0, start + 1), ...lines, ...all.slice(end)].join('\n');
}

function readme(text: string): string {
  return between(between(text, 'rules', rulesTable()), 'settings', settingsTable());
}

/** The generated text of each file, from its current text. */
export function generate(current: Record<GeneratedFile, string>): Record<GeneratedFile, string> {
  return {
    'package.json': packageJson(current['package.json']),
    'package.nls.json': nlsJson(current['package.nls.json']),
    'README.md': readme(current['README.md']),
  };
}
