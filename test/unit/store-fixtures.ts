/**
 * Generated articles with analyses that fit their text (every mention's text stands at its offsets), for the store's
 * tests: several types per name, aliases and roles, confidences (some absent), dated and undated articles, numbered
 * files in folders. Seeded: the same seed gives the same corpus. Fictional names only.
 */
import * as path from 'node:path';
import type { DocumentAnalysis, DocumentEntity } from '../../src/core/analysis';
import { datelineValue } from '../../src/core/dateline';
import type { EntityType } from '../../src/core/ner/types';
import { CorpusIndex } from '../../src/core/corpusIndex';
import { LineIndex } from '../../src/core/text';
import type { CorpusQueries } from '../../src/core/corpusQueries';
import { certainSummaries, consistencyFindings, corpusDatelineRange, corpusNames, datelineOrderBreaks, type CorpusDatelines } from '../../src/core/consistency';
import { surveyPunctuation } from '../../src/core/conventions';
import { isUncertain } from '../../src/core/mentionConfidence';
import { readCorpusFile } from '../../src/core/files';
import type { CorpusStore } from '../../src/core/store/corpusStore';

export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES: [string, EntityType][] = [
  ['周国平', 'PER'], ['李明华', 'PER'], ['王晓东', 'PER'], ['陈志强', 'PER'], ['晋北市', 'LOC'], ['华阳县', 'LOC'],
  ['东川省', 'LOC'], ['华晋能源集团', 'ORG'], ['东川大学', 'ORG'], ['晋北', 'LOC'], ['华阳', 'ORG'],
];
const CONFIDENCES = [undefined, 0.2, 0.55, 0.8, 0.95];

export interface Generated { file: string; text: string; analysis: DocumentAnalysis }

/** Article `i` of a corpus under `dir` (variant: another text for the same file, an edit). */
export function generateArticle(dir: string, i: number, seed: number, variant = 0): Generated {
  const r = rng(seed * 7919 + i * 31 + variant * 104729);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const folder = i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c';
  const file = path.join(dir, folder, `${String(i).padStart(3, '0')}_x.txt`);
  const year = r() < 0.9 ? 2018 : 2009 + Math.floor(r() * 3);
  const month = 1 + Math.floor(r() * 12), day = 1 + Math.floor(r() * 28);
  const dateline = r() < 0.85 ? `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}  0${Math.floor(r() * 9)}:24` : null;
  const used: [string, EntityType][] = [];
  let body = '';
  for (let s = 0; s < 2 + Math.floor(r() * 4); s++) {
    const a = pick(NAMES), b = pick(NAMES);
    used.push(a, b);
    body += `  ${a[0]}在${b[0]}主持会议${r() < 0.5 ? '，' : ','}强调要做好工作。\n`;
  }
  const title = `会议纪要${i}`;
  const text = `${title}\n\n${dateline ?? '无日期'}\n\n${body}`;
  const lines = new LineIndex(text);
  const entities: DocumentEntity[] = [];
  const seen = new Set<string>();
  for (const [name, type0] of used) {
    if (seen.has(name)) continue;
    seen.add(name);
    // now and then a name takes another type in one article (the consistency findings' conflicts)
    const type: EntityType = r() < 0.1 ? (type0 === 'PER' ? 'ORG' : 'PER') : type0;
    const mentions = [];
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      // a shorter name inside a longer one is not its own mention (晋北 in 晋北市)
      if (NAMES.some(([n]) => n.length > name.length && n.includes(name) && text.startsWith(n, at - n.indexOf(name)))) continue;
      const p = lines.positionAt(at);
      const c = pick(CONFIDENCES);
      mentions.push({ start: at, end: at + name.length, text: name, line: p.line, character: p.character, ...(c !== undefined && { confidence: c }) });
    }
    if (!mentions.length) continue;
    entities.push({ name, type, aliases: r() < 0.3 ? [`${name.slice(0, 1)}某${variant || ''}`] : [], roles: r() < 0.3 ? [pick(['书记', '市长', '校长'])] : [], mentions });
  }
  const analysis: DocumentAnalysis = {
    path: file, title, dateline, date: dateline ? datelineValue(dateline)?.iso ?? null : null, entities,
    punctuation: { half: Math.floor(r() * 3), full: Math.floor(r() * 3) },
  };
  return { file, text, analysis };
}

/**
 * CorpusQueries over CorpusIndex, the oracle: what the extension computed on the host before the store (the
 * entities panel, hover, timeline, concordance, consistency and conventions code, query by query).
 */
