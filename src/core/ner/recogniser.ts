/** The recogniser: sentence splitting, the trained character tagger, post-rules and dictionary overrides. */
import { Segmenter, Token } from '../segment/segmenter';
import { Mention, Entity, EntityType } from './types';
import { Model, tagsToSpans } from './model';
import { prepare, newScratch } from './prepare';
import { Gazetteer, gazetteer, Kind, PLACE_KINDS } from './gazetteer';
import { charType, CT } from './features';
import { Dictionary, DictionaryMatcher } from './dictionary';
import { analyseDocument, linkMentions } from './document';
import { abbreviationPlaces, balanceQuotes, congressSessions, documentTitles, knownOrganisationTypes, plenarySessions, splitJoinedNames, splitNameBeforeForeign, splitPlaceRuns, surnamesBeforeTitles } from './conventionRules';

export interface Recogniser {
  recognise(text: string): Mention[];
  /** recognise() of each text; a recogniser may segment them together, which is faster than one by one */
  recogniseMany?(texts: string[]): Mention[][];
  analyse(text: string): Entity[];
  /** analyse() of each text; a recogniser may segment them together, which is faster than one by one */
  analyseMany?(texts: string[]): Entity[][];
}

/** What the document layer can use beyond the public interface. */
export interface RecogniserInternals extends Recogniser {
  readonly segmenter: Segmenter;
  readonly dictionary?: Dictionary;
  /** mentions plus the jieba tokens of every chunk (offsets into the whole text) */
  recogniseWithTokens(text: string): { mentions: Mention[]; tokens: Token[] };
  /** recognise() of each text, their sentences segmented in one call (the same results) */
  recogniseMany(texts: string[]): Mention[][];
  /** recogniseWithTokens of each text, their sentences segmented in one call (the same results) */
  recogniseManyWithTokens(texts: string[]): { mentions: Mention[]; tokens: Token[] }[];
  isStopWord(s: string): boolean;
}

/** Lines or sentences that `tag --jsonl` and `eval` hand to recogniseMany at a time (one segmenter call for all). */
export const LINES_PER_CALL = 256;

const TERMINAL = new Set(['。', '！', '？', '!', '?', '；', ';']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '"', '\'', '》']);
const MAX_CHUNK = 400;
const CLAUSE_PUNCT = /[，,、。；;：:！？!?]/;

/** Splits text into [start, end) chunks: lines, then sentences; line breaks never belong to a chunk. */
export function splitChunks(text: string): [number, number][] {
  const out: [number, number][] = [];
  const push = (s: number, e: number) => {
    while (s < e && /\s/.test(text[s])) s++;
    let e2 = e;
    while (e2 > s && /\s/.test(text[e2 - 1])) e2--;
    if (e2 > s) {
      // overly long runs without punctuation: cut at commas (or hard) to bound work per call
      while (e2 - s > MAX_CHUNK) {
        let cut = -1;
        for (let k = s + MAX_CHUNK; k > s + MAX_CHUNK / 2; k--) if (text[k - 1] === '，' || text[k - 1] === ',' || text[k - 1] === '、') { cut = k; break; }
        if (cut < 0) { cut = s + MAX_CHUNK; const c = text.charCodeAt(cut - 1); if (c >= 0xd800 && c <= 0xdbff) cut++; }
        out.push([s, cut]);
        s = cut;
      }
      out.push([s, e2]);
    }
  };
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // fast skip (Han characters etc.): line breaks and terminal punctuation are all below U+0080,
    // in U+3000-U+33FF or in U+FF00-U+FFFF
    if ((code > 0x7f && code < 0x3000) || (code >= 0x3400 && code < 0xff00)) continue;
    const ch = text[i];
    if (ch === '\n' || ch === '\r') { push(start, i); start = i + 1; continue; }
    if (TERMINAL.has(ch)) {
      let j = i + 1;
      while (j < text.length && (CLOSERS.has(text[j]) || TERMINAL.has(text[j]))) j++;
      push(start, j);
      start = j;
      i = j - 1;
    }
  }
  push(start, text.length);
  return out;
}

const isDot = (s: string) => s.length > 0 && charType(s.codePointAt(0)!) === CT.Dot;
const isHanAt = (text: string, i: number) => i >= 0 && i < text.length && charType(text.codePointAt(i)!) === CT.Han;

