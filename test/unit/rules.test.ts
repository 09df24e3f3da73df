import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigCache, ConfigProblem, resolveRuleOptions, validateConfig } from '../../src/core/config';
import { applySafeFixes, checkArticle, CorpusDiagnostic, RULE_CODES } from '../../src/core/rules';

const now = new Date(2026, 10, 29, 12);
const article = (dateline: string) => `省里召开座谈会\n\n${dateline}\n王建平出席\n\n  第一段。`;
const DL = 9; // offset of the dateline in article()
const check = (text: string, opts = {}) => checkArticle(text, { now, ...opts });
const brief = (text: string, ds: CorpusDiagnostic[]) => ds.map((d) => [d.code, d.severity, text.slice(d.start, d.end)]);

describe('dateline rules', () => {
  for (const ok of ['17.10.2018  06:24', '17.10.2018 \u00a006:24', '29.02.2016  23:59', '01.01.1990  00:00']) {
    it(`never flags the well-formed ${JSON.stringify(ok)}`, () => assert.deepEqual(check(article(ok)), []));
  }

  const cases: [string, [string, string, string][], string | null][] = [
    ['17/10/2018 06:24', [['dateline-format', 'error', '17/10/2018'], ['dateline-separator', 'error', ' ']], '17.10.2018  06:24'],
    ['2018-10-17 06:24', [['dateline-format', 'error', '2018-10-17'], ['dateline-separator', 'error', ' ']], '17.10.2018  06:24'],
    ['17.10.18  06:24', [['dateline-short-year', 'error', '18']], '17.10.2018  06:24'],
    ['32.10.2018  06:24', [['dateline-invalid-date', 'error', '32.10.2018']], null],
    ['29.02.2018  10:00', [['dateline-invalid-date', 'error', '29.02.2018']], null],
    ['17.10.2018  25:10', [['dateline-invalid-time', 'error', '25:10']], null],
    ['17.10.2018', [['dateline-missing-time', 'error', '17.10.2018']], null],
    ['7.1.2018  6:24', [['dateline-padding', 'error', '7.1.2018  6:24']], '07.01.2018  06:24'],
    ['１７.１０.２０１８  ０６:２４', [['dateline-fullwidth-digits', 'error', '１７.１０.２０１８  ０６:２４']], '17.10.2018  06:24'],
    ['17.10.2018  06:24  ', [['dateline-trailing-space', 'warning', '  ']], '17.10.2018  06:24'],
    [' 17.10.2018  06:24', [['dateline-leading-space', 'warning', ' ']], '17.10.2018  06:24'],
    ['17.10.2018\t06:24', [['dateline-separator', 'error', '\t']], '17.10.2018  06:24'],
    ['17.10.2018  06:24:31', [['dateline-seconds', 'warning', '06:24:31']], '17.10.2018  06:24'],
    ['2018年10月17日 06:24', [['dateline-format', 'error', '2018年10月17日'], ['dateline-separator', 'error', ' ']], '17.10.2018  06:24'],
    ['17.10.2030  06:24', [['dateline-future', 'warning', '17.10.2030']], null],
    ['17.10.1985  06:24', [['dateline-too-early', 'warning', '17.10.1985']], null],
  ];
  for (const [input, expected, fixed] of cases) {
    it(`flags ${JSON.stringify(input)} precisely` + (fixed ? ` and fixes it to ${fixed}` : ' (no safe fix)'), () => {
      const text = article(input);
      const ds = check(text);
      assert.deepEqual(brief(text, ds), expected);
      for (const d of ds) assert.ok(d.start >= DL && d.end <= DL + input.length, 'range inside the dateline');
      const out = applySafeFixes(text, { now }).text;
      assert.equal(out.split('\n')[2], fixed ?? input);
      if (fixed) assert.deepEqual(check(out), []);
    });
  }

  it('gives exact messages', () => {
    const [d] = check(article('29.02.2018  10:00'));
    assert.equal(d.message, 'Date "29.02.2018" does not exist: 2018 is not a leap year: February 2018 has 28 days.');
    const [e] = check(article('32.10.2018  06:24'));
    assert.equal(e.message, 'Date "32.10.2018" does not exist: October has 31 days, not 32.');
    const [f] = check(article('2018-10-17 06:24'));
    assert.equal(f.message, 'Date "2018-10-17" is written year-month-day with "-"; expected DD.MM.YYYY (17.10.2018).');
    assert.deepEqual([f.start, f.end], [DL, DL + 10]);
  });

  it('offers each reading of an ambiguous date as its own fix, none of them safe', () => {
    const text = article('01/02/2018  06:24');
    const [d] = check(text);
    assert.equal(d.code, 'dateline-format');
    assert.deepEqual(d.fixes.map((f) => [f.title, f.safe, f.edits[0].newText]), [
      ['Rewrite the dateline as "01.02.2018  06:24" (day first)', false, '01.02.2018  06:24'],
      ['Rewrite the dateline as "02.01.2018  06:24" (month first)', false, '02.01.2018  06:24'],
    ]);
    assert.equal(applySafeFixes(text, { now }).text, text);
  });

  it('treats 13/01/2018 as unambiguous (there is no month 13)', () => {
    const text = article('13/01/2018  06:24');
    assert.equal(applySafeFixes(text, { now }).text.split('\n')[2], '13.01.2018  06:24');
  });

  it('writes the configured separator', () => {
    const out = applySafeFixes(article('2018-10-17 06:24'), { now, separator: ' \u00a0' }).text;
    assert.equal(out.split('\n')[2], '17.10.2018 \u00a006:24');
  });

  it('reports a missing dateline on line 3', () => {
    const text = '省里召开座谈会\n\n  第一段。';
    const ds = check(text);
    assert.deepEqual(brief(text, ds), [['dateline-missing', 'error', '  第一段。']]);
  });

  it('reports a dateline on the wrong line and fixes the empty lines', () => {
    const t1 = '标题\n17.10.2018  06:24\n\n  段。';
    assert.deepEqual(brief(t1, check(t1)), [['dateline-position', 'warning', '17.10.2018  06:24']]);
    assert.equal(applySafeFixes(t1, { now }).text, '标题\n\n17.10.2018  06:24\n\n  段。');
    const t2 = '标题\n\n导语\n17.10.2018  06:24\n\n  段。';
    const [d] = check(t2);
    assert.equal(d.code, 'dateline-position');
    assert.equal(d.fixes[0].safe, false);
    const moved = d.fixes[0].edits.slice().sort((a, b) => b.start - a.start).reduce((s, e) => s.slice(0, e.start) + e.newText + s.slice(e.end), t2);
    assert.equal(moved, '标题\n\n17.10.2018  06:24\n导语\n\n  段。');
  });

  it('keeps CRLF when fixing', () => {
    const text = '标题\r\n\r\n2018-10-17 06:24\r\n\r\n  段。\r\n';
    assert.equal(applySafeFixes(text, { now }).text, '标题\r\n\r\n17.10.2018  06:24\r\n\r\n  段。\r\n');
  });

  it('lets a severity be changed or a rule switched off', () => {
    const text = article('17.10.2018  06:24  ');
    assert.deepEqual(check(text, { severities: { 'dateline-trailing-space': 'off' } }), []);
    assert.equal(check(text, { severities: { 'dateline-trailing-space': 'error' } })[0].severity, 'error');
  });
});

