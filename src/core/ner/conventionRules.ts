/**
 * Post-rules for the MSRA annotation conventions (the ones the product follows, see ../shared/data's README)
 * where the trained tagger, fed mostly PKU 1998 data with other conventions, falls short. Each rule works
 * from the gazetteer's resource lists and jieba's words, never from a list of particular names:
 *
 * - two full names written together without a separator are two persons (王海王群 → 王海, 王群);
 * - a run of places is one place each (青海省曲麻莱县 → 青海省, 曲麻莱县; 中华人民共和国香港特别行政区);
 * - one-character abbreviations of countries and provinces are places where they name a party of a relation
 *   (中德关系, 中加两国, 港澳台同胞), a side (中方, 美方) or a destination (访美, 来华, 抵京);
 * - a well-known organisation written without a suffix (东盟, 北约) is an organisation, not a place.
 */
import type { Token } from '../segment/segmenter';
import type { Mention } from './types';
import { Gazetteer, Kind, orgSuffixLength, PLACE_KINDS } from './gazetteer';

const HAN_ONLY = /^[\u3400-\u9fff]+$/;
/**
 * Characters that mark a transliterated foreign name (梅德韦杰夫, 卡斯特罗): two or more of them, and a run is
 * not taken for two Chinese names.
 */
const TRANSLITERATION = new Set('斯尔夫克特拉娃娜基诺维茨耶罗德亚尼奇莫里丽弗布普洛蒂卡萨戈曼瓦姆'.split(''));

/**
 * The part lengths (2 or 3 characters each) that cut a run into two Chinese names, each beginning with a
 * common surname; undefined when there is no such cut or more than one (滕藤颜龙安 could be 2 + 3 or 3 + 2).
 */
export function twoNameCut(s: string, g: Gazetteer): number | undefined {
  if (s.length < 4 || s.length > 6 || !HAN_ONLY.test(s)) return undefined;
  // a compound surname (欧阳, 司马) begins one four-character name, and so do a married woman's two surnames
  // (陈方安生: 陈 then 方)
  if (s.length === 4 && (g.surnames.has(s.slice(0, 2)) || g.commonSurnames.has(s[1]))) return undefined;
  let foreign = 0;
  for (const c of s) if (TRANSLITERATION.has(c)) foreign++;
  if (foreign >= 2 || !g.commonSurnames.has(s[0])) return undefined;
  let cut: number | undefined;
  for (let k = 2; k <= 3; k++) {
    const rest = s.length - k;
    if (rest < 2 || rest > 3 || !g.commonSurnames.has(s[k])) continue;
    if (cut !== undefined) return undefined;
    cut = k;
  }
  return cut;
}

/** Mentions of `type` that `parts` cuts (part lengths in UTF-16 units) become one mention per part. */
function splitMentions(ms: Mention[], type: Mention['type'], parts: (s: string) => number[] | undefined, as: Mention['type'] = type): Mention[] {
  if (!ms.some((m) => m.type === type && m.end - m.start >= 4)) return ms;
  const out: Mention[] = [];
  for (const m of ms) {
    const cut = m.type === type ? parts(m.text) : undefined;
    if (!cut) { out.push(m); continue; }
    let at = 0;
    for (const L of cut) { out.push({ ...m, type: as, start: m.start + at, end: m.start + at + L, text: m.text.slice(at, at + L) }); at += L; }
  }
  return out;
}

/** Person mentions of two names written together become two persons (lists of names without separators). */
export function splitJoinedNames(ms: Mention[], g: Gazetteer): Mention[] {
  return splitMentions(ms, 'PER', (s) => { const cut = twoNameCut(s, g); return cut === undefined ? undefined : [cut, s.length - cut]; });
}

/**
 * A Chinese full name written before a transliterated one with no separator (lists of names: 王丙乾帕巴拉·格列朗杰):
 * the length of the Chinese name, jieba's person word at the start; undefined when the mention does not have that
 * shape.
 */
