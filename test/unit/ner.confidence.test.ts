import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSegmenter } from '../../src/core/segment/backends';
import { loadModel, createRecogniser, createDictionary } from '../../src/core/ner';
import { ALLOWED, ALLOWED_END, NT, RS, withCalibration, tagsToSpans } from '../../src/core/ner/model';
import {
  backwardPass, bandScores, Calibration, confidenceOf, DEFAULT_CALIBRATION, fitLogistic, isCalibration, isUncertain, spanMargins,
} from '../../src/core/ner/confidence';
import { WasmTagger } from '../../src/core/ner/wasmTagger';
import { NF } from '../../src/core/ner/features';
import { prepare } from '../../src/core/ner/prepare';
import { gazetteer } from '../../src/core/ner/gazetteer';
import { splitChunks } from '../../src/core/ner/recogniser';
import { evaluateSentences } from '../../src/core/ner/eval';
import { analyseArticle, entityConfidence } from '../../src/core/analysis';
import type { EntityType } from '../../src/core/ner/types';

const model = loadModel();
const segmenter = loadSegmenter('nodejieba').segmenter;
const rec = createRecogniser({ segmenter, model });

/** Every tag sequence of length n that the BIOES constraints allow, with its score. */
function allPaths(n: number, em: number[], trans: number[], endTrans: number[]): { tags: number[]; score: number }[] {
  const out: { tags: number[]; score: number }[] = [];
  const walk = (tags: number[], score: number) => {
    const i = tags.length;
    if (i === n) { if (ALLOWED_END(tags[n - 1])) out.push({ tags, score: score + endTrans[tags[n - 1]] }); return; }
    const prev = i === 0 ? NT : tags[i - 1];
    for (let c = 0; c < NT; c++) if (ALLOWED[prev * NT + c]) walk([...tags, c], score + trans[prev * NT + c] + em[i * NT + c]);
  };
  walk([], 0);
  return out;
}

/** A deterministic pseudo-random sequence (a linear congruential generator). */
function numbers(seed: number) {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return (s / 2147483648) * 20 - 10; };
}

const spanTags = (start: number, end: number, type: EntityType) => {
  const t = ['PER', 'LOC', 'ORG'].indexOf(type);
  return end - start === 1 ? [4 + 4 * t] : Array.from({ length: end - start }, (_, k) => (k === 0 ? 1 : k === end - start - 1 ? 3 : 2) + 4 * t);
};

