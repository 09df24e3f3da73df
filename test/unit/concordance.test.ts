// The concordance's core in plain Node: matching (plain and regular expressions), contexts bounded by sentence or
// paragraph, AntConc's sort levels and the CSV/TSV lines. Offsets are UTF-16; 𠮷 (U+20BB7) is two code units and
// one character; CRLF line ends and full-width (U+3000) indents are the corpus's own.
import { strict as assert } from 'node:assert';
import {
  compileQuery, ConcordanceLine, contextBounds, copyText, formatLines, kwic, matchesIn, positions, positionWord, queryFromInput, searchArticles, sortLines,
  toQuery,
} from '../../src/core/concordance';
import { CorpusIndex } from '../../src/core/corpusIndex';

const re = (pattern: string, regex = false, caseSensitive = false) => {
  const q = compileQuery({ pattern, regex, caseSensitive });
  if (!q.ok) throw new Error(q.message);
  return q.re;
};
const spans = (text: string, r: RegExp) => [...matchesIn(text, r)].map((m) => [m.start, m.end, text.slice(m.start, m.end)]);

// the sample corpus's shape: title, empty line, dateline, empty line, indented paragraphs; CRLF
const ARTICLE = '会见董事长\r\n\r\n15.04.1998  16:52\r\n\r\n  国家主席江泽民会见了客人。他说：“欢迎！”江泽民强调合作。\r\n　　江泽民在北京。\r\n';

describe('concordance: queries', () => {
  it('a plain string matches literally, a regular expression as written, case-insensitive unless asked', () => {
    assert.deepEqual(spans('a.b axb A.B', re('a.b')), [[0, 3, 'a.b'], [8, 11, 'A.B']]);
    assert.deepEqual(spans('a.b axb A.B', re('a.b', false, true)), [[0, 3, 'a.b']]);
    assert.deepEqual(spans('a.b axb A.B', re('a.b', true, true)), [[0, 3, 'a.b'], [4, 7, 'axb']]);
    assert.deepEqual(spans('中国银行和中国人民银行', re('中国.{0,2}银行', true)), [[0, 4, '中国银行'], [5, 11, '中国人民银行']]);
  });

  it('counts UTF-16 offsets past 𠮷 and takes 𠮷 as one character in a pattern', () => {
    const text = '𠮷野家在𠮷野';
    assert.deepEqual(spans(text, re('野')), [[2, 3, '野'], [7, 8, '野']]);
    assert.deepEqual(spans(text, re('^.野', true)), [[0, 3, '𠮷野']]);
    assert.deepEqual(spans(text, re('\\p{Script=Han}野', true)), [[0, 3, '𠮷野'], [5, 8, '𠮷野']]);
  });

  it('steps over empty matches instead of looping or returning them', () => {
    assert.deepEqual(spans('x𠮷xx', re('x*', true)), [[0, 1, 'x'], [3, 5, 'xx']]);
  });

  it('takes a command\'s argument and the palette\'s input', () => {
    assert.deepEqual(toQuery('a.b'), { pattern: 'a.b', regex: false, caseSensitive: false });
    assert.deepEqual(toQuery({ pattern: 'a.b', regex: true }), { pattern: 'a.b', regex: true, caseSensitive: false });
    assert.deepEqual(toQuery({ pattern: 'x', regex: 'yes', caseSensitive: true }), { pattern: 'x', regex: false, caseSensitive: true });
    assert.equal(toQuery({ key: 'PER:x' }), undefined);
    assert.deepEqual(queryFromInput('/中国.{0,2}银行/'), { pattern: '中国.{0,2}银行', regex: true, caseSensitive: true });
    assert.deepEqual(queryFromInput('/gdp/i'), { pattern: 'gdp', regex: true, caseSensitive: false });
    assert.deepEqual(queryFromInput('1/2'), { pattern: '1/2', regex: false, caseSensitive: false });
    assert.deepEqual(queryFromInput('/'), { pattern: '/', regex: false, caseSensitive: false });
  });

  it('an invalid regular expression or an empty query is a message, not an exception', () => {
    const bad = compileQuery({ pattern: '江泽民(', regex: true });
    assert.equal(bad.ok, false);
    assert.match((bad as { message: string }).message, /^Not a valid regular expression: .*Unterminated group/);
    assert.equal(compileQuery({ pattern: '江泽民(' }).ok, true, 'the same text as a plain string is fine');
    assert.deepEqual(compileQuery({ pattern: '' }), { ok: false, message: 'Type a string or a regular expression to search for.' });
  });
});