export interface RecogniserOptions {
  segmenter: Segmenter;
  model: Model;
  dictionary?: Dictionary;
  /** apply the document consistency layer in recognise() (default true) */
  linking?: boolean;
  /** apply the MSRA convention rules of conventionRules.ts (default true; false shows the tagger without them) */
  conventions?: boolean;
}

export function createRecogniser(opts: RecogniserOptions): RecogniserInternals {
  const { segmenter, model, dictionary } = opts;
  const linking = opts.linking ?? true;
  const conventions = opts.conventions ?? true;
  const scratch = newScratch(model.wasm);
  const g = gazetteer();
  const matcher = dictionary ? new DictionaryMatcher(dictionary) : undefined;
  const stop = dictionary?.stop ?? new Set<string>();

  function tagChunk(chunk: string, base: number, mentions: Mention[], tokensOut?: Token[], tokens?: Token[]): void {
    const p = prepare(chunk, segmenter, g, tokens, scratch, model.lexicon);
    const tags = model.decode(p.feats, p.n);
    let ms: (Mention & { fromDictionary?: boolean })[] = tagsToSpans(tags).map((s) => {
      const start = p.offsets[s.start], end = p.offsets[s.end];
      return { start, end, type: s.type, text: chunk.slice(start, end) };
    });
    ms = splitNameRuns(ms, p.tokens);
    ms = joinDottedNames(chunk, ms, p.tokens);
    ms = trimLeadingFunctionWords(chunk, ms, p.tokens);
    ms = splitDottedPlaces(ms, g);
    if (conventions) {
      // the MSRA conventions the tagger falls short of (conventionRules.ts)
      ms = splitJoinedNames(ms, g);
      ms = splitNameBeforeForeign(ms, p.tokens, g);
      ms = splitPlaceRuns(ms, g);
      ms = documentTitles(ms, g);
      ms = abbreviationPlaces(chunk, ms, p.tokens, g);
      ms = knownOrganisationTypes(ms, g);
      ms = congressSessions(chunk, ms, p.tokens);
      ms = plenarySessions(ms);
      ms = balanceQuotes(chunk, ms, p.tokens, g);
      ms = surnamesBeforeTitles(chunk, ms, p.tokens, g);
    }
    // a name never spans clause punctuation: keep the part before it
    for (let k = 0; k < ms.length; k++) {
      const cut = ms[k].text.search(CLAUSE_PUNCT);
      if (cut > 0) ms[k] = { ...ms[k], end: ms[k].start + cut, text: ms[k].text.slice(0, cut) };
      else if (cut === 0) { ms.splice(k, 1); k--; }
    }
    if (matcher && !matcher.empty) {
      const hits = matcher.find(chunk);
      if (hits.length) {
        ms = ms.filter((m) => !hits.some((h) => h.start < m.end && m.start < h.end));
        for (const h of hits) ms.push({ start: h.start, end: h.end, type: h.entry.type, text: chunk.slice(h.start, h.end), fromDictionary: true });
        ms.sort((a, b) => a.start - b.start);
      }
    }
    for (const m of ms) {
      if (stop.has(m.text)) continue;
      // an ethnic group is not a person; a bare organisation head word (中学, 幼儿园) is not a name
      if (!m.fromDictionary && notAName(m, g)) continue;
      mentions.push({ start: m.start + base, end: m.end + base, type: m.type, text: m.text });
    }
    if (tokensOut) {
      // the chunk's tokens are not used after this: move them to text offsets in place (a copy of every
      // token of an article was a quarter of a second per 1,000 articles, most of it garbage collection)
      for (const t of p.tokens) { t.start += base; t.end += base; tokensOut.push(t); }
    }
  }

  const self: RecogniserInternals = {
    segmenter,
    dictionary,
    recognise(text: string): Mention[] {
      return self.recogniseMany([text])[0];
    },
    recogniseMany(texts: string[]): Mention[][] {
      const tagged = self.recogniseManyWithTokens(texts);
      if (!linking) return tagged.map((t) => t.mentions);
      return texts.map((text, i) => linkMentions(text, tagged[i].mentions, tagged[i].tokens, (s) => stop.has(s)).mentions);
    },
    recogniseWithTokens(text: string) {
      return self.recogniseManyWithTokens([text])[0];
    },
    recogniseManyWithTokens(texts: string[]) {
      // every sentence of every text in one segmenter call: cutting a few articles in a row keeps jieba's
      // dictionary in the cache, then tagging them keeps the tagger's weights there (core/analysis BATCH has
      // the figures)
      const spans = texts.map(splitChunks);
      const chunks: string[] = [];
      texts.forEach((text, i) => { for (const [s, e] of spans[i]) chunks.push(text.slice(s, e)); });
      const segmented = segmenter.tagMany?.(chunks);
      let k = 0;
      return texts.map((_, i) => {
        const mentions: Mention[] = [];
        const tokens: Token[] = [];
        for (const [s] of spans[i]) { tagChunk(chunks[k], s, mentions, tokens, segmented?.[k]); k++; }
        return { mentions, tokens };
      });
    },
    isStopWord: (s: string) => stop.has(s),
    analyse(text: string): Entity[] {
      return analyseDocument(text, self.recogniseWithTokens(text), self.isStopWord);
    },
    analyseMany(texts: string[]): Entity[][] {
      const tagged = self.recogniseManyWithTokens(texts);
      return texts.map((text, i) => analyseDocument(text, tagged[i], self.isStopWord));
    },
  };
  return self;
}