describe('mention confidence', () => {
  it('the margin is exactly the best path with the span minus the best path without it (all paths enumerated)', () => {
    for (const seed of [1, 7, 42]) {
      const rnd = numbers(seed);
      const n = 4;
      const em = Array.from({ length: n * NT }, rnd), trans = Array.from({ length: (NT + 1) * NT }, rnd), endTrans = Array.from({ length: NT }, rnd);
      const paths = allPaths(n, em, trans, endTrans);
      const spans: { start: number; end: number; type: EntityType }[] = [];
      for (let s = 0; s < n; s++) for (let e = s + 1; e <= n; e++) for (const type of ['PER', 'LOC', 'ORG'] as const) spans.push({ start: s, end: e, type });
      const margins = spanMargins(n, em, NT, trans, endTrans, spans);
      spans.forEach((sp, k) => {
        const want = spanTags(sp.start, sp.end, sp.type);
        const has = (p: { tags: number[] }) => want.every((t, i) => p.tags[sp.start + i] === t);
        const withSpan = Math.max(...paths.filter(has).map((p) => p.score));
        const without = Math.max(...paths.filter((p) => !has(p)).map((p) => p.score));
        assert.ok(Math.abs(margins[k] - (withSpan - without)) < 1e-9, `seed ${seed}, span ${JSON.stringify(sp)}: ${margins[k]} vs ${withSpan - without}`);
        // alone (the passes then cover only what that span needs)
        assert.ok(Math.abs(spanMargins(n, em, NT, trans, endTrans, [sp])[0] - (withSpan - without)) < 1e-9, `seed ${seed}, span ${JSON.stringify(sp)} alone`);
      });
    }
  });

  it('the WebAssembly kernels (the Viterbi\'s path scores, the backward pass, the margins) give exactly the JavaScript confidences', () => {
    const js = createRecogniser({ segmenter, model: loadModel(undefined, { kernel: false }) });
    assert.equal(model.emissionsBackend, 'wasm-simd');
    const texts = ['国务院总理李鹏今天在北京人民大会堂会见了美国总统克林顿。', '晋北市召开座谈会，周国平指出，华晋能源集团要做好工作。', '新华社北京３月１６日电', '他买了很多东西。'];
    const withKernel = rec.recogniseMany(texts);
    assert.ok(model.pathScores, 'the kernel gave its path scores');
    const withJs = js.recogniseMany(texts);
    assert.deepEqual(withKernel, withJs);
    assert.ok(withKernel.flat().length >= 8);
  });

  describe('the backward pass in WebAssembly (tagger.wat backward)', () => {
    /** The project's sample corpus, whole articles. */
    const sample = () => {
      const dir = path.join(__dirname, '../../sample/corpus');
      return fs.readdirSync(dir).filter((f) => /\.(txt|corpus)$/.test(f)).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    };
    /** beta of characters first..n-1, element by element (deepEqual compares them with Object.is: -0 is not 0). */
    const rows = (beta: Float64Array, n: number, first: number) => [...beta.subarray(first * NT, n * NT)];

    it('gives exactly backwardPass\'s beta and spanMargins\' margins (f64, bit for bit) on random lattices: n = 1 to 3,000, every kind of first, ties, fractional scores', () => {
      const k = WasmTagger.create(model.memory, NF, model.shift)!;
      let s = 13;
      const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff; return s / 0x80000000; };
      let compared = 0;
      for (const spread of [2, 12, 400]) {
        // small integer ranges make many ties; the model's float32 trans8 makes fractional sums
        const step = spread === 400 ? 0.37 : 1;
        for (const n of [1, 2, 3, 5, 17, 60, 1200, 3000, 40]) {
          const em = Int32Array.from({ length: n * RS }, (_, j) => (j % RS < NT ? Math.round((rnd() - 0.5) * spread) : 0));
          const tr = Float32Array.from({ length: (NT + 1) * NT }, () => Math.round((rnd() - 0.5) * spread / 2) / step);
          const et = Float32Array.from({ length: NT }, () => Math.round(rnd() * spread / 4) / step);
          k.transitions(tr, et);
          assert.ok(k.viterbi(n, em), `n = ${n}: the scores are in the kernel's memory`);
          for (const first of new Set([0, 1, n >> 1, n - 2, n - 1].filter((f) => f >= 0 && f < n))) {
            const js = backwardPass(n, em, RS, tr, et, first, new Float64Array(n * NT));
            assert.deepEqual(rows(k.backward(n, first)!, n, first), rows(js, n, first), `n = ${n}, first ${first}, spread ${spread}`);
            compared++;
          }
          // a span at every character, of lengths 1 to 4 and every type: margins by the kernel (its alpha from
          // the viterbi above) and by JavaScript (both passes)
          const spans = Array.from({ length: n }, (_, i) => ({ start: i, end: Math.min(n, i + 1 + (i % 4)), type: (['PER', 'LOC', 'ORG'] as const)[(i >> 2) % 3] }));
          const viaKernel = k.margins(n, spans)!;
          assert.deepEqual([...viaKernel.subarray(0, n)], Array.from(spanMargins(n, em, RS, tr, et, spans)), `margins, n = ${n}, spread ${spread}`);
          assert.ok([...viaKernel.subarray(0, n)].every(Number.isFinite));
        }
      }
      assert.equal(compared, 3 * 36);
      // scores of more characters than its region holds were never written there
      assert.equal(k.backward(1 << 20, 0), undefined);
      assert.equal(k.margins(1 << 20, [{ start: 0, end: 1, type: 'PER' }]), undefined);
    });

    it('gives exactly the JavaScript margins on the sample corpus\'s sentences, for the tagger\'s spans and others', () => {
      const js = loadModel(undefined, { kernel: false });
      let spans = 0;
      for (const text of sample()) {
        for (const [s, e] of splitChunks(text)) {
          const p = prepare(text.slice(s, e), segmenter, gazetteer(), undefined, undefined, model.lexicon);
          const tags = model.decode(p.feats, p.n);
          assert.ok(model.pathScores);
          // the best path's spans, and spans it does not hold: every one-character span of each type
          const queries = [...tagsToSpans(tags), ...Array.from({ length: p.n }, (_, i) => ({ start: i, end: i + 1, type: (['PER', 'LOC', 'ORG'] as const)[i % 3] }))];
          const fromKernel = spanMargins(p.n, model.scores, RS, model.trans8, model.endTrans8, queries, model.wasm);
          assert.ok(fromKernel instanceof Float64Array, 'the kernel computed them');
          const viaKernel = Array.from(fromKernel).slice(0, queries.length);
          assert.deepEqual([...js.decode(p.feats, p.n)], [...tags]);
          const inJs = Array.from(spanMargins(p.n, js.scores, RS, js.trans8, js.endTrans8, queries));
          assert.deepEqual(viaKernel, inJs, text.slice(s, e));
          spans += queries.length;
        }
      }
      assert.ok(spans > 5000, `${spans} spans`);
    });

    it('the recogniser with the kernels gives the JavaScript recogniser\'s mentions and confidences, exactly, over the sample corpus', () => {
      const texts = sample();
      const withKernel = rec.recogniseMany(texts);
      const withJs = createRecogniser({ segmenter, model: loadModel(undefined, { kernel: false }) }).recogniseMany(texts);
      assert.deepEqual(withKernel, withJs);
      assert.ok(withKernel.flat().length >= 250, `${withKernel.flat().length} mentions`);
      assert.ok(withKernel.flat().some((m) => m.confidence! > 0 && m.confidence! < 0.9), 'the sample has uncertain mentions too');
    });
  });

  it('a confidence is in [0, 1] and rises with the margin, for every type', () => {
    for (const c of [DEFAULT_CALIBRATION, model.calibration]) {
      for (const type of ['PER', 'LOC', 'ORG'] as const) {
        let last = -1;
        for (let margin = -2000; margin <= 2000; margin += 25) {
          const v = confidenceOf(margin, type, c);
          assert.ok(v >= 0 && v <= 1, `${type} ${margin}: ${v}`);
          assert.ok(v >= last, `${type}: confidence falls from ${last} to ${v} at margin ${margin}`);
          last = v;
        }
        assert.ok(confidenceOf(-2000, type, c) < 0.05 && confidenceOf(2000, type, c) > 0.95);
      }
    }
  });

  it('the shipped model has a calibration (from models/ner.model.json) with a positive slope per type', () => {
    assert.ok(isCalibration(model.calibration));
    assert.notEqual(model.calibration, DEFAULT_CALIBRATION);
    assert.match(String(model.calibration.fittedOn), /index % 5 === 3/);
  });

  it('every mention the recogniser returns has a confidence in [0, 1]; a clear name is sure, the margin orders them', () => {
    const text = '国务院总理李鹏今天在北京人民大会堂会见了美国总统克林顿。新华社记者报道。';
    const ms = rec.recognise(text);
    assert.ok(ms.length >= 3);
    for (const m of ms) assert.ok(m.confidence !== undefined && m.confidence >= 0 && m.confidence <= 1, `${m.text}: ${m.confidence}`);
    const li = ms.find((m) => m.text === '李鹏');
    assert.ok(li && li.confidence! >= 0.9, `李鹏: ${li?.confidence}`);
    // the same mentions with the margins themselves: the confidences are in the order of the margins
    const margins = createRecogniser({ segmenter, model, confidence: (margin) => margin }).recognise(text);
    assert.deepEqual(margins.map((m) => m.text), ms.map((m) => m.text));
    for (let i = 0; i < ms.length; i++) for (let j = 0; j < ms.length; j++) {
      if (ms[i].type === ms[j].type && margins[i].confidence! < margins[j].confidence!) assert.ok(ms[i].confidence! <= ms[j].confidence!);
    }
  });

  it('a name from the user\'s dictionary has confidence 1', () => {
    const { dictionary } = createDictionary({ tsv: '晋北能源\tORG\n' });
    const ms = createRecogniser({ segmenter, model, dictionary }).recognise('晋北能源今天召开会议。');
    const hit = ms.find((m) => m.text === '晋北能源');
    assert.equal(hit?.confidence, 1);
  });

  it('the same model with another calibration gives other confidences (the calibration is what maps margins)', () => {
    const flat: Calibration = { PER: { a: 1e-9, b: 0 }, LOC: { a: 1e-9, b: 0 }, ORG: { a: 1e-9, b: 0 } };
    const ms = createRecogniser({ segmenter, model: withCalibration(model, flat) }).recognise('李鹏在北京。');
    for (const m of ms) assert.ok(Math.abs(m.confidence! - 0.5) < 1e-3, `${m.text}: ${m.confidence}`);
  });

  it('the article analysis carries each mention\'s confidence (3 decimals) and an entity\'s is its surest mention\'s', () => {
    const a = analyseArticle('a.txt', '李鹏会见克林顿\n\n17.10.2018  06:24\n\n  国务院总理李鹏在北京会见了美国总统克林顿。李鹏说。\n', rec);
    const li = a.entities.find((e) => e.name === '李鹏')!;
    for (const m of li.mentions) assert.equal(m.confidence, Math.round(m.confidence! * 1000) / 1000);
    assert.equal(entityConfidence(li), Math.max(...li.mentions.map((m) => m.confidence!)));
    assert.equal(entityConfidence({ mentions: [{}] }), 1); // an analysis from before confidences: certain
  });

  it('isUncertain: below the threshold only; no confidence is certain', () => {
    assert.equal(isUncertain({ confidence: 0.49 }, 0.5), true);
    assert.equal(isUncertain({ confidence: 0.5 }, 0.5), false);
    assert.equal(isUncertain({}, 0.5), false);
    assert.equal(isUncertain({ confidence: 0 }, 0), false);
  });

  it('fitLogistic recovers the slope and intercept of a logistic sample', () => {
    const xs: number[] = [], ys: boolean[] = [];
    // P(y) = σ(0.02 x - 1), sampled deterministically by expected counts
    for (let x = -300; x <= 500; x += 10) {
      const p = 1 / (1 + Math.exp(-(0.02 * x - 1)));
      for (let k = 0; k < 100; k++) { xs.push(x); ys.push(k < Math.round(p * 100)); }
    }
    const { a, b } = fitLogistic(xs, ys);
    assert.ok(Math.abs(a - 0.02) < 0.001 && Math.abs(b + 1) < 0.05, `a ${a}, b ${b}`);
  });

  it('bandScores: precision and counts per band', () => {
    const bands = bandScores([
      { confidence: 0.2, correct: false }, { confidence: 0.6, correct: true }, { confidence: 0.65, correct: false },
      { confidence: 0.95, correct: true }, { confidence: 1, correct: true },
    ]);
    assert.deepEqual(bands.map((b) => [b.mentions, b.correct, b.precision]), [[1, 0, 0], [2, 1, 0.5], [0, 0, 0], [2, 2, 1]]);
  });

  it('evaluation reports precision per confidence band and the recall of names the lexicon does not hold', () => {
    const text = '国务院总理李鹏在北京会见了美国总统克林顿和霍尔瓦特。';
    const at = (s: string) => text.indexOf(s);
    const gold = [{ text, spans: [
      { start: at('李鹏'), end: at('李鹏') + 2, type: 'PER' as const }, { start: at('北京'), end: at('北京') + 2, type: 'LOC' as const },
      { start: at('霍尔瓦特'), end: at('霍尔瓦特') + 4, type: 'PER' as const },
    ] }];
    const r = evaluateSentences(gold, rec, { lexicon: [['李鹏'], ['北京'], []] });
    assert.equal(r.calibration.reduce((n, b) => n + b.mentions, 0), r.model.micro.tp + r.model.micro.fp);
    assert.equal(r.calibration.reduce((n, b) => n + b.correct, 0), r.model.micro.tp);
    // 霍尔瓦特 is the one gold name the given lexicon lacks
    assert.deepEqual({ PER: r.unseen!.PER.gold, LOC: r.unseen!.LOC.gold, ORG: r.unseen!.ORG.gold }, { PER: 1, LOC: 0, ORG: 0 });
  });
});
