import { strict as assert } from 'node:assert';
import { surveyPunctuation } from '../../src/core/conventions';
import * as fc from 'fast-check';
import { checkArticle, punctuationForms } from '../../src/core/rules';
import { isCjk } from '../../src/core/text';

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

  it('finds the marks by a scan of character codes exactly as the regular expression it replaced did', () => {
    // the scan as it was (a match object per mark): the reference the character-code scan must equal
    const FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '!': '！', '(': '（', ')': '）' };
    const HALF = Object.fromEntries(Object.entries(FULL).map(([h, f]) => [f, h]));
    const reference = (text: string) => {
      let half = 0, full = 0;
      for (const m of text.matchAll(/[,;:!()，；：！（）]/g)) {
        const i = m.index!, c = m[0], h = c in FULL ? c : HALF[c];
        const low = text.charCodeAt(i - 1);
        const prev = i === 0 ? undefined : low >= 0xdc00 && low <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text.charAt(i - 1);
        const next = i + 1 < text.length ? String.fromCodePoint(text.codePointAt(i + 1)!) : undefined;
        const between = h === '(' ? next !== undefined && isCjk(next) && (prev === undefined || !/[A-Za-z0-9]/.test(prev))
          : h === ')' ? prev !== undefined && isCjk(prev) && (next === undefined || !/[A-Za-z0-9]/.test(next))
            : prev !== undefined && next !== undefined && isCjk(prev) && (isCjk(next) || /[“‘《「（(]/.test(next));
        if (between) { if (c in FULL) half++; else full++; }
      }
      return { half, full };
    };
    const piece = fc.oneof(fc.constantFrom('中', '𠮷', ',', '，', ';', '；', ':', '：', '!', '！', '(', '（', ')', '）', '?', '？', '。', '、', '．', '1', 'A', '\n', '\ud842', '“', '「'), fc.string({ maxLength: 2 }));
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(punctuationForms(text), reference(text));
    }), { numRuns: 2000 });
  });
});
