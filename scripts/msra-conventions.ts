/**
 * Where the PKU 1998 / CLUENER annotations follow a different convention from the MSRA-style target,
 * the training data is marked ambiguous so that the sets do not contradict each other: per code
 * point an alternative tag (see TrainSentence.alt, a latent-label perceptron update).
 */
import abbrevJson from '../src/core/ner/resources/abbreviations.json';
import type { Token } from '../src/core/segment/segmenter';
import type { GoldSentence } from '../src/core/ner/eval';
import type { Segmenter } from '../src/core/segment/segmenter';
import { spansToTags } from '../src/core/ner/trainer';

const ab = abbrevJson as { countries: string[]; regions: string[] };
const ABBREV = new Set([...ab.countries, ...ab.regions]);
const S_LOC = 8;
const onlyAbbrev = (w: string) => [...w].every((c) => ABBREV.has(c));
const isBmp = (s: string) => !/[\ud800-\udfff]/.test(s);
const MAX_WORD = 6;

/**
 * How the MSRA-style training sentences tag the inside of jieba's words: word → the tag pattern
 * (BIOES ids per character) it carries in at least `minShare` of its occurrences, when that pattern
 * tags something (中医 → S-LOC O, 访华 → O S-LOC, 地球 → B-LOC E-LOC, 人大 → B-ORG E-ORG).
 * Only words whose entities do not cross the word's edges are counted; a pattern needs minCount
 * occurrences.
 */
export function wordConventions(sents: GoldSentence[], segmenter: Segmenter, minShare = 0.5, minCount = 2): Map<string, Uint8Array> {
  const stats = new Map<string, { total: number; patterns: Map<string, number> }>();
  for (const s of sents) {
    if (!isBmp(s.text)) continue;
    const gold = spansToTags(s.text.length, s.spans);
    for (const t of segmenter.tag(s.text)) {
      const L = t.end - t.start;
      if (L > MAX_WORD) continue;
      const p = gold.subarray(t.start, t.end);
      const first = p[0], last = p[L - 1];
      const partFirst = first ? ((first - 1) & 3) : 0, partLast = last ? ((last - 1) & 3) : 0; // 0 B, 1 I, 2 E, 3 S
      if (first && (partFirst === 1 || partFirst === 2)) continue; // entity enters from the left
      if (last && (partLast === 0 || partLast === 1)) continue; // entity leaves to the right
      let st = stats.get(t.word);
      if (!st) { st = { total: 0, patterns: new Map() }; stats.set(t.word, st); }
      st.total++;
      const key = Array.from(p).join(',');
      st.patterns.set(key, (st.patterns.get(key) ?? 0) + 1);
    }
  }
  const out = new Map<string, Uint8Array>();
  for (const [w, st] of stats) {
    let best = '', bc = 0;
    for (const [k, c] of st.patterns) if (c > bc && k.split(',').some((x) => x !== '0')) { best = k; bc = c; }
    if (bc >= minCount && bc / st.total >= minShare) out.set(w, Uint8Array.from(best.split(',').map(Number)));
  }
  return out;
}

/**
 * Per code point the alternative (MSRA-convention) tag where the sentence's own annotation leaves a
 * stretch untagged that the MSRA-style sets tag: a jieba word with a tagged pattern in `table`
 * (all of whose characters are untagged here), and one-character country/region abbreviations in a
 * series (中美, 中日韩, 京津, 中、阿), which MSRA tags S-LOC each and PKU 1998 (POS "j") and CLUENER
 * leave untagged. undefined when there is nothing to mark.
 */
export function conventionAlternatives(tokens: Token[], gold: Uint8Array, u2c: Map<number, number>, table?: Map<string, Uint8Array>): Uint8Array | undefined {
  let alt: Uint8Array | undefined;
  const untagged = (t: Token) => { for (let u = t.start; u < t.end; u++) { const i = u2c.get(u); if (i === undefined || gold[i] !== 0) return false; } return true; };
  const mark = (t: Token, tags?: Uint8Array) => {
    if (!untagged(t)) return;
    for (let u = t.start; u < t.end; u++) {
      const i = u2c.get(u)!;
      const tag = tags ? tags[u - t.start] : S_LOC;
      if (tag) (alt ??= new Uint8Array(gold.length))[i] = tag;
    }
  };
  const single = (t: Token | undefined) => !!t && t.end - t.start === 1 && ABBREV.has(t.word);
  const series = (x: Token | undefined) => !!x && (single(x) || (x.end - x.start <= 3 && onlyAbbrev(x.word)));
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const L = t.end - t.start;
    const pat = table?.get(t.word);
    if (pat && pat.length === L) { mark(t, pat); continue; }
    if (L >= 2 && L <= 3 && onlyAbbrev(t.word)) { mark(t); continue; }
    if (!single(t)) continue;
    const prev = tokens[k - 1]?.word === '、' ? tokens[k - 2] : tokens[k - 1];
    const next = tokens[k + 1]?.word === '、' ? tokens[k + 2] : tokens[k + 1];
    if (series(prev) || series(next)) mark(t);
  }
  return alt;
}

/**
 * CLUENER's "scene" spans (scenic spots: 泸沽湖, 青城山, 永定河, 团结湖公园) are place names that the
 * MSRA-style sets tag LOC (the scorer's mapping leaves "scene" out, so they read as untagged).
 * Per non-empty line of a CLUENER file, the scene spans (UTF-16 offsets), in the order readAnnotated
 * returns the sentences.
 */
export function cluenerSceneSpans(content: string): { start: number; end: number }[][] {
  const out: { start: number; end: number }[][] = [];
  for (const line of content.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as { text: string; label?: Record<string, Record<string, [number, number][]>>; entity_list?: { entity_type: string; entity: string; entity_index: { begin: number; end: number } }[] };
    const spans: { start: number; end: number }[] = [];
    for (const ranges of Object.values(o.label?.scene ?? {})) for (const [b, e] of ranges) spans.push({ start: b, end: e + 1 });
    for (const e of o.entity_list ?? []) {
      if (e.entity_type !== 'scene') continue;
      let { begin, end } = e.entity_index;
      if (o.text.slice(begin, end) !== e.entity && o.text.slice(begin, end + 1) === e.entity) end++;
      spans.push({ start: begin, end });
    }
    out.push(spans);
  }
  return out;
}

/** Adds LOC (B/I/E or S) alternatives over untagged spans; returns the (possibly new) alt array. */
export function addLocAlternatives(alt: Uint8Array | undefined, gold: Uint8Array, spans: { start: number; end: number }[]): Uint8Array | undefined {
  for (const sp of spans) {
    if (sp.end <= sp.start || sp.end > gold.length) continue;
    let free = true;
    for (let i = sp.start; i < sp.end; i++) if (gold[i] !== 0) free = false;
    if (!free) continue;
    alt ??= new Uint8Array(gold.length);
    if (sp.end - sp.start === 1) alt[sp.start] = 8;
    else { alt[sp.start] = 5; for (let i = sp.start + 1; i < sp.end - 1; i++) alt[i] = 6; alt[sp.end - 1] = 7; }
  }
  return alt;
}
