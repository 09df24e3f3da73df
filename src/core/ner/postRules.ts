/**
 * The post-rules: what runs on the tagger's mentions of one sentence chunk, in the order of POST_RULES,
 * before the user's dictionary and stop list. Every rule has one signature, (mentions, chunk) → mentions,
 * so the recogniser runs them in a loop and `corpus-lens eval --without RULE` / `--rules-effect` can take
 * each one out and measure what it does. The general rules are here; the MSRA annotation conventions are
 * in conventionRules.ts.
 */
import type { Token } from '../segment/segmenter';
import type { Mention } from './types';
import { Gazetteer, Kind, PLACE_KINDS } from './gazetteer';
import { charType, CT } from './features';
import {
  abbreviationPlaces, balanceQuotes, congressSessions, documentTitles, ethnicGroupsNotPlaces, knownOrganisationTypes, militaryUnits, plenarySessions, splitJoinedNames,
  splitNameBeforeForeign, splitPlaceRuns, surnamesBeforeTitles,
} from './conventionRules';

/** What a rule reads besides the mentions: the chunk's text (mention offsets are into it), its jieba tokens, the gazetteer. */
export interface Chunk { text: string; tokens: Token[]; g: Gazetteer }
export type PostRule = (ms: Mention[], chunk: Chunk) => Mention[];
interface NamedRule {
  name: string;
  /** one of the MSRA convention rules (RecogniserOptions.conventions: false leaves them all out) */
  convention: boolean;
  apply: PostRule;
}

const isDot = (s: string) => s.length > 0 && charType(s.codePointAt(0)!) === CT.Dot;
const isHanAt = (text: string, i: number) => i >= 0 && i < text.length && charType(text.codePointAt(i)!) === CT.Han;

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
/** numerals and a date unit at a name's start (the training sets' names never begin so) */
const LEADING_DATE = /^(?:[0-9０-９〇零一二三四五六七八九十百千万两]+[年月日号])+/;
const NUMERAL = /[0-9０-９〇零一二三四五六七八九十百千万两]/;

/**
 * A name does not begin with a function word or with a date or the unit of one: 对华晋集团 (对/p, then the name),
 * 2018年委员会 (the year is no part of the name; no PER/LOC/ORG span of pd-msra.dev.bio, msra.train-sample.bio or
 * PKU 1998 begins with a date), 年委员会 (年 belongs to 2018). The leading one-character word is dropped when something of two
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
    // a whole date before the name (2018年委员会): numerals and their unit, when two characters or more are left
    const date = LEADING_DATE.exec(m.text);
    if (date && m.text.length - date[0].length >= 2) return { ...m, start: m.start + date[0].length, text: m.text.slice(date[0].length) };
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
const BUILDING_END = /[楼馆站厂场院所室厅]$/;
/** Post-rules from general resources: ethnic groups are not persons or places, a bare organisation
 * head (中学, 医院) is not a name, and a person name is not a run of numerals (十二师二二二团) or a building (实训楼). */
