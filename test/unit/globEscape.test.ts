// A file name made into a glob for "Switch off for this file" matches that one file and no other (issue 15, case 14).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigCache, resolveRuleOptions } from '../../src/core/config';
import { compileGlob } from '../../src/core/glob';
import { globEscape } from '../../src/core/globEscape';

/** As src/core/config.ts matches an override's files: a glob without `/` against the file's name. */
const matches = (file: string, glob: string) => {
  const c = compileGlob(glob);
  assert.ok(c.ok, `${glob} should compile`);
  return c.match(glob.includes('/') ? file : file.slice(file.lastIndexOf('/') + 1));
};

describe('globEscape', () => {
  const others = ['neg.corpus', 'b1.txt', 'bb.txt', 'a1.txt', 'a].txt', 'x1.txt', 'x2.txt', 'x{1,2}.txtx', 'c.txt', 'other.corpus'];

  for (const name of ['!neg.corpus', 'b?.txt', 'a[1].txt', 'x{1,2}.txt', '#c.txt', '+(a).txt', '@(b).txt', 'a*b.txt', '~x.txt', '$a^.txt']) {
    it(`${name} matches itself and none of ${others.join(' ')}`, () => {
      const glob = globEscape(name)!;
      assert.ok(matches(name, glob), `${glob} should match ${name}`);
      assert.ok(matches(`sub/${name}`, glob), `${glob} should match ${name} in a subfolder (matchBase)`);
      assert.deepEqual(others.filter((o) => o !== name && matches(o, glob)), []);
    });
  }

  it('the unescaped names would have matched other files (what the old code wrote)', () => {
    assert.ok(matches('neg.corpus', '!neg.corpus') === false && matches('other.corpus', '!neg.corpus'));
    assert.ok(matches('b1.txt', 'b?.txt') && matches('a1.txt', 'a[1].txt') && matches('x1.txt', 'x{1,2}.txt'));
  });

  it('any file name, escaped, matches exactly that name (property)', () => {
    const chars = fc.constantFrom(...'ab1.!?*[]{}(),+@|^$#~-_ %&=;:\'"`<>中'.split(''));
    fc.assert(fc.property(fc.string({ unit: chars, minLength: 1, maxLength: 12 }), fc.string({ unit: chars, minLength: 1, maxLength: 12 }), (name, other) => {
      const glob = globEscape(name)!;
      return matches(name, glob) && (other === name || !matches(other, glob));
    }), { numRuns: 20000 });
  });

  it('a name with a backslash gets an exact glob too', () => {
    assert.equal(globEscape('a\\b.txt'), 'a\\\\b.txt');
    assert.ok(matches('a\\b.txt', globEscape('a\\b.txt')!) && !matches('ab.txt', globEscape('a\\b.txt')!));
    assert.ok(matches('a\\|', globEscape('a\\|')!) && !matches('a\\', globEscape('a\\|')!));
  });

  it('gives no glob for a name whose escaped form is over the glob length limit', () => {
    assert.equal(globEscape('!'.repeat(200) + '.txt'), undefined);
    assert.equal(globEscape('a'.repeat(250) + '.txt'), 'a'.repeat(250) + '.txt');
  });

  it('an override written with the escaped name switches the rule off for that file only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-globescape-'));
    try {
      fs.writeFileSync(path.join(dir, '.corpus-lens.json'), JSON.stringify({ overrides: [{ files: [globEscape('b?.txt')!], rules: { 'paragraph-indent': 'off' } }] }));
      const configs = new ConfigCache((ps) => assert.fail(ps.map((p) => p.message).join('; ')));
      assert.equal(resolveRuleOptions(path.join(dir, 'b?.txt'), {}, configs, dir).severities?.['paragraph-indent'], 'off');
      assert.equal(resolveRuleOptions(path.join(dir, 'b1.txt'), {}, configs, dir).severities?.['paragraph-indent'], undefined);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
