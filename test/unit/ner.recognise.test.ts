import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { loadSegmenter } from '../../src/core/segment/backends';
import { SegmenterBackend } from '../../src/core/segment/segmenter';
import { loadModel, createRecogniser, createDictionary, Mention, splitChunks } from '../../src/core/ner';
import { isPlaceName, splitDottedPlaces, trimLeadingFunctionWords } from '../../src/core/ner/postRules';
import { gazetteer } from '../../src/core/ner/gazetteer';
import { run as runTag } from '../../src/cli/commands/tag';
import { run as runEval } from '../../src/cli/commands/eval';
import { join } from 'node:path';

const model = loadModel();
const recognisers = Object.fromEntries((['nodejieba', 'jieba-wasm'] as SegmenterBackend[]).map((b) => [b, createRecogniser({ segmenter: loadSegmenter(b).segmenter, model })]));
const rec = recognisers.nodejieba;
const brief = (ms: Mention[]) => ms.map((m) => `${m.type}:${m.text}`);
function checkOffsets(text: string, ms: Mention[]) {
  for (const m of ms) assert.equal(text.slice(m.start, m.end), m.text, `offsets of ${m.text}`);
}

describe('ner recogniser', () => {
  it('loads the committed model', () => {
    assert.equal(model.meta.format, 'corpus-lens-ner');
  });

  for (const backend of ['nodejieba', 'jieba-wasm'] as const) {
    it(`tags persons, places and organisations (${backend})`, () => {
      const text = '郑怀远在杭州市会见了华光集团董事长周雨桐。';
      const ms = recognisers[backend].recognise(text);
      checkOffsets(text, ms);
      assert.deepEqual(brief(ms), ['PER:郑怀远', 'LOC:杭州市', 'ORG:华光集团', 'PER:周雨桐']);
    });
  }

  it('keeps a transliterated name joined by a middle dot as one person', () => {
    const text = '外交部长阿卜杜拉·卡里姆会见了代表团。';
    const ms = rec.recognise(text);
    checkOffsets(text, ms);
    assert.deepEqual(brief(ms).filter((s) => s.startsWith('PER')), ['PER:阿卜杜拉·卡里姆']);
  });

  it('gives exact UTF-16 offsets with astral characters', () => {
    const text = '𠮷𠮷，王建国到北京市考察。𠮷';
    const ms = rec.recognise(text);
    checkOffsets(text, ms);
    assert.deepEqual(ms.map((m) => [m.type, m.start, m.end]), [['PER', 5, 8], ['LOC', 9, 12]]);
  });

  it('gives exact offsets across CRLF lines and finds nothing in an empty text', () => {
    const text = '李明华在上海工作。\r\n\r\n张志强访问广州市。\r\n';
    const ms = rec.recognise(text);
    checkOffsets(text, ms);
    assert.deepEqual(ms.map((m) => [m.type, m.text, m.start]), [['PER', '李明华', 0], ['LOC', '上海', 4], ['PER', '张志强', 13], ['LOC', '广州市', 18]]);
    assert.deepEqual(rec.recognise(''), []);
    assert.deepEqual(rec.recognise('\r\n\n'), []);
  });

  it('splits into chunks without line breaks', () => {
    assert.deepEqual(splitChunks('甲。乙！\r\n丙“丁。”戊'), [[0, 2], [2, 4], [6, 11], [11, 12]]);
  });

  it('never lets a name run across clause punctuation', () => {
    for (const text of ['代表团还参观了青山钢铁集团,集团职工热情欢迎。', '王建国、李明华和张志强到上海。']) {
      for (const m of rec.recognise(text)) assert.doesNotMatch(m.text, /[，,、。]/);
    }
  });

  it('drops a leading function word or date unit from a name, never a name\'s own first character', () => {
    // tokens as jieba gives them (start/end in UTF-16 units of the text)
    const tok = (text: string, words: [string, string][]) => { let at = 0; return words.map(([word, tag]) => { const start = text.indexOf(word, at); at = start + word.length; return { word, tag, start, end: at }; }); };
    const m = (text: string, name: string, type: 'PER' | 'LOC' | 'ORG'): Mention => { const start = text.indexOf(name); return { start, end: start + name.length, type, text: name }; };
    const t1 = '他向华晋集团表示感谢';
    assert.deepEqual(trimLeadingFunctionWords(t1, [m(t1, '向华晋集团', 'ORG')], tok(t1, [['他', 'r'], ['向', 'p'], ['华晋', 'nz'], ['集团', 'n'], ['表示', 'v'], ['感谢', 'v']])),
      [{ start: 2, end: 6, type: 'ORG', text: '华晋集团' }]);
    const t2 = '2018年委员会将开会';
    assert.deepEqual(trimLeadingFunctionWords(t2, [m(t2, '年委员会', 'ORG')], tok(t2, [['2018', 'm'], ['年', 'm'], ['委员会', 'n'], ['将', 'd'], ['开会', 'v']])),
      [{ start: 5, end: 8, type: 'ORG', text: '委员会' }]);
    // the whole date taken in (2018年委员会, 12月1日联合会), but not a numbered name (十二师) or too little left
    assert.deepEqual(trimLeadingFunctionWords(t2, [m(t2, '2018年委员会', 'ORG')], tok(t2, [['2018', 'm'], ['年', 'm'], ['委员会', 'n'], ['将', 'd'], ['开会', 'v']])),
      [{ start: 5, end: 8, type: 'ORG', text: '委员会' }]);
    const t8 = '十二月一日联合会成立';
    assert.deepEqual(trimLeadingFunctionWords(t8, [m(t8, '十二月一日联合会', 'ORG')], tok(t8, [['十二月', 't'], ['一日', 't'], ['联合会', 'n'], ['成立', 'v']])),
      [{ start: 5, end: 8, type: 'ORG', text: '联合会' }]);
    const t9 = '十二师二二二团';
    assert.deepEqual(trimLeadingFunctionWords(t9, [m(t9, '十二师二二二团', 'ORG')], tok(t9, [['十二', 'm'], ['师', 'n'], ['二二二', 'm'], ['团', 'n']])), [m(t9, '十二师二二二团', 'ORG')]);
    const t10 = '1998年会';
    assert.deepEqual(trimLeadingFunctionWords(t10, [m(t10, '1998年会', 'ORG')], tok(t10, [['1998', 'm'], ['年会', 'n']])), [m(t10, '1998年会', 'ORG')]);
    // a name that begins with such a character as part of a longer word, or a two-character name, stays whole
    const t3 = '和平区与年丰村';
    const keep = [m(t3, '和平区', 'LOC'), m(t3, '年丰村', 'LOC')];
    assert.deepEqual(trimLeadingFunctionWords(t3, keep, tok(t3, [['和平区', 'ns'], ['与', 'c'], ['年丰村', 'ns']])), keep);
    const t4 = '与王明';
    assert.deepEqual(trimLeadingFunctionWords(t4, [m(t4, '与王', 'PER')], tok(t4, [['与', 'p'], ['王明', 'nr']])), [m(t4, '与王', 'PER')]);
    // a demonstrative before the name (这个委员会), but not a name that begins with one of its characters (该县)
    const t5 = '这个委员会成立了';
    assert.deepEqual(trimLeadingFunctionWords(t5, [m(t5, '这个委员会', 'ORG')], tok(t5, [['这个', 'r'], ['委员会', 'n'], ['成立', 'v'], ['了', 'ul']])),
      [{ start: 2, end: 5, type: 'ORG', text: '委员会' }]);
    const t6 = '那家公司';
    assert.deepEqual(trimLeadingFunctionWords(t6, [m(t6, '那家公司', 'ORG')], tok(t6, [['那家', 'r'], ['公司', 'n']])), [{ start: 2, end: 4, type: 'ORG', text: '公司' }]);
    const t7 = '此家园林';
    assert.deepEqual(trimLeadingFunctionWords(t7, [m(t7, '此家园林', 'LOC')], tok(t7, [['此', 'r'], ['家园', 'n'], ['林', 'n']])), [m(t7, '此家园林', 'LOC')]);
  });

  it('splits places listed with a middle dot into one place each, and leaves dotted persons and other names whole', () => {
    const g = gazetteer();
    const m = (text: string, start: number, type: 'PER' | 'LOC' | 'ORG'): Mention => ({ start, end: start + text.length, type, text });
    assert.deepEqual(splitDottedPlaces([m('晋中·昌吉', 4, 'ORG')], g), [m('晋中', 4, 'LOC'), m('昌吉', 7, 'LOC')]);
    assert.deepEqual(splitDottedPlaces([m('山西·新疆·浙江', 0, 'LOC')], g), [m('山西', 0, 'LOC'), m('新疆', 3, 'LOC'), m('浙江', 6, 'LOC')]);
    for (const keep of [m('沙尔合提·阿汗', 0, 'PER'), m('晋中·昌吉', 0, 'PER'), m('晋中·华晋集团', 0, 'ORG'), m('昌吉州', 0, 'LOC')]) assert.deepEqual(splitDottedPlaces([keep], g), [keep]);
    assert.ok(isPlaceName(g, '晋中') && isPlaceName(g, '昌吉回族自治州') && !isPlaceName(g, '晋中市滨') && !isPlaceName(g, '华晋'));
  });

  it('lets the user dictionary and the not-entities list override the model', () => {
    const { dictionary } = createDictionary({ tsv: '青禾科技\tORG\t青禾\n', stop: '杭州市\n' });
    const r = createRecogniser({ segmenter: loadSegmenter('nodejieba').segmenter, model, dictionary });
    const text = '郑怀远在杭州市参观青禾科技，青禾的员工很多。';
    const ms = r.recognise(text);
    checkOffsets(text, ms);
    assert.deepEqual(brief(ms), ['PER:郑怀远', 'ORG:青禾科技', 'ORG:青禾']);
  });

  it('corpus-lens tag --jsonl prints one object per input line, in order', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    stdout.on('data', (d) => out.push(String(d)));
    stdin.end('王建国到北京市考察。\r\n\n𠮷李明华在上海工作。\n');
    const code = await runTag(['--jsonl'], { stdin, stdout, stderr });
    assert.equal(code, 0);
    const lines = out.join('').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    // each with its confidence, 3 decimals
    const sure = rec.recognise('王建国到北京市考察。').map((m) => Math.round(m.confidence! * 1000) / 1000);
    assert.ok(sure.every((c) => c > 0.5 && c <= 1), String(sure));
    assert.deepEqual(lines[0], { text: '王建国到北京市考察。', entities: [{ start: 0, end: 3, type: 'PER', text: '王建国', confidence: sure[0] }, { start: 4, end: 7, type: 'LOC', text: '北京市', confidence: sure[1] }] });
    assert.deepEqual(lines[1], { text: '', entities: [] });
    assert.deepEqual(lines[2].entities.map((e: Mention) => [e.start, e.end, e.text]), [[2, 5, '李明华'], [6, 8, '上海']]);
  });

  for (const backend of ['nodejieba', 'jieba-wasm'] as const) {
    it(`recogniseMany gives each text exactly what recognise gives it (${backend})`, () => {
      const r = recognisers[backend];
      const texts = ['王建国到北京市考察。', '', '𠮷李明华在上海工作，　华晋能源集团的郑怀远也来了。', '青禾科技，青禾的员工很多。\r\n郑怀远说。'];
      const many = r.recogniseMany!(texts);
      assert.deepEqual(many, texts.map((t) => r.recognise(t)));
      assert.deepEqual(brief(many[0]), ['PER:王建国', 'LOC:北京市']);
      many.forEach((ms, i) => checkOffsets(texts[i], ms));
    });
  }

  it('corpus-lens tag --jsonl over more lines than one call holds prints what one line at a time would', async () => {
    const base = ['王建国到北京市考察。', '𠮷李明华在上海工作。', '', '郑怀远在杭州市会见了华光集团董事长周雨桐。'];
    const input = Array.from({ length: 300 }, (_, i) => base[i % base.length]); // (256 lines per call)
    const stdin = new PassThrough(), stdout = new PassThrough(), stderr = new PassThrough();
    const out: string[] = [];
    stdout.on('data', (d) => out.push(String(d)));
    stdin.end(input.join('\n') + '\n');
    assert.equal(await runTag(['--jsonl'], { stdin, stdout, stderr }), 0);
    const lines = out.join('').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 300);
    lines.forEach((l, i) => assert.deepEqual(l, { text: input[i], entities: rec.recognise(input[i]).map((m) => ({ start: m.start, end: m.end, type: m.type, text: m.text, confidence: Math.round(m.confidence! * 1000) / 1000 })) }, `line ${i}`));
    assert.deepEqual(lines[299].entities.map((e: Mention) => e.text), ['郑怀远', '杭州市', '华光集团', '周雨桐']);
  });

  it('corpus-lens eval scores a file with the jieba baseline, and exits 2 on a missing file', async () => {
    const mk = () => { const out: string[] = []; const s = new PassThrough(); s.on('data', (d) => out.push(String(d))); return { s, out }; };
    const o = mk(), e = mk();
    const file = join(__dirname, '..', 'fixtures', 'ner', 'handmade-bio.txt');
    assert.equal(await runEval([file, '--baseline', 'jieba', '--json'], { stdin: new PassThrough(), stdout: o.s, stderr: e.s }), 0);
    const res = JSON.parse(o.out.join(''));
    assert.equal(res.sentences, 2);
    assert.deepEqual(res.gold, { PER: 1, LOC: 1, ORG: 1 });
    assert.ok(res.model.micro.f1 >= 0 && res.model.micro.f1 <= 1);
    assert.ok(res.baseline.micro);
    // calibration: every mention found falls in one confidence band, the right ones counted apart
    assert.deepEqual(res.calibration.map((b: { from: number }) => b.from), [0, 0.5, 0.7, 0.9]);
    assert.equal(res.calibration.reduce((n: number, b: { mentions: number }) => n + b.mentions, 0), res.model.micro.tp + res.model.micro.fp);
    assert.equal(res.calibration.reduce((n: number, b: { correct: number }) => n + b.correct, 0), res.model.micro.tp);
    // unseen names per type, from the model's lexicon
    assert.deepEqual(Object.keys(res.unseen), ['PER', 'LOC', 'ORG']);
    const text = mk();
    assert.equal(await runEval([file], { stdin: new PassThrough(), stdout: text.s, stderr: mk().s }), 0);
    assert.match(text.out.join(''), /precision per confidence band[^\n]*\n  confidence +mentions +correct +precision +mean confidence\n  < 0\.50 /);
    assert.match(text.out.join(''), /recall of names not in the model's lexicon[^\n]*\n  PER +\d+ unseen, found +\d+, recall /);
    const e2 = mk();
    assert.equal(await runEval(['no/such/file.bio'], { stdin: new PassThrough(), stdout: mk().s, stderr: e2.s }), 2);
    assert.match(e2.out.join(''), /no such file/);
  });
});