export function oracle(index: CorpusIndex, maxBytes = 1 << 24): CorpusQueries {
  const docs = () => index.files().map((f) => index.get(f)!);
  const fromDisk = (texts?: Record<string, string>) => (file: string) => {
    if (texts?.[file] !== undefined) return texts[file];
    const read = readCorpusFile(file, maxBytes);
    return read.ok ? read.text : undefined;
  };
  return {
    totals: async () => {
      const all = [...index.entities().values()];
      return { articles: index.size, entities: all.length, mentions: all.reduce((n, e) => n + e.mentions, 0) };
    },
    articles: async () => docs().map((d) => ({ file: d.file, hash: d.hash, dateline: d.analysis.dateline, date: d.analysis.date })).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    analysis: async (file) => index.get(file)?.analysis,
    entities: async () => [...index.entities().values()],
    entity: async (key) => index.entities().get(key),
    find: async (name, type) => index.find(name, type),
    timeline: async (key) => index.timeline(key),
    articlesPerMonth: async () => Object.fromEntries([...index.articlesPerMonth()].sort()),
    concordance: async (key, context, opts = {}) => index.concordance(key, fromDisk(opts.texts), context).slice(0, opts.limit ?? Infinity),
    uncertainCounts: async (threshold) => {
      const out: Record<string, number> = {};
      for (const d of docs()) {
        const n = d.analysis.entities.reduce((k, e) => k + e.mentions.filter((m) => isUncertain(m, threshold)).length, 0);
        if (n) out[d.file] = n;
      }
      return out;
    },
    consistency: async (text, entities, threshold) => consistencyFindings(text, entities, corpusNames(certainSummaries(docs().map((d) => d.analysis), threshold)), threshold),
    datelines: async () => {
      const dated = docs().map((d) => ({ file: d.file, date: d.analysis.date }));
      const range = corpusDatelineRange(dated.map((a) => a.date));
      const orderBreaks = Object.fromEntries(datelineOrderBreaks(dated));
      const outOfRange = range ? dated.filter((a) => a.date && (Number(a.date.slice(0, 4)) < range.from || Number(a.date.slice(0, 4)) > range.to)).map((a) => a.file).sort() : [];
      return range ? { range, orderBreaks, outOfRange } : { orderBreaks, outOfRange };
    },
    punctuation: async () => surveyPunctuation(docs().map((d) => d.analysis)),
  };
}

/** the datelines without the store's compute time (a timing, not an answer) */
function untimed(d: CorpusDatelines): CorpusDatelines { const { computeMs: _ms, ...rest } = d; return rest; }

/** Every CorpusQueries question, asked of one implementation, with the arguments the tests vary over. */
export async function answers(q: CorpusQueries, probe: Generated[]) {
  const entities = await q.entities();
  const keys = entities.map((e) => e.key).sort();
  const byKey = Object.fromEntries(entities.map((e) => [e.key, e]));
  const perEntity: Record<string, unknown> = {};
  for (const key of keys) {
    perEntity[key] = {
      entity: await q.entity(key),
      timeline: await q.timeline(key),
      concordance: await q.concordance(key, 6),
      sentence: await q.concordance(key, { width: 10, bound: 'sentence' }, { limit: 3 }),
    };
  }
  const names = [...new Set(entities.flatMap((e) => [e.name, ...e.aliases])), '无此名'];
  const found: Record<string, unknown> = {};
  for (const n of names) for (const t of [undefined, 'PER', 'LOC', 'ORG'] as const) found[`${n}/${t}`] = (await q.find(n, t))?.key;
  const consistency: Record<string, unknown> = {};
  for (const g of probe) for (const th of [0, 0.5, 0.9]) consistency[`${g.file}@${th}`] = await q.consistency(g.text, g.analysis.entities, th);
  return {
    totals: await q.totals(), articles: await q.articles(), byKey, perEntity, found, consistency,
    analyses: await Promise.all((await q.articles()).map((a) => q.analysis(a.file))), missing: await q.analysis('/nowhere.txt'),
    perMonth: await q.articlesPerMonth(), uncertain: [await q.uncertainCounts(0.5), await q.uncertainCounts(0.9)],
    datelines: untimed(await q.datelines()), punctuation: await q.punctuation(),
  };
}

/** The store as CorpusQueries (the worker's client does the same over the wire). */
export const asQueries = (s: CorpusStore): CorpusQueries => ({
  totals: async () => s.totals(), articles: async () => s.articles(), analysis: async (f) => s.analysis(f), entities: async () => s.entities(),
  entity: async (k) => s.entity(k), find: async (n, t) => s.find(n, t), timeline: async (k) => s.timeline(k), articlesPerMonth: async () => s.articlesPerMonth(),
  concordance: async (k, c, o) => s.concordance(k, c, o), uncertainCounts: async (t) => s.uncertainCounts(t),
  consistency: async (t, e, th) => s.consistency(t, e, th), datelines: async () => s.datelines(), punctuation: async () => s.punctuation(),
});