/** Whether the whole string is a division, a country or a one-character abbreviation of one in the gazetteer. */
export function isPlaceName(g: Gazetteer, s: string): boolean {
  return (g.trie.flagsOf(s) & (PLACE_KINDS | (1 << Kind.Abbrev))) !== 0;
}

/**
 * Places listed with a middle dot (晋中·昌吉对口协作, 中·美关系) are places, one each, not one organisation or
 * place: a mention whose parts between dots are all places in the gazetteer becomes one LOC per part.
 * (Transliterated names, 沙尔合提·阿汗, are persons: joinDottedNames keeps them whole.)
 */
export function splitDottedPlaces(ms: Mention[], g: Gazetteer): Mention[] {
  const out: Mention[] = [];
  for (const m of ms) {
    const parts = m.type === 'PER' ? [] : m.text.split(/[·•・‧]/);
    if (parts.length < 2 || !parts.every((x) => x && isPlaceName(g, x))) { out.push(m); continue; }
    let at = m.start;
    for (const x of parts) { out.push({ start: at, end: at + x.length, type: 'LOC', text: x }); at += x.length + 1; }
  }
  return out;
}

/** jieba's tags of words that never begin a name: prepositions (对, 在, 向), conjunctions (和, 与), particles (的, 了) */
const FUNCTION_TAG = /^(p|c|u)/;
const TIME_UNIT = new Set(['年', '月', '日', '号']);
const DEMONSTRATIVE = /^[这那该此][个些位家]$/;
const NUMERAL = /[0-9０-９〇零一二三四五六七八九十百千万两]/;

/**
 * A name does not begin with a function word or with the unit of a date: 对华晋集团 (对/p, then the name),
 * 2018年委员会 (年 belongs to 2018). The leading one-character word is dropped when something of two
 * characters or more is left; the filters that follow then judge what is left (委员会 alone is no name).
 */
export function trimLeadingFunctionWords(text: string, ms: Mention[], tokens: Token[]): Mention[] {
  if (!ms.length) return ms;
  let k = 0; // tokens and mentions both run left to right
  return ms.map((m) => {
    if (m.end - m.start < 3) return m;
    if (k > 0 && tokens[k - 1].start >= m.start) k = 0; // (mentions out of order: search from the start)
    while (k < tokens.length && tokens[k].start < m.start) k++;
    const t = k < tokens.length && tokens[k].start === m.start ? tokens[k] : undefined;
    const oneChar = t !== undefined && t.end - t.start === 1 && t.end < m.end;
    const functionWord = oneChar && FUNCTION_TAG.test(t.tag);
    const dateUnit = TIME_UNIT.has(text[m.start]) && m.start > 0 && NUMERAL.test(text[m.start - 1]);
    // a demonstrative of two characters (这个委员会, 那个公司): the name, if any, is what follows it
    const demonstrative = t !== undefined && t.end - t.start === 2 && DEMONSTRATIVE.test(t.word) && m.end - t.end >= 2;
    if (demonstrative) return { ...m, start: t.end, text: m.text.slice(2) };
    if (!functionWord && !dateUnit) return m;
    return { ...m, start: m.start + 1, text: m.text.slice(1) };
  });
}

