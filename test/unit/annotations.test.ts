import { strict as assert } from 'node:assert';
import type { DocumentAnalysis } from '../../src/core/analysis';
import * as path from 'node:path';
import { applyDecisions, DecisionBook, decisionAt, parseAnnotations, placeDecision, serialiseAnnotations } from '../../src/core/annotations';

/** an analysis of `text` with these mentions (entities grouped by name and type) */
function analysisOf(text: string, mentions: [string, 'PER' | 'LOC' | 'ORG', number][]): DocumentAnalysis {
  const entities: DocumentAnalysis['entities'] = [];
  for (const [name, type, start] of mentions) {
    assert.equal(text.slice(start, start + name.length), name);
    let e = entities.find((x) => x.name === name && x.type === type);
    if (!e) entities.push(e = { name, type, aliases: [], roles: [], mentions: [] });
    const before = text.slice(0, start).split('\n');
    e.mentions.push({ start, end: start + name.length, text: name, line: before.length - 1, character: before[before.length - 1].length });
  }
  return { path: 'a.txt', title: null, dateline: null, date: null, entities };
}
const brief = (a: DocumentAnalysis) => a.entities.flatMap((e) => e.mentions.map((m) => `${e.type}:${e.name}@${m.start}-${m.end}:${m.line}:${m.character}`)).sort();

describe('annotations (core/annotations)', () => {
  it('reads decisions and statuses, reports a malformed line by number and keeps the rest', () => {
    const text = [
      '{"path":"b/2.txt","status":"reviewed"}',
      '{"path":"a/1.txt","start":3,"end":5,"text":"新华","type":"ORG","before":"据","after":"社"}',
      'not json',
      '{"path":"a/1.txt","start":1,"end":2,"text":"华","type":"O"}',
      '{"path":"a/1.txt","start":1,"end":3,"text":"华","type":"LOC"}',
      '{"path":"a/1.txt","start":1,"end":2,"text":"华","type":"GPE"}',
      '',
      '{"path":"a/1.txt","status":"done"}',
    ].join('\r\n');
    const { annotations, errors } = parseAnnotations('\ufeff' + text);
    assert.deepEqual(errors.map((e) => e.line), [3, 5, 6, 8]);
    assert.match(errors[1].message, /end - start/);
    assert.deepEqual([...annotations.reviewed], ['b/2.txt']);
    assert.deepEqual(annotations.decisions.get('a/1.txt')!.map((d) => [d.start, d.type]), [[1, 'O'], [3, 'ORG']]);
  });

  it('writes one line an object, by path then offset, a status before the decisions; and reads back the same', () => {
    const { annotations } = parseAnnotations([
      '{"path":"b.txt","start":9,"end":10,"text":"华","type":"O"}',
      '{"path":"a.txt","start":5,"end":8,"text":"王建平","type":"PER"}',
      '{"path":"b.txt","status":"reviewed"}',
      '{"path":"a.txt","start":0,"end":2,"text":"晋中","type":"LOC","before":"","after":"市委"}',
    ].join('\n'));
    const out = serialiseAnnotations(annotations);
    assert.equal(out, [
      '{"path":"a.txt","start":0,"end":2,"text":"晋中","type":"LOC","before":"","after":"市委"}',
      '{"path":"a.txt","start":5,"end":8,"text":"王建平","type":"PER"}',
      '{"path":"b.txt","status":"reviewed"}',
      '{"path":"b.txt","start":9,"end":10,"text":"华","type":"O"}',
    ].join('\n') + '\n');
    assert.equal(serialiseAnnotations(parseAnnotations(out).annotations), out);
    assert.equal(serialiseAnnotations({ decisions: new Map(), reviewed: new Set() }), '');
  });

  it('places a decision where its text still is; after an insertion before it, by its context; ambiguous or gone: not at all', () => {
    const text = '𠮷新华社报道，新华书店开业。';
    const d = decisionAt('a.txt', text, 2, 4, 'O'); // the 新华 of 新华社 (after the astral 𠮷: two code units)
    assert.deepEqual([d.text, d.before, d.after], ['新华', '𠮷', '社报道，新华书店']);
    assert.deepEqual(placeDecision(text, d), { start: 2, end: 4 });
    const edited = '（北京）\r\n' + text; // 6 code units before it now
    assert.deepEqual(placeDecision(edited, d), { start: 8, end: 10 });
    // the other 新华 (书店) keeps its own place by its context too
    const other = decisionAt('a.txt', text, 8, 10, 'ORG');
    assert.deepEqual(placeDecision(edited, other), { start: 14, end: 16 });
    assert.equal(placeDecision('报道，书店开业。', d), undefined);
    // two occurrences and no context in common: not placed
    assert.equal(placeDecision('甲新华乙，丙新华丁', { ...d, before: 'xx', after: 'yy' }), undefined);
    // one occurrence left: placed even without context
    assert.deepEqual(placeDecision('丙新华丁', { ...d, before: 'xx', after: 'yy' }), { start: 1, end: 3 });
  });

  it('applies a typed span, a removed span and a missed span, with exact offsets, lines and characters', () => {
    const text = '晋中市委书记王建平\n在华晋集团调研，华北各地代表参加。';
    const a = analysisOf(text, [['晋中', 'LOC', 0], ['王建平', 'PER', 6], ['华晋', 'PER', 11], ['华', 'LOC', 18]]);
    const decisions = [
      decisionAt('a.txt', text, 11, 15, 'ORG'), // 华晋集团: the model's 华晋 (a person) becomes this organisation
      decisionAt('a.txt', text, 18, 19, 'O'), // this 华 is no place
      decisionAt('a.txt', text, 0, 3, 'LOC'), // 晋中市 instead of 晋中
      decisionAt('a.txt', text, 18, 20, 'LOC'), // 华北, missed
    ];
    const r = applyDecisions(a, text, decisions);
    assert.deepEqual(r.unplaced, []);
    assert.deepEqual(brief(r.analysis), ['LOC:晋中市@0-3:0:0', 'LOC:华北@18-20:1:8', 'ORG:华晋集团@11-15:1:1', 'PER:王建平@6-9:0:6'].sort());
    // an "O" inside a longer mention leaves it: only mentions within its span go
    const r2 = applyDecisions(analysisOf(text, [['华晋集团', 'ORG', 11]]), text, [decisionAt('a.txt', text, 11, 12, 'O')]);
    assert.deepEqual(brief(r2.analysis), ['ORG:华晋集团@11-15:1:1']);
  });

  it('a new or retyped mention joins the entity of that type written so; a decision that cannot be placed is returned', () => {
    const text = '王建平说，建平同志认为，王建平强调。';
    const a = analysisOf(text, [['王建平', 'PER', 0]]);
    a.entities[0].aliases = ['建平'];
    const r = applyDecisions(a, text, [
      decisionAt('a.txt', text, 5, 7, 'PER'),
      decisionAt('a.txt', text, 12, 15, 'PER'),
      { path: 'a.txt', start: 40, end: 42, text: '华晋', type: 'ORG' },
    ]);
    assert.equal(r.analysis.entities.length, 1);
    assert.deepEqual(r.analysis.entities[0].mentions.map((m) => m.start), [0, 5, 12]);
    assert.deepEqual(r.unplaced.map((d) => d.text), ['华晋']);
    // moved: the decision's offsets no longer say where it stands
    const moved = applyDecisions(a, 'X' + text, [decisionAt('a.txt', text, 5, 7, 'PER')]);
    assert.deepEqual(moved.moved.map((m) => [m.decision.start, m.start]), [[5, 6]]);
  });
});

