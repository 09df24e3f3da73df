/**
 * Document-level analysis: names recognised in one place are found at their other mentions, short
 * forms are linked to the full forms the article uses (山西 → 山西省, 兵团 → 新疆生产建设兵团),
 * and the titles written before a person are kept as roles.
 */
import type { Token } from '../segment/segmenter';
import { Entity, EntityType, Mention } from './types';
import { gazetteer, orgSuffixLength } from './gazetteer';

/** Honorifics that follow a name but are not roles. */
const NOT_ROLES_AFTER = new Set(['同志', '先生', '女士', '夫人', '小姐', '老师', '代表']);
/** Words that may sit inside a role besides titles and names (副, 常务, 省委…). */
const ROLE_MODIFIERS = new Set(['副', '常务', '代', '前', '原', '第一', '总', '常委', '委员', '党委', '党组', '省委', '市委', '县委', '区委', '州委',
  '中央', '中共', '政治局', '自治区', '兵团', '省', '市', '县', '区', '州', '国家', '全国', '人大', '政协', '常委会', '军区', '集团', '执行', '名誉', '首席', '高级', '资深', '驻']);
const ROLE_TAGS = new Set(['n', 'nt', 'ns', 'nz', 'j', 'b', 'ng', 'nrt']);
/** jieba's tags of one-character words that do not end a name: prepositions, conjunctions, particles, adverbs, pronouns, verbs */
const FUNCTION_CHAR_TAG = /^(p|c|u|d|r|v)/;
/** jieba's tags of names and of words it does not know as common words (abbreviations, foreign strings) */
const NAME_TAG = /^(nr|ns|nt|nz|j|eng|x)/;
const ROLE_BOUNDARY = /[，,。；;：:！？!?“”"《》（）()\[\]【】\s]/;

/** The recogniser's mentions of a text and its jieba tokens (offsets into the text): what linking reads. */
export interface Tagged { mentions: Mention[]; tokens: Token[] }

function endsWithTitle(s: string, titles: Set<string>, maxLen: number): number {
  for (let L = Math.min(maxLen, s.length); L >= 1; L--) if (titles.has(s.slice(s.length - L))) return L;
  return 0;
}

export interface Linked {
  mentions: Mention[];
  /** surface → canonical name (short forms linked to the full form the text uses) */
  canonical: Map<string, string>;
  majority: (s: string) => EntityType | undefined;
}

/** Characters that, as words of their own, are prepositions or conjunctions (对, 向, 与, 和, …). */
const GLUE = new Set([...'对向在与和同跟把被给为从自由将及并或于']);
/**
 * A name glued to the word before it: jieba reads 对华 in 对华晋集团 as one word, so the tagger may take 对
 * with the name. When the rest is a name of the same type that the article also shows on its own and the
 * extra first character is a preposition or conjunction, the mention is the rest.
 */
export function unglue(base: Mention[]): Mention[] {
  const seen = new Set(base.map((m) => m.type + '\t' + m.text));
  return base.map((m) => (m.text.length >= 3 && GLUE.has(m.text[0]) && seen.has(m.type + '\t' + m.text.slice(1))
    ? { ...m, start: m.start + 1, text: m.text.slice(1) }
    : m));
}

/**
 * Document consistency over model mentions: links short forms to full forms shown in the text and
 * finds further mentions of names recognised elsewhere in it (a name found several times wins over
 * overlapping one-off guesses). A function of the text, the mentions, the tokens and the stop list only.
 */
export function linkMentions(text: string, base: Mention[], tokens: Token[], isStop: (s: string) => boolean = () => false): Linked {
  const g = gazetteer();
  if (base.length === 0) return { mentions: [], canonical: new Map(), majority: () => undefined };
  base = unglue(base);

  // 1. surface forms the model found, with their majority type
  const typeVotes = new Map<string, Map<EntityType, number>>();
  for (const m of base) {
    const v = typeVotes.get(m.text) ?? new Map<EntityType, number>();
    v.set(m.type, (v.get(m.type) ?? 0) + 1);
    typeVotes.set(m.text, v);
  }
  // the type with most votes, the first voted for among equals (what a stable sort by votes gives), without
  // the sort's arrays: it is asked for every name several times and for every mention of the article
  const majority = (s: string): EntityType | undefined => {
    const v = typeVotes.get(s);
    if (!v) return undefined;
    let best: EntityType | undefined, most = -1;
    for (const [type, votes] of v) if (votes > most) { best = type; most = votes; }
    return best;
  };
  const names = [...typeVotes.keys()];

  // 2. short form → full form links shown by the article
  const canonical = new Map<string, string>();            // surface → canonical name
  const aliasCandidates = new Map<string, Set<string>>(); // short → full names
  const genericAliases = new Set<string>();                // linked, but not searched for
  const headAliases = new Set<string>();                   // organisation head words (兵团)
  const addAlias = (short: string, full: string) => {
    if (short === full || short.length < 2) return;
    const s = aliasCandidates.get(short) ?? new Set<string>();
    s.add(full);
    aliasCandidates.set(short, s);
  };
  for (const full of names) {
    const type = majority(full)!;
    if (type === 'LOC') {
      for (const s of g.shortForms.get(full) ?? []) addAlias(s, full);
      // 自治区 / 自治州 / 特别行政区 alone refer back to the one such division the text names
      const m = full.match(/(自治区|自治州|自治县|特别行政区)$/);
      if (m && typeVotes.has(m[1])) { addAlias(m[1], full); genericAliases.add(m[1]); }
    } else if (type === 'ORG') {
      // the organisation's head word (…兵团 → 兵团, …集团 → 集团) refers back to it
      // (the longest listed suffix of two characters or more that leaves two before it)
      const L = orgSuffixLength(g, full, full.length - 2);
      if (L) { const suffix = full.slice(full.length - L); addAlias(suffix, full); headAliases.add(suffix); }
      // a division at the start of an organisation (山西省委 …) is not an alias of it
    }
  }
  // an organisation's name without its opening words, as the article uses it again (晋中市滨河医疗集团 …
  // 医疗集团), refers to it when one organisation of the article ends with it
  const orgs = names.filter((n) => majority(n) === 'ORG');
  for (const short of orgs) {
    if (short.length < 3) continue;
    for (const full of orgs) if (full.length >= short.length + 2 && full.endsWith(short)) addAlias(short, full);
  }
  // the longer of two model-found names that share a head also links (山西 ⊂ 山西省)
  for (const [short, fulls] of aliasCandidates) {
    if (fulls.size !== 1) continue; // ambiguous in this article: do not link
    const full = [...fulls][0];
    if (isStop(short)) continue;
    canonical.set(short, full);
  }

  // 3. propagate: find every other occurrence of known names and linked short forms
  // per UTF-16 offset of the text (built on first use): bit 1 a token starts there, bit 2 one ends there, bit 4
  // inside one; s and e are offsets into the text
  let edgeFlags: Uint8Array | undefined;
  const edges = () => {
    if (!edgeFlags) {
      edgeFlags = new Uint8Array(text.length + 1);
      for (const t of tokens) { edgeFlags[t.start] |= 1; edgeFlags[t.end] |= 2; if (t.tag !== 'x') for (let p = t.start + 1; p < t.end; p++) edgeFlags[p] |= 4; }
    }
    return edgeFlags;
  };
  const isAligned = (s: number, e: number) => { const f = edges(); return (f[s] & 1) !== 0 && (f[e] & 2) !== 0; };
  // an occurrence that begins or ends inside a word of jieba's dictionary (财政部 in 财政部门; not inside the
  // unknown words jieba's HMM makes, x, which glue a name to the character before it: 及北 in 及北塔山牧场)
  const splitsWord = (s: number, e: number) => { const f = edges(); return ((f[s] | f[e]) & 4) !== 0; };
  let mentions = [...base];
  // how often the model found each name (all types): asked for every occurrence of every name, so summed once here
  const timesFound = new Map<string, number>();
  for (const m of base) timesFound.set(m.text, (timesFound.get(m.text) ?? 0) + 1);
  const count = (s: string) => timesFound.get(s) ?? 0;
  // an occurrence found by linking is as sure as the surest mention of its name (of the full name, for a short form)
  const confidence = new Map<string, number>();
  for (const m of base) if (m.confidence !== undefined && m.confidence > (confidence.get(m.text) ?? -1)) confidence.set(m.text, m.confidence);
  const forms: { form: string; type: EntityType; alias?: boolean; confidence?: number }[] = [];
  for (const n of names) {
    const t = majority(n)!;
    if (isStop(n) || n.length < 2) continue;
    forms.push({ form: n, type: t, confidence: confidence.get(n) });
  }
  for (const [short, full] of canonical) if (!genericAliases.has(short)) forms.push({ form: short, type: majority(full)!, alias: true, confidence: confidence.get(full) });
  forms.sort((a, b) => b.form.length - a.form.length);
  // a noun-like word ends right before i (the organisation head word at i is modified: 维稳 | 指挥部)
  const modifiedHead = (i: number) => {
    const prev = tokens.find((t) => t.end === i);
    if (!prev) return i > 0 && /[\u4e00-\u9fff]/.test(text[i - 1]);
    if (!/[\u4e00-\u9fff]$/.test(prev.word)) return false;
    return !/^(c|p|u|r|d|m|q|t)/.test(prev.tag) && !/^[及和与同]$/.test(prev.word);
  };
  let tokenAt: Int32Array | undefined;
  /** the token that starts at s, or undefined */
  const tokenFrom = (s: number): Token | undefined => {
    if (!tokenAt) {
      tokenAt = new Int32Array(text.length + 1).fill(-1);
      tokens.forEach((t, k) => { tokenAt![t.start] = k; });
    }
    return tokenAt[s] >= 0 ? tokens[tokenAt[s]] : undefined;
  };
  const commonWordAt = (s: number, e: number) => { const t = tokenFrom(s); return t !== undefined && t.end === e && !NAME_TAG.test(t.tag); };
  const ownNameChar = (s: number) => { const t = tokenFrom(s); return t !== undefined && t.end - t.start === 1 && !FUNCTION_CHAR_TAG.test(t.tag); };
  // Whether the occurrence [s, e) of a name may be a mention of it: a person the model found more than once,
  // an occurrence on jieba's word boundaries, or a name of three characters or more (or a person) that cuts
  // no dictionary word.
  const mayBeMention = (form: string, type: EntityType, s: number, e: number) =>
    (type === 'PER' && count(form) >= 2) || isAligned(s, e) || ((form.length >= 3 || type === 'PER') && !splitsWord(s, e));
  // An organisation's head word right after a noun-like word names another organisation (维稳指挥部).
  const namesAnotherOrganisation = (form: string, s: number) => headAliases.has(form) && modifiedHead(s);
  // A name the model found once, or a two-character place or organisation, is not looked for where jieba
  // reads the occurrence as one common word (公司, 组织, 贺辞); a linked short form is.
  const readAsCommonWord = (form: string, type: EntityType, alias: boolean | undefined, s: number, e: number) =>
    !alias && (count(form) < 2 || (form.length === 2 && type !== 'PER')) && commonWordAt(s, e);
  // A person mention one character longer than the name, at the same start, where jieba does not read that
  // last character as a word of its own that may end a name (张浩 | 受命, 骆惠宁率 as one unknown word, 骆惠 | 宁都,
  // 骆惠宁 | 都 → the shorter name; 李鹏 | 飞 stays).
  const personOneCharTooLong = (m: Mention, type: EntityType, s: number, e: number) =>
    m.type === 'PER' && type === 'PER' && m.start === s && m.end === e + 1 && !ownNameChar(e);
  // Whether mention m, which overlaps the occurrence [s, e) of form, gives way to it (`alone`: m is the only
  // mention it overlaps).
  const givesWay = (m: Mention, form: string, type: EntityType, s: number, e: number, alone: boolean): boolean => {
    if (m.text === form) return false;
    // one shorter guess inside the name (陈 ⊂ 陈全国); two names side by side (中 + 日 in 中日关系) stay two
    const shorterGuessInside = m.start >= s && m.end <= e && m.end - m.start < form.length && alone && count(form) >= count(m.text);
    if (shorterGuessInside) return true;
    // a name inside a longer one stays inside it (致公党 in 中国致公党第十一次全国代表大会), but for a person read
    // one character too long
    if (m.start <= s && e <= m.end && !personOneCharTooLong(m, type, s, e)) return false;
    // a name found several times wins over a one-off, shorter or overlapping guess
    return (m.end - m.start < form.length || count(m.text) < count(form)) && count(m.text) <= 1 && count(form) >= 2;
  };
  for (const { form, type, alias, confidence: sure } of forms) {
    const found = (i: number, e: number): Mention => (sure === undefined ? { start: i, end: e, type, text: form } : { start: i, end: e, type, text: form, confidence: sure });
    for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + form.length)) {
      const e = i + form.length;
      if (mentions.some((m) => m.start === i && m.end === e)) continue; // already a mention
      if (!mayBeMention(form, type, i, e) || namesAnotherOrganisation(form, i) || readAsCommonWord(form, type, alias, i, e)) continue;
      const overlapping = mentions.filter((m) => m.start < e && i < m.end);
      if (!overlapping.length) mentions.push(found(i, e));
      else if (overlapping.every((m) => givesWay(m, form, type, i, e, overlapping.length === 1))) {
        mentions = mentions.filter((m) => !overlapping.includes(m));
        mentions.push(found(i, e));
      }
    }
  }
  mentions.sort((a, b) => a.start - b.start);
  return { mentions, canonical, majority };
}

