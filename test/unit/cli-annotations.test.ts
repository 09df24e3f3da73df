// The user's decisions per mention (.corpus-lens/annotations.jsonl) applied by `corpus-lens extract`, run as a
// separate process on real files: a span typed, a span removed, a missed span added, with exact offsets; a decision
// placed again after text was inserted before it; one that cannot be placed reported; --reviewed-only.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { applyDecisions } from '../../src/core/annotations';
import { conllDocuments, decisionsFor, type Span, spansFromBrat, spansFromConll } from '../../src/core/export/readBack';

// Fictional names only.
const ARTICLE = '晋北市召开座谈会\n\n17.10.2018  06:24\n\n  市委书记周国平在晋北市主持会议。周国平指出，华晋能源集团要做好工作，北辰数联要跟上。\n';

type Doc = { path: string; entities: { name: string; type: string; mentions: { start: number; end: number; text: string; line: number; character: number }[] }[] };
const spans = (d: Doc) => d.entities.flatMap((e) => e.mentions.map((m) => `${e.type} ${m.text} ${m.start}-${m.end}`)).sort();
const decision = (p: string, text: string, needle: string, type: string, nth = 0) => {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  return JSON.stringify({ path: p, start: at, end: at + needle.length, text: needle, type, before: text.slice(Math.max(0, at - 8), at), after: text.slice(at + needle.length, at + needle.length + 8) });
};

