import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialiseModel } from '../../src/core/ner/model';

const ROOT = path.resolve(__dirname, '../..');

/** A sentence in BIO lines: the name (PER) then the rest. */
const bio = (name: string, rest: string) => [...name].map((c, i) => `${c} ${i ? 'I' : 'B'}-PER`).concat([...rest].map((c) => `${c} O`)).join('\n');

// Fictional names, one per sentence; the ones of the held-out fifth, the validation split and msra.test.bio are
// made of characters no other sentence has, so any trace of them in the model can only come from those sentences.
const PD = ['郑怀远', '周雨桐', '李晓东', '龘靐', '齉麤', '王建华', '陈立新', '赵明远', '鱻灥', '纛爨'];
const SPLIT = (i: number) => (i % 5 === 4 ? 'held-out' : i % 5 === 3 ? 'validation' : 'train');
const TEST_NAME = '鬱鬯';

function train(data: string, out: string, extra: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/train.ts'), '--data', data, '--out', out, '--epochs', '1', '--no-cluener', ...extra],
    { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return r.stdout;
}

describe('training data use (scripts/train.ts on a small data folder)', function () {
  this.timeout(240000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-train-'));
    const data = path.join(dir, 'ner');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'pd-msra.dev.bio'), PD.map((n) => bio(n, '在会上发言。')).join('\n\n') + '\n');
    fs.writeFileSync(path.join(data, 'msra.test.bio'), bio(TEST_NAME, '在会上发言。') + '\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const lexiconOf = (file: string) => new Set(deserialiseModel(fs.readFileSync(file)).lexicon!.entries.flat());

  it('a full run learns from 4 of every 5 pd-msra.dev.bio sentences, never from the held-out fifth or msra.test.bio', () => {
    const out = path.join(dir, 'full.model');
    train(path.join(dir, 'ner'), out, []);
    const lex = lexiconOf(out);
    PD.forEach((name, i) => assert.equal(lex.has(name), SPLIT(i) !== 'held-out', `${name} (${SPLIT(i)})`));
    assert.equal(lex.has(TEST_NAME), false);
    // the record says what was never trained on
    const record = JSON.parse(fs.readFileSync(out + '.json', 'utf8'));
    assert.deepEqual(record.training.neverTrainedOn, ['msra.test.bio', 'pd-msra.dev.bio held-out part']);
  });

  it('a --validate run also leaves the validation split out, and --calibrate fits the calibration on it alone', () => {
    const out = path.join(dir, 'validation.model');
    const record = path.join(dir, 'record.json');
    fs.writeFileSync(record, JSON.stringify({ model: 'kept' }));
    train(path.join(dir, 'ner'), out, ['--validate', '--calibrate', '--calibration-out', record]);
    const lex = lexiconOf(out);
    PD.forEach((name, i) => assert.equal(lex.has(name), SPLIT(i) === 'train', `${name} (${SPLIT(i)})`));
    assert.equal(lex.has(TEST_NAME), false);
    assert.equal(deserialiseModel(fs.readFileSync(out)).meta.heldOut, 'pd-msra.dev.bio index % 5 === 3');
    const written = JSON.parse(fs.readFileSync(record, 'utf8'));
    assert.equal(written.model, 'kept');
    // the two validation sentences, and the mentions found in them
    assert.match(written.calibration.fittedOn, /^pd-msra\.dev\.bio index % 5 === 3 \(2 sentences, \d+ mentions found\)/);
    for (const t of ['PER', 'LOC', 'ORG']) assert.ok(written.calibration[t].a > 0, t);
  });
});
