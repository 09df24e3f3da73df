import { strict as assert } from 'node:assert';
import { loadSegmenter } from '../../src/core/segment/backends';
import { gazetteer } from '../../src/core/ner/gazetteer';
import type { Mention } from '../../src/core/ner/types';
import {
  abbreviationPlaces, balanceQuotes, congressSessions, documentTitles, ethnicGroupsNotPlaces, knownOrganisationTypes, militaryUnits, nameBeforeForeignCut, plenarySessions, placeRunCut, splitJoinedNames,
  splitNameBeforeForeign, splitPlaceRuns, surnamesBeforeTitles, twoNameCut,
} from '../../src/core/ner/conventionRules';
import { createRecogniser, loadModel } from '../../src/core/ner';

const g = gazetteer();
const seg = loadSegmenter('nodejieba').segmenter;
/** the mention of `name` at its first occurrence in text (or at `from`) */
function m(text: string, name: string, type: Mention['type'], from = 0): Mention {
  const start = text.indexOf(name, from);
  assert.ok(start >= 0, `${name} in ${text}`);
  return { start, end: start + name.length, type, text: name };
}
const brief = (ms: Mention[]) => ms.map((x) => `${x.type}:${x.text}@${x.start}`);

describe('MSRA convention rules (conventionRules.ts)', () => {
  it('an ethnic group jieba reads as no place name is no place, unless a division or country, or before 族', () => {
    const text = '哈萨克群众和俄罗斯客人、维吾尔族农民';
    const ms = [m(text, '哈萨克', 'LOC'), m(text, '俄罗斯', 'LOC'), m(text, '维吾尔', 'LOC')];
    assert.deepEqual(brief(ethnicGroupsNotPlaces(text, ms, seg.tag(text), g)), ['LOC:俄罗斯@6', 'LOC:维吾尔@12']);
    // a person or organisation of that name is left alone, and nothing to drop returns the same list
    const other = [{ ...m(text, '哈萨克', 'ORG') }];
    assert.equal(ethnicGroupsNotPlaces(text, other, seg.tag(text), g), other);
  });

  it('cuts two names written together where both begin with a common surname, and only there', () => {
    assert.equal(twoNameCut('张伟刘洋', g), 2);
    assert.equal(twoNameCut('周雨桐郑怀远', g), 3);
    assert.equal(twoNameCut('郑怀远刘洋', g), 3);
    // a compound surname begins one name, so do a married woman's two surnames; a transliteration is one
    // name; one name is one name
    assert.equal(twoNameCut('欧阳修文', g), undefined);
    assert.equal(twoNameCut('陈方安生', g), undefined);
    assert.equal(twoNameCut('梅德韦杰夫', g), undefined);
    assert.equal(twoNameCut('郑怀远', g), undefined);
    // two cuts possible (王明|李杨强 or 王明李|杨强): left alone
    assert.equal(twoNameCut('王明李杨强', g), undefined);
    // not Han only; three names (the rule cuts two only)
    assert.equal(twoNameCut('张伟·刘洋', g), undefined);
    assert.equal(twoNameCut('张伟刘洋王芳', g), undefined);
  });

  it('splits a Chinese name written before a transliterated one, where jieba reads the Chinese name', () => {
    const cut = (s: string) => nameBeforeForeignCut(s, seg.tag(s)[0], g);
    assert.equal(cut('王建平亚历山大·科瓦廖夫'), 3);
    assert.equal(cut('张海涛阿卜杜拉·巴达维'), 3);
    // one foreign name, even where it begins with a common surname
    for (const one of ['马哈蒂尔·穆罕默德', '马格坦戈尔·圭尼贡多', '阿卜杜拉·巴达维', '王建平']) assert.equal(cut(one), undefined, one);
    const text = '会见王建平亚历山大·科瓦廖夫等人';
    assert.deepEqual(brief(splitNameBeforeForeign([m(text, '王建平亚历山大·科瓦廖夫', 'PER')], seg.tag(text), g)), ['PER:王建平@2', 'PER:亚历山大·科瓦廖夫@5']);
  });

  it('keeps the organisation before a plenary session, which is a meeting and no organisation', () => {
    const t = '中共十一届三中全会和中央纪委二次全会以及六中全会';
    const ms = [m(t, '中共十一届三中全会', 'ORG'), m(t, '中央纪委二次全会', 'ORG'), m(t, '六中全会', 'ORG'), m(t, '中共', 'LOC')];
    assert.deepEqual(brief(plenarySessions(ms)), ['ORG:中共@0', 'ORG:中央纪委@10', 'LOC:中共@0']);
    const congress = [m('中共第十五次全国代表大会', '中共第十五次全国代表大会', 'ORG')];
    assert.equal(plenarySessions(congress), congress);
  });

  it('takes a surname alone before a title or a form of address for a person', () => {
    const st = (text: string, ms: Mention[] = []) => brief(surnamesBeforeTitles(text, ms, seg.tag(text), g));
    assert.deepEqual(st('会见江主席时说'), ['PER:江@2']);
    assert.deepEqual(st('李老师说'), ['PER:李@0']);
    assert.deepEqual(st('会见江主席时说', [m('会见江主席时说', '江', 'LOC')]), ['PER:江@2']);
    assert.deepEqual(st('李老师说', [m('李老师说', '李老师', 'PER')]), ['PER:李@0']);
    // a preposition, an adverb or a verb before a title, a surname inside a word (高中, 何处, 武警官兵), a title that is
    // only the start of a word (代表性), a country's abbreviation (the Korean minister) is no person
    for (const none of ['向主席致敬', '他曾代表中国参加', '由市长任组长', '这所高中校长说', '你在何处长大', '广大武警官兵', '很高代表性', '会见韩外长']) {
      assert.deepEqual(st(none), [], none);
    }
    // a surname that begins a word of jieba's inside a person's name (王小 | 江主席) stays in the name
    const t = '王小江主席说';
    assert.deepEqual(st(t, [m(t, '王小江', 'PER')]), ['PER:王小江@0']);
  });

  it('splits a person mention of two names into two persons with exact offsets', () => {
    const text = '出席的有张伟刘洋等人';
    assert.deepEqual(brief(splitJoinedNames([m(text, '张伟刘洋', 'PER')], g)), ['PER:张伟@4', 'PER:刘洋@6']);
    const keep = [m(text, '张伟刘洋', 'ORG')];
    assert.equal(splitJoinedNames(keep, g), keep);
  });

  it('splits a run of places into one place each, the fewest parts first', () => {
    assert.deepEqual(placeRunCut('青海省曲麻莱县', g), [3, 4]);
    assert.deepEqual(placeRunCut('山西省太原市', g), [3, 3]);
    assert.deepEqual(placeRunCut('中华人民共和国香港特别行政区', g), [7, 7]);
    for (const one of ['昌吉回族自治州', '新疆维吾尔自治区', '山西', '五家渠市', '阜康市']) assert.equal(placeRunCut(one, g), undefined, one);
    const text = '他来自𠮷青海省曲麻莱县';
    assert.deepEqual(brief(splitPlaceRuns([m(text, '青海省曲麻莱县', 'LOC')], g)), ['LOC:青海省@5', 'LOC:曲麻莱县@8']);
  });

  it('finds one-character abbreviations that name places: relations, sides, destinations', () => {
    const places = (text: string, ms: Mention[] = []) => brief(abbreviationPlaces(text, ms, seg.tag(text), g));
    assert.deepEqual(places('中加两国人民的友好交往'), ['LOC:中@0', 'LOC:加@1']);
    assert.deepEqual(places('中德经贸合作'), ['LOC:中@0', 'LOC:德@1']);
    assert.deepEqual(places('中方代表表示'), ['LOC:中@0']);
    assert.deepEqual(places('他此次访美期间'), ['LOC:美@4']);
    // UTF-16 offsets after an astral character
    assert.deepEqual(places('𠮷访美'), ['LOC:美@3']);
    // a mention over the run gives way; a place already found stays as it is
    const text = '中加建立了经贸联委制度';
    assert.deepEqual(places(text, [m(text, '中加', 'ORG')]), ['LOC:中@0', 'LOC:加@1']);
    assert.deepEqual(places(text, [m(text, '中', 'LOC')]), ['LOC:中@0', 'LOC:加@1']);
    // other words of the same characters: the West, a preposition, a country's own name, a minibus, a region,
    // a date's day, arrivals at a port, a purpose
    for (const none of ['西方国家', '比赛中以2∶0获胜', '在工作中以人民为中心', '对此加以合作研究', '中西交流源远流长', '巴西队获胜',
      '中国和加拿大', '乘坐中巴到达县城', '川西地区', '冀中地区的农民', '首批进港航班抵达', '离港航班', '他向记者说明来意', '离土不离乡的农民']) {
      assert.deepEqual(places(none), [], none);
    }
    assert.deepEqual(places('本月10日中日双方签署协议'), ['LOC:中@5', 'LOC:日@6']);
    assert.deepEqual(places('中巴两国'), ['LOC:中@0', 'LOC:巴@1']);
    assert.deepEqual(places('日中友好'), ['LOC:日@0', 'LOC:中@1']);
  });

  it('finds the place in a word for its people, merchants, capital or army, and not in common nouns of the same shape', () => {
    const places = (text: string) => brief(abbreviationPlaces(text, [], seg.tag(text), g));
    assert.deepEqual(places('台商投资踊跃'), ['LOC:台@0']);
    assert.deepEqual(places('数百万华侨的义愤'), ['LOC:华@3']);
    assert.deepEqual(places('当美军宪兵前来'), ['LOC:美@1']);
    assert.deepEqual(places('外资和中资都在增长'), ['LOC:中@3']);
    assert.deepEqual(places('日寇铁蹄践踏'), ['LOC:日@0']);
    // a beauty, a legal person, a patron, 'that person', law and commerce; an ambiguous character (an old person); a
    // day after a number (共三日 | 军演, where jieba reads 日军)
    for (const none of ['她是个美人', '企业法人代表', '遇到贵人相助', '所谓伊人', '这所大学设有法商系', '老人和孩子', '共三日军演']) {
      assert.deepEqual(places(none), [], none);
    }
  });

  it('types a well-known organisation as an organisation, and nothing else', () => {
    const text = '东盟与山西';
    assert.deepEqual(brief(knownOrganisationTypes([m(text, '东盟', 'LOC'), m(text, '山西', 'LOC')], g)), ['ORG:东盟@0', 'LOC:山西@3']);
  });

  it('takes a congress\'s session into its name', () => {
    const text = '出席第十五次全国代表大会';
    const toks = seg.tag(text);
    assert.deepEqual(brief(congressSessions(text, [m(text, '全国代表大会', 'ORG')], toks)), ['ORG:第十五次全国代表大会@2']);
    assert.deepEqual(brief(congressSessions(text, [m(text, '十五次全国代表大会', 'ORG')], toks)), ['ORG:第十五次全国代表大会@2']);
    const t2 = '七届全国人大';
    assert.deepEqual(brief(congressSessions(t2, [m(t2, '全国人大', 'ORG')], seg.tag(t2))), ['ORG:七届全国人大@0']);
    // not a count (一次: once), not a committee that is no congress
    for (const [t, name] of [['召开了一次全国代表大会', '全国代表大会'], ['先后换了六届县委', '县委']]) {
      const ms = [m(t, name, 'ORG')];
      assert.deepEqual(congressSessions(t, ms, seg.tag(t)), ms, t);
    }
  });

  it('a numbered unit with its formation, one listed with it, or a division\'s regiment is one organisation; a unit alone is not', () => {
    const run = (t: string, ms: Mention[]) => brief(militaryUnits(t, ms, seg.tag(t), g));
    const t1 = '他曾在兵团第三师、第八师工作';
    assert.deepEqual(run(t1, []), ['ORG:兵团第三师@3', 'ORG:第八师@9']);
    // the two levels, replacing a mention cut inside them
    const t2 = '来到七师一三七团视察';
    assert.deepEqual(run(t2, [m(t2, '师一三七团', 'ORG')]), ['ORG:七师一三七团@2']);
    // the formation's place, and an organisation mention ending where the unit begins
    const t3 = '新疆兵团农八师副政委';
    assert.deepEqual(run(t3, [m(t3, '新疆', 'LOC')]), ['ORG:新疆兵团农八师@0']);
    const t4 = '红四军十一师政委';
    assert.deepEqual(run(t4, [m(t4, '红四军', 'ORG')]), ['ORG:红四军十一师@0']);
    // a unit alone, a unit inside a word or a longer mention, a measure word: as they were
    for (const [t, ms] of [['第一师出发了', []], ['北京第一师范学院', []], ['一团乱麻', []], ['兵团第三师医院', [m('兵团第三师医院', '兵团第三师医院', 'ORG')]]] as [string, Mention[]][]) {
      assert.deepEqual(militaryUnits(t, ms, seg.tag(t), g), ms, t);
    }
  });

  it('makes an organisation mention that is only a run of places, or a document\'s title, into its places', () => {
    const t1 = '出任中华人民共和国香港特别行政区首任行政长官';
    assert.deepEqual(brief(splitPlaceRuns([m(t1, '中华人民共和国香港特别行政区', 'ORG')], g)), ['LOC:中华人民共和国@2', 'LOC:香港特别行政区@9']);
    const t2 = '根据中华人民共和国香港特别行政区基本法的规定';
    assert.deepEqual(brief(documentTitles([m(t2, '中华人民共和国香港特别行政区基本法', 'ORG')], g)), ['LOC:中华人民共和国@2', 'LOC:香港特别行政区@9']);
    const t3 = '山西省治安管理条例和晋北公约';
    assert.deepEqual(brief(documentTitles([m(t3, '山西省治安管理条例', 'ORG')], g)), ['LOC:山西省@0']);
    // a title with no place at its head is no name; organisations stay (a high court, a ministry of justice)
    assert.deepEqual(brief(documentTitles([m(t3, '治安管理条例', 'ORG')], g)), []);
    const t4 = '泰国高法和美国司法部及关贸总协定';
    const orgs = [m(t4, '泰国高法', 'ORG'), m(t4, '美国司法部', 'ORG'), m(t4, '关贸总协定', 'ORG')];
    assert.deepEqual(documentTitles(orgs, g), orgs);
    // the organisation whose document it is stays an organisation
    const t5 = '中国人民银行法和空军法律服务处条例及东盟宣言';
    assert.deepEqual(brief(documentTitles([m(t5, '中国人民银行法', 'ORG'), m(t5, '空军法律服务处条例', 'ORG'), m(t5, '东盟宣言', 'ORG')], g)),
      ['ORG:中国人民银行@0', 'ORG:空军法律服务处@8', 'ORG:东盟@18']);
    // an organisation named after places under their short names stays one (宁波市公安, 中国平安)
    const t6 = '记者从宁波市公安获悉，中国平安';
    const named = [m(t6, '宁波市公安', 'ORG'), m(t6, '中国平安', 'ORG')];
    assert.deepEqual(splitPlaceRuns(named, g), named);
  });

  it('mends names cut across a pair of quotation marks or title brackets, and leaves paired ones alone', () => {
    const mend = (text: string, name: string, type: Mention['type']) => brief(balanceQuotes(text, [m(text, name, type)], seg.tag(text), g));
    // marks that pair inside the name stay
    assert.deepEqual(mend('据美国《晨光》杂志报道', '美国《晨光》杂志', 'ORG'), ['ORG:美国《晨光》杂志@1']);
    assert.deepEqual(mend('由“远航”号科考船执行', '“远航”号科考船', 'LOC'), ['LOC:“远航”号科考船@1']);
    // a mark at an edge that pairs with nothing inside goes
    assert.deepEqual(mend('审议了《议事局决议》', '《议事局', 'ORG'), ['ORG:议事局@4']);
    assert.deepEqual(mend('他在会上说”晋北商会将扩大', '”晋北商会', 'ORG'), ['ORG:晋北商会@6']);
    assert.deepEqual(mend('并在《晋北日报》公开', '晋北日报》', 'ORG'), ['ORG:晋北日报@3']);
    // a title bracket closed right after the mention: the publication is named whole
    assert.deepEqual(mend('香港《晋北报》社论说', '香港《晋北报', 'ORG'), ['ORG:香港《晋北报》@0']);
    // a closing mark inside takes in its opening mark before the mention
    assert.deepEqual(mend('访问“春苗工程”组委会主任', '春苗工程”组委会', 'ORG'), ['ORG:“春苗工程”组委会@2']);
    // an opening mark inside whose name runs past the mention ends it; an organisation named whole after it stays
    assert.deepEqual(mend('在西安“东方旋律”音乐节上', '西安“东方', 'LOC'), ['LOC:西安@1']);
    assert.deepEqual(mend('晋北商会同山西“晋商发展基金会”进行商谈', '山西“晋商发展基金会', 'ORG'), ['LOC:山西@5', 'ORG:晋商发展基金会@8']);
    assert.deepEqual(mend('会见了山西“晋商发展基金会”经贸考察团', '山西“晋商发展基金会', 'ORG'), ['LOC:山西@3']);
    // a mention that is nothing but marks is dropped
    assert.deepEqual(mend('他说“》”', '“》', 'ORG'), []);
  });

  it('applies in the recogniser, where the tagger alone gets these wrong', () => {
    const model = loadModel();
    const withRules = createRecogniser({ segmenter: seg, model });
    const tagger = createRecogniser({ segmenter: seg, model, conventions: false });
    const first = (r: typeof tagger, text: string, upTo: number) => r.recognise(text).filter((x) => x.end <= upTo).map((x) => `${x.type}:${x.text}`);
    // (the model trained with msra.train-sample.bio reads 中加 as two places by itself; 中泰 not yet)
    const text = '中泰已互为重要贸易伙伴。';
    assert.deepEqual(first(tagger, text, 2), ['ORG:中泰']);
    assert.deepEqual(first(withRules, text, 2), ['LOC:中', 'LOC:泰']);
  });
});
