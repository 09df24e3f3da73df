import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

// Tokenizes with the real TextMate engine (vscode-textmate + the Oniguruma WASM build), the same
// engine VS Code uses, and asserts the exact scope stacks of syntaxes/corpus.tmLanguage.json.

const ROOT = path.resolve(__dirname, '..', '..');
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'corpus.tmLanguage.json');
const SAMPLE_DIR = path.join(ROOT, 'sample', 'corpus');

interface Tok {
  line: number; // 0-based line
  start: number;
  text: string;
  scopes: string[]; // without the root scope `text.corpus`
}

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  if (!grammarPromise) {
    grammarPromise = (async () => {
      const wasmPath = path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm');
      const wasm = fs.readFileSync(wasmPath);
      await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
          createOnigString: (s: string) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName: string) => {
          if (scopeName !== 'text.corpus') return null;
          return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
        },
      });
      const g = await registry.loadGrammar('text.corpus');
      if (!g) throw new Error('grammar text.corpus did not load');
      return g;
    })();
  }
  return grammarPromise;
}

/** Like VS Code: drop a BOM, split on CRLF/LF, tokenize line by line carrying the rule stack. */
async function tokenize(doc: string): Promise<Tok[]> {
  const g = await loadGrammar();
  const lines = doc.replace(/^\uFEFF/, '').split(/\r\n|\n/);
  const out: Tok[] = [];
  let state = vsctm.INITIAL;
  lines.forEach((lineText, line) => {
    const r = g.tokenizeLine(lineText, state);
    state = r.ruleStack;
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end <= t.startIndex) continue;
      assert.equal(t.scopes[0], 'text.corpus');
      out.push({ line, start: t.startIndex, text: lineText.slice(t.startIndex, end), scopes: t.scopes.slice(1) });
    }
  });
  return out;
}