export function nameBeforeForeignCut(s: string, first: Token | undefined, g: Gazetteer): number | undefined {
  const dot = s.search(/[·•・]/);
  if (dot < 4 || !HAN_ONLY.test(s.slice(0, dot)) || !g.commonSurnames.has(s[0]) || g.surnames.has(s.slice(0, 2))) return undefined;
  // the Chinese name is jieba's first word, a person's name of two or three characters (without it, 马格坦戈尔·圭尼贡多
  // is one foreign name)
  const len = first ? first.end - first.start : 0;
  return first && first.tag.startsWith('nr') && (len === 2 || len === 3) && dot - len >= 2 ? len : undefined;
}

/** Person mentions of a Chinese name and a transliterated one written together become two persons. */
export function splitNameBeforeForeign(ms: Mention[], tokens: Token[], g: Gazetteer): Mention[] {
  if (!ms.some((m) => m.type === 'PER' && m.end - m.start >= 6 && /[·•・]/.test(m.text))) return ms;
  const out: Mention[] = [];
  for (const m of ms) {
    const k = m.type === 'PER' && m.end - m.start >= 6 ? nameBeforeForeignCut(m.text, tokens.find((t) => t.start === m.start), g) : undefined;
    if (k === undefined) { out.push(m); continue; }
    out.push({ ...m, end: m.start + k, text: m.text.slice(0, k) }, { ...m, start: m.start + k, text: m.text.slice(k) });
  }
  return out;
}

/** a country's full style, which the gazetteer does not list (中华人民共和国, 大韩民国, 大不列颠及北爱尔兰联合王国) */
const STATE_STYLE = /(共和国|王国|民国|合众国|联邦|公国)$/;

/** Divisions under their full names (山西省, 宁波市, not 山西 or 公安) and countries. */
const FULL_PLACE_KINDS = (1 << Kind.Province) | (1 << Kind.City) | (1 << Kind.County) | (1 << Kind.Country);

/**
 * Whether s is a division or country of the gazetteer (two characters or more) or a state's full style; with
 * `fullNames`, a division only under its full name.
 */
function isPlacePart(s: string, g: Gazetteer, fullNames = false): boolean {
  if (s.length < 2) return false;
  if (s.length >= 4 && STATE_STYLE.test(s)) return true;
  return (g.trie.flagsOf(s) & (fullNames ? FULL_PLACE_KINDS : PLACE_KINDS)) !== 0;
}

/**
 * The cut of s into places (the fewest parts, longest first part), or undefined when there is none with two or more;
 * with `fullNames`, of divisions under their full names and countries only.
 */
export function placeRunCut(s: string, g: Gazetteer, fullNames = false): number[] | undefined {
  if (s.length < 4 || !HAN_ONLY.test(s)) return undefined;
  const n = s.length;
  // parts[i]: the fewest places covering s[i..n); first[i]: the length of the first of them
  const parts = new Array<number>(n + 1).fill(Infinity), first = new Array<number>(n + 1).fill(0);
  parts[n] = 0;
  for (let i = n - 2; i >= 0; i--) {
    for (let L = n - i; L >= 2; L--) {
      if (parts[i + L] + 1 < parts[i] && isPlacePart(s.slice(i, i + L), g, fullNames)) { parts[i] = parts[i + L] + 1; first[i] = L; }
    }
  }
  if (!(parts[0] >= 2 && parts[0] < Infinity)) return undefined;
  const cut: number[] = [];
  for (let i = 0; i < n; i += first[i]) cut.push(first[i]);
  return cut;
}

/**
 * A place mention that is a run of places (省 then 县, a country then a region) becomes one place each; so does an
 * organisation mention that is nothing but a run of places under their full names (中华人民共和国香港特别行政区), which
 * no MSRA-style set tags as an organisation (宁波市公安 or 中国平安, where 公安 and 平安 are also short names of counties,
 * stay organisations).
 */
export function splitPlaceRuns(ms: Mention[], g: Gazetteer): Mention[] {
  return splitMentions(splitMentions(ms, 'LOC', (s) => placeRunCut(s, g)), 'ORG', (s) => placeRunCut(s, g, true), 'LOC');
}

