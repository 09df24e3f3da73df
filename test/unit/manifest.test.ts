import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMANDS } from '../../src/extension/commands';
import { RULE_CODES, RULES } from '../../src/core/rules';
import { ruleRowLines } from '../../src/core/ruleDocs';
import { SETTINGS } from '../../src/core/settings';
import { generate, GENERATED, GeneratedFile } from '../../scripts/manifest';
import { bundleProblems, usedStrings } from '../../scripts/l10n.mjs';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
/** A manifest string with its %key% resolved from package.nls.json. */
const str = (s: string) => (/^%.+%$/.test(s) ? nls[s.slice(1, -1)] : s);

describe('package.json manifest', () => {
  it('declares exactly the commands of the typed command map, in the Corpus Lens category', () => {
    const declared = Object.fromEntries(pkg.contributes.commands.map((c: any) => [c.command, str(c.title)]));
    assert.deepEqual(declared, COMMANDS);
    for (const c of pkg.contributes.commands) assert.equal(str(c.category), 'Corpus Lens');
  });

  it('names only commands of the table in its menus', () => {
    const named = Object.values(pkg.contributes.menus as Record<string, { command: string }[]>).flat().map((m) => m.command);
    assert.ok(named.length > 0);
    assert.deepEqual(named.filter((c) => !(c in COMMANDS)), []);
  });

  it('gives an entity row of the panel a right-click menu, and the panel\'s scope and sort a place in the palette', () => {
    const menu = (pkg.contributes.menus['view/item/context'] as { command: string; when: string; group: string }[])
      .filter((m) => m.when === 'view == corpusLens.entities && viewItem == entity' && !m.group.startsWith('inline'))
      .map((m) => m.command);
    assert.deepEqual(menu, ['corpusLens.showConcordance', 'corpusLens.showTimeline', 'corpusLens.addToDictionary', 'corpusLens.markNotEntity', 'corpusLens.copyEntityName']);
    const hidden = (pkg.contributes.menus.commandPalette as { command: string; when: string }[]).filter((m) => m.when === 'false').map((m) => m.command);
    for (const c of ['corpusLens.scopeCorpus', 'corpusLens.scopeArticle', 'corpusLens.sortByName', 'corpusLens.sortByCount', 'corpusLens.clearFilter']) assert.ok(!hidden.includes(c), c);
  });

  it('declares exactly the settings of core/settings.ts, each with its scope, default and description', () => {
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props), Object.keys(SETTINGS).map((k) => `corpusLens.${k}`));
    for (const [k, s] of Object.entries(SETTINGS)) {
      const p = props[`corpusLens.${k}`];
      assert.deepEqual([p.type, p.default, p.scope, str(p.markdownDescription)], [s.type, s.default, s.scope, s.description], k);
    }
  });

  it('declares each rule of RULES in corpusLens.rules: every severity, its default, its description', () => {
    const rules = pkg.contributes.configuration.properties['corpusLens.rules'];
    assert.deepEqual(Object.keys(rules.properties), RULE_CODES);
    for (const code of RULE_CODES) {
      const p = rules.properties[code];
      assert.deepEqual([p.enum, p.default, str(p.markdownDescription)], [['error', 'warning', 'information', 'hint', 'off'], RULES[code].severity, RULES[code].description], code);
    }
    assert.equal(rules.additionalProperties, false);
  });

  it('supports untrusted workspaces in a limited way, the settings that steer file reading and native code restricted', () => {
    const t = pkg.capabilities.untrustedWorkspaces;
    assert.equal(t.supported, 'limited');
    assert.match(t.description, /writes nothing into the workspace/);
    // globs compiled to regexes and matched against every path, how large a file the host reads whole, and
    // whether a native module loads: a workspace the user does not trust must not choose these
    assert.deepEqual(t.restrictedConfigurations, ['corpusLens.files', 'corpusLens.index.exclude', 'corpusLens.maxFileSizeMB', 'corpusLens.model', 'corpusLens.segmenter']);
    for (const k of t.restrictedConfigurations) assert.ok(k in pkg.contributes.configuration.properties, k);
  });

  it('points at files that exist', () => {
    for (const l of pkg.contributes.languages) assert.ok(fs.existsSync(path.join(root, l.configuration)), l.configuration);
    for (const g of pkg.contributes.grammars) assert.ok(fs.existsSync(path.join(root, g.path)), g.path);
  });

  it('is the corpus language under publisher corpus-lens with a corpus-lens bin', () => {
    assert.equal(pkg.name, 'corpus-lens');
    assert.equal(pkg.publisher, 'corpus-lens');
    assert.equal(pkg.bin['corpus-lens'], './bin/corpus-lens.js');
    assert.equal(pkg.contributes.languages[0].id, 'corpus');
  });
});