describe('DecisionBook (the worker\'s decisions)', () => {
  const base = path.join(path.sep, 'corpus');
  const jsonl = '{"path":"news/a.txt","start":0,"end":2,"text":"晋中","type":"LOC"}\n';

  it('finds an article\'s decisions by its absolute path or its path from the base, and nothing outside the base', () => {
    const book = new DecisionBook(jsonl, base);
    assert.equal(book.of(path.join(base, 'news', 'a.txt'))?.length, 1);
    assert.equal(book.of('news/a.txt')?.length, 1);
    assert.equal(book.of(path.join(path.sep, 'elsewhere', 'news', 'a.txt')), undefined);
    assert.equal(book.key(path.join(base, 'news', 'b.txt')), '');
    assert.match(book.key('news/a.txt'), /^:[0-9a-f]{12}$/);
    assert.notEqual(new DecisionBook(jsonl.replace('LOC', 'ORG'), base).key('news/a.txt'), book.key('news/a.txt'));
  });

  it('applies them to an analysis and carries the ones it cannot place', () => {
    const book = new DecisionBook(jsonl + '{"path":"news/a.txt","start":5,"end":7,"text":"华北","type":"LOC"}\n', base);
    const a = book.decide({ path: 'news/a.txt', title: null, dateline: null, date: null, entities: [] }, 'news/a.txt', '晋中市委');
    assert.deepEqual(a.entities.map((e) => [e.name, e.type, e.mentions[0].start]), [['晋中', 'LOC', 0]]);
    assert.deepEqual(a.unplacedDecisions?.map((d) => d.text), ['华北']);
  });
});