describe('concordance: context', () => {
  const at = (needle: string, nth = 0) => { let i = -1; for (let k = 0; k <= nth; k++) i = ARTICLE.indexOf(needle, i + 1); return i; };

  it('never takes a body line\'s context from the title or the dateline (CRLF)', () => {
    const s = at('江泽民');
    for (const bound of ['sentence', 'paragraph'] as const) {
      const { left } = kwic(ARTICLE, s, s + 3, { width: 30, bound });
      assert.equal(left, '国家主席', bound);
    }
  });

  it('bounds by the sentence, closing quotes kept with the sentence they end', () => {
    const first = at('江泽民');
    assert.deepEqual(kwic(ARTICLE, first, first + 3, { width: 30, bound: 'sentence' }), { left: '国家主席', right: '会见了客人。' });
    const second = at('江泽民', 1);
    assert.deepEqual(kwic(ARTICLE, second, second + 3, { width: 30, bound: 'sentence' }), { left: '', right: '强调合作。' });
    assert.deepEqual(kwic(ARTICLE, second, second + 3, { width: 30, bound: 'paragraph' }), { left: '国家主席江泽民会见了客人。他说：“欢迎！”', right: '强调合作。' });
  });

  it('leaves out a full-width indent and the CR of a CRLF', () => {
    const third = at('江泽民', 2);
    assert.deepEqual(kwic(ARTICLE, third, third + 3, { width: 30, bound: 'paragraph' }), { left: '', right: '在北京。' });
    const b = contextBounds(ARTICLE, third, third + 3, 'paragraph');
    assert.equal(ARTICLE.slice(b.from, b.to), '江泽民在北京。');
  });

  it('counts the width in characters, 𠮷 as one', () => {
    const text = '  甲乙𠮷丙王小明𠮷丁戊。';
    const s = text.indexOf('王小明');
    assert.deepEqual(kwic(text, s, s + 3, { width: 2, bound: 'sentence' }), { left: '𠮷丙', right: '𠮷丁' });
    assert.deepEqual(kwic(text, s, s + 3, { width: 4, bound: 'sentence' }), { left: '甲乙𠮷丙', right: '𠮷丁戊。' });
  });

  it('a match across a line break keeps both lines as its paragraph', () => {
    const text = '标题\n\n  甲乙\n丙丁。';
    const [m] = matchesIn(text, re('乙\\n丙', true));
    assert.deepEqual(kwic(text, m.start, m.end, { width: 5, bound: 'sentence' }), { left: '甲', right: '丁。' });
  });
});

describe('concordance: search', () => {
  const articles = [
    { file: '/c/a.txt', text: ARTICLE, dateline: '15.04.1998  16:52', date: '1998-04-15T16:52' },
    { file: '/c/b.txt', text: '题\n\n01.01.1999  08:00\n\n  𠮷江泽民。', dateline: '01.01.1999  08:00', date: '1999-01-01T08:00' },
  ];

  it('returns every match with its offsets, line and character, each slicing to the match', () => {
    const r = searchArticles(articles, re('江泽民'), { width: 4, bound: 'sentence' });
    assert.deepEqual([r.total, r.more, r.articles], [4, false, 2]);
    assert.deepEqual(r.lines.map((l) => [l.file, l.start, l.end, l.line, l.character, l.left, l.right]), [
      ['/c/a.txt', 36, 39, 4, 6, '国家主席', '会见了客'],
      ['/c/a.txt', 53, 56, 4, 23, '', '强调合作'],
      ['/c/a.txt', 65, 68, 5, 2, '', '在北京。'],
      ['/c/b.txt', 26, 29, 4, 4, '𠮷', '。'],
    ]);
    for (const l of r.lines) assert.equal(articles.find((a) => a.file === l.file)!.text.slice(l.start, l.end), l.match);
  });

  it('keeps the first maxLines lines and counts up to maxCount, then says there are more', () => {
    const r = searchArticles(articles, re('江泽民'), { width: 4, bound: 'sentence' }, { maxLines: 2, maxCount: 3 });
    assert.deepEqual([r.lines.length, r.total, r.more], [2, 3, true]);
    const all = searchArticles(articles, re('江泽民'), { width: 4, bound: 'sentence' }, { maxLines: 2, maxCount: 10 });
    assert.deepEqual([all.lines.length, all.total, all.more], [2, 4, false]);
  });

  it('the index\'s entity lines take the same bounded context', () => {
    const idx = new CorpusIndex();
    const s = ARTICLE.indexOf('江泽民');
    idx.set('/c/a.txt', 'h', { path: '/c/a.txt', title: '会见董事长', dateline: '15.04.1998  16:52', date: '1998-04-15T16:52',
      entities: [{ name: '江泽民', type: 'PER', aliases: [], roles: [], mentions: [{ start: s, end: s + 3, text: '江泽民', line: 4, character: 6 }] }] });
    const [l] = idx.concordance('PER:江泽民', () => ARTICLE, { width: 30, bound: 'sentence' });
    assert.deepEqual([l.left, l.right], ['国家主席', '会见了客人。']);
    // a bare width keeps the old unbounded context (the entities panel's)
    assert.match(idx.concordance('PER:江泽民', () => ARTICLE, 30)[0].left, /16:52 国家主席$/);
  });
});

