import { strict as assert } from 'node:assert';
import { surveyPunctuation } from '../../src/core/conventions';
import * as fc from 'fast-check';
import { checkArticle, punctuationForms } from '../../src/core/rules';

describe('the corpus\'s conventions (core/conventions)', () => {
  it('counts the marks between Chinese characters in each form, not those beside Latin letters or digits', () => {
    assert.deepEqual(punctuationForms('标题\n\n17.10.2018  06:24\n\n  他说,我们来了;你们呢！(好)。A,B 1,2 中,文\r\n  𠮷,吉'), { half: 6, full: 1 });
    assert.deepEqual(punctuationForms(''), { half: 0, full: 0 });
  });

  it('takes each article\'s majority form as its vote and names a convention only when 80 % of the voters agree', () => {
    const a = (half: number, full: number) => ({ punctuation: { half, full } });
    const halfCorpus = [...Array.from({ length: 8 }, () => a(115, 1)), a(0, 3), a(2, 2), a(0, 0), undefined, {}];
    assert.deepEqual(surveyPunctuation(halfCorpus), { halfwidth: 8, fullwidth: 1, even: 1, convention: 'halfwidth' });
    const mixed = [a(5, 0), a(5, 0), a(5, 0), a(0, 5), a(0, 5)];
    assert.deepEqual(surveyPunctuation(mixed), { halfwidth: 3, fullwidth: 2, even: 0, convention: undefined });
    assert.equal(surveyPunctuation([a(0, 9), a(0, 1), a(0, 4), a(0, 7), a(1, 0)]).convention, 'fullwidth');
    assert.deepEqual(surveyPunctuation([]), { halfwidth: 0, fullwidth: 0, even: 0, convention: undefined });
  });

  it('counts exactly the marks halfwidth-punctuation finds, in either form (any text of Chinese, 𠮷, punctuation, letters, line breaks)', () => {
    const piece = fc.constantFrom('中', '文', '𠮷', ',', '，', ';', '；', ':', '：', '!', '！', '(', '（', ')', '）', 'A', 'b', ' ', '\n', '\r\n', '“', '《');
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
      const text = parts.join('');
      const flagged = (form: 'fullwidth' | 'halfwidth') => checkArticle(text, { punctuation: form }).filter((d) => d.code === 'halfwidth-punctuation').length;
      assert.deepEqual(punctuationForms(text), { half: flagged('fullwidth'), full: flagged('halfwidth') });
    }), { numRuns: 300 });
  });
});
