import { strict as assert } from 'node:assert';
import { loadSegmenter } from '../../src/core/segment/backends';
import { loadModel, createRecogniser, analyseDocument, Entity } from '../../src/core/ner';
import { linkMentions, rolesBefore, unglue } from '../../src/core/ner/document';
import { gazetteer } from '../../src/core/ner/gazetteer';

const rec = createRecogniser({ segmenter: loadSegmenter('nodejieba').segmenter, model: loadModel() });

// a fictional article in the corpus layout
const ARTICLE = [
  '江西省代表团在延边考察', '', '03.05.2019  08:10', '',
  '  5月3日,省委书记郑怀远率代表团赴延边朝鲜族自治州考察,并参观了江西省在当地援建的项目。中共中央政治局委员、吉林省委书记孙振邦会见代表团。孙振邦说,吉林与江西合作基础深厚。',
  '',
  '  郑怀远指出,江西将认真学习延边州的好经验。代表团还参观了青山钢铁集团,集团职工热情欢迎。副省长、省公安厅厅长韩德明陪同考察。郑怀远表示感谢。',
].join('\r\n');

describe('ner document layer', () => {
  const ents = rec.analyse(ARTICLE);
  const byName = (n: string) => ents.find((e) => e.name === n) as Entity;

  it('finds every mention of a person and keeps mention offsets exact', () => {
    const p = byName('郑怀远');
    assert.ok(p, JSON.stringify(ents.map((e) => e.name)));
    assert.equal(p.type, 'PER');
    assert.equal(p.mentions.length, 3);
    for (const e of ents) for (const m of e.mentions) assert.equal(ARTICLE.slice(m.start, m.end), m.text);
  });

  it('keeps titles written before a person as roles', () => {
    assert.deepEqual(byName('郑怀远').roles, ['省委书记']);
    assert.deepEqual(byName('孙振邦').roles, ['中共中央政治局委员', '吉林省委书记']);
    assert.deepEqual(byName('韩德明').roles, ['副省长', '省公安厅厅长']);
  });

  it('links short forms to the full forms used in the article', () => {
    assert.deepEqual(byName('江西省').aliases, ['江西']);
    assert.equal(byName('江西省').type, 'LOC');
    assert.equal(byName('江西省').mentions.length, 3);
    assert.ok(byName('延边朝鲜族自治州').aliases.includes('延边州'));
    assert.deepEqual(byName('青山钢铁集团').aliases, ['集团']);
    assert.equal(byName('青山钢铁集团').type, 'ORG');
    assert.equal(ents.filter((e) => e.name === '江西' || e.name === '集团' || e.name === '延边州').length, 0);
  });

  it('analyseDocument of the recogniser\'s mentions and tokens is recogniser.analyse', () => {
    assert.deepEqual(analyseDocument(ARTICLE, rec.recogniseWithTokens(ARTICLE), rec.isStopWord), ents);
  });

  it('analyseDocument is a function of the tagged data and the stop-word test alone', () => {
    const text = '山西省召开会议。山西将扩大开放。';
    const tagged = {
      mentions: [{ start: 0, end: 3, type: 'LOC' as const, text: '山西省' }],
      tokens: [{ word: '山西', tag: 'ns', start: 8, end: 10 }],
    };
    assert.deepEqual(analyseDocument(text, tagged), [{
      name: '山西省', type: 'LOC', aliases: ['山西'], roles: [],
      mentions: [{ start: 0, end: 3, type: 'LOC', text: '山西省' }, { start: 8, end: 10, type: 'LOC', text: '山西' }],
    }]);
    // a stop word is neither linked nor looked for
    assert.deepEqual(analyseDocument(text, tagged, (s) => s === '山西'), [{
      name: '山西省', type: 'LOC', aliases: [], roles: [], mentions: [{ start: 0, end: 3, type: 'LOC', text: '山西省' }],
    }]);
  });

  it('extracts role chains from tokens', () => {
    const g = gazetteer();
    const text = '自治区副主席、兵团司令员韩德明';
    const tokens = loadSegmenter('nodejieba').segmenter.tag(text);
    assert.deepEqual(rolesBefore(text, 12, tokens, [], [], g.titles, g.maxTitleLen), ['自治区副主席', '兵团司令员']);
    const t2 = '会见了省长助理许文涛';
    assert.deepEqual(rolesBefore(t2, 7, loadSegmenter('nodejieba').segmenter.tag(t2), [], [], g.titles, g.maxTitleLen), ['省长助理']);
  });

  it('unglues a preposition taken with a name when the article shows the name on its own', () => {
    const text = '他对华晋集团表示感谢。华晋集团将扩建。和平区与向阳区';
    const at = (name: string, from = 0) => { const start = text.indexOf(name, from); return { start, end: start + name.length, text: name }; };
    const glued = { ...at('对华晋集团'), type: 'ORG' as const };
    const alone = { ...at('华晋集团', 7), type: 'ORG' as const };
    const places = [{ ...at('和平区'), type: 'LOC' as const }, { ...at('向阳区'), type: 'LOC' as const }];
    assert.deepEqual(unglue([glued, alone, ...places]), [{ start: 2, end: 6, text: '华晋集团', type: 'ORG' }, alone, ...places]);
    // without the name on its own (or with another type) nothing changes
    assert.deepEqual(unglue([glued]), [glued]);
    assert.deepEqual(unglue([glued, { ...alone, type: 'LOC' }]), [glued, { ...alone, type: 'LOC' }]);
  });

  it('links an organisation\'s name without its opening words to the one organisation that ends with it', () => {
    const text = '杭州绿源数字科技有限公司与晋北市滨河医疗集团签约。绿源数字科技有限公司将派专家，医疗集团负责场地。';
    const at = (name: string, from = 0) => { const start = text.indexOf(name, from); return { start, end: start + name.length, text: name, type: 'ORG' as const }; };
    const base = [at('杭州绿源数字科技有限公司'), at('晋北市滨河医疗集团'), at('绿源数字科技有限公司', 20), at('医疗集团', 30)];
    const { canonical, mentions } = linkMentions(text, base, []);
    assert.equal(canonical.get('绿源数字科技有限公司'), '杭州绿源数字科技有限公司');
    assert.equal(canonical.get('医疗集团'), '晋北市滨河医疗集团');
    for (const m of mentions) assert.equal(text.slice(m.start, m.end), m.text);
    // two organisations end with it: the short form stays unlinked
    const two = linkMentions(text + '城市医疗集团', [...base, { start: text.length, end: text.length + 6, text: '城市医疗集团', type: 'ORG' }], []);
    assert.equal(two.canonical.get('医疗集团'), undefined);
  });
  describe('finding further mentions of a name', () => {
    const seg = loadSegmenter('nodejieba').segmenter;
    const at = (text: string, name: string, type: 'PER' | 'LOC' | 'ORG', from = 0) => {
      const start = text.indexOf(name, from);
      assert.ok(start >= 0, name);
      return { start, end: start + name.length, text: name, type };
    };
    const link = (text: string, base: ReturnType<typeof at>[]) => linkMentions(text, base, seg.tag(text)).mentions.map((m) => `${m.text}/${m.type}@${m.start}`);

    it('keeps a name inside a longer one whole (the outer name is the mention)', () => {
      const text = '致公党中央致贺词。致公党第十一次全国代表大会开幕，致公党成员出席。';
      // 致公党 found twice on its own does not cut the congress's name
      const out = link(text, [at(text, '致公党', 'ORG'), at(text, '致公党第十一次全国代表大会', 'ORG'), at(text, '致公党', 'ORG', 20)]);
      assert.ok(out.includes('致公党第十一次全国代表大会/ORG@9'), out.join(' '));
      assert.ok(!out.includes('致公党/ORG@9'), out.join(' '));
    });

    it('cuts a person read one character too long to the name found more often', () => {
      const text = '张浩受命前往。张浩说，张浩的故事。';
      const out = link(text, [at(text, '张浩受', 'PER'), at(text, '张浩', 'PER', 7), at(text, '张浩', 'PER', 11)]);
      assert.deepEqual(out, ['张浩/PER@0', '张浩/PER@7', '张浩/PER@11']);
      // a last character that jieba reads as a word of its own that may end a name stays (李鹏 | 飞: 李鹏飞)
      const t3 = '会见李鹏飞。李鹏说，李鹏来了。';
      assert.deepEqual(link(t3, [at(t3, '李鹏飞', 'PER'), at(t3, '李鹏', 'PER', 6), at(t3, '李鹏', 'PER', 10)]), ['李鹏飞/PER@2', '李鹏/PER@6', '李鹏/PER@10']);
      // but a surname and the name after it stay one person (邓小平, not 小平)
      const t2 = '邓小平同志。小平说，小平同志。';
      assert.deepEqual(link(t2, [at(t2, '邓小平', 'PER'), at(t2, '小平', 'PER', 6), at(t2, '小平', 'PER', 10)]), ['邓小平/PER@0', '小平/PER@6', '小平/PER@10']);
    });

    it('leaves two names side by side as two, even where the pair was taken as one name elsewhere', () => {
      const text = '中日两国友好，中日双方同意。';
      // (tokens as jieba's dictionary could give them: 中日 as one word of a name's tag at both places)
      const tokens = [['中日', 'ns'], ['两国', 'n'], ['友好', 'a'], ['，', 'x'], ['中日', 'ns'], ['双方', 'n'], ['同意', 'v'], ['。', 'x']];
      let pos = 0;
      const toks = tokens.map(([word, tag]) => { const start = text.indexOf(word, pos); pos = start + word.length; return { word, tag, start, end: pos }; });
      const out = linkMentions(text, [at(text, '中', 'LOC'), at(text, '日', 'LOC'), at(text, '中日', 'LOC', 7)], toks).mentions.map((m) => `${m.text}/${m.type}@${m.start}`);
      assert.deepEqual(out, ['中/LOC@0', '日/LOC@1', '中日/LOC@7']);
    });

    it('does not look for a one-off name where jieba reads a common word, nor inside a longer word', () => {
      const text = '组织部门开会。公司董事长来了，公司员工。北约秘书长说，北约成员国。';
      // 公司 taken once as an organisation: its other occurrence (a common noun to jieba) is not a mention
      const out = link(text, [at(text, '公司', 'ORG'), at(text, '北约', 'ORG')]);
      assert.deepEqual(out, ['公司/ORG@7', '北约/ORG@20', '北约/ORG@27']);
      // 组织部 found twice is not looked for inside 组织部门 (one word to jieba)
      const t2 = '组织部门开会。组织部通知，组织部发文。';
      const out2 = link(t2, [at(t2, '组织部', 'ORG', 7), at(t2, '组织部', 'ORG', 8)]);
      assert.ok(!out2.some((m) => m.endsWith('@0')), out2.join(' '));
    });
  });
});