/**
 * The end of a law's, a treaty's or a communiqué's title: a document, not an organisation (高法 and 司法 are not, nor
 * 总协定, the General Agreement that is also an organisation).
 */
const DOCUMENT_END = /(条例|公报|宣言|(?<!总)协定|条约|决议|(?<![高司])法)$/;

/**
 * An organisation mention that ends as the title of a document does (…基本法, …联合公报) is not an organisation,
 * as no MSRA-style set tags one; the places its title begins with are places (中华人民共和国香港特别行政区基本法 →
 * 中华人民共和国, 香港特别行政区; 波兰共和国联合公报 → 波兰共和国), and without such places it is no name.
 */
export function documentTitles(ms: Mention[], g: Gazetteer): Mention[] {
  if (!ms.some((m) => m.type === 'ORG' && DOCUMENT_END.test(m.text))) return ms;
  const out: Mention[] = [];
  for (const m of ms) {
    const end = m.type === 'ORG' ? DOCUMENT_END.exec(m.text) : null;
    if (!end) { out.push(m); continue; }
    // the organisation whose document it is (中国人民银行法, 空军法律服务处条例, 东盟宣言, 联合国海洋法)
    const head = m.text.slice(0, end.index);
    let org = head.length >= 2 && endsWithOrgSuffix(head, g, true) ? head.length : 0;
    for (let L = head.length; L >= 2 && !org; L--) if (g.knownOrganisations.has(head.slice(0, L))) org = L;
    if (org) { out.push({ ...m, end: m.start + org, text: m.text.slice(0, org) }); continue; }
    for (let L = m.text.length - 1; L >= 2; L--) {
      const lead = m.text.slice(0, L);
      const cut = isPlacePart(lead, g) ? [L] : placeRunCut(lead, g);
      if (!cut) continue;
      let at = 0;
      for (const n of cut) { out.push({ start: m.start + at, end: m.start + at + n, type: 'LOC', text: m.text.slice(at, at + n) }); at += n; }
      break;
    }
  }
  return out;
}

/** Words after a run of abbreviations that make it the parties of a relation (中德关系, 中加两国, 港澳台同胞). */
const RELATION_WORDS = new Set(['两国', '两国人民', '三国', '四国', '五国', '关系', '友好', '双方', '建交', '之间', '经贸', '合作',
  '边界', '会谈', '贸易', '友谊', '首脑', '外长', '战争', '交流', '同胞', '联合声明', '联合公报', '两党']);
/**
 * Countries whose abbreviation + 方 is that country's side (中方, 美方): a subset of the countries' abbreviations,
 * because 西方, 比方, 新方 and the like are other words.
 */
const SIDE_ABBREVIATIONS = new Set('中美英法德俄日韩朝越印巴澳加意葡荷泰菲蒙'.split(''));
/**
 * Abbreviations that are more often a word of their own, or part of one, next to another abbreviation: 西 (中西,
 * Chinese and Western; 川西, west Sichuan), 以 (比赛中以 2∶0, 加以), 意 (中意为, 来意), 比, 老, 新, 土. They never
 * take part in a relation or a destination here.
 */
const AMBIGUOUS = new Set('西以比老新土意'.split(''));
/**
 * China and another country as one word, the usual shape of a bilateral relation (中加, 中德, 美中): 中 and a
 * country's abbreviation, in either order, unless the pair is a place of its own (巴中) or the other is ambiguous;
 * 巴 too, since 中巴 is also a minibus (中巴两国 is still found by the relation-word rule).
 */
function bilateral(w: string, g: Gazetteer): boolean {
  const other = w[0] === '中' ? w[1] : w[1] === '中' ? w[0] : undefined;
  return other !== undefined && other !== '中' && other !== '巴' && !AMBIGUOUS.has(other) && g.countryAbbreviations.has(other) && !isPlacePart(w, g);
}
/**
 * A region written as a province's abbreviation and a direction (川西, 豫西, 冀中, 湘西): one name, not two
 * abbreviations; X中 with a country's X is a relation (日中, 美中).
 */
