// The model learns the corpus: `corpus-lens train --from`, `extract --model` and `eval --from`, each run as a separate
// process (bin/corpus-lens.js over the built dist/cli.js) on real files. A generated corpus of 40 fictional articles
// names a made-up organisation the shipped model misses; 20 of them are reviewed (an ORG decision at each of its
// occurrences); the adapted model finds it in most of the other 20, and the sample article's entities stay as they were.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readModelFile } from '../../src/core/ner/model';
import type { AdaptRecord } from '../../src/core/ner/adapt';
import { runCli } from '../helpers/cli';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/corpus-lens.js');
const SAMPLE = path.join(ROOT, 'sample/corpus', fs.readdirSync(path.join(ROOT, 'sample/corpus')).find((f) => f.startsWith('001_'))!);

/** A made-up organisation (no suffix such as 公司 or 集团 gives it away): the shipped model does not find it. */
const NAME = '鸿屹云图';

/** 40 fictional articles, each naming NAME six times in sentences drawn (seeded) from varied templates. */
function corpus(): string[] {
  let seed = 7;
  const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff; return seed / 0x80000000; };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const persons = ['周立群', '韩晓东', '孙美玲', '郑国栋', '冯雅琴', '高志远', '林慧敏', '罗振华'];
  const places = ['晋北市', '临川县', '南屏镇', '云岭区', '青石县', '东川市'];
  const withName = [
    () => `${NAME}与${pick(places)}签署了战略合作协议。`,
    () => `${pick(persons)}表示，${NAME}将在${pick(places)}新建研发中心。`,
    () => `据${NAME}介绍，今年一季度订单同比增长${10 + Math.floor(rnd() * 30)}%。`,
    () => `${pick(places)}政府与${NAME}就数字化改造达成一致。`,
    () => `来自${NAME}的技术团队已进驻现场。`,
    () => `${NAME}负责人${pick(persons)}在会上作了发言。`,
    () => `记者从${NAME}获悉，相关项目预计年底完工。`,
    () => `此次活动由${NAME}主办，${pick(places)}多家单位参加。`,
    () => `${NAME}去年营业收入达${2 + Math.floor(rnd() * 9)}亿元。`,
    () => `${pick(persons)}说，${NAME}的产品已出口到多个国家。`,
  ];
  const filler = [
    () => `${pick(persons)}指出，要进一步优化营商环境，推动产业升级。`,
    () => `会议由${pick(places)}副市长${pick(persons)}主持。`,
    () => `当天，${pick(places)}还举行了项目集中开工仪式。`,
    () => `据了解，该项目总投资约${3 + Math.floor(rnd() * 20)}亿元。`,
  ];
  return Array.from({ length: 40 }, (_, i) => {
    const paragraphs = [0, 1, 2].map(() => '  ' + pick(withName)() + pick(filler)() + pick(withName)());
    return `${pick(places)}举行企业座谈会\n\n${String(1 + (i % 28)).padStart(2, '0')}.05.2019  10:00\n\n${paragraphs.join('\n\n')}\n`;
  });
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

type Doc = { path: string; entities: { name: string; type: string; mentions: { start: number; end: number; text: string }[] }[] };
const docs = (jsonl: string) => jsonl.trim().split('\n').map((l) => JSON.parse(l) as Doc);
/** the articles (file names) in which NAME is an organisation */
const finding = (ds: Doc[]) => ds.filter((d) => d.entities.some((e) => e.type === 'ORG' && e.name === NAME)).map((d) => path.basename(d.path));
const entities = (d: Doc) => d.entities.flatMap((e) => e.mentions.map((m) => `${e.type} ${m.text} ${m.start}-${m.end}`)).sort();