describe('files generated from RULES and SETTINGS (npm run generate)', () => {
  const current = Object.fromEntries(GENERATED.map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')])) as Record<GeneratedFile, string>;
  const next = generate(current);
  for (const f of GENERATED) {
    it(`${f} is what npm run generate writes`, () => {
      assert.ok(next[f] === current[f], `${f} differs from what the generator writes: run npm run generate and commit the result`);
    });
  }

  it('puts back a README table edited by hand, and leaves the prose around it alone', () => {
    const edited = current['README.md'].replace('| `dateline-missing` | error |', '| `dateline-missing` | hint |').replace('## Settings', '## The settings');
    const out = generate({ ...current, 'README.md': edited })['README.md'];
    assert.equal(out, current['README.md'].replace('## Settings', '## The settings'));
  });

  it("finds each rule's row of the README, where the extension links a finding's code", () => {
    const lines = current['README.md'].split('\n');
    const rows = ruleRowLines(current['README.md']);
    assert.deepEqual([...rows.keys()], RULE_CODES);
    for (const code of RULE_CODES) assert.ok(lines[rows.get(code)! - 1].startsWith(`| \`${code}\` | ${RULES[code].severity} | `), code);
  });

  it('refuses a README without the table markers', () => {
    assert.throws(() => generate({ ...current, 'README.md': current['README.md'].replace('<!-- rules:end -->', '') }), /<!-- rules:start -->/);
  });

  it('keeps the manifest strings that are not settings (commands, views) where they are', () => {
    const nls = JSON.parse(current['package.nls.json']);
    const kept = (o: Record<string, string>) => Object.entries(o).filter(([k]) => !k.startsWith('config.'));
    assert.deepEqual(kept(JSON.parse(next['package.nls.json'])), kept(nls));
  });
});

describe('localisation', () => {
  const zhNls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.zh-cn.json'), 'utf8'));
  it('translates every manifest string into Simplified Chinese', () => {
    assert.deepEqual(Object.keys(zhNls).sort(), Object.keys(nls).sort());
    for (const [k, v] of Object.entries(zhNls)) assert.ok(typeof v === 'string' && v.length > 0, k);
  });
  it('resolves every %key% of the manifest', () => {
    const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    for (const k of keys) assert.ok(k in nls, `package.nls.json lacks ${k}`);
  });
  it('has a Chinese translation for every UI string of the extension, keeping its placeholders', () => {
    const en = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8'));
    const zh = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8'));
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    for (const [k, v] of Object.entries(zh)) {
      const ph = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort();
      assert.deepEqual(ph(v as string), ph(k), `placeholders of "${k}"`);
    }
  });
  it('keeps the English bundle in step with the code, the extension\'s strings and the core\'s rule messages (node scripts/l10n.mjs)', () => {
    const en = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8'));
    const used = usedStrings();
    assert.deepEqual([...used].sort(), Object.keys(en).sort());
    // both sources are read: a string of the extension, a rule message and a fix title of the core
    for (const k of ['Add to dictionary', 'Date "{0}" does not exist: {1}.', 'Rewrite the dateline as "{0}"']) assert.ok(used.has(k), k);
  });
  it('fails the check when a translation misses a rule message', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-l10n-'));
    try {
      for (const f of ['bundle.l10n.json', 'bundle.l10n.zh-cn.json']) fs.copyFileSync(path.join(root, 'l10n', f), path.join(dir, f));
      assert.deepEqual(bundleProblems(dir, usedStrings()), []);
      const zh = JSON.parse(fs.readFileSync(path.join(dir, 'bundle.l10n.zh-cn.json'), 'utf8'));
      delete zh['Date "{0}" does not exist: {1}.'];
      fs.writeFileSync(path.join(dir, 'bundle.l10n.zh-cn.json'), JSON.stringify(zh));
      assert.deepEqual(bundleProblems(dir, usedStrings()), ['bundle.l10n.zh-cn.json: missing "Date "{0}" does not exist: {1}."']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