describe('other corpus rules', () => {
  const body = (p: string) => `标题\n\n17.10.2018  06:24\n\n${p}`;

  it('flags ? and U+FFFD standing for lost characters', () => {
    const text = body('  买买提?吾迈尔说\ufffd了。');
    assert.deepEqual(brief(text, check(text)), [['encoding-damage', 'warning', '?'], ['encoding-damage', 'warning', '\ufffd']]);
    const plain = body('  他问:why? 好。');
    assert.deepEqual(check(plain).filter((d) => d.code === 'encoding-damage'), []);
  });

  it('recognises UTF-8 read as Latin-1 and offers the recovered text', () => {
    const text = body('  å±±è¥¿代表团。');
    const ds = check(text).filter((d) => d.code === 'encoding-damage');
    assert.deepEqual(brief(text, ds), [['encoding-damage', 'warning', 'å±±è¥¿']]);
    assert.equal(ds[0].fixes[0].edits[0].newText, '山西');
  });

  it('flags half-width punctuation between Chinese characters and fixes it (the full-width convention)', () => {
    const text = body('  上午,省委书记说:好;行!(注)完。3,5 与 A,B 不算。');
    const ds = check(text, { punctuation: 'fullwidth' });
    assert.deepEqual(brief(text, ds), [
      ['halfwidth-punctuation', 'warning', ','], ['halfwidth-punctuation', 'warning', ':'], ['halfwidth-punctuation', 'warning', ';'],
      ['halfwidth-punctuation', 'warning', '!'], ['halfwidth-punctuation', 'warning', '('], ['halfwidth-punctuation', 'warning', ')'],
    ]);
    assert.equal(applySafeFixes(text, { now, punctuation: 'fullwidth' }).text, body('  上午，省委书记说：好；行！（注）完。3,5 与 A,B 不算。'));
  });

  it('by default takes the article\'s own form: an article written with half-width commas throughout gets no finding', () => {
    const text = body('  上午,省委书记说,好。(注)完。\n\n  下午,他们走了,又回来(了)。');
    assert.deepEqual(check(text), []);
    assert.equal(applySafeFixes(text, { now }).text, text);
  });

  it('by default flags the minority form of each mark where an article mixes the two (a tie counts for full width)', () => {
    // commas: 3 half-width, 1 full-width → the full-width one; colons: 1 and 1 → the half-width one; brackets: full-width only
    const text = body('  上午,省委书记说,好,行，完。甲:乙：丙（注）。');
    const ds = check(text);
    assert.deepEqual(ds.map((d) => [d.code, text.slice(d.start, d.end), d.message, d.fixes.map((f) => [f.title, f.safe])]), [
      ['halfwidth-punctuation', '，', 'Full-width "，" between Chinese characters; this article writes the half-width "," (3 of 4 times).', [['Replace "，" with ","', true]]],
      ['halfwidth-punctuation', ':', 'Half-width ":" between Chinese characters; Chinese text uses the full-width "：".', [['Replace ":" with "："', true]]],
    ]);
    assert.equal(applySafeFixes(text, { now }).text, body('  上午,省委书记说,好,行,完。甲：乙：丙（注）。'));
  });

  it('the half-width convention flags every full-width mark between Chinese characters', () => {
    const text = body('  上午，省委书记说：好（注）。3，5 不算。');
    assert.deepEqual(check(text, { punctuation: 'halfwidth' }).map((d) => [text.slice(d.start, d.end), d.message]), [
      ['，', 'Full-width "，" between Chinese characters; this corpus writes the half-width "," (.corpus-lens.json "punctuation").'],
      ['：', 'Full-width "：" between Chinese characters; this corpus writes the half-width ":" (.corpus-lens.json "punctuation").'],
      ['（', 'Full-width "（" between Chinese characters; this corpus writes the half-width "(" (.corpus-lens.json "punctuation").'],
      ['）', 'Full-width "）" between Chinese characters; this corpus writes the half-width ")" (.corpus-lens.json "punctuation").'],
    ]);
    assert.deepEqual(check(text), [], 'full width throughout: nothing by default');
  });

  it('takes the convention from .corpus-lens.json ("punctuation"), the nearest file winning; a wrong value is a config problem', () => {
    const problems: ConfigProblem[] = [];
    assert.deepEqual(validateConfig({ punctuation: 'halfwidth' }, 'c.json', problems), { punctuation: 'halfwidth' });
    assert.deepEqual(validateConfig({ punctuation: 'half' }, 'c.json', problems), {});
    assert.deepEqual(problems, [{ file: 'c.json', message: 'punctuation: "half" is not one of fullwidth, halfwidth, article' }]);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-punct-'));
    try {
      fs.mkdirSync(path.join(root, 'raw'));
      fs.writeFileSync(path.join(root, '.corpus-lens.json'), JSON.stringify({ punctuation: 'fullwidth' }));
      fs.writeFileSync(path.join(root, 'raw', '.corpus-lens.json'), JSON.stringify({ punctuation: 'halfwidth' }));
      const configs = new ConfigCache();
      assert.equal(resolveRuleOptions(path.join(root, 'a.txt'), {}, configs, root).punctuation, 'fullwidth');
      assert.equal(resolveRuleOptions(path.join(root, 'raw', 'b.txt'), { punctuation: 'article' }, configs, root).punctuation, 'halfwidth');
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });

  it('flags a paragraph without its indent, or with full-width spaces, and fixes it', () => {
    const text = body('没有缩进。\n\n\u3000\u3000全角缩进。\n\n  正常。');
    assert.deepEqual(brief(text, check(text)), [['paragraph-indent', 'warning', '没'], ['paragraph-indent', 'warning', '\u3000\u3000']]);
    assert.equal(applySafeFixes(text, { now }).text, body('  没有缩进。\n\n  全角缩进。\n\n  正常。'));
  });

  it('has a description for every rule code', () => {
    assert.ok(RULE_CODES.length >= 19);
  });
});
