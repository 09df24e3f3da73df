import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadSegmenter } from '../../src/core/segment/backends';
import { createRecogniser, loadModel } from '../../src/core/ner';
import { activeRules, dropNonNames, joinDottedNames, POST_RULES, POST_RULE_NAMES } from '../../src/core/ner/postRules';
import { gazetteer } from '../../src/core/ner/gazetteer';
import { run as evalCommand } from '../../src/cli/commands/eval';

const seg = loadSegmenter('nodejieba').segmenter;
const model = loadModel();
// the tagger reads 中泰 as one organisation; abbreviationPlaces makes it two places (the MSRA convention)
const TEXT = '中泰已互为重要贸易伙伴。';
const brief = (ms: { type: string; text: string; start: number }[]) => ms.map((m) => `${m.type}:${m.text}@${m.start}`);

describe('ner post-rules: a named list the recogniser runs in order', () => {
  it('names every rule once, and activeRules leaves out the ones named (and the conventions when asked)', () => {
    assert.equal(new Set(POST_RULE_NAMES).size, POST_RULES.length);
    assert.equal(activeRules().length, POST_RULES.length);
    assert.equal(activeRules(['abbreviationPlaces', 'dropNonNames']).length, POST_RULES.length - 2);
    assert.equal(activeRules([], false).length, POST_RULES.filter((r) => !r.convention).length);
    assert.deepEqual(POST_RULES.filter((r) => r.convention).map((r) => r.name), [
      'splitJoinedNames', 'splitNameBeforeForeign', 'splitPlaceRuns', 'documentTitles', 'abbreviationPlaces',
      'knownOrganisationTypes', 'ethnicGroupsNotPlaces', 'congressSessions', 'plenarySessions', 'militaryUnits', 'balanceQuotes', 'surnamesBeforeTitles',
    ]);
  });

  it('switches one rule off by name, and withoutRules is the same recogniser without it', () => {
    const all = createRecogniser({ segmenter: seg, model });
    const without = createRecogniser({ segmenter: seg, model, without: ['abbreviationPlaces'] });
    assert.deepEqual(brief(all.recognise(TEXT)).slice(0, 2), ['LOC:中@0', 'LOC:泰@1']);
    assert.deepEqual(brief(without.recognise(TEXT)).slice(0, 1), ['ORG:中泰@0']);
    assert.deepEqual(all.withoutRules(['abbreviationPlaces']).recognise(TEXT), without.recognise(TEXT));
    // another rule off leaves this sentence alone
    assert.deepEqual(all.withoutRules(['splitNameRuns']).recognise(TEXT), all.recognise(TEXT));
  });
});

describe('dropNonNames', () => {
  it('drops a "person" that is a building or a run of numerals, and keeps persons and two-character names', () => {
    const m = (text: string, type: 'PER' | 'LOC' | 'ORG') => ({ start: 0, end: text.length, type, text });
    const ms = [m('实训楼', 'PER'), m('派出所', 'PER'), m('十二师二二二团', 'PER'), m('王建国', 'PER'), m('文楼', 'PER'), m('国家图书馆', 'ORG')];
    assert.deepEqual(dropNonNames(ms, gazetteer()).map((x) => x.text), ['王建国', '文楼', '国家图书馆']);
  });
});

describe('joinDottedNames', () => {
  const text = '沙尔合提·阿汗会见了新华社和北京市代表';
  const m = (s: string, type: 'PER' | 'LOC' | 'ORG') => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length, type, text: s });
  it('joins a person across a middle dot, and returns mentions without a person as they are when in order, sorted otherwise', () => {
    const tokens = seg.tag(text);
    assert.deepEqual(brief(joinDottedNames(text, [m('新华社', 'ORG'), m('阿汗', 'PER'), m('沙尔合提', 'PER')], tokens)), ['PER:沙尔合提·阿汗@0', 'ORG:新华社@10']);
    const inOrder = [m('新华社', 'ORG'), m('北京市', 'LOC')];
    assert.equal(joinDottedNames(text, inOrder, tokens), inOrder);
    const reversed = [m('北京市', 'LOC'), m('新华社', 'ORG')];
    const sorted = joinDottedNames(text, reversed, tokens);
    assert.deepEqual(brief(sorted), ['ORG:新华社@10', 'LOC:北京市@14']);
    assert.deepEqual(brief(reversed), ['LOC:北京市@14', 'ORG:新华社@10']); // (a sorted copy: the input as it was)
  });
});

describe('corpus-lens eval --without / --rules-effect', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ner-rules-'));
    file = join(dir, 'gold.bio');
    const tags = [...TEXT].map((c, i) => `${c} ${i === 0 || i === 1 ? 'B-LOC' : 'O'}`);
    writeFileSync(file, tags.join('\n') + '\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new PassThrough(), stderr = new PassThrough();
    let out = '', err = '';
    stdout.on('data', (d) => { out += d; });
    stderr.on('data', (d) => { err += d; });
    const code = await evalCommand(args, { stdin: new PassThrough(), stdout, stderr });
    return { code, stdout: out, stderr: err };
  }
  const micro = (stdout: string) => stdout.split('\n').find((l) => l.trim().startsWith('micro'))!.trim().split(/\s+/);

  it('scores with a rule switched off', async () => {
    const all = await cli([file]);
    assert.equal(all.code, 0);
    assert.deepEqual(micro(all.stdout), ['micro', '100.00', '100.00', '100.00', '2', '0', '0']);
    const without = await cli([file, '--without', 'abbreviationPlaces']);
    assert.equal(without.code, 0);
    assert.match(without.stdout, /^model without abbreviationPlaces$/m);
    assert.deepEqual(micro(without.stdout), ['micro', '0.00', '0.00', '0.00', '0', '1', '2']);
    const json = JSON.parse((await cli([file, '--without=abbreviationPlaces,dropNonNames', '--json'])).stdout);
    assert.deepEqual(json.without, ['abbreviationPlaces', 'dropNonNames']);
    assert.equal(json.model.micro.tp, 0);
  });

  it('reports each rule\'s effect on F1', async () => {
    const res = await cli([file, '--rules-effect']);
    assert.equal(res.code, 0);
    assert.match(res.stdout, /^ {2}abbreviationPlaces +0\.00 +\+100\.00$/m);
    assert.match(res.stdout, /^ {2}splitNameRuns +100\.00 +0\.00$/m);
    const json = JSON.parse((await cli([file, '--rules-effect', '--without', 'dropNonNames', '--json'])).stdout);
    assert.deepEqual(json.rulesEffect.map((e: { rule: string }) => e.rule), POST_RULE_NAMES.filter((r) => r !== 'dropNonNames'));
    const effect = json.rulesEffect.find((e: { rule: string }) => e.rule === 'abbreviationPlaces');
    assert.equal(effect.f1Delta, 1);
    assert.equal(effect.without.micro.fp, 1);
  });

  it('refuses an unknown rule (exit 2) and names the rules', async () => {
    const res = await cli([file, '--without', 'noSuchRule']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown post-rule "noSuchRule" \(splitNameRuns, joinDottedNames, /);
  });
});