function notAName(m: Mention, g: Gazetteer): boolean {
  if (m.type === 'PER') {
    if (g.ethnicGroups.has(m.text)) return true;
    for (let L = 2; L <= 5 && L < m.text.length; L++) if (g.ethnicGroups.has(m.text.slice(-L))) return true;
    if ((m.text.match(CN_NUMERALS)?.length ?? 0) >= 2) return true;
    // a building or an institution's room (实训楼, 展览馆, 派出所): no PER span of pd-msra.dev.bio or msra.train-sample.bio
    // ends so, one of PKU 1998's 20,000 person names does (文楼, two characters: those are kept)
    if (m.text.length >= 3 && BUILDING_END.test(m.text)) return true;
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
  // without a person nothing joins: mentions already in order are the sorted copy's equal (most chunks)
  if (!mentions.some((m) => m.type === 'PER') && mentions.every((m, k) => k === 0 || mentions[k - 1].start <= m.start)) return mentions;
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

const CLAUSE_PUNCT = /[，,、。；;：:！？!?]/;
/** A name never spans clause punctuation: the part before it is kept (nothing, when the mention starts with it). */
export function cutAtClausePunctuation(ms: Mention[]): Mention[] {
  const out: Mention[] = [];
  for (const m of ms) {
    const cut = m.text.search(CLAUSE_PUNCT);
    if (cut < 0) out.push(m);
    else if (cut > 0) out.push({ ...m, end: m.start + cut, text: m.text.slice(0, cut) });
  }
  return out;
}

/** Drops what notAName rules out: ethnic groups as persons, bare organisation heads, runs of numerals, buildings as persons, …中心. */
export function dropNonNames(ms: Mention[], g: Gazetteer): Mention[] {
  return ms.filter((m) => !notAName(m, g));
}

/** The post-rules in the order they run. */
export const POST_RULES = [
  { name: 'splitNameRuns', convention: false, apply: (ms, c) => splitNameRuns(ms, c.tokens) },
  { name: 'joinDottedNames', convention: false, apply: (ms, c) => joinDottedNames(c.text, ms, c.tokens) },
  { name: 'trimLeadingFunctionWords', convention: false, apply: (ms, c) => trimLeadingFunctionWords(c.text, ms, c.tokens) },
  { name: 'splitDottedPlaces', convention: false, apply: (ms, c) => splitDottedPlaces(ms, c.g) },
  { name: 'splitJoinedNames', convention: true, apply: (ms, c) => splitJoinedNames(ms, c.g) },
  { name: 'splitNameBeforeForeign', convention: true, apply: (ms, c) => splitNameBeforeForeign(ms, c.tokens, c.g) },
  { name: 'splitPlaceRuns', convention: true, apply: (ms, c) => splitPlaceRuns(ms, c.g) },
  { name: 'documentTitles', convention: true, apply: (ms, c) => documentTitles(ms, c.g) },
  { name: 'abbreviationPlaces', convention: true, apply: (ms, c) => abbreviationPlaces(c.text, ms, c.tokens, c.g) },
  { name: 'knownOrganisationTypes', convention: true, apply: (ms, c) => knownOrganisationTypes(ms, c.g) },
  { name: 'ethnicGroupsNotPlaces', convention: true, apply: (ms, c) => ethnicGroupsNotPlaces(c.text, ms, c.tokens, c.g) },
  { name: 'congressSessions', convention: true, apply: (ms, c) => congressSessions(c.text, ms, c.tokens) },
  { name: 'plenarySessions', convention: true, apply: (ms) => plenarySessions(ms) },
  { name: 'militaryUnits', convention: true, apply: (ms, c) => militaryUnits(c.text, ms, c.tokens, c.g) },
  { name: 'balanceQuotes', convention: true, apply: (ms, c) => balanceQuotes(c.text, ms, c.tokens, c.g) },
  { name: 'surnamesBeforeTitles', convention: true, apply: (ms, c) => surnamesBeforeTitles(c.text, ms, c.tokens, c.g) },
  { name: 'cutAtClausePunctuation', convention: false, apply: (ms) => cutAtClausePunctuation(ms) },
  { name: 'dropNonNames', convention: false, apply: (ms, c) => dropNonNames(ms, c.g) },
] as const satisfies readonly NamedRule[];

export type PostRuleName = typeof POST_RULES[number]['name'];
export const POST_RULE_NAMES: readonly PostRuleName[] = POST_RULES.map((r) => r.name);

/** The rules that run, in order: all but those named in `without` (and the convention rules unless `conventions`). */
export function activeRules(without: Iterable<string> = [], conventions = true): PostRule[] {
  const off = new Set(without);
  return POST_RULES.filter((r) => !off.has(r.name) && (conventions || !r.convention)).map((r) => r.apply);
}