function regionalName(w: string, g: Gazetteer): boolean {
  return w.length === 2 && ('东西南北'.includes(w[1]) || (w[1] === '中' && !g.countryAbbreviations.has(w[0])));
}
/** A place's abbreviation and a noun for its people, merchants, capital or army as one word (港人, 台商, 华侨, 美军). */
function compound(w: string, g: Gazetteer): boolean {
  const c = g.abbreviationCompounds;
  return c.suffixes.has(w[1]) && c.prefixes.has(w[0]) && !AMBIGUOUS.has(w[0]) && !c.not.has(w);
}
/** Verbs of travel before an abbreviation that is the destination (访美, 来华, 抵京, 驻港). */
const TRAVEL = new Set('访来抵驻赴'.split(''));
/**
 * A table of one byte per UTF-16 unit, 1 for the characters `chars` gives for a gazetteer, built once per gazetteer:
 * the first test of a rule that looks at every word of every article (one typed-array look-up; a Set look-up of
 * w[0] made a string per word).
 */
function charTable(chars: (g: Gazetteer) => Iterable<string>): (g: Gazetteer) => Uint8Array {
  let last: { g: Gazetteer; table: Uint8Array } | undefined;
  return (g) => {
    if (last?.g !== g) {
      const table = new Uint8Array(65536);
      for (const c of chars(g)) table[c.charCodeAt(0)] = 1;
      last = { g, table };
    }
    return last.table;
  };
}
/** Where a word may begin that abbreviationPlaces looks at: an abbreviation, a travel verb, 华. */
const abbreviationStarts = charTable((g) => [...g.abbreviations, ...TRAVEL, ...g.abbreviationCompounds.prefixes]);
/** A numeral before a one-character word makes it a unit (10日: the day, not Japan). */
const NUMERAL_BEFORE = /^[0-9０-９〇零一二三四五六七八九十百千两]$/;

/**
 * One-character abbreviations of countries and provinces that name places, as MSRA tags them: each character
 * of a run of abbreviations that jieba cuts as words of their own, followed by a relation word (中德关系,
 * 中加两国); the country in X方 (中方); the destination of a travel verb written as one word (访美, 来华); the
 * place in a word for its people, merchants, capital or army (港人, 台商, 华侨, 中资, 美军).
 * Such characters get a place mention of their own, replacing a mention over the run (中加 as one name);
 * those already inside another mention are left alone.
 */
export function abbreviationPlaces(text: string, ms: Mention[], tokens: Token[], g: Gazetteer): Mention[] {
  const ab = g.abbreviations;
  const found: number[] = [];
  if (!tokens.length) return ms;
  // (every token of every article passes here: the common case, a word that starts with no abbreviation and is
  // no X方 or travel word, must cost a length test and one Set look-up)
  const member = (w: string) => {
    if (regionalName(w, g)) return false;
    for (let i = 0; i < w.length; i++) if (!ab.has(w[i]) || AMBIGUOUS.has(w[i])) return false;
    return true;
  };
  const first = abbreviationStarts(g);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const len = t.end - t.start;
    if (len > 5) continue;
    const w = t.word;
    if (first[w.charCodeAt(0)] === 0) continue; // (no rule below applies to a word that begins with none of these)
    if (len === 2) {
      if (w[1] === '方' && SIDE_ABBREVIATIONS.has(w[0])) { found.push(t.start); continue; }
      if (TRAVEL.has(w[0]) && ab.has(w[1]) && !AMBIGUOUS.has(w[1])) { found.push(t.start + 1); continue; }
      if (bilateral(w, g)) { found.push(t.start, t.start + 1); continue; }
      if (compound(w, g) && !(t.start > 0 && NUMERAL_BEFORE.test(text[t.start - 1]))) { found.push(t.start); continue; }
    }
    if (!ab.has(w[0]) || (len === 1 && t.start > 0 && NUMERAL_BEFORE.test(text[t.start - 1]))) continue;
    // a run of abbreviation-only words, ending before a relation word
    let j = k, chars = 0;
    while (j < tokens.length && chars < 5 && member(tokens[j].word)) { chars += tokens[j].end - tokens[j].start; j++; }
    if (chars < 2 || chars > 5 || j >= tokens.length || !RELATION_WORDS.has(tokens[j].word)) continue;
    const run = text.slice(t.start, tokens[j - 1].end);
    if (isPlacePart(run, g)) { k = j - 1; continue; } // 巴西: a country's name, not two abbreviations
    for (let i = t.start; i < tokens[j - 1].end; i++) found.push(i);
    k = j - 1;
  }
  if (!found.length) return ms;
  const isRun = (m: Mention) => m.end - m.start > 1 && [...m.text].every((c) => ab.has(c));
  const places = new Set(found);
  // a mention over a run of abbreviations (中加 as one organisation) gives way to one place per character
  const kept = ms.filter((m) => {
    if (!isRun(m) || !found.some((i) => m.start <= i && i < m.end)) return true;
    for (let c = m.start; c < m.end; c++) places.add(c);
    return false;
  });
  for (const i of places) if (!kept.some((m) => m.start <= i && i < m.end)) kept.push({ start: i, end: i + 1, type: 'LOC', text: text[i] });
  return kept.length === ms.length && kept.every((m, k) => m === ms[k]) ? ms : kept.sort((a, b) => a.start - b.start);
}

