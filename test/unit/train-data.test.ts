import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialiseModel } from '../../src/core/ner/model';
import { GoldSentence } from '../../src/core/ner/eval';
import { DEFAULT_TRAINING, lexiconSentences, trainingSets } from '../../scripts/train-data';

const ROOT = path.resolve(__dirname, '../..');

/** A sentence in BIO lines: the name (PER) then the rest. */
const bio = (name: string, rest: string) => [...name].map((c, i) => `${c} ${i ? 'I' : 'B'}-PER`).concat([...rest].map((c) => `${c} O`)).join('\n');

// Fictional names, one per sentence; the ones of the held-out fifth, the validation split and msra.test.bio are
// made of characters no other sentence has, so any trace of them in the model can only come from those sentences.
const PD = ['郑怀远', '周雨桐', '李晓东', '龘靐', '齉麤', '王建华', '陈立新', '赵明远', '鱻灥', '纛爨'];
const SPLIT = (i: number) => (i % 5 === 4 ? 'held-out' : i % 5 === 3 ? 'validation' : 'train');
const TEST_NAME = '鬱鬯';
const SAMPLE_NAME = '彡彳';
const CLUENER_TRAIN = ['蔴蘼公司', '蘩蘮公司'];
const CLUENER_DEV = '虌虋公司';
/** A CLUENER line naming a company. */
const clue = (company: string) => JSON.stringify({ text: `${company}发布了新产品。`, entity_list: [{ entity_type: 'company', entity: company, entity_index: { begin: 0, end: company.length } }] });