/**
 * Lists of names written without separators (李锡铭王丙乾王光英) come out as one long person; when
 * jieba reads the span as two or more person names (nr words of 2-4 chars) exactly, split it.
 */
export function splitNameRuns(ms: Mention[], tokens: Token[]): Mention[] {
  const out: Mention[] = [];
  for (const m of ms) {
    if (m.type !== 'PER' || m.end - m.start < 4 || /[·•・]/.test(m.text)) { out.push(m); continue; }
    const inside = tokens.filter((t) => t.start >= m.start && t.end <= m.end);
    const covers = inside.length >= 2 && inside[0].start === m.start && inside[inside.length - 1].end === m.end &&
      inside.every((t, k) => (k === 0 || inside[k - 1].end === t.start) && t.tag.startsWith('nr') && t.end - t.start >= 2 && t.end - t.start <= 4);
    if (!covers) { out.push(m); continue; }
    for (const t of inside) out.push({ start: t.start, end: t.end, type: 'PER', text: m.text.slice(t.start - m.start, t.end - m.start) });
  }
  return out;
}

const CN_NUMERALS = /[〇零一二三四五六七八九十百千万亿两]/g;
/** Post-rules from general resources: ethnic groups are not persons or places, a bare organisation
 * head (中学, 医院) is not a name, and a person name is not a run of numerals (十二师二二二团). */
function notAName(m: Mention, g: ReturnType<typeof gazetteer>): boolean {
  if (m.type === 'PER') {
    if (g.ethnicGroups.has(m.text)) return true;
    for (let L = 2; L <= 5 && L < m.text.length; L++) if (g.ethnicGroups.has(m.text.slice(-L))) return true;
    if ((m.text.match(CN_NUMERALS)?.length ?? 0) >= 2) return true;
  }
  // a short "…中心" (活动中心, 服务中心) is a facility noun, not a place name
  if (m.type === 'LOC' && m.text.length <= 4 && m.text.endsWith('中心')) return true;
  return m.type === 'ORG' && g.genericOrgHeads.has(m.text);
}

/**
 * Transliterated names are written with a middle dot (沙尔合提·阿汗): a person mention next to a dot
 * followed (or preceded) by Han characters is extended over it, taking the adjacent person mention
 * or jieba word as the other part.
 */
export function joinDottedNames(text: string, mentions: Mention[], tokens: Token[]): Mention[] {
  const ms = [...mentions].sort((a, b) => a.start - b.start);
  let changed = true;
  while (changed) {
    changed = false;
    for (let k = 0; k < ms.length; k++) {
      const m = ms[k];
      if (m.type !== 'PER') continue;
      // forward: m · X
      if (isDot(text[m.end] ?? '') && isHanAt(text, m.end + 1)) {
        const next = ms[k + 1];
        let newEnd = -1;
        if (next && next.start === m.end + 1) { if (next.type === 'PER' || next.end - next.start <= 4) { newEnd = next.end; ms.splice(k + 1, 1); } }
        else if (!next || next.start > m.end + 1) {
          const tok = tokens.find((t) => t.start === m.end + 1);
          if (tok && isHanAt(text, tok.start) && tok.end - tok.start <= 6) newEnd = tok.end;
        }
        if (newEnd > 0 && (!ms[k + 1] || ms[k + 1].start >= newEnd)) {
          ms[k] = { ...m, end: newEnd, text: text.slice(m.start, newEnd) };
          changed = true;
          continue;
        }
      }
      // backward: X · m
      if (m.start >= 2 && isDot(text[m.start - 1]) && isHanAt(text, m.start - 2)) {
        const prev = ms[k - 1];
        let newStart = -1;
        if (prev && prev.end === m.start - 1) { if (prev.type === 'PER' || prev.end - prev.start <= 4) { newStart = prev.start; ms.splice(k - 1, 1); k--; } }
        else {
          const tok = tokens.find((t) => t.end === m.start - 1);
          if (tok && isHanAt(text, tok.start) && tok.end - tok.start <= 6 && (!prev || prev.end <= tok.start)) newStart = tok.start;
        }
        if (newStart >= 0) {
          ms[k] = { ...ms[k], start: newStart, text: text.slice(newStart, ms[k].end) };
          changed = true;
        }
      }
    }
  }
  return ms;
}

export type { EntityType };