/** A place mention whose whole text is a well-known organisation of the gazetteer (东盟, 北约) is that organisation. */
export function knownOrganisationTypes(ms: Mention[], g: Gazetteer): Mention[] {
  return ms.map((m) => (m.type === 'LOC' && g.knownOrganisations.has(m.text) ? { ...m, type: 'ORG' as const } : m));
}

/**
 * An ethnic group's name (resources/ethnic-groups.json) is no place where jieba reads it as a word of its own that
 * is no place name (哈萨克/nr in 哈萨克群众, 哈萨克牧民; 俄罗斯/ns, the country, stays), it is no division or country
 * of the gazetteer and 族 does not follow: the MSRA-style sets tag no such mention as a place, only a few before 族
 * (维吾尔族农民), which stay as they are.
 */
export function ethnicGroupsNotPlaces(text: string, ms: Mention[], tokens: Token[], g: Gazetteer): Mention[] {
  const kept = ms.filter((m) => !(m.type === 'LOC' && g.ethnicGroups.has(m.text) && !(g.trie.flagsOf(m.text) & PLACE_KINDS) && text[m.end] !== '族' &&
    tokens.some((t) => t.start === m.start && t.end === m.end && t.tag !== 'ns')));
  return kept.length === ms.length ? ms : kept;
}

/** 第十五次, 七届, 第九届: the session of a congress (not 一次, once) */
const SESSION = /^(第[〇零一二三四五六七八九十百0-9０-９]+[次届]|[〇零一二三四五六七八九十百0-9０-９]+届)$/;
/** congresses and standing committees, whose session belongs to the name (第九届全国人民代表大会, 七届全国人大) */
const CONGRESS = /(代表大会|人大|政协|常委会|常务委员会)/;

/**
 * The session written before a congress is part of its name, as MSRA tags it: 第十五次全国代表大会, not
 * 全国代表大会 after the number (nor 十五次全国代表大会, without its 第).
 */
export function congressSessions(text: string, ms: Mention[], tokens: Token[]): Mention[] {
  if (!ms.some((m) => m.type === 'ORG' && CONGRESS.test(m.text))) return ms;
  return ms.map((m, k) => {
    if (m.type !== 'ORG' || !CONGRESS.test(m.text)) return m;
    const t = tokens.find((x) => x.start < m.start && x.end >= m.start);
    // the session word ends where the name starts, or the name starts inside it (十五次全国代表大会)
    if (!t || !SESSION.test(t.word) || (k > 0 && ms[k - 1].end > t.start)) return m;
    return { ...m, start: t.start, text: text.slice(t.start, m.end) };
  });
}


const OPENERS = '“‘《「『';
const CLOSERS = '”’》」』';
/** any of the marks above */
const MARK = new RegExp(`[${OPENERS}${CLOSERS}]`);