/**
 * The entities of a text from its tagged mentions and tokens: linked (linkMentions), grouped by canonical
 * name and majority type, with the roles written before or after each person. `isStop` says which surface
 * forms the user's stop list removes (they are neither looked for nor linked).
 */
export function analyseDocument(text: string, tagged: Tagged, isStop: (s: string) => boolean = () => false): Entity[] {
  const g = gazetteer();
  const { mentions: base, tokens } = tagged;
  const { mentions, canonical, majority } = linkMentions(text, base, tokens, isStop);

  // 4. group into entities
  const entities = new Map<string, Entity>();
  for (const m of mentions) {
    const name = canonical.get(m.text) ?? m.text;
    const type = majority(name) ?? m.type;
    const key = `${type}\u0000${name}`;
    let ent = entities.get(key);
    if (!ent) { ent = { name, type, aliases: [], roles: [], mentions: [] }; entities.set(key, ent); }
    const mm: Mention = m.type === type ? m : { ...m, type };
    ent.mentions.push(mm);
    if (m.text !== name && !ent.aliases.includes(m.text)) ent.aliases.push(m.text);
  }

  // 5. roles: titles written just before a person (chains joined by 、), or a title right after the name
  const locOrg = mentions.filter((m) => m.type !== 'PER');
  const perEnds = mentions.filter((m) => m.type === 'PER').map((m) => m.end);
  const tokenAt = (pos: number) => tokens.find((t) => t.start <= pos && pos < t.end);
  for (const ent of entities.values()) {
    if (ent.type !== 'PER') continue;
    for (const m of ent.mentions) {
      for (const r of rolesBefore(text, m.start, tokens, locOrg, perEnds, g.titles, g.maxTitleLen)) if (!ent.roles.includes(r)) ent.roles.push(r);
      const after = tokenAt(m.end);
      if (after && after.start === m.end && g.titles.has(after.word) && !NOT_ROLES_AFTER.has(after.word) && !ent.roles.includes(after.word)) ent.roles.push(after.word);
    }
  }
  return [...entities.values()].sort((a, b) => a.mentions[0].start - b.mentions[0].start);
}