describe('corpus-lens train: the model learns the corpus', function () {
  this.timeout(120000);
  let dir: string;
  const news = () => path.join(dir, 'news');
  const names = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(3, '0')}.txt`);
  const reviewed = names.slice(0, 20), others = names.slice(20);
  let occurrences = 0; // of NAME in the reviewed articles

  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist/cli.js')), 'dist/cli.js: run npm run build first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-train-'));
    fs.mkdirSync(news());
    fs.mkdirSync(path.join(dir, '.corpus-lens'));
    const texts = corpus();
    names.forEach((n, i) => fs.writeFileSync(path.join(news(), n), texts[i]));
    // the review: an ORG decision at every occurrence of NAME, and the article marked reviewed
    const lines: string[] = [];
    reviewed.forEach((n, i) => {
      lines.push(JSON.stringify({ path: `news/${n}`, status: 'reviewed' }));
      for (let at = texts[i].indexOf(NAME); at >= 0; at = texts[i].indexOf(NAME, at + 1)) {
        lines.push(JSON.stringify({ path: `news/${n}`, start: at, end: at + NAME.length, text: NAME, type: 'ORG' }));
        occurrences++;
      }
    });
    fs.writeFileSync(path.join(dir, '.corpus-lens', 'annotations.jsonl'), lines.join('\n') + '\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('adapts the shipped model: it finds the name in most unreviewed articles, the sample article as before; eval --from shows before and after', async () => {
    const model = path.join(dir, '.corpus-lens', 'model.ner');
    const shipped = await cli(['extract', '--format', 'jsonl', news(), SAMPLE]);
    assert.equal(shipped.code, 0, shipped.stderr);
    const shippedDocs = docs(shipped.stdout);
    // the shipped model misses it wherever no decision says otherwise (in the reviewed articles, extract applies them)
    assert.deepEqual(finding(shippedDocs).filter((f) => others.includes(f)), []);
    assert.deepEqual(finding(shippedDocs).filter((f) => reviewed.includes(f)), reviewed);

    const train = await cli(['train', '--from', news()]);
    assert.equal(train.code, 0, train.stderr);
    const lines = train.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^trained on 16 reviewed articles \(\d+ mentions, \d+ sentences\), 10 epochs$/);
    assert.match(lines[1], /^held out: 4 articles \(every 5th by path, \d+ mentions\); exact span and type, %$/);
    assert.deepEqual(lines.slice(3).map((l) => l.trim().split(/\s+/)[0]), ['type', 'PER', 'LOC', 'ORG', 'micro']);
    assert.match(train.stderr, /wrote .*model\.ner; use it with --model on extract, tag and eval/);

    // the record in the model file's header: what it learned from, and the held-out scores (004, 009, 014, 019)
    const record = readModelFile(fs.readFileSync(model)).header.adaptation as AdaptRecord;
    assert.deepEqual([record.articles, record.heldOut.articles, record.epochs], [16, 4, 10]);
    const heldOutOccurrences = ['004', '009', '014', '019'].reduce((n, a) => n + fs.readFileSync(path.join(news(), `${a}.txt`), 'utf8').split(NAME).length - 1, 0);
    assert.equal(record.before!.ORG.fn, heldOutOccurrences, 'the shipped model misses every held-out occurrence');
    assert.ok(record.after!.ORG.tp >= 0.75 * heldOutOccurrences, JSON.stringify(record.after!.ORG));
    assert.ok(record.after!.micro.f1 > record.before!.micro.f1, `${record.before!.micro.f1} → ${record.after!.micro.f1}`);
    assert.match(lines[6], new RegExp(`^\\s*ORG\\s+${(record.before!.ORG.precision * 100).toFixed(2)}\\s+${(record.before!.ORG.recall * 100).toFixed(2)}\\s+${(record.before!.ORG.f1 * 100).toFixed(2)}\\s+${(record.after!.ORG.precision * 100).toFixed(2)}\\s+`));

    // never replaced without --force
    const bytes = fs.readFileSync(model);
    const again = await cli(['train', '--from', news()]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /model\.ner already exists; nothing was written\. Use --force/);
    assert.deepEqual(fs.readFileSync(model), bytes);

    const adapted = await cli(['extract', '--format', 'jsonl', '--model', model, news(), SAMPLE]);
    assert.equal(adapted.code, 0, adapted.stderr);
    const adaptedDocs = docs(adapted.stdout);
    const found = finding(adaptedDocs).filter((f) => others.includes(f));
    assert.ok(found.length >= 15, `the adapted model finds ${NAME} in ${found.length} of the 20 unreviewed articles`);
    const sample = (ds: Doc[]) => entities(ds.find((d) => d.path.endsWith(path.basename(SAMPLE)))!);
    assert.ok(sample(shippedDocs).length > 10);
    assert.deepEqual(sample(adaptedDocs), sample(shippedDocs));

    // eval --from: the shipped model misses every reviewed occurrence; the adapted one few of them
    const before = await cli(['eval', '--from', news(), '--json']);
    assert.equal(before.code, 0, before.stderr);
    const after = await cli(['eval', '--from', news(), '--model', model, '--json']);
    assert.equal(after.code, 0, after.stderr);
    const b = JSON.parse(before.stdout), a = JSON.parse(after.stdout);
    assert.equal(b.articles, 20);
    assert.equal(b.scores.ORG.fn, occurrences);
    assert.ok(a.scores.ORG.fn <= occurrences / 10, `after: ${JSON.stringify(a.scores.ORG)}`);
    assert.ok(a.scores.micro.f1 > b.scores.micro.f1);
    const table = await cli(['eval', '--from', news(), '--model', model]);
    assert.match(table.stdout, /^20 reviewed articles under .*news, gold PER \d+ LOC \d+ ORG \d+ \(the model's mentions with your decisions applied\)\n.*model\.ner on your reviewed articles\n  type +P +R +F1/);
  });
});

describe('corpus-lens train and eval --from: what they refuse', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-train-args-'));
    fs.writeFileSync(path.join(dir, 'a.txt'), corpus()[0]);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('needs --from, a .corpus-lens folder and reviewed articles; --model must name a model file', async () => {
    let r = await runCli(['train']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^corpus-lens train: no --from PATH given/);
    r = await runCli(['train', '--from', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^corpus-lens train: no \.corpus-lens folder at or above ".*": there are no reviewed articles to learn from\n$/);
    fs.mkdirSync(path.join(dir, '.corpus-lens'));
    fs.writeFileSync(path.join(dir, '.corpus-lens', 'annotations.jsonl'), JSON.stringify({ path: 'b.txt', status: 'reviewed' }) + '\n');
    for (const command of ['train', 'eval']) {
      r = await runCli([command, '--from', dir]);
      assert.equal(r.code, 2, command);
      assert.match(r.stderr, new RegExp(`^corpus-lens ${command}: none of the articles under ".*" is marked reviewed in .*annotations\\.jsonl`), command);
    }
    assert.deepEqual(fs.readdirSync(path.join(dir, '.corpus-lens')), ['annotations.jsonl']);
    for (const args of [['train', '--from', dir], ['eval', '--from', dir], ['extract', dir]]) {
      r = await runCli([...args, '--model', path.join(dir, 'none.ner')]);
      assert.equal(r.code, 2, args[0]);
      assert.match(r.stderr, /--model: no file ".*none\.ner"/, args[0]);
    }
    r = await runCli(['tag', '--model', path.join(dir, 'none.ner')], '北京\n');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^corpus-lens tag: --model: no file ".*none\.ner"\n$/);
    fs.writeFileSync(path.join(dir, 'bad.ner'), 'not a model\n');
    for (const args of [['train', '--from', dir], ['eval', '--from', dir], ['extract', dir], ['tag']]) {
      r = await runCli([...args, '--model', path.join(dir, 'bad.ner')], '北京\n');
      assert.equal(r.code, 2, args[0]);
      assert.match(r.stderr, new RegExp(`^corpus-lens ${args[0]}: .*not a corpus-lens NER model \\(not gzip data\\)\n$`), args[0]);
    }
    assert.deepEqual(fs.readdirSync(path.join(dir, '.corpus-lens')), ['annotations.jsonl']);
  });
});