/** The scopes of the token with exactly this text (the n-th such token, optionally on one line). */
function scopesOf(toks: Tok[], text: string, opts: { line?: number; nth?: number } = {}): string[] {
  const hits = toks.filter((t) => t.text === text && (opts.line === undefined || t.line === opts.line));
  const hit = hits[opts.nth ?? 0];
  if (!hit) {
    const dump = toks.map((t) => `${t.line}:${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n');
    assert.fail(`no token ${JSON.stringify(text)} (line ${opts.line ?? 'any'})\n${dump}`);
  }
  return hit.scopes;
}

/** Tokenize one paragraph line of a body (after a well-formed header). */
async function para(text: string): Promise<Tok[]> {
  const doc = `标题\n\n17.10.2018  06:24\n\n  ${text}`;
  return (await tokenize(doc)).filter((t) => t.line === 4);
}

const P = 'meta.paragraph.corpus';
const H = 'meta.header.corpus';
const D = 'meta.dateline.corpus';
const NBSP = '\u00A0';

describe('TextMate grammar text.corpus', () => {
  it('has the scope name and is valid JSON', () => {
    const raw = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8'));
    assert.equal(raw.scopeName, 'text.corpus');
  });

  describe('header: title, dateline, lead', () => {
    it('scopes the title line, the dateline (two spaces) and the lead', async () => {
      const toks = await tokenize('某某市召开工作会议\n\n17.10.2018  06:24\n市委书记王建平出席\n\n  正文。');
      assert.deepEqual(scopesOf(toks, '某某市召开工作会议', { line: 0 }), [H, 'markup.heading.1.title.corpus']);
      assert.deepEqual(scopesOf(toks, '17.10.2018', { line: 2 }), [H, D, 'constant.numeric.date.corpus']);
      assert.deepEqual(scopesOf(toks, '  ', { line: 2 }), [H, D, 'punctuation.separator.dateline.corpus']);
      assert.deepEqual(scopesOf(toks, '06:24', { line: 2 }), [H, D, 'constant.numeric.time.corpus']);
      assert.deepEqual(scopesOf(toks, '市委书记王建平出席', { line: 3 }), [H, D, 'markup.heading.2.lead.corpus']);
      assert.deepEqual(scopesOf(toks, '  ', { line: 5 }), [P, 'punctuation.whitespace.leading.indent.corpus']);
      assert.deepEqual(scopesOf(toks, '正文。', { line: 5 }), [P]);
    });

    it('accepts SPACE + NO-BREAK SPACE as the dateline separator', async () => {
      const toks = await tokenize(`标题\n\n17.10.2018 ${NBSP}06:24\n导语\n\n  正文`);
      assert.deepEqual(scopesOf(toks, '17.10.2018'), [H, D, 'constant.numeric.date.corpus']);
      assert.deepEqual(scopesOf(toks, ` ${NBSP}`), [H, D, 'punctuation.separator.dateline.corpus']);
      assert.deepEqual(scopesOf(toks, '06:24'), [H, D, 'constant.numeric.time.corpus']);
      assert.deepEqual(scopesOf(toks, '导语'), [H, D, 'markup.heading.2.lead.corpus']);
    });

    it('has no lead when the line under the dateline is empty', async () => {
      const toks = await tokenize('标题\n\n01.02.2019  23:59\n\n  第一段\n\n  第二段');
      assert.ok(!toks.some((t) => t.scopes.includes('markup.heading.2.lead.corpus')));
      assert.deepEqual(scopesOf(toks, '第一段'), [P]);
      assert.deepEqual(scopesOf(toks, '第二段'), [P]);
    });

    it('only the single line right under the dateline is the lead', async () => {
      const toks = await tokenize('标题\n\n01.02.2019  23:59\n导语\n第二行\n\n  第一段');
      assert.deepEqual(scopesOf(toks, '导语'), [H, D, 'markup.heading.2.lead.corpus']);
      assert.deepEqual(scopesOf(toks, '第二行'), [H]);
    });

    it('ends the header at a paragraph that directly follows the dateline', async () => {
      const toks = await tokenize('标题\n\n01.02.2019  23:59\n  第一段');
      assert.deepEqual(scopesOf(toks, '  ', { line: 3 }), [P, 'punctuation.whitespace.leading.indent.corpus']);
      assert.deepEqual(scopesOf(toks, '第一段'), [P]);
    });

    it('works with CRLF input and a BOM (as VS Code hands lines over)', async () => {
      const toks = await tokenize('\uFEFF标题\r\n\r\n17.10.2018  06:24\r\n导语\r\n\r\n  正文\r\n');
      assert.deepEqual(scopesOf(toks, '标题'), [H, 'markup.heading.1.title.corpus']);
      assert.deepEqual(scopesOf(toks, '06:24'), [H, D, 'constant.numeric.time.corpus']);
      assert.deepEqual(scopesOf(toks, '导语'), [H, D, 'markup.heading.2.lead.corpus']);
    });

    it('tokenizes inline constructs inside the title and the lead', async () => {
      const toks = await tokenize('《某某条例》2018年实施\n\n17.10.2018  06:24\n“一带一路”投资19.39亿元\n\n  正文');
      assert.deepEqual(scopesOf(toks, '某某条例'), [H, 'markup.heading.1.title.corpus', 'markup.italic.book-title.corpus', 'entity.name.type.book-title.corpus']);
      assert.deepEqual(scopesOf(toks, '2018年'), [H, 'markup.heading.1.title.corpus', 'constant.numeric.date.chinese.corpus']);
      assert.deepEqual(scopesOf(toks, '一带一路'), [H, D, 'markup.heading.2.lead.corpus', 'string.quoted.double.corpus']);
      assert.deepEqual(scopesOf(toks, '亿元'), [H, D, 'markup.heading.2.lead.corpus', 'meta.amount.corpus', 'keyword.other.unit.corpus']);
    });

    const malformed: Array<[string, string]> = [
      ['2018-10-17 06:24', 'ISO order'],
      ['17.10.18  06:24', 'two-digit year'],
      ['１７.１０.２０１８  ０６:２４', 'full-width digits'],
      ['7.1.2018  6:24', 'no leading zeros'],
      ['17/10/2018 06:24', 'slashes'],
      ['32.10.2018  06:24', 'day 32'],
      ['17.10.2018  25:10', 'hour 25'],
      ['17.10.2018', 'no time'],
      ['17.10.2018  06:24  ', 'trailing spaces'],
      ['17.10.2018 06:24', 'one space'],
    ];
    for (const [line, why] of malformed) {
      it(`does not scope a malformed dateline as well-formed: ${why}`, async () => {
        const toks = await tokenize(`标题\n\n${line}\n导语\n\n  正文`);
        const l2 = toks.filter((t) => t.line === 2);
        assert.ok(l2.length > 0);
        for (const t of l2) {
          assert.ok(!t.scopes.includes(D), `${JSON.stringify(t.text)} got ${t.scopes.join(' ')}`);
          assert.ok(!t.scopes.some((s) => s.startsWith('constant.numeric')), `${JSON.stringify(t.text)} got ${t.scopes.join(' ')}`);
          assert.deepEqual(t.scopes, [H, 'meta.dateline.malformed.corpus']);
        }
        // the lead under a malformed dateline is still a lead
        assert.deepEqual(scopesOf(toks, '导语'), [H, 'meta.dateline.malformed.corpus', 'markup.heading.2.lead.corpus']);
        assert.deepEqual(scopesOf(toks, '正文'), [P]);
      });
    }

    it('does not treat a dateline-like line inside the body as a dateline', async () => {
      const toks = await tokenize('标题\n\n17.10.2018  06:24\n\n  正文\n17.10.2018  06:24');
      assert.ok(!toks.filter((t) => t.line === 5).some((t) => t.scopes.includes(D)));
    });
  });

  describe('inline constructs in paragraphs', () => {
    it('amounts: number + unit', async () => {
      const toks = await para('投入资金19.39亿元,实施项目213个,选派人才459名,各类人才2385人次,新增1,200万元');
      const A = [P, 'meta.amount.corpus'];
      for (const [num, unit] of [['19.39', '亿元'], ['213', '个'], ['459', '名'], ['2385', '人次'], ['1,200', '万元']]) {
        assert.deepEqual(scopesOf(toks, num), [...A, 'constant.numeric.amount.corpus'], num);
        assert.deepEqual(scopesOf(toks, unit), [...A, 'keyword.other.unit.corpus'], unit);
      }
    });

    it('amounts with 多/余 and multipliers, durations, and a bare number', async () => {
      const toks = await para('300多名 1000余人 2.3万余人次 5千瓦 3个月 0.5个百分点 编号7');
      assert.deepEqual(scopesOf(toks, '多名'), [P, 'meta.amount.corpus', 'keyword.other.unit.corpus']);
      assert.deepEqual(scopesOf(toks, '余人'), [P, 'meta.amount.corpus', 'keyword.other.unit.corpus']);
      assert.deepEqual(scopesOf(toks, '万余人次'), [P, 'meta.amount.corpus', 'keyword.other.unit.corpus']);
      assert.deepEqual(scopesOf(toks, '千瓦'), [P, 'meta.amount.corpus', 'keyword.other.unit.corpus']);
      assert.deepEqual(scopesOf(toks, '个月'), [P, 'meta.amount.corpus', 'keyword.other.unit.corpus']);
      assert.deepEqual(scopesOf(toks, '个百分点'), [P, 'meta.amount.corpus', 'keyword.other.unit.corpus']);
      assert.deepEqual(scopesOf(toks, '7'), [P, 'constant.numeric.corpus']);
    });

    it('percentages', async () => {
      const toks = await para('同比增长12.5%,占比３０％');
      assert.deepEqual(scopesOf(toks, '12.5'), [P, 'meta.percentage.corpus', 'constant.numeric.percentage.corpus']);
      assert.deepEqual(scopesOf(toks, '%'), [P, 'meta.percentage.corpus', 'keyword.other.unit.percent.corpus']);
      assert.deepEqual(scopesOf(toks, '３０'), [P, 'meta.percentage.corpus', 'constant.numeric.percentage.corpus']);
      assert.deepEqual(scopesOf(toks, '％'), [P, 'meta.percentage.corpus', 'keyword.other.unit.percent.corpus']);
    });

    it('Chinese dates, ranges and times of day', async () => {
      const toks = await para('10月14日至16日上午,省委书记率团考察。2018年以来,14日下午举行,2019年3月5日9时30分许开幕,10月底完成');
      const DC = [P, 'constant.numeric.date.chinese.corpus'];
      const TC = [P, 'constant.numeric.time.chinese.corpus'];
      assert.deepEqual(scopesOf(toks, '10月14日'), DC);
      assert.deepEqual(scopesOf(toks, '至'), [P, 'keyword.operator.range.corpus']);
      assert.deepEqual(scopesOf(toks, '16日'), DC);
      assert.deepEqual(scopesOf(toks, '上午'), TC);
      assert.deepEqual(scopesOf(toks, '2018年'), DC);
      assert.deepEqual(scopesOf(toks, '14日'), DC);
      assert.deepEqual(scopesOf(toks, '下午'), TC);
      assert.deepEqual(scopesOf(toks, '2019年3月5日'), DC);
      assert.deepEqual(scopesOf(toks, '9时30分许'), TC);
      assert.deepEqual(scopesOf(toks, '10月底'), DC);
    });

    it('relative dates', async () => {
      const toks = await para('今年以来,当天晚上');
      assert.deepEqual(scopesOf(toks, '今年'), [P, 'constant.numeric.date.chinese.corpus']);
      assert.deepEqual(scopesOf(toks, '当天'), [P, 'constant.numeric.date.chinese.corpus']);
      assert.deepEqual(scopesOf(toks, '晚上'), [P, 'constant.numeric.time.chinese.corpus']);
    });

    it('quotes “” ‘’ 「」 『』 and half-width ""', async () => {
      const toks = await para('树牢“四个意识”,称‘好’,「一」,『二』,"三"');
      const pairs: Array<[string, string, string, string]> = [
        ['“', '四个意识', '”', 'string.quoted.double.corpus'],
        ['‘', '好', '’', 'string.quoted.single.corpus'],
        ['「', '一', '」', 'string.quoted.other.corner-bracket.corpus'],
        ['『', '二', '』', 'string.quoted.other.white-corner-bracket.corpus'],
        ['"', '三', '"', 'string.quoted.double.ascii.corpus'],
      ];
      for (const [open, body, close, scope] of pairs) {
        assert.deepEqual(scopesOf(toks, open), [P, scope, 'punctuation.definition.string.begin.corpus'], open);
        assert.deepEqual(scopesOf(toks, body), [P, scope], body);
        assert.deepEqual(scopesOf(toks, close, { nth: open === close ? 1 : 0 }), [P, scope, 'punctuation.definition.string.end.corpus'], close);
      }
    });

    it('nests inline constructs inside quotes and closes an unclosed quote at the line end', async () => {
      const toks = await tokenize('标题\n\n17.10.2018  06:24\n\n  他说:“投入5亿元‘试点’\n\n  下一段');
      assert.deepEqual(scopesOf(toks, '亿元'), [P, 'string.quoted.double.corpus', 'meta.amount.corpus', 'keyword.other.unit.corpus']);
      assert.deepEqual(scopesOf(toks, '试点'), [P, 'string.quoted.double.corpus', 'string.quoted.single.corpus']);
      assert.deepEqual(scopesOf(toks, '下一段'), [P]);
    });

    it('book and work titles in 《》, with 〈〉 inside', async () => {
      const toks = await para('学习《关于〈某某条例〉的说明》和《生命如歌》');
      const B = [P, 'markup.italic.book-title.corpus'];
      assert.deepEqual(scopesOf(toks, '《'), [...B, 'punctuation.definition.book-title.begin.corpus']);
      assert.deepEqual(scopesOf(toks, '关于'), [...B, 'entity.name.type.book-title.corpus']);
      assert.deepEqual(scopesOf(toks, '〈'), [...B, 'entity.name.type.book-title.corpus', 'markup.italic.book-title.inner.corpus', 'punctuation.definition.book-title.begin.corpus']);
      assert.deepEqual(scopesOf(toks, '某某条例'), [...B, 'entity.name.type.book-title.corpus', 'markup.italic.book-title.inner.corpus', 'entity.name.type.book-title.inner.corpus']);
      assert.deepEqual(scopesOf(toks, '生命如歌'), [...B, 'entity.name.type.book-title.corpus']);
      assert.deepEqual(scopesOf(toks, '》', { nth: 1 }), [...B, 'punctuation.definition.book-title.end.corpus']);
    });

    it('transliterated names with a middle dot, without the title before or the verb after', async () => {
      const toks = await para('兵团领导沙尔合提·阿汗、吉尔拉·衣沙木丁,自治区主席阿依古丽·买买提介绍说');
      const N = [P, 'support.type.person.transliterated.corpus'];
      assert.deepEqual(scopesOf(toks, '兵团领导'), [P]);
      assert.deepEqual(scopesOf(toks, '沙尔合提'), N);
      assert.deepEqual(scopesOf(toks, '·'), [...N, 'punctuation.separator.middle-dot.corpus']);
      assert.deepEqual(scopesOf(toks, '阿汗'), N);
      assert.deepEqual(scopesOf(toks, '吉尔拉'), N);
      assert.deepEqual(scopesOf(toks, '衣沙木丁'), N);
      assert.deepEqual(scopesOf(toks, '阿依古丽'), N);
      assert.deepEqual(scopesOf(toks, '买买提'), N);
    });

    it('a middle dot between place names is punctuation, not a name', async () => {
      const toks = await para('在山西省·新疆维吾尔自治区座谈会上');
      assert.deepEqual(scopesOf(toks, '·'), [P, 'punctuation.separator.middle-dot.corpus']);
      assert.ok(!toks.some((t) => t.scopes.includes('support.type.person.transliterated.corpus')));
    });

    it('plain text gets only the paragraph scope', async () => {
      const toks = await para('省委书记骆惠宁率代表团赴新疆学习考察。');
      assert.equal(toks.length, 2);
      assert.deepEqual(toks[1].scopes, [P]);
    });
  });

  describe('sample corpus', () => {
    const files = fs.existsSync(SAMPLE_DIR)
      ? fs.readdirSync(SAMPLE_DIR).filter((f) => /\.(txt|corpus)$/.test(f)).sort()
      : [];
    const WELL_FORMED = /^(0[1-9]|[12]\d|3[01])\.(0[1-9]|1[0-2])\.\d{4}( \u00A0| {2})([01]\d|2[0-3]):[0-5]\d$/;

    it('has sample articles', () => {
      assert.ok(files.length >= 13, `found ${files.length}`);
    });

    for (const f of files) {
      it(`tokenizes ${f}: title, dateline, lead and paragraphs`, async () => {
        const doc = fs.readFileSync(path.join(SAMPLE_DIR, f), 'utf8');
        const lines = doc.replace(/^\uFEFF/, '').split(/\r\n|\n/);
        const toks = await tokenize(doc);
        const on = (l: number) => toks.filter((t) => t.line === l);
        assert.ok(on(0).length > 0 && on(0).every((t) => t.scopes.slice(0, 2).join(' ') === `${H} markup.heading.1.title.corpus`));
        if (WELL_FORMED.test(lines[2])) {
          assert.deepEqual(on(2)[0].scopes, [H, D, 'constant.numeric.date.corpus']);
          assert.deepEqual(on(2)[2].scopes, [H, D, 'constant.numeric.time.corpus']);
        } else {
          assert.ok(on(2).every((t) => !t.scopes.includes(D)));
        }
        if (lines[3].trim() !== '') {
          assert.ok(on(3).every((t) => t.scopes.includes('markup.heading.2.lead.corpus')), `${f} lead`);
        }
        lines.forEach((l, i) => {
          if (/^ {2}\S/.test(l)) {
            assert.deepEqual(on(i)[0].scopes, [P, 'punctuation.whitespace.leading.indent.corpus'], `${f}:${i + 1}`);
            assert.ok(on(i).every((t) => t.scopes[0] === P), `${f}:${i + 1}`);
          }
        });
      });
    }
  });
});