describe('corpus-lens extract with the user\'s decisions (annotations.jsonl)', function () {
  this.timeout(60000);
  let dir: string;
  const article = () => path.join(dir, 'news', 'a.txt');
  const extract = async (...extra: string[]) => {
    const r = await runCli(['extract', '--format', 'jsonl', ...extra, path.join(dir, 'news')]);
    assert.equal(r.code, 0, r.stderr);
    return { docs: r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Doc), stderr: r.stderr };
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-annotations-'));
    fs.mkdirSync(path.join(dir, 'news'));
    fs.mkdirSync(path.join(dir, '.corpus-lens'));
    fs.writeFileSync(article(), ARTICLE);
    fs.writeFileSync(path.join(dir, 'news', 'b.txt'), ARTICLE.replace('周国平', '李文博'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies a typed span, a removed span and a missed span, at exact offsets; other articles as the model has them', async () => {
    const { docs: before } = await extract();
    const model = spans(before.find((d) => d.path.endsWith('a.txt'))!);
    assert.ok(model.some((s) => s.startsWith('PER 周国平 ')), model.join('\n'));
    assert.ok(!model.some((s) => s.includes('北辰数联')), 'the model misses 北辰数联: ' + model.join('\n'));
    const lines = [
      decision('news/a.txt', ARTICLE, '晋北市', 'O', 1), // the second 晋北市: not an entity here
      decision('news/a.txt', ARTICLE, '北辰数联', 'ORG'), // missed
      decision('news/a.txt', ARTICLE, '周国平', 'ORG', 1), // the second 周国平, typed otherwise (a test of typing, not a truth)
    ];
    fs.writeFileSync(path.join(dir, '.corpus-lens', 'annotations.jsonl'), lines.join('\n') + '\n');
    const { docs, stderr } = await extract();
    assert.equal(stderr.includes('cannot be placed'), false, stderr);
    const a = docs.find((d) => d.path.endsWith('a.txt'))!;
    const at = (needle: string, nth = 0) => { let i = -1; for (let k = 0; k <= nth; k++) i = ARTICLE.indexOf(needle, i + 1); return i; };
    assert.ok(model.includes(`LOC 晋北市 ${at('晋北市', 1)}-${at('晋北市', 1) + 3}`), 'the model finds the second 晋北市: ' + model.join('\n'));
    const expected = model
      .filter((s) => s !== `LOC 晋北市 ${at('晋北市', 1)}-${at('晋北市', 1) + 3}` && s !== `PER 周国平 ${at('周国平', 1)}-${at('周国平', 1) + 3}`)
      .concat([`ORG 北辰数联 ${at('北辰数联')}-${at('北辰数联') + 4}`, `ORG 周国平 ${at('周国平', 1)}-${at('周国平', 1) + 3}`]).sort();
    assert.deepEqual(spans(a), expected);
    for (const e of a.entities) for (const m of e.mentions) {
      assert.equal(ARTICLE.slice(m.start, m.end), m.text);
      assert.equal(ARTICLE.split('\n')[m.line].slice(m.character, m.character + m.text.length), m.text);
    }
    // b.txt has no decisions: as the model has it
    assert.deepEqual(spans(docs.find((d) => d.path.endsWith('b.txt'))!), spans(before.find((d) => d.path.endsWith('b.txt'))!));
  });

  it('places a decision again after text was inserted before it, and reports one that cannot be placed', async () => {
    fs.writeFileSync(path.join(dir, '.corpus-lens', 'annotations.jsonl'), [
      decision('news/a.txt', ARTICLE, '北辰数联', 'ORG'),
      JSON.stringify({ path: 'news/a.txt', start: 200, end: 204, text: '南岭数联', type: 'ORG' }),
    ].join('\n') + '\n');
    const inserted = ARTICLE.replace('  市委书记', '  （本报讯）𠮷市委书记');
    fs.writeFileSync(article(), inserted);
    const { docs, stderr } = await extract();
    const a = docs.find((d) => d.path.endsWith('a.txt'))!;
    const start = inserted.indexOf('北辰数联');
    assert.equal(start, ARTICLE.indexOf('北辰数联') + 7);
    assert.ok(spans(a).includes(`ORG 北辰数联 ${start}-${start + 4}`), spans(a).join('\n'));
    assert.match(stderr, /a\.txt: the decision "南岭数联" ORG at 200-204 cannot be placed in the article as it is now/);
    // the file is left as it was
    assert.match(fs.readFileSync(path.join(dir, '.corpus-lens', 'annotations.jsonl'), 'utf8'), /南岭数联/);
  });

  it('--reviewed-only exports only the articles marked reviewed; a malformed line is reported with its number', async () => {
    fs.writeFileSync(path.join(dir, '.corpus-lens', 'annotations.jsonl'), '{"path":"news/b.txt","status":"reviewed"}\n{oops\n');
    const { docs, stderr } = await extract('--reviewed-only');
    assert.deepEqual(docs.map((d) => path.basename(d.path)), ['b.txt']);
    assert.match(stderr, /annotations\.jsonl:2: not JSON/);
  });

  it('gold of a reviewed article round-trips through brat and CoNLL: the spans read back are the gold, and the decisions they give rebuild it', async () => {
    const text = ARTICLE;
    fs.writeFileSync(path.join(dir, '.corpus-lens', 'annotations.jsonl'), [
      '{"path":"news/a.txt","status":"reviewed"}',
      decision('news/a.txt', text, '北辰数联', 'ORG'),
      decision('news/a.txt', text, '晋北市', 'O', 1),
    ].join('\n') + '\n');
    const { docs } = await extract('--reviewed-only');
    assert.equal(docs.length, 1);
    const gold = docs[0].entities.flatMap((e) => e.mentions.map((m) => ({ start: m.start, end: m.end, type: e.type }))).sort((a, b) => a.start - b.start);
    assert.ok(gold.some((g) => text.slice(g.start, g.end) === '北辰数联'));

    const brat = path.join(dir, 'brat');
    let r = await runCli(['extract', '--format', 'brat', '--out', brat, '--reviewed-only', path.join(dir, 'news')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(spansFromBrat(fs.readFileSync(path.join(brat, 'a.ann'), 'utf8'), fs.readFileSync(path.join(brat, 'a.txt'), 'utf8')), gold);

    r = await runCli(['extract', '--format', 'conll', '--reviewed-only', path.join(dir, 'news')]);
    assert.equal(r.code, 0, r.stderr);
    const [rows] = conllDocuments(r.stdout);
    assert.deepEqual(spansFromConll(rows, text), gold);

    // the model's own analysis (a dictionary folder without annotations) and the decisions the gold gives: the gold again
    fs.mkdirSync(path.join(dir, 'plain'));
    r = await runCli(['extract', '--format', 'jsonl', '--dictionary', path.join(dir, 'plain'), article()]);
    assert.equal(r.code, 0, r.stderr);
    const model = JSON.parse(r.stdout.trim());
    const decisions = decisionsFor('news/a.txt', text, model, gold as Span[]);
    assert.ok(decisions.some((d) => d.type === 'O' && d.text === '晋北市') && decisions.some((d) => d.type === 'ORG' && d.text === '北辰数联'), JSON.stringify(decisions));
    const rebuilt = applyDecisions(model, text, decisions).analysis;
    assert.deepEqual(rebuilt.entities.flatMap((e) => e.mentions.map((m) => ({ start: m.start, end: m.end, type: e.type }))).sort((a, b) => a.start - b.start), gold);
  });
});
