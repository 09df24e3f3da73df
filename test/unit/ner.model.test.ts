import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { viterbiArray, viterbi, NT, RS, loadModel, shareModel, modelFromShared } from '../../src/core/ner/model';
import { WasmTagger, wasmUnavailable } from '../../src/core/ner/wasmTagger';
import { TAGGER_WASM } from '../../src/core/ner/taggerWasm';
import { gazetteer, Trie } from '../../src/core/ner/gazetteer';
import { prepare, newScratch } from '../../src/core/ner/prepare';
import { loadSegmenter } from '../../src/core/segment/backends';
import { NF, ensureInputs } from '../../src/core/ner/features';
import { Lexicon, buildLexicon } from '../../src/core/ner/lexicon';
import { codePointArray } from '../../src/core/ner/prepare';
import { splitChunks } from '../../src/core/ner/recogniser';

describe('ner model internals', () => {
  it('a model in shared memory decodes exactly like the file-loaded one, and its copies share one table', () => {
    const plain = loadModel();
    const shared = shareModel(loadModel(undefined, { shared: true }));
    assert.ok(shared.table instanceof SharedArrayBuffer);
    const viaClone = modelFromShared(structuredClone(shared)); // what a worker receives
    // one memory: a byte written through the original shows through the posted copy
    const original = new Int8Array(shared.table);
    const keep = original[0];
    original[0] = 99;
    const seen = viaClone.table[0];
    original[0] = keep;
    assert.ok(seen === 99, 'the posted copy reads the same memory');
    assert.deepEqual(viaClone.lexicon?.entries, plain.lexicon?.entries);
    assert.throws(() => shareModel(loadModel(undefined, { kernel: false })), /not loaded into shared memory/);
    // without WebAssembly the table is shared as a SharedArrayBuffer, and the copies decode alike too
    const jsShared = shareModel(loadModel(undefined, { shared: true, kernel: false }));
    assert.equal(jsShared.memory, undefined);
    const jsClone = modelFromShared(structuredClone(jsShared));
    assert.equal(jsClone.emissionsBackend, 'js');
    let s = 11;
    const feats = Int32Array.from({ length: 40 * NF }, () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return s; });
    assert.deepEqual([...viaClone.decode(feats, 40)], [...plain.decode(feats, 40)]);
    assert.deepEqual([...jsClone.decode(feats, 40)], [...plain.decode(feats, 40)]);
  });

  describe('the WebAssembly tagger kernels', () => {
    const simd = loadModel();
    const js = loadModel(undefined, { kernel: false });
    const kernelScores = (feats: Int32Array, n: number) => {
      const k = WasmTagger.create(simd.memory, NF, simd.shift)!;
      return [...k.emissions(feats, n)!.subarray(0, n * RS)];
    };

    it('runs on this Node (SIMD and shared memory), and the JavaScript-only model really uses the loop', () => {
      assert.equal(wasmUnavailable(), undefined);
      assert.equal(simd.emissionsBackend, 'wasm-simd');
      assert.equal(js.emissionsBackend, 'js');
      assert.equal(js.memory, undefined);
    });

    it('gives exactly the JavaScript loop\'s scores for random features, zeros (no feature) included', () => {
      let s = 3;
      const next = () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return s; };
      for (const n of [1, 7, 400]) {
        const feats = Int32Array.from({ length: n * NF }, () => (next() & 3) === 0 ? 0 : next());
        assert.deepEqual(kernelScores(feats, n), [...js.emissions(feats, n)]);
      }
    });

    it('gives exactly the JavaScript features, scores and tags on real sentences, also past its first region (5,000 characters)', () => {
      const seg = loadSegmenter('jieba-wasm').segmenter;
      const dir = path.join(__dirname, '../../sample/corpus');
      const text = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('').replace(/\s+/g, '').slice(0, 5000);
      const p = prepare(text, seg, gazetteer(), undefined, undefined, simd.lexicon);
      assert.equal(p.n, 5000);
      const k = WasmTagger.create(simd.memory, NF, simd.shift)!;
      const viaKernel = prepare(text, seg, gazetteer(), undefined, newScratch(k), simd.lexicon);
      assert.deepEqual([...viaKernel.feats.subarray(0, p.n * NF)], [...p.feats]);
      assert.deepEqual([...k.emissions(viaKernel.feats, p.n)!.subarray(0, p.n * RS)], [...js.emissions(p.feats, p.n)]);
      const tags = [...simd.decode(p.feats, p.n)];
      assert.deepEqual(tags, [...js.decode(p.feats, p.n)]);
      assert.ok(tags.filter((t) => t !== 0).length > 100, 'the sample has names');
    });

    it('computes the features of short and edge-case chunks exactly as JavaScript does (1–3 characters, astral, titles, suffixes, Latin, digits)', () => {
      const seg = loadSegmenter('jieba-wasm').segmenter;
      const k = WasmTagger.create(simd.memory, NF, simd.shift)!;
      const chunks = ['甲', '省长', '𠮷田', '王', '中共中央政治局委员、自治区党委书记陈全国', '杭州绿源数字科技有限公司', 'COVID-19和5G，1998年', '沙尔合提·阿汗说：“好！”', '　全角　空格　'];
      for (const c of chunks) {
        const js1 = prepare(c, seg, gazetteer(), undefined, undefined, simd.lexicon);
        const wasm1 = prepare(c, seg, gazetteer(), undefined, newScratch(k), simd.lexicon);
        assert.deepEqual([...wasm1.feats.subarray(0, js1.n * NF)], [...js1.feats], c);
      }
    });

    it('a kernel grows a new region when a longer text comes, and decodes an empty one', () => {
      const k = WasmTagger.create(simd.memory, NF, simd.shift)!;
      assert.deepEqual([...simd.decode(new Int32Array(0), 0)], []);
      assert.deepEqual([...js.decode(new Int32Array(0), 0)], []);
      let s = 5;
      const next = () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return s; };
      for (const n of [10, 1500, 20, 4000, 30]) {
        const feats = Int32Array.from({ length: n * NF }, () => (next() & 3) === 0 ? 0 : next());
        const first = k.inputs(n)!;
        assert.ok(first.cps.length >= n && first.lex.length >= 3 * n && first.gaz.length >= 13 * n);
        assert.deepEqual([...k.emissions(feats, n)!.subarray(0, n * RS)], [...js.emissions(feats, n)], `n = ${n}`);
      }
    });

    it('its viterbi gives exactly viterbiArray\'s tags (n = 0 and 1, ties, fractional and large scores, past its first region)', () => {
      const k = WasmTagger.create(simd.memory, NF, simd.shift)!;
      let s = 9;
      const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff; return s / 0x80000000; };
      assert.deepEqual([...k.viterbi(0, new Int32Array(0))!], []);
      let trials = 0;
      for (const spread of [2, 12, 400]) {
        for (const n of [0, 1, 2, 3, 5, 17, 60, 1200, 3000, 40]) {
          // small integer ranges make many ties; a float32 step (the model's trans8) makes fractional sums
          const step = spread === 400 ? 0.37 : 1;
          const em = Int32Array.from({ length: n * 16 }, (_, j) => (j % 16 < NT ? Math.round((rnd() - 0.5) * spread) : 0));
          const tr = Float32Array.from({ length: (NT + 1) * NT }, () => Math.round((rnd() - 0.5) * spread / 2) / step);
          const et = Float32Array.from({ length: NT }, () => Math.round(rnd() * spread / 4) / step);
          k.transitions(tr, et);
          const expected = [...viterbiArray(n, em, 16, tr, et)];
          assert.deepEqual([...k.viterbi(n, em)!], expected, `n = ${n}, spread ${spread}`);
          // and from the scores emissions() leaves in place
          k.transitions(Float32Array.from(simd.trans, (v) => v / simd.step), Float32Array.from(simd.endTrans, (v) => v / simd.step));
          const feats = Int32Array.from({ length: n * NF }, () => (rnd() < 0.3 ? 0 : (rnd() * 0x100000000) | 0));
          assert.deepEqual([...k.decode(feats, n)!], [...js.decode(feats, n)], `decode, n = ${n}`);
          trials++;
        }
      }
      assert.equal(trials, 30);
    });

    it('never runs past its region: scores or tags of more characters than it holds are undefined, features throw', () => {
      const k = WasmTagger.create(simd.memory, NF, simd.shift)!;
      assert.ok(k.inputs(10));
      const feats = k.features(10);
      const past = 1 << 20; // far more than the first region holds
      assert.equal(k.viterbi(past), undefined);
      assert.equal(k.emissions(feats, past), undefined);
      assert.throws(() => k.features(past), RangeError);
      assert.equal(k.viterbi(10)?.length, 10); // (the region is still usable)
    });

    it('the JavaScript features\' scratch grows its lexicon labels on their own (3 per character)', () => {
      const scratch = ensureInputs({ types: new Uint8Array(0), gaz: new Uint8Array(0), lex: new Uint8Array(0) }, 100);
      assert.deepEqual([scratch.types.length, scratch.lex.length], [512, 1024]);
      ensureInputs(scratch, 400);     // types still hold 400, lex must grow to hold 1,200
      assert.ok(scratch.types.length >= 400 && scratch.lex.length >= 1200);
    });

    it('the committed taggerWasm.ts is what wabt makes of tagger.wat', async () => {
      const { generate, KERNELS } = await import('../../scripts/build-wasm.mjs');
      const k = KERNELS.find((x) => x.name === 'TAGGER_WASM')!;
      assert.ok((await generate(k)).includes(`'${TAGGER_WASM}'`), 'run node scripts/build-wasm.mjs');
    });
  });

  it('the gazetteer trie walks its edge table, rebuilt after words are added (astral code points included)', () => {
    const t = new Trie();
    const walk = (w: string) => { let node = 0; for (const ch of w) { node = t.child(node, ch.codePointAt(0)!); if (node < 0) return -1; } return t.flags[node]; };
    t.add('山西省', 0); t.add('山西', 1); t.add('𠮷田', 2);
    assert.deepEqual(['山西省', '山西', '山', '𠮷田', '𠮷', '西'].map(walk), [1, 2, 0, 4, 0, -1]);
    t.add('山东', 3); t.add('西安', 4);
    assert.deepEqual(['山东', '西安', '山西省', '山西', '山东省'].map(walk), [8, 16, 1, 2, -1]);
  });

  it('the unrolled BIOES Viterbi agrees with the generic one (ties included)', () => {
    let s = 7;
    const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff; return s / 0x80000000; };
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + (trial % 30);
      const em = Float64Array.from({ length: n * 16 }, () => Math.round((rnd() - 0.5) * 12));
      const tr = Float32Array.from({ length: (NT + 1) * NT }, () => Math.round((rnd() - 0.5) * 8));
      const et = Float32Array.from({ length: NT }, () => Math.round(rnd() * 4));
      assert.deepEqual([...viterbiArray(n, em, 16, tr, et)], [...viterbi(n, (i, t) => em[i * 16 + t], tr, et)]);
    }
  });

  it('lexicon labels are forward-maximum matches per type, aligned with word boundaries', () => {
    const lex = Lexicon.fromEntries([['张三'], ['甲城', '甲城市', '乙'], ['甲城市委']]);
    const text = '张三在甲城市委见乙';
    const cps = codePointArray(text), n = cps.length;
    const wp = Uint8Array.from([1, 3, 4, 1, 2, 2, 3, 4, 4]);
    const l = lex.labels(cps, n, wp, new Uint8Array(3 * n));
    assert.deepEqual([...l.subarray(0, n)], [5, 7, 0, 0, 0, 0, 0, 0, 0]);       // PER 张三 (aligned)
    assert.deepEqual([...l.subarray(n, 2 * n)], [0, 0, 0, 1, 2, 3, 0, 0, 8]);  // LOC 甲城市 (not aligned), 乙 (single, aligned)
    assert.deepEqual([...l.subarray(2 * n)], [0, 0, 0, 5, 6, 6, 7, 0, 0]);     // ORG 甲城市委 (aligned)
    // a string added after labelling is seen by the next labelling (the look-up table is rebuilt)
    lex.add('委见乙', 0);
    const l2 = lex.labels(cps, n, wp, new Uint8Array(3 * n));
    assert.deepEqual([...l2.subarray(0, n)], [5, 7, 0, 0, 0, 0, 1, 2, 3]);      // PER 张三, then 委见乙 (not aligned)
  });

  it('buildLexicon keeps annotated strings by type and count', () => {
    const lex = buildLexicon([
      { text: '甲乙来了', spans: [{ start: 0, end: 2, type: 'PER' }] },
      { text: '甲乙和丙丁', spans: [{ start: 0, end: 2, type: 'PER' }, { start: 3, end: 5, type: 'ORG' }] },
    ], 2);
    assert.deepEqual(lex.entries, [['甲乙'], [], []]);
  });

  it('the committed model loads with its lexicon and an int8 runtime table', () => {
    const m = loadModel();
    assert.ok(m.lexicon && m.lexicon.size > 1000);
    assert.ok(m.step > 0);
  });

  it('splitChunks still cuts at terminal punctuation and line breaks after the fast skip', () => {
    const t = '甲乙丙。丁戊！\n己庚';
    assert.deepEqual(splitChunks(t).map(([s, e]) => t.slice(s, e)), ['甲乙丙。', '丁戊！', '己庚']);
  });
});
