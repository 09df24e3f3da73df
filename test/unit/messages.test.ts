/**
 * The core's rule messages and fix titles in the language of the l10n bundle chosen (core/messages): English as
 * written by default, Chinese with l10n/bundle.l10n.zh-cn.json, and the CLI's choice from its locale environment.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliMessages, formatCount, MessageBundle, useMessages } from '../../src/core/messages';
import { checkArticle } from '../../src/core/rules';

const ZH: MessageBundle = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../l10n/bundle.l10n.zh-cn.json'), 'utf8'));
/** a year-first dateline (dateline-format, with its rewrite) and a half-width comma beside a full-width one (a tie: the half-width one is flagged) */
const ARTICLE = '标题\n\n2018-10-17  06:24\n\n  正文,内容，完。\n';
const found = (text: string) => checkArticle(text, { now: new Date(2024, 0, 1) }).map((d) => ({ code: d.code, message: d.message, fixes: d.fixes.map((f) => f.title) }));

describe('rule messages in the bundle\'s language', () => {
  afterEach(() => useMessages(undefined));

  it('are English by default, as written', () => {
    assert.deepEqual(found(ARTICLE), [
      { code: 'dateline-format', message: 'Date "2018-10-17" is written year-month-day with "-"; expected DD.MM.YYYY (17.10.2018).', fixes: ['Rewrite the dateline as "17.10.2018  06:24"'] },
      { code: 'halfwidth-punctuation', message: 'Half-width "," between Chinese characters; Chinese text uses the full-width "，".', fixes: ['Replace "," with "，"'] },
    ]);
  });

  it('are Chinese with the zh-CN bundle, also for a line checked before in English (the line cache follows the language)', () => {
    found(ARTICLE); // (fills the line cache in English)
    useMessages(ZH);
    assert.deepEqual(found(ARTICLE), [
      { code: 'dateline-format', message: '日期“2018-10-17”按年-月-日的顺序书写，以“-”分隔；应为 DD.MM.YYYY（17.10.2018）。', fixes: ['将日期行改写为“17.10.2018  06:24”'] },
      { code: 'halfwidth-punctuation', message: '汉字之间有半角“,”；中文应使用全角“，”。', fixes: ['将“,”替换为“，”'] },
    ]);
    // a date that does not exist: the reason comes from core/dateline, with the month's name
    assert.deepEqual(found('标题\n\n30.02.2018  06:24\n\n  正文。\n').map((d) => d.message), ['日期“30.02.2018”不存在：2月只有 28 天，没有 30 日。']);
    useMessages(undefined);
    assert.deepEqual(found('标题\n\n30.02.2018  06:24\n\n  正文。\n').map((d) => d.message), ['Date "30.02.2018" does not exist: February has 28 days, not 30.']);
    assert.equal(found(ARTICLE)[1].message, 'Half-width "," between Chinese characters; Chinese text uses the full-width "，".');
  });

  it('the CLI takes the zh-CN bundle for a locale starting with zh, by POSIX precedence (LC_ALL, LC_MESSAGES, LANG)', () => {
    assert.deepEqual(cliMessages({ LANG: 'zh_CN.UTF-8' }), ZH);
    assert.deepEqual(cliMessages({ LC_MESSAGES: 'zh_SG', LANG: 'en_US.UTF-8' }), ZH);
    assert.deepEqual(cliMessages({ LC_ALL: 'zh_CN.UTF-8', LANG: 'C' }), ZH);
    assert.equal(cliMessages({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }), undefined);
    assert.equal(cliMessages({ LANG: 'en_US.UTF-8' }), undefined);
    assert.equal(cliMessages({ LANG: 'C.UTF-8' }), undefined);
    assert.equal(cliMessages({}), undefined);
  });
});

describe('counts in messages (formatCount: no ICU on the extension host\'s thread)', () => {
  it('groups thousands with commas, as English and Simplified Chinese write them', () => {
    assert.deepEqual([0, 7, 999, 1000, 10016, 100016, 1234567, -1234].map(formatCount), ['0', '7', '999', '1,000', '10,016', '100,016', '1,234,567', '-1,234']);
    // the same as ICU's own in both shipped languages, over every length up to 2^53
    for (let n = 1; n < Number.MAX_SAFE_INTEGER; n = n * 7 + 3) {
      assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
      assert.equal(formatCount(n), n.toLocaleString('zh-CN'), String(n));
    }
    assert.equal(formatCount(1.5), '1.5');
  });

  it('the extension\'s adapters format no number with toLocaleString (its first call blocks the host 20–40 ms)', () => {
    const dir = path.resolve(__dirname, '../../src/extension');
    const callers = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && /\.toLocaleString\(/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    assert.deepEqual(callers, []);
  });
});
