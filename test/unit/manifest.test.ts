import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../src/extension/commands';
import { RULE_CODES } from '../../src/core/rules';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('package.json manifest', () => {
  it('declares exactly the commands of the typed command map, in the Corpus Lens category', () => {
    const declared = Object.fromEntries(pkg.contributes.commands.map((c: any) => [c.command, c.title]));
    assert.deepEqual(declared, COMMANDS);
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'Corpus Lens');
  });

  it('lists every rule code in the corpusLens.rules setting', () => {
    assert.deepEqual(Object.keys(pkg.contributes.configuration.properties['corpusLens.rules'].properties), RULE_CODES);
  });

  it('declares every setting that src/extension/config.ts reads, and no other', () => {
    const src = fs.readFileSync(path.join(root, 'src/extension/config.ts'), 'utf8');
    const read = [...src.matchAll(/c\.get\('([^']+)'/g)].map((m) => `corpusLens.${m[1]}`).sort();
    assert.deepEqual(Object.keys(pkg.contributes.configuration.properties).sort(), read);
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