describe('concordance: sort', () => {
  const line = (file: string, date: string | null, left: string, match: string, right: string, start = 0): ConcordanceLine =>
    ({ file, dateline: null, date, left, match, right, start, end: start + match.length, line: 0, character: start });

  it('positions are characters, white space skipped, a run of Latin letters or digits one', () => {
    assert.deepEqual(positions('在 2018年 GDP　增长'), ['在', '2018', '年', 'GDP', '增', '长']);
    assert.deepEqual(positions('𠮷ｸ１２'), ['𠮷', 'ｸ', '１２']);
    const l = line('/a', null, '国家主席', 'X', '会见了');
    assert.deepEqual(['1L', '2L', '3L', '1R', '2R', '3R'].map((k) => positionWord(l, k as '1L')), ['席', '主', '家', '会', '见', '了']);
    assert.equal(positionWord(line('/a', null, '', 'X', ''), '2L'), '');
  });

  it('sorts by up to three levels, then by date (undated last), article and offset', () => {
    const c = new Intl.Collator('en');
    const lines = [
      line('/b', '2018-01-02', 'x a', 'M', 'p', 5),
      line('/a', null, 'y a', 'M', 'q', 1),
      line('/a', '2018-01-01', 'z b', 'M', 'p', 3),
      line('/c', '2017-05-05', 'w a', 'M', 'p', 0),
    ];
    const order = (keys: Parameters<typeof sortLines>[1]) => sortLines(lines, keys, c).map((l) => `${l.file}${l.start}`);
    assert.deepEqual(order([]), ['/c0', '/a3', '/b5', '/a1']);
    assert.deepEqual(order(['1L']), ['/c0', '/b5', '/a1', '/a3']);
    assert.deepEqual(order(['1R', '2L']), ['/c0', '/b5', '/a3', '/a1']);
    assert.deepEqual(order(['article']), ['/a3', '/a1', '/b5', '/c0']);
    assert.deepEqual(order(['date']), order([]));
  });

  it('takes the positions from the contexts\' words where they are given', () => {
    const a = line('/a', null, '国家主席', 'X', '会见了', 0);
    const b = line('/b', null, '国务院总理', 'X', '会见', 0);
    const words = new Map([[a, { left: ['国家', '主席'], right: ['会见', '了'] }], [b, { left: ['国务院', '总理'], right: ['会见'] }]]);
    assert.deepEqual(['1L', '2L', '1R', '2R'].map((k) => positionWord(a, k as '1L', words.get(a))), ['主席', '国家', '会见', '了']);
    assert.equal(positionWord(b, '2R', words.get(b)), '');
    const c = new Intl.Collator('zh-u-co-pinyin');
    // 1L by words: 主席 (zhu) before 总理 (zong); by characters: 理 (li) before 席 (xi)
    assert.deepEqual(sortLines([b, a], ['1L'], c, undefined, (l) => words.get(l)).map((l) => l.file), ['/a', '/b']);
    assert.deepEqual(sortLines([a, b], ['1L'], c).map((l) => l.file), ['/b', '/a']);
  });
});

describe('concordance: copy and export', () => {
  const lines: ConcordanceLine[] = [
    { file: '/w/a.txt', dateline: '15.04.1998  16:52', date: '1998-04-15T16:52', left: '国家主席', match: '江泽民', right: '会见, "客人"', start: 30, end: 33, line: 4, character: 6 },
    { file: '/w/=b.txt', dateline: null, date: null, left: '-1\t度', match: '江泽民', right: '', start: 3, end: 6, line: 0, character: 3 },
  ];
  const rel = (f: string) => f.slice(3);

  it('CSV: a BOM, a header, CRLF, quoting, 1-based lines, formulas neutralised', () => {
    assert.equal(formatLines(lines, 'csv', rel),
      '\ufeffarticle,dateline,date,start,end,line,left,match,right\r\n'
      + 'a.txt,15.04.1998  16:52,1998-04-15T16:52,30,33,5,国家主席,江泽民,"会见, ""客人"""\r\n'
      + '"\'=b.txt",,,3,6,1,"\'-1\t度",江泽民,\r\n');
  });

  it('TSV: a header, tabs inside cells as spaces, formulas neutralised', () => {
    assert.equal(formatLines(lines, 'tsv', rel),
      'article\tdateline\tdate\tstart\tend\tline\tleft\tmatch\tright\n'
      + 'a.txt\t15.04.1998  16:52\t1998-04-15T16:52\t30\t33\t5\t国家主席\t江泽民\t会见, "客人"\n'
      + '\'=b.txt\t\t\t3\t6\t1\t\'-1 度\t江泽民\t\n');
  });

  it('copies left, match, right, article and dateline, tab-separated', () => {
    assert.equal(copyText(lines, rel), '国家主席\t江泽民\t会见, "客人"\ta.txt\t15.04.1998  16:52\n-1 度\t江泽民\t\t=b.txt\t');
  });
});