/**
 * Whether the name ends with one of the gazetteer's organisation suffixes, leaving a character before it: of two
 * characters or more (…基金会), or with `oneChar` of one as well (…银行, …处).
 */
function endsWithOrgSuffix(s: string, g: Gazetteer, oneChar = false): boolean {
  return orgSuffixLength(g, s, s.length - 1) > 0 || (oneChar && s.length >= 2 && (g.trie.flagsOf(s[s.length - 1]) & (1 << Kind.OrgSuffix)) !== 0);
}

/**
 * Quotation marks and title brackets in a name come in pairs, as MSRA tags them (“幸福工程”组委会, 《星报》编辑部,
 * 美国《科学》杂志); a mention the tagger cut across a pair is mended: a mark that opens or closes nothing inside the
 * mention at its edge is left out (《立法局 → 立法局, ”日经联 → 日经联, 河南日报》 → 河南日报); a closing mark
 * inside whose opening mark stands just before the mention takes that mark in (幸福工程”组委会 → “幸福工程”组委会);
 * a title bracket closed right after the mention takes the closing mark in (香港《文汇报 → 香港《文汇报》); another
 * opening mark inside whose name runs past the mention ends it there (撒马尔罕“东方 → 撒马尔罕), the part after it
 * kept only when it is a whole organisation's name (台湾“海峡交流基金会 → 台湾 and 海峡交流基金会).
 */
export function balanceQuotes(text: string, ms: Mention[], tokens: Token[], g: Gazetteer): Mention[] {
  let out: Mention[] | undefined;
  for (let k = 0; k < ms.length; k++) {
    const m = ms[k];
    if (!MARK.test(m.text)) { out?.push(m); continue; }
    out ??= ms.slice(0, k);
    for (const x of mendQuotes(text, m, tokens, g)) out.push(x);
  }
  return out ?? ms;
}

function mendQuotes(text: string, m: Mention, tokens: Token[], g: Gazetteer): Mention[] {
  let s = m.start, e = m.end;
  // the marks of [s, e) that have no partner inside it: positions of unmatched openers and closers
  const unmatched = () => {
    const open: number[] = [], close: number[] = [];
    for (let i = s; i < e; i++) {
      const o = OPENERS.indexOf(text[i]), c = CLOSERS.indexOf(text[i]);
      if (o >= 0) open.push(i);
      else if (c >= 0) {
        let j = open.length - 1;
        while (j >= 0 && OPENERS.indexOf(text[open[j]]) !== c) j--;
        if (j >= 0) open.splice(j, 1); else close.push(i);
      }
    }
    return { open, close };
  };
  for (let guard = 0; guard < 8 && s < e; guard++) {
    const { open, close } = unmatched();
    if (close[0] === s || open[open.length - 1] === e - 1) { if (close[0] === s) s++; else e--; continue; } // a stray mark at an edge
    if (open[0] === s) { s++; continue; }                          // 《立法局: the title's name runs past the mention
    if (close.length && close[close.length - 1] === e - 1) { e--; continue; } // 河南日报》
    if (close.length && s > 0 && OPENERS.indexOf(text[s - 1]) === CLOSERS.indexOf(text[close[0]])) { s--; continue; } // 幸福工程”组委会
    // a title bracket whose closing mark comes right after the mention: a publication named whole (香港《文汇报》,
    // as MSRA tags 美国《科学》杂志 and 华北《人民日报》)
    if (open.length === 1 && text[open[0]] === '《' && text[e] === '》') { e++; continue; }
    if (open.length) {
      // a name opens inside the mention and runs past it: the mention ends before the mark
      const before = text.slice(s, open[0]), after = text.slice(open[0] + 1, e);
      const parts: Mention[] = [];
      if (before && isPlacePart(before, g)) parts.push({ start: s, end: open[0], type: 'LOC', text: before });
      // (the organisation's name is whole when its closing mark follows and the text goes on with no noun: 海峡交流基金会”进行,
      // not 工商建设研究会”经贸考察团, the delegation of an organisation)
      const closer = CLOSERS[OPENERS.indexOf(text[open[0]])];
      const next = text[e] === closer ? tokens.find((t) => t.start === e + 1) : undefined;
      if (m.type === 'ORG' && after.length >= 3 && endsWithOrgSuffix(after, g) && !MARK.test(after) && (!next || !next.tag.startsWith('n'))) {
        parts.push({ start: open[0] + 1, end: e, type: 'ORG', text: after });
      }
      return parts;
    }
    break;
  }
  if (s >= e) return [];
  return s === m.start && e === m.end ? [m] : [{ ...m, start: s, end: e, text: text.slice(s, e) }];
}

