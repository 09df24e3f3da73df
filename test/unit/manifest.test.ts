import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../src/extension/commands';
import { RULE_CODES } from '../../src/core/rules';

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

  it('lists every rule code in the corpusLens.rules setting', () => {
    assert.deepEqual(Object.keys(pkg.contributes.configuration.properties['corpusLens.rules'].properties), RULE_CODES);
  });

  it('declares every setting that src/extension/config.ts reads, and no other', () => {
    const src = fs.readFileSync(path.join(root, 'src/extension/config.ts'), 'utf8');
    const read = [...src.matchAll(/c\.get\('([^']+)'/g)].map((m) => `corpusLens.${m[1]}`).sort();
    assert.deepEqual(Object.keys(pkg.contributes.configuration.properties).sort(), read);
  });

  it('supports untrusted workspaces in a limited way, the settings that steer file reading and native code restricted', () => {
    const t = pkg.capabilities.untrustedWorkspaces;
    assert.equal(t.supported, 'limited');
    assert.match(t.description, /writes nothing into the workspace/);
    // globs compiled to regexes and matched against every path, how large a file the host reads whole, and
    // whether a native module loads: a workspace the user does not trust must not choose these
    assert.deepEqual(t.restrictedConfigurations, ['corpusLens.files', 'corpusLens.index.exclude', 'corpusLens.maxFileSizeMB', 'corpusLens.segmenter']);
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
  it('keeps the English bundle in step with the code (node scripts/l10n.mjs)', () => {
    const en = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8'));
    const srcDir = path.join(root, 'src/extension');
    const used = new Set<string>();
    for (const f of fs.readdirSync(srcDir)) for (const m of fs.readFileSync(path.join(srcDir, f), 'utf8').matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1].replace(/\\'/g, "'"));
    assert.deepEqual([...used].sort(), Object.keys(en).sort());
  });
});
