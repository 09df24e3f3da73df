import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { prepare } from '../../src/core/ner/prepare';
import { gazetteer } from '../../src/core/ner/gazetteer';
import { loadModel } from '../../src/core/ner/model';
import { NF } from '../../src/core/ner/features';
import type { Segmenter } from '../../src/core/segment/segmenter';

describe('ner features: the hashes are the shipped model\'s format', () => {
  it('gives the features of a fixed sentence and words exactly as the model was trained on (templates, cover labels, hashes)', () => {
    // title, surname, places (full and short), a known organisation and an astral character: most templates fire
    const text = '新疆维吾尔自治区党委书记陈全国在乌鲁木齐会见联合国代表团𠀀。';
    const words: [string, string][] = [['新疆维吾尔自治区', 'ns'], ['党委书记', 'n'], ['陈全国', 'nr'], ['在', 'p'], ['乌鲁木齐', 'ns'], ['会见', 'v'], ['联合国', 'nt'], ['代表团', 'n']];
    let at = 0;
    const tokens = words.map(([word, tag]) => { const t = { word, tag, start: at, end: at + word.length }; at += word.length; return t; });
    const noSegmenter = {} as Segmenter; // the words are given
    const p = prepare(text, noSegmenter, gazetteer(), tokens, undefined, loadModel().lexicon);
    assert.equal(p.n, 30);
    assert.equal(p.feats.length, 30 * NF);
    // recorded from the code that trained models/ner.model; a change here changes every weight row the model reads
    assert.equal(createHash('sha256').update(Buffer.from(p.feats.buffer, p.feats.byteOffset, p.feats.byteLength)).digest('hex'),
      '84c5f28197f128c2bfba3991a27002b6ef9df62690975c7ac4bcccaa7257e52a');
  });
});