function runTrain(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/train.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
}
function train(data: string, out: string, extra: string[]) {
  const r = runTrain(['--data', data, '--out', out, '--epochs', '1', ...extra]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return r.stdout;
}

describe('the training data loader (scripts/train-data.ts)', () => {
  // 20 pd-msra.dev.bio sentences and 20 cluener.train.jsonl sentences, each its index in its text
  const pd = Array.from({ length: 20 }, (_, i) => ({ text: `pd${i}`, spans: [] }));
  const clueTrain = Array.from({ length: 20 }, (_, i) => ({ text: `ct${i}`, spans: [i % 2 ? { start: 0, end: 2, type: 'ORG' as const, source: 'company' } : { start: 0, end: 2, type: 'LOC' as const, source: 'address' }] }));
  const files: Record<string, GoldSentence[]> = {
    'pd-msra.dev.bio': pd, 'msra.train-sample.bio': [{ text: 'sample', spans: [] }], 'pku1998.train.bmes': [{ text: 'pku', spans: [] }],
    'pku1998.dev.bmes': [{ text: 'pkudev', spans: [] }], 'cluener.train.jsonl': clueTrain,
    'msra.test.bio': [{ text: 'test', spans: [] }], 'cluener.dev.jsonl': [{ text: 'dev', spans: [] }],
  };
  const load = (validate: boolean, extra: Partial<typeof DEFAULT_TRAINING> = {}) => {
    const read: string[] = [];
    const sets = trainingSets('/data', { ...DEFAULT_TRAINING, validate, ...extra }, (f) => { read.push(path.basename(f)); return files[path.basename(f)]; }, (f) => path.basename(f) in files);
    return { read, sets, texts: sets.flatMap((s) => s.sents.map((x) => x.text)) };
  };

  it('never opens msra.test.bio or cluener.dev.jsonl, never gives a held-out sentence; adds msra.train-sample.bio as MSRA-style data', () => {
    const { read, sets, texts } = load(false);
    assert.deepEqual(read, ['pd-msra.dev.bio', 'msra.train-sample.bio', 'pku1998.train.bmes', 'pku1998.dev.bmes', 'cluener.train.jsonl']);
    assert.deepEqual(sets.map((s) => [s.name, s.domain, s.weight]), [
      ['pd-msra.dev.bio (4 of every 5 sentences)', 0, 3], ['msra.train-sample.bio', 0, 3], ['pku1998.train.bmes', 1, 1], ['pku1998.dev.bmes', 1, 1], ['cluener.train.jsonl', 2, 0.5],
    ]);
    assert.deepEqual(texts.filter((t) => t.startsWith('pd')), pd.filter((_, i) => i % 5 !== 4).map((x) => x.text));
    assert.equal(texts.filter((t) => t.startsWith('ct')).length, 20);
  });

  it('--validate also leaves out pd-msra.dev.bio index % 5 === 3 and cluener.train.jsonl index % 10 === 9', () => {
    const { read, texts } = load(true);
    assert.ok(!read.includes('msra.test.bio') && !read.includes('cluener.dev.jsonl'));
    assert.deepEqual(texts.filter((t) => t.startsWith('pd')), ['pd0', 'pd1', 'pd2', 'pd5', 'pd6', 'pd7', 'pd10', 'pd11', 'pd12', 'pd15', 'pd16', 'pd17']);
    assert.deepEqual(texts.filter((t) => t.startsWith('ct')), clueTrain.filter((_, i) => i % 10 !== 9).map((x) => x.text));
  });

  it('the lexicon takes CLUENER spans only of the CLUENER types asked for, in training order', () => {
    const none = { cluenerLexiconTypes: [] };
    assert.deepEqual(lexiconSentences(load(false, none).sets, none).map((s) => s.text), ['pd0', 'pd1', 'pd2', 'pd3', 'pd5', 'pd6', 'pd7', 'pd8', 'pd10', 'pd11', 'pd12', 'pd13', 'pd15', 'pd16', 'pd17', 'pd18', 'sample', 'pku', 'pkudev']);
    // by default the organisations (of which companies), not the addresses
    assert.deepEqual(DEFAULT_TRAINING.cluenerLexiconTypes, ['organization', 'government', 'company']);
    const companies = lexiconSentences(load(false, { cluenerLexiconTypes: ['company'] }).sets, { cluenerLexiconTypes: ['company'] }).filter((s) => s.text.startsWith('ct'));
    assert.equal(companies.length, 20);
    assert.deepEqual(companies.map((s) => s.spans.map((sp) => sp.type)), clueTrain.map((_, i) => (i % 2 ? ['ORG'] : [])));
  });
});

describe('training data use (scripts/train.ts on a small data folder)', function () {
  this.timeout(240000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-train-'));
    const data = path.join(dir, 'ner');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'pd-msra.dev.bio'), PD.map((n) => bio(n, '在会上发言。')).join('\n\n') + '\n');
    fs.writeFileSync(path.join(data, 'msra.test.bio'), bio(TEST_NAME, '在会上发言。') + '\n');
    fs.writeFileSync(path.join(data, 'msra.train-sample.bio'), bio(SAMPLE_NAME, '在会上发言。') + '\n');
    fs.writeFileSync(path.join(data, 'cluener.train.jsonl'), CLUENER_TRAIN.map(clue).join('\n') + '\n');
    fs.writeFileSync(path.join(data, 'cluener.dev.jsonl'), clue(CLUENER_DEV) + '\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const lexiconOf = (file: string) => new Set(deserialiseModel(fs.readFileSync(file)).lexicon!.entries.flat());

  it('a full run learns from 4 of every 5 pd-msra.dev.bio sentences, msra.train-sample.bio and cluener.train.jsonl, never from the held-out fifth, msra.test.bio or cluener.dev.jsonl', () => {
    const out = path.join(dir, 'full.model');
    // with CLUENER's strings in the lexicon, so that the lexicon shows every file read
    train(path.join(dir, 'ner'), out, ['--lex-cluener']);
    const lex = lexiconOf(out);
    PD.forEach((name, i) => assert.equal(lex.has(name), SPLIT(i) !== 'held-out', `${name} (${SPLIT(i)})`));
    assert.equal(lex.has(TEST_NAME), false);
    assert.equal(lex.has(SAMPLE_NAME), true);
    for (const name of CLUENER_TRAIN) assert.equal(lex.has(name), true, name);
    assert.equal(lex.has(CLUENER_DEV), false);
    // the record says what was never trained on, and evaluates on each evaluation set
    const record = JSON.parse(fs.readFileSync(out + '.json', 'utf8'));
    assert.deepEqual(record.training.neverTrainedOn, ['msra.test.bio', 'cluener.dev.jsonl', 'pd-msra.dev.bio held-out part']);
    assert.deepEqual(Object.keys(record.evaluation), ['msra.test.bio', 'pd-msra.dev.bio held-out fifth (index % 5 === 4)', 'cluener.dev.jsonl']);
  });

  it('exits with status 2 and says which data is missing', () => {
    const missing = runTrain(['--data', path.join(dir, 'nowhere'), '--out', path.join(dir, 'none.model')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /the annotated NER data folder .*nowhere is missing/);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const noPd = runTrain(['--data', empty, '--out', path.join(dir, 'none.model')]);
    assert.equal(noPd.status, 2);
    assert.match(noPd.stderr, /pd-msra\.dev\.bio is missing/);
    assert.equal(fs.existsSync(path.join(dir, 'none.model')), false);
  });

  it('a --validate run also leaves the validation split out, and --calibrate fits the calibration on it alone', () => {
    const out = path.join(dir, 'validation.model');
    const record = path.join(dir, 'record.json');
    fs.writeFileSync(record, JSON.stringify({ model: 'kept' }));
    train(path.join(dir, 'ner'), out, ['--no-cluener', '--validate', '--calibrate', '--calibration-out', record]);
    const lex = lexiconOf(out);
    PD.forEach((name, i) => assert.equal(lex.has(name), SPLIT(i) === 'train', `${name} (${SPLIT(i)})`));
    assert.equal(lex.has(TEST_NAME), false);
    const SPLITS = 'pd-msra.dev.bio index % 5 === 3 and cluener.train.jsonl index % 10 === 9';
    assert.equal(deserialiseModel(fs.readFileSync(out)).meta.heldOut, SPLITS);
    const written = JSON.parse(fs.readFileSync(record, 'utf8'));
    assert.equal(written.model, 'kept');
    // the two validation sentences of pd-msra.dev.bio, and the mentions found in them
    assert.match(written.calibration.fittedOn, /^pd-msra\.dev\.bio index % 5 === 3 \(2 sentences, \d+ mentions found\)/);
    for (const t of ['PER', 'LOC', 'ORG']) assert.ok(written.calibration[t].a > 0, t);
  });
});
