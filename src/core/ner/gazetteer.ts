/**
 * Gazetteer: a code-point trie over the resource lists (divisions, countries, surnames, organisation
 * suffixes, titles). Used for tagger features and for the document layer.
 */
import divisionsJson from './resources/divisions.json';
import surnamesJson from './resources/surnames.json';
import orgJson from './resources/org-suffixes.json';
import titlesJson from './resources/titles.json';
import ethnicJson from './resources/ethnic-groups.json';
import abbrevJson from './resources/abbreviations.json';
import { IntPairTable } from './intPairTable';
import { markCover } from './cover';

export const enum Kind {
  Province = 0, ProvinceShort, City, CityShort, County, CountyShort, Country, OrgSuffix, Title, Surname, Ethnic, KnownOrg, Abbrev,
}
export const KIND_COUNT = 13;

interface DivisionRec { name: string; level: 'province' | 'city' | 'county' | 'country'; short: string[] }

export class Trie {
  private children: Map<number, number>[] = [new Map()];
  flags: number[] = [0];
  add(word: string, kind: number): void {
    let node = 0;
    for (const ch of word) {
      const c = ch.codePointAt(0)!;
      let next = this.children[node].get(c);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        this.flags.push(0);
        this.children[node].set(c, next);
        this.dirty = true;
      }
      node = next;
    }
    this.flags[node] |= 1 << kind;
  }
  /** root children for BMP code points, as a flat array (the hot path: most characters start nothing) */
  private root = new Int32Array(0x10000).fill(-1);
  /** every edge (node, code point) → child, built on first use after add() */
  private edges = new IntPairTable(0, []);
  private dirty = true;
  private build(): void {
    this.root.fill(-1);
    for (const [k, v] of this.children[0]) if (k < 0x10000) this.root[k] = v;
    const children = this.children;
    this.edges = new IntPairTable(children.reduce((n, m) => n + m.size, 0), (function* () {
      for (let node = 0; node < children.length; node++) for (const [c, next] of children[node]) yield [node, c, next] as const;
    })());
    this.dirty = false;
  }
  /** The kinds (bits of Kind) of the entry that is exactly `word`, 0 when there is none. */
  flagsOf(word: string): number {
    let node = 0;
    for (const ch of word) { node = this.child(node, ch.codePointAt(0)!); if (node < 0) return 0; }
    return this.flags[node];
  }
  child(node: number, c: number): number {
    if (this.dirty) this.build();
    if (node === 0 && c < 0x10000) return this.root[c];
    return this.edges.get(node, c, -1);
  }
}

/** The kinds of a division or a country (full or short form). */
export const PLACE_KINDS = (1 << Kind.Province) | (1 << Kind.ProvinceShort) | (1 << Kind.City) | (1 << Kind.CityShort) |
  (1 << Kind.County) | (1 << Kind.CountyShort) | (1 << Kind.Country);

export interface Gazetteer {
  trie: Trie;
  /** full division name → short forms (山西省 → [山西]) */
  shortForms: Map<string, string[]>;
  /** short form → full names */
  fullForms: Map<string, string[]>;
  divisionNames: Set<string>;
  surnames: Set<string>;
  orgSuffixes: string[];
  /** the organisation suffixes of two characters or more, and their greatest length (head words of names) */
  longOrgSuffixes: Set<string>;
  maxOrgSuffixLen: number;
  /** heads that alone are common nouns (中学, 医院) */
  genericOrgHeads: Set<string>;
  titles: Set<string>;
  maxTitleLen: number;
  ethnicGroups: Set<string>;
  /** the most frequent single-character surnames (the list is written in order of frequency) */
  commonSurnames: Set<string>;
  /** well-known organisations written without a suffix (联合国, 欧盟, 东盟) */
  knownOrganisations: Set<string>;
  /** one-character abbreviations of countries and Chinese provinces (中, 美, 京, 沪) */
  abbreviations: Set<string>;
  /** those of countries only (中, 美, 加) */
  countryAbbreviations: Set<string>;
  /** two-character words of an abbreviation and a noun for its people, merchants, capital or army (港人, 台商, 美军) */
  abbreviationCompounds: { suffixes: Set<string>; prefixes: Set<string>; not: Set<string> };
}

/** How many of the most frequent surnames count as common (王, 李, 张 … about 1 in 1,000 people and more). */
const COMMON_SURNAMES = 120;

/**
 * The length of the longest listed organisation suffix of two characters or more that ends s and is at most
 * maxLen long (兵团 of 新疆生产建设兵团), 0 when there is none: looked up by length, not by a walk over the list.
 */
export function orgSuffixLength(g: Gazetteer, s: string, maxLen = s.length): number {
  for (let L = Math.min(g.maxOrgSuffixLen, maxLen); L >= 2; L--) if (g.longOrgSuffixes.has(s.slice(s.length - L))) return L;
  return 0;
}

let cached: Gazetteer | undefined;