/** Title chain immediately before a person mention: 中共中央政治局委员、新疆维吾尔自治区党委书记 → both. */
export function rolesBefore(text: string, start: number, tokens: Token[], locOrg: Mention[], perEnds: number[], titles: Set<string>, maxTitleLen: number): string[] {
  // the stretch back to punctuation, a line start or the previous person
  let b = start;
  while (b > 0 && !ROLE_BOUNDARY.test(text[b - 1]) && !perEnds.includes(b)) b--;
  const span = text.slice(b, start);
  if (!span) return [];
  const roles: string[] = [];
  let partEnd = start;
  const parts = span.split('、');
  for (let k = parts.length - 1; k >= 0; k--) {
    const part = parts[k];
    const partStart = partEnd - part.length;
    if (!part || !endsWithTitle(part, titles, maxTitleLen)) break;
    // walk back over tokens that can belong to a role
    let roleStart = partEnd;
    const inside = tokens.filter((t) => t.end > partStart && t.start < partEnd).sort((x, y) => y.start - x.start);
    for (const t of inside) {
      const inName = locOrg.some((m) => m.start <= Math.max(t.start, partStart) && Math.min(t.end, partEnd) <= m.end);
      const w = t.word;
      let titleish = false;
      for (let L = Math.min(maxTitleLen, w.length); L >= 1 && !titleish; L--) for (let s = 0; s + L <= w.length; s++) if (titles.has(w.substr(s, L))) { titleish = true; break; }
      const ok = inName || titleish || ROLE_MODIFIERS.has(w) || ROLE_TAGS.has(t.tag);
      if (!ok) break;
      roleStart = Math.max(t.start, partStart);
      if (t.start < partStart) break;
    }
    if (roleStart >= partEnd) break;
    const role = text.slice(roleStart, partEnd);
    if (endsWithTitle(role, titles, maxTitleLen)) roles.unshift(role);
    if (roleStart > partStart) break; // the chain stops where the role material stops
    partEnd = partStart - 1; // skip the 、
  }
  return roles;
}