/** jieba's tags of a one-character word that is no surname before a title: prepositions, conjunctions, particles, pronouns, verbs, adverbs, numerals, adjectives, localisers, measure words (向主席, 曾代表). */
const NOT_SURNAME_TAG = /^(p|c|u|r|v|d|m|a|f|q)/;
/** Surnames that are also verbs written before a title (任组长: to serve as the team's leader; 代主任, acting director). */
const VERB_BEFORE_TITLE = new Set(['任', '代']);
/** Where a common surname may stand alone before a title: not an abbreviation, not 任 or 代. */
const surnameCandidates = charTable((g) => [...g.commonSurnames].filter((c) => c.length === 1 && !g.abbreviations.has(c) && !VERB_BEFORE_TITLE.has(c)));
const titleStarts = charTable((g) => g.titles);

/**
 * A surname alone before a title or a form of address names a person, as MSRA tags it: 江 in 江主席, 李 in 李老师,
 * 唐 in 唐外长 (pd-msra.dev.bio tags all ten it has so). jieba must read it so: the surname as a word of its own
 * that is no function word, verb or adverb (not 向主席, 曾代表), followed by a title as a whole word (not 代表性,
 * 市长期), or one word of surname and title (江主席/n). The surname is one of the common ones, not a country's or
 * province's abbreviation (韩外长, 马总理: the Korean minister, the Malaysian premier) nor a verb before a title
 * (任组长); a place or organisation of that one character becomes the person, and a person mention over the surname
 * and the title becomes the surname. A surname inside a longer mention is left alone.
 */
export function surnamesBeforeTitles(text: string, ms: Mention[], tokens: Token[], g: Gazetteer): Mention[] {
  let out: Mention[] | undefined;
  const candidate = surnameCandidates(g), titleStart = titleStarts(g);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k], w = t.word, i = t.start;
    if (candidate[w.charCodeAt(0)] === 0) continue; // (the common case: a word that does not begin with a surname)
    let L: number;
    if (w.length === 1) {
      const next = tokens[k + 1];
      if (NOT_SURNAME_TAG.test(t.tag) || !next || next.start !== t.end || !g.titles.has(next.word)) continue;
      L = next.end - next.start;
    } else {
      // (most words that begin with a surname go on with no title: its first character and length say so without
      // slicing the word, which allocated a string per such word)
      if (titleStart[w.charCodeAt(1)] === 0 || w.length - 1 > g.maxTitleLen || !g.titles.has(w.slice(1))) continue;
      L = w.length - 1;
    }
    const list = out ?? ms;
    const j = list.findIndex((m) => m.start <= i && i < m.end);
    const m = j >= 0 ? list[j] : undefined;
    if (m && (m.start < i || (m.end - m.start > 1 && !(m.type === 'PER' && m.end === i + 1 + L)))) continue; // inside a name
    out ??= ms.slice();
    const person: Mention = { start: i, end: i + 1, type: 'PER', text: text[i] };
    if (m) out[j] = person; else out.push(person);
  }
  return out ? out.sort((a, b) => a.start - b.start) : ms;
}

/** A plenary session (十一届三中全会, 二次全会, 六中全会) at the end of a name. */
const PLENARY = /(第?[〇零一二三四五六七八九十百0-9０-９]+[届次])?([〇零一二三四五六七八九十]+中)?全会$/;

/**
 * A plenary session is a meeting, not an organisation: pd-msra.dev.bio leaves 十一届三中全会 untagged and MSRA
 * tags 中共 in 中共十一届三中全会. An organisation mention that ends with one keeps the organisation before it and
 * is no name without one.
 */