export function gazetteer(): Gazetteer {
  if (cached) return cached;
  const trie = new Trie();
  const shortForms = new Map<string, string[]>();
  const fullForms = new Map<string, string[]>();
  const divisionNames = new Set<string>();
  const levelKind: Record<string, [number, number]> = {
    province: [Kind.Province, Kind.ProvinceShort], city: [Kind.City, Kind.CityShort],
    county: [Kind.County, Kind.CountyShort], country: [Kind.Country, Kind.Country],
  };
  for (const d of (divisionsJson as { divisions: DivisionRec[] }).divisions) {
    const [fk, sk] = levelKind[d.level];
    trie.add(d.name, fk);
    divisionNames.add(d.name);
    shortForms.set(d.name, d.short);
    for (const s of d.short) {
      trie.add(s, sk);
      const l = fullForms.get(s) ?? [];
      l.push(d.name);
      fullForms.set(s, l);
    }
  }
  const surnames = new Set<string>((surnamesJson as { surnames: string[] }).surnames);
  for (const s of surnames) trie.add(s, Kind.Surname);
  const orgData = orgJson as { suffixes: string[]; genericHeads: string[]; knownOrganisations: string[] };
  const orgSuffixes = orgData.suffixes;
  for (const s of orgSuffixes) trie.add(s, Kind.OrgSuffix);
  for (const s of orgData.knownOrganisations) trie.add(s, Kind.KnownOrg);
  const genericOrgHeads = new Set(orgData.genericHeads);
  const titles = new Set<string>((titlesJson as { titles: string[] }).titles);
  let maxTitleLen = 0;
  for (const s of titles) { trie.add(s, Kind.Title); maxTitleLen = Math.max(maxTitleLen, s.length); }
  const ethnicGroups = new Set<string>((ethnicJson as { ethnicGroups: string[] }).ethnicGroups);
  for (const s of ethnicGroups) trie.add(s, Kind.Ethnic);
  const ab = abbrevJson as { countries: string[]; regions: string[]; compounds: { suffixes: string[]; alsoPrefixes: string[]; notCompounds: string[] } };
  for (const s of [...ab.countries, ...ab.regions]) trie.add(s, Kind.Abbrev);
  const commonSurnames = new Set([...surnames].filter((x) => x.length === 1).slice(0, COMMON_SURNAMES));
  const knownOrganisations = new Set(orgData.knownOrganisations);
  const abbreviations = new Set([...ab.countries, ...ab.regions]);
  const countryAbbreviations = new Set(ab.countries);
  const abbreviationCompounds = {
    suffixes: new Set(ab.compounds.suffixes), prefixes: new Set([...abbreviations, ...ab.compounds.alsoPrefixes]), not: new Set(ab.compounds.notCompounds),
  };
  const longOrgSuffixes = new Set(orgSuffixes.filter((s) => s.length >= 2));
  const maxOrgSuffixLen = Math.max(0, ...[...longOrgSuffixes].map((s) => s.length));
  cached = {
    trie, shortForms, fullForms, divisionNames, surnames, orgSuffixes, longOrgSuffixes, maxOrgSuffixLen, genericOrgHeads, titles, maxTitleLen,
    ethnicGroups, commonSurnames, knownOrganisations, abbreviations, countryAbbreviations, abbreviationCompounds,
  };
  return cached;
}

/**
 * Per kind, forward-maximum-matching Cover labels for each code point, Aligned when the match coincides
 * with word boundaries (wordPos: the words' Cover labels). Result layout: labels[kind * n + i].
 */
const COVERED = new Int32Array(32), BEST = new Int32Array(32);
export function gazetteerLabels(cps: Int32Array, n: number, g: Gazetteer, wordPos?: Uint8Array, out?: Uint8Array): Uint8Array {
  const labels = out && out.length >= KIND_COUNT * n ? out : new Uint8Array(KIND_COUNT * n);
  labels.fill(0, 0, KIND_COUNT * n);
  const coveredUntil = COVERED.fill(0);
  // best[k] is read only for the kinds in `any`, each of which was written during the same walk: it needs
  // no clearing per character, and the loops visit set bits only (a character that starts an entry starts
  // one or two kinds of the 13)
  const best = BEST;
  const trie = g.trie;
  for (let i = 0; i < n; i++) {
    // most characters start no entry: test the root before anything else
    let node = trie.child(0, cps[i]);
    if (node < 0) continue;
    let any = 0;
    for (let j = i; j < n; j++) {
      if (j > i) node = trie.child(node, cps[j]);
      if (node < 0) break;
      const f = trie.flags[node];
      if (f) {
        any |= f;
        for (let bits = f; bits; bits &= bits - 1) best[31 - Math.clz32(bits & -bits)] = j + 1 - i;
      }
    }
    for (let bits = any; bits; bits &= bits - 1) {
      const k = 31 - Math.clz32(bits & -bits);
      const len = best[k];
      if (i < coveredUntil[k]) continue;
      markCover(labels, k * n + i, len, i, wordPos);
      coveredUntil[k] = i + len;
    }
  }
  return labels;
}
