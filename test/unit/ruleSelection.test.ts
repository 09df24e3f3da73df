import { strict as assert } from 'node:assert';
import { applySafeFixes, checkArticle, collectSafeEdits, RULE_CODES, selectRules } from '../../src/core/rules';

const now = new Date(2026, 0, 1);
// (the corpus writes full width: the article alone, all half width, would be its own convention)
const punctuation = 'fullwidth' as const;
// a dateline written year first with one space, a half-width comma between Chinese characters, an unindented paragraph
const text = '标题\n\n2018-10-17 06:24\n\n北京,上海。\n';

describe('rule selection and the fixes of chosen rules', () => {
  it('selectRules: codes and globs, in RULES order, each once', () => {
    assert.deepEqual(selectRules(['dateline-*']), RULE_CODES.filter((c) => c.startsWith('dateline-')));
    assert.deepEqual(selectRules(['paragraph-indent', 'halfwidth-punctuation', 'halfwidth-*']), ['halfwidth-punctuation', 'paragraph-indent']);
    assert.deepEqual(selectRules(['dateline-{format,separator}']), ['dateline-format', 'dateline-separator']);
    assert.deepEqual(selectRules([' title-missing ']), ['title-missing']);
  });

  it('selectRules: a pattern that names no rule throws and names the pattern', () => {
    assert.throws(() => selectRules(['dateline-*', 'datline-*']), /^Error: "datline-\*" matches no rule; the rules are dateline-missing, /);
    assert.throws(() => selectRules(['']), /^Error: "" matches no rule/);
    assert.throws(() => selectRules(['@(a|b)']), /^Error: "@\(a\|b\)" is not a rule pattern: .*extended globs/);
  });

  it('applySafeFixes with dateline-*: the dateline is rewritten, the comma and the indent stay', () => {
    const r = applySafeFixes(text, { now, punctuation }, 5, selectRules(['dateline-*']));
    assert.equal(r.text, '标题\n\n17.10.2018  06:24\n\n北京,上海。\n');
    assert.deepEqual(r.applied.map((a) => a.code), ['dateline-format', 'dateline-separator']);
  });

  it('applySafeFixes with two rules, and without a selection every rule', () => {
    assert.equal(applySafeFixes(text, { now, punctuation }, 5, ['halfwidth-punctuation', 'paragraph-indent']).text, '标题\n\n2018-10-17 06:24\n\n  北京，上海。\n');
    assert.equal(applySafeFixes(text, { now, punctuation }).text, '标题\n\n17.10.2018  06:24\n\n  北京，上海。\n');
    assert.equal(applySafeFixes(text, { now, punctuation }, 5, []).text, text, 'an empty selection fixes nothing');
  });

  it('collectSafeEdits keeps only the chosen rules\' edits', () => {
    const diags = checkArticle(text, { now, punctuation });
    const edits = collectSafeEdits(diags, ['halfwidth-punctuation']);
    assert.deepEqual(edits.map((e) => [text.slice(e.start, e.end), e.newText, e.from.map((f) => f.code)]), [[',', '，', ['halfwidth-punctuation']]]);
  });
});
