// The benchmark over an annotated data folder: which sentences each set holds (the split rules training shares),
// and `corpus-lens eval DIR` printing every set with the jieba baseline and unseen-name recall in one run.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchmarkSets, validationSets } from '../../src/core/ner/benchmark';
import { runCli } from '../helpers/cli';

/** A BIO sentence: the name (PER) then the rest. */
const bio = (name: string, rest: string) => [...name].map((c, i) => `${c} ${i ? 'I' : 'B'}-PER`).concat([...rest].map((c) => `${c} O`)).join('\n');
const clue = (text: string, entities: [string, string][]) => JSON.stringify({
  text, entity_list: entities.map(([type, entity]) => ({ entity_type: type, entity, entity_index: { begin: text.indexOf(entity), end: text.indexOf(entity) + entity.length } })),
});
const NAMES = ['王建华', '李晓东', '陈立新', '赵明远', '周雨桐', '张国强', '刘春华', '孙志刚', '杨秀英', '黄海涛'];

describe('the benchmark sets (src/core/ner/benchmark.ts) and corpus-lens eval DIR', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bench-'));
    fs.writeFileSync(path.join(dir, 'pd-msra.dev.bio'), NAMES.map((n) => bio(n, '在会上发言。')).join('\n\n') + '\n');
    fs.writeFileSync(path.join(dir, 'msra.test.bio'), bio('习近平', '在北京会见了外宾。') + '\n');
    fs.writeFileSync(path.join(dir, 'cluener.dev.jsonl'), [
      clue('王建华在北京故宫参观。', [['name', '王建华'], ['address', '北京'], ['scene', '故宫']]),
      clue('招商银行发布年报。', [['company', '招商银行']]),
    ].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'cluener.train.jsonl'), Array.from({ length: 20 }, (_, i) => clue(`第${i}句。`, [])).join('\n') + '\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds msra.test.bio, the held-out fifth of pd-msra.dev.bio and cluener.dev.jsonl; the validation splits apart', () => {
    const sets = benchmarkSets(dir);
    assert.deepEqual(sets.map((s) => [s.name, s.sentences.length]), [
      ['msra.test.bio', 1], ['pd-msra.dev.bio held-out fifth (index % 5 === 4)', 2], ['cluener.dev.jsonl', 2],
    ]);
    assert.deepEqual(sets[1].sentences.map((s) => s.text.slice(0, 3)), ['周雨桐', '黄海涛']);
    const val = validationSets(dir);
    assert.deepEqual(val.map((s) => s.name), ['pd-msra.dev.bio index % 5 === 3', 'cluener.train.jsonl index % 10 === 9']);
    assert.deepEqual(val[0].sentences.map((s) => s.text.slice(0, 3)), ['赵明远', '杨秀英']);
    assert.deepEqual(val[1].sentences.map((s) => s.text), ['第9句。', '第19句。']);
  });

  it('corpus-lens eval DIR prints every set with the jieba baseline and unseen recall, and the CLUENER scores with unmapped spans ignored', async () => {
    const r = await runCli(['eval', dir]);
    assert.equal(r.code, 0, r.stderr);
    const summary = r.stdout.split('\n\n')[0].split('\n');
    assert.equal(summary[0], 'micro F1, exact span and type');
    assert.match(summary[2], /^ {2}msra\.test\.bio +1 +\d+\.\d\d {2}\(\d+\.\d\d \/ \d+\.\d\d \/ \d+\.\d\d\) +\d+\.\d\d {3}\d+\.\d\d \/ \d+\.\d\d \/ \d+\.\d\d$/);
    assert.match(summary[3], /^ {2}pd-msra\.dev\.bio held-out fifth \(index % 5 === 4\) +2 /);
    assert.match(summary[4], /^ {2}cluener\.dev\.jsonl +2 /);
    assert.match(summary[5], /with predictions on an unmapped type's span ignored \(jieba \d+\.\d\d\)$/);
    for (const set of ['msra.test.bio: 1 sentences', 'cluener.dev.jsonl: 2 sentences, 20 chars, gold PER 1 LOC 1 ORG 1']) assert.ok(r.stdout.includes(set), set);
    assert.equal(r.stdout.split('jieba baseline (nr→PER, ns→LOC, nt→ORG)').length - 1, 3);
    assert.equal(r.stdout.split("recall of names not in the model's lexicon").length - 1, 3);
    // --validation: the two validation splits instead
    const v = await runCli(['eval', '--benchmark', dir, '--validation', '--json']);
    assert.equal(v.code, 0, v.stderr);
    assert.deepEqual(JSON.parse(v.stdout).map((x: { set: string; sentences: number }) => [x.set, x.sentences]), [
      ['pd-msra.dev.bio index % 5 === 3', 2], ['cluener.train.jsonl index % 10 === 9', 2],
    ]);
  });

  it('exits 2 with a message when the folder is missing or holds none of the sets', async () => {
    const missing = await runCli(['eval', '--benchmark', path.join(dir, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /the annotated data folder .*nowhere is missing/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bench-empty-'));
    try {
      const none = await runCli(['eval', empty]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /holds none of msra\.test\.bio, pd-msra\.dev\.bio, cluener\.dev\.jsonl/);
    } finally { fs.rmSync(empty, { recursive: true, force: true }); }
  });
});
