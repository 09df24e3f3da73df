// Property-based tests: random Unicode (astral characters, CRLF/CR, NBSP, full-width spaces, BOM, lone
// surrogates) and random bytes never make the core throw, and every offset stays inside the text.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseArticle } from '../../src/core/article';
import { mayStartWithDate, normaliseWidth, parseDatelineLoose, startsWithDate } from '../../src/core/dateline';
import { decodeCorpusBytes } from '../../src/core/files';
import { applySafeFixes, checkArticle } from '../../src/core/rules';
import { LineIndex } from '../../src/core/text';
import { locateEntities } from '../../src/core/analysis';
import { toBratAnn, toConll, toCsv, toJson, toTsv } from '../../src/core/export/writers';

const pieces = ['标题', '\n', '\r\n', '\r', '  ', '\u00a0', '\u3000', '\ufeff', '𠮷', '😀', 'e\u0301', '17.10.2018  06:24', '2018-10-17 06:24', '１７.１０.２０１８', ':', ',', '?', '\ufffd', '·', '王小明', '（', ')', '\ud800', 'å±±è¥¿', '7.1.18  6:4'];
const articleish = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 60 }).map((a) => a.join(''));

describe('properties of the core on random input', () => {
  it('mayStartWithDate is exactly the date parsers\' own precondition: a digit after the leading white space of the normalised line', () => {
    // every date form begins with \d after the white space (WS); the parsers used to find that out by normalising
    // the line (full-width digits and punctuation) and matching it: the quick check must say yes exactly then
    const dateish = fc.array(fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2003', '０', '９', '１７．１０．２０１８', '\uff0d', '\uff1a', '\uff0f', '\uff1a', '0', '9', '17.10.2018  06:24', '2018年10月17日', '年', 'a', '标', '\ud800', '𠮷'), { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(fc.property(fc.oneof(dateish, articleish), (line) => {
      const old = /^[ \t\u00a0\u3000\ufeff]*\d/.test(normaliseWidth(line).text);
      assert.equal(mayStartWithDate(line), old, JSON.stringify(line));
      if (!old) { assert.equal(parseDatelineLoose(line), undefined); assert.equal(startsWithDate(line), false); }
    }), { numRuns: 3000 });
    assert.ok(mayStartWithDate('\u3000\ufeff１７．１０．２０１８') && parseDatelineLoose('\u3000１７．１０．２０１８　０６：２４')?.time?.hour === 6);
  });

  it('parseArticle keeps every span inside the text and slicing gives its text', () => {
    fc.assert(fc.property(articleish, (text) => {
      const a = parseArticle(text);
      for (const s of [a.title, a.dateline, a.lead, ...a.paragraphs].filter(Boolean) as { start: number; end: number; text: string }[]) {
        assert.ok(0 <= s.start && s.start <= s.end && s.end <= text.length);
        assert.equal(text.slice(s.start, s.end), s.text);
      }
    }), { numRuns: 500 });
  });

  it('checkArticle never throws, ranges stay inside the text, fixes keep it well-formed', () => {
    fc.assert(fc.property(articleish, (text) => {
      const ds = checkArticle(text, { now: new Date(2026, 0, 1) });
      for (const d of ds) {
        assert.ok(0 <= d.start && d.start <= d.end && d.end <= text.length, `${d.code} ${d.start}-${d.end} of ${text.length}`);
        for (const f of d.fixes) for (const e of f.edits) assert.ok(0 <= e.start && e.start <= e.end && e.end <= text.length);
      }
      const fixed = applySafeFixes(text, { now: new Date(2026, 0, 1) });
      assert.equal(typeof fixed.text, 'string');
      // fixing twice changes nothing more than fixing once
      assert.equal(applySafeFixes(fixed.text, { now: new Date(2026, 0, 1) }).text, fixed.text);
    }), { numRuns: 500 });
  });

  it('LineIndex positionAt/offsetAt round-trip at every offset', () => {
    fc.assert(fc.property(articleish, (text) => {
      const li = new LineIndex(text);
      for (let o = 0; o <= text.length; o++) {
        const p = li.positionAt(o);
        const back = li.offsetAt(p);
        // an offset inside a CRLF maps to the end of its line
        assert.ok(back === o || (text[o - 1] === '\r' && text[o] === '\n' && back === o - 1), `offset ${o} → ${JSON.stringify(p)} → ${back}`);
      }
    }), { numRuns: 200 });
  });

  it('decodeCorpusBytes classifies random bytes without throwing', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const r = decodeCorpusBytes(bytes, 'x.txt');
      if (r.ok) assert.equal(typeof r.text, 'string');
      else assert.ok(['binary', 'encoding', 'too-large'].includes(r.reason) && r.message.startsWith('x.txt: '));
    }), { numRuns: 500 });
  });

  it('exporters handle random mentions: offsets slice the text, nothing throws', () => {
    fc.assert(fc.property(articleish.filter((t) => t.length > 2), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 }), fc.constantFrom('PER', 'LOC', 'ORG')), { maxLength: 8 }), (text, raw) => {
      const mentions = raw.map(([s, len, type]) => {
        let start = s % text.length;
        let end = Math.min(text.length, start + len + 1);
        // never split a surrogate pair
        if (start > 0 && /[\udc00-\udfff]/.test(text[start]) && /[\ud800-\udbff]/.test(text[start - 1])) start--;
        if (end < text.length && /[\udc00-\udfff]/.test(text[end]) && /[\ud800-\udbff]/.test(text[end - 1])) end++;
        return { start, end, type: type as 'PER', text: text.slice(start, end) };
      }).filter((m) => !/[\r\n]/.test(m.text)); // the recogniser never spans lines
      const entities = locateEntities(text, mentions.map((m, i) => ({ name: m.text + i, type: m.type, aliases: [], roles: [], mentions: [m] })));
      const doc = { path: 'p', title: null, dateline: null, date: null, entities };
      for (const e of entities) for (const m of e.mentions) assert.equal(text.slice(m.start, m.end), m.text);
      JSON.parse(toJson([doc]));
      toCsv([doc]); toTsv([doc]); toConll([{ analysis: doc, text }]);
      const cps = Array.from(text);
      for (const line of toBratAnn(doc, text).split('\n').filter((l) => l.startsWith('T'))) {
        const t1 = line.indexOf('\t'), t2 = line.indexOf('\t', t1 + 1);
        const [, a, b] = line.slice(t1 + 1, t2).split(' ');
        const str = line.slice(t2 + 1);
        assert.equal(cps.slice(+a, +b).join(''), str);
      }
    }), { numRuns: 300 });
  });
});
