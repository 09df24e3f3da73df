// A file name made into a glob for "Switch off for this file" matches that one file and no other (issue 15, case 14).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { resolveRuleOptions } from '../../src/core/config';
import { globEscape } from '../../src/core/globEscape';

/** As src/core/config.ts matches an override's files against a path relative to the config's folder. */
const matches = (file: string, glob: string) => picomatch.isMatch(file, [glob], { dot: true, matchBase: !glob.includes('/') });

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

  it('gives no glob for a name with a backslash, which picomatch cannot match exactly', () => {
    assert.equal(globEscape('a\\b.txt'), undefined);
    // what an escaped backslash does in picomatch 4: `\\|` is an alternation, `\\\\` one backslash
    assert.ok(!matches('a\\|', 'a\\\\\\|') && !matches('\\\\', '\\\\\\\\'));
  });

  it('an override written with the escaped name switches the rule off for that file only', () => {
    const cfg = JSON.stringify({ overrides: [{ files: [globEscape('b?.txt')!], rules: { 'paragraph-indent': 'off' } }] });
    const reader = { read: (f: string) => (f === '/c/.corpus-lens.json' ? cfg : undefined) };
    assert.equal(resolveRuleOptions('/c/b?.txt', {}, reader, '/c').severities?.['paragraph-indent'], 'off');
    assert.equal(resolveRuleOptions('/c/b1.txt', {}, reader, '/c').severities?.['paragraph-indent'], undefined);
  });
});