export function plenarySessions(ms: Mention[]): Mention[] {
  if (!ms.some((m) => m.type === 'ORG' && m.text.endsWith('全会'))) return ms;
  const out: Mention[] = [];
  for (const m of ms) {
    const hit = m.type === 'ORG' ? PLENARY.exec(m.text) : null;
    if (!hit) { out.push(m); continue; }
    if (hit.index >= 2) out.push({ ...m, end: m.start + hit.index, text: m.text.slice(0, hit.index) });
  }
  return out;
}

const UNIT_NUMERAL = '[〇零一二三四五六七八九十百0-9０-９]';
/** a numbered unit of an army or a production corps (第六师, 农八师, 十二师二二二团): one level or a division's regiment */
const UNIT = new RegExp(`(?:第|农)?${UNIT_NUMERAL}+(?:师|旅|团|支队)(?:${UNIT_NUMERAL}+(?:团|营))?`, 'g');
const TWO_LEVELS = new RegExp(`${UNIT_NUMERAL}(?:师|旅)${UNIT_NUMERAL}+(?:团|营)$`);
/** the formations a numbered unit belongs to, as jieba reads them */
const FORMATIONS = new Set(['兵团', '军区', '集团军', '野战军', '纵队', '军分区', '解放军', '志愿军', '红军', '新四军', '八路军']);
const COORDINATION = new Set(['、', '和', '与', '及']);

/**
 * A numbered unit with the formation it belongs to is one organisation, as PKU 1998 tags 新疆兵团农八师 (nt) and
 * MSRA 红二十六军四十二师 (ORG): 兵团第六师, and 第十二师 listed with it (兵团第六师、第十二师); so is a division's
 * regiment, whose two levels say what it is (十二师二二二团). A unit alone (第一师, 六师: PKU leaves them
 * untagged) stays as the tagger found it. The unit stands between jieba's words (not 第一师范学院), and a mention
 * that holds more than the unit is left alone.
 */
export function militaryUnits(text: string, ms: Mention[], tokens: Token[], g: Gazetteer): Mention[] {
  if (!/[师旅团队]/.test(text)) return ms;
  const starts = new Set<number>(), ends = new Set<number>();
  for (const t of tokens) { starts.add(t.start); ends.add(t.end); }
  const units: Mention[] = [];
  let last: { end: number; unit: string } | undefined;
  for (const u of text.matchAll(UNIT)) {
    const start = u.index!, end = start + u[0].length;
    if (!starts.has(start)) continue;
    // its end between two words, or before a title that jieba read with the unit's last character (师政委)
    const rest = tokens.find((t) => t.start === end - 1 && t.end > end);
    if (!ends.has(end) && !(rest && g.titles.has(text.slice(end, rest.end)))) continue;
    const unit = u[0].match(/[师旅团队营]/)![0];
    let from: number | undefined;
    const parent = ms.find((m) => m.type === 'ORG' && m.end === start);
    const formation = tokens.find((t) => t.end === start && FORMATIONS.has(t.word));
    if (parent) from = parent.start;
    else if (formation) {
      // the formation's place before it belongs to the name too (新疆兵团农八师)
      const place = ms.find((m) => m.type === 'LOC' && m.end === formation.start);
      from = place ? place.start : formation.start;
    } else if (TWO_LEVELS.test(u[0])) from = start;
    else if (last && last.unit === unit && start === last.end + 1 && COORDINATION.has(text[last.end])) from = start;
    if (from === undefined) { last = undefined; continue; }
    if (ms.some((m) => m.start <= from! && m.end >= end && (m.start < from! || m.end > end))) { last = undefined; continue; }
    units.push({ start: from, end, type: 'ORG', text: text.slice(from, end) });
    last = { end, unit };
  }
  if (!units.length) return ms;
  const kept = ms.filter((m) => !units.some((u) => u.start < m.end && m.start < u.end));
  return [...kept, ...units].sort((a, b) => a.start - b.start);
}
