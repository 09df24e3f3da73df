import { strict as assert } from 'node:assert';
import { parseArticle } from '../../src/core/article';

describe('parseArticle', () => {
  const sample = '省里召开座谈会\n\n17.10.2018 \u00a006:24\n王建平出席\n\n  第一段。\n\n  第二段。';

  it('finds title, dateline, lead and paragraphs with exact offsets (NBSP separator, no final newline)', () => {
    const a = parseArticle(sample);
    assert.deepEqual([a.title?.line, a.title?.text, a.title?.start, a.title?.end], [0, '省里召开座谈会', 0, 7]);
    assert.deepEqual([a.dateline?.line, a.dateline?.text, a.dateline?.start, a.dateline?.end], [2, '17.10.2018 \u00a006:24', 9, 26]);
    assert.deepEqual([a.lead?.line, a.lead?.text], [3, '王建平出席']);
    assert.deepEqual(a.paragraphs.map((p) => [p.line, p.text, p.indent, sample.slice(p.start, p.end)]), [
      [5, '  第一段。', '  ', '  第一段。'], [7, '  第二段。', '  ', '  第二段。'],
    ]);
    assert.equal(a.eol, '\n');
  });

  it('is tolerant of CRLF and a BOM, keeping offsets into the text as given', () => {
    const crlf = '\ufeff' + sample.replace(/\n/g, '\r\n') + '\r\n';
    const a = parseArticle(crlf);
    assert.equal(a.bom, true);
    assert.equal(a.eol, '\r\n');
    assert.deepEqual([a.title?.start, a.title?.text], [1, '省里召开座谈会']);
    assert.equal(crlf.slice(a.dateline!.start, a.dateline!.end), '17.10.2018 \u00a006:24');
    assert.equal(a.dateline!.line, 2);
    assert.deepEqual(a.paragraphs.map((p) => crlf.slice(p.start, p.end)), ['  第一段。', '  第二段。']);
  });

  it('finds a misplaced dateline and reports none when there is none', () => {
    assert.equal(parseArticle('标题\n17.10.2018  06:24\n\n  段').dateline?.line, 1);
    const none = parseArticle('标题\n\n  只有段落。');
    assert.equal(none.dateline, undefined);
    assert.deepEqual(none.paragraphs.map((p) => p.line), [2]);
  });

  it('does not take a paragraph that starts with a date for a dateline', () => {
    assert.equal(parseArticle('标题\n\n17.10.2018 是个好日子').dateline, undefined);
  });

  it('handles an empty text and a title only', () => {
    assert.deepEqual(parseArticle('').paragraphs, []);
    assert.equal(parseArticle('').title, undefined);
    const t = parseArticle('只有标题');
    assert.equal(t.title?.text, '只有标题');
    assert.equal(t.dateline, undefined);
  });
});
