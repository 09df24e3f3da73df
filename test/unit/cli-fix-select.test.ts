import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';

describe('corpus-lens check --fix --only / --rules', () => {
  let dir: string;
  const file = () => path.join(dir, 'a.txt');
  // the dateline year first with one space, half-width commas between Chinese characters, an unindented paragraph
  const text = '标题\n\n2018-10-17 06:24\n\n  北京,上海,广州。\n\n第二段。\n';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-fix-select-'));
    fs.writeFileSync(file(), text);
    // the corpus writes full width (the article alone, all half width, would be its own convention)
    fs.writeFileSync(path.join(dir, '.corpus-lens.json'), JSON.stringify({ punctuation: 'fullwidth' }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--only 'dateline-*' fixes the dateline and leaves the commas and the indent alone", async () => {
    const r = await runCli(['check', '--fix', '--only', 'dateline-*', file()]);
    assert.equal(fs.readFileSync(file(), 'utf8'), '标题\n\n17.10.2018  06:24\n\n  北京,上海,广州。\n\n第二段。\n');
    assert.match(r.stderr, /^fixed .*a\.txt: dateline-format, dateline-separator\n/);
    // the report lists what is left, every rule's findings
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ')[2]), ['halfwidth-punctuation', 'halfwidth-punctuation', 'paragraph-indent']);
    assert.equal(r.code, 0, 'warnings only are left');
  });

  it('--rules with two rules fixes those two only', async () => {
    const r = await runCli(['check', '--fix', '--rules', 'halfwidth-punctuation,paragraph-indent', file()]);
    assert.equal(fs.readFileSync(file(), 'utf8'), '标题\n\n2018-10-17 06:24\n\n  北京，上海，广州。\n\n  第二段。\n');
    assert.match(r.stderr, /^fixed .*a\.txt: halfwidth-punctuation ×2, paragraph-indent\n/);
    assert.equal(r.code, 1, 'the dateline errors are left');
  });

  it('exits 2 and changes nothing for a pattern that names no rule, or a selection without --fix', async () => {
    const bad = await runCli(['check', '--fix', '--rules', 'dateline-format,datline-*', file()]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^corpus-lens check: "datline-\*" matches no rule; the rules are dateline-missing, dateline-position, /);
    assert.equal(fs.readFileSync(file(), 'utf8'), text);
    const noFix = await runCli(['check', '--only', 'dateline-*', file()]);
    assert.equal(noFix.code, 2);
    assert.equal(noFix.stderr, 'corpus-lens check: --only and --rules choose the rules that --fix fixes: add --fix\n');
    assert.equal(fs.readFileSync(file(), 'utf8'), text);
  });
});
