/**
 * Per-folder and per-file rule configuration, shared by the CLI and the extension: a `.corpus-lens.json`
 * in a folder applies to every article below it (the nearest file wins, key by key), like
 * `.markdownlint.json`. `overrides` switch rules for some files by glob, relative to the config's folder:
 *
 *   { "rules": { "paragraph-indent": "off", "dateline-future": "error" },
 *     "startYear": 2000, "punctuation": "halfwidth",
 *     "overrides": [ { "files": ["raw/**", "003_*.txt"], "rules": { "halfwidth-punctuation": "off" } } ] }
 *
 * A config is something the workspace ships, so nothing in it may block the extension host or the CLI: a file is read
 * (at most MAX_CONFIG_BYTES), parsed, validated and its globs compiled once per version of it (ConfigCache), and the
 * globs are matched in bounded time (core/glob).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsPath, readFileBounded } from './files';
import { compileGlob, GlobMatcher } from './glob';
import { PUNCTUATION_CONVENTIONS, PunctuationConvention, RULE_CODES, RuleOptions, SeveritySetting } from './rules';
import { SEVERITY_SETTINGS } from './settings';

export const CONFIG_FILE = '.corpus-lens.json';
/** a config file larger than this is a problem, not parsed */
export const MAX_CONFIG_BYTES = 1 << 20;
const SEVERITIES = new Set<string>(SEVERITY_SETTINGS);

export interface FolderConfig {
  rules?: Record<string, SeveritySetting>;
  startYear?: number;
  /** which punctuation between Chinese characters halfwidth-punctuation flags (rules' PunctuationConvention) */
  punctuation?: PunctuationConvention;
  /** `match`: the compiled globs of `files` (those that compiled) */
  overrides?: { files: string[]; rules: Record<string, SeveritySetting>; match: GlobMatcher }[];
}

export interface ConfigProblem { file: string; message: string }

/** Validates a parsed config; unknown rules and bad severities are reported, the rest still applies. */
export function validateConfig(raw: unknown, file: string, problems: ConfigProblem[]): FolderConfig {
  const cfg: FolderConfig = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ file, message: 'expected a JSON object' });
    return cfg;
  }
  const r = raw as Record<string, unknown>;
  const rules = (v: unknown, where: string): Record<string, SeveritySetting> => {
    const out: Record<string, SeveritySetting> = {};
    if (!v || typeof v !== 'object') { problems.push({ file, message: `${where}: expected an object of rule code to severity` }); return out; }
    for (const [code, sev] of Object.entries(v as Record<string, unknown>)) {
      if (!(RULE_CODES as string[]).includes(code)) { problems.push({ file, message: `${where}: unknown rule "${code}" (known: ${RULE_CODES.join(', ')})` }); continue; }
      if (typeof sev !== 'string' || !SEVERITIES.has(sev)) { problems.push({ file, message: `${where}.${code}: "${String(sev)}" is not one of ${SEVERITY_SETTINGS.join(', ')}` }); continue; }
      out[code] = sev as SeveritySetting;
    }
    return out;
  };
  if (r.rules !== undefined) cfg.rules = rules(r.rules, 'rules');
  if (r.startYear !== undefined) {
    if (typeof r.startYear === 'number' && Number.isInteger(r.startYear)) cfg.startYear = r.startYear;
    else problems.push({ file, message: 'startYear: expected a whole number' });
  }
  if (r.punctuation !== undefined) {
    if (typeof r.punctuation === 'string' && (PUNCTUATION_CONVENTIONS as readonly string[]).includes(r.punctuation)) cfg.punctuation = r.punctuation as PunctuationConvention;
    else problems.push({ file, message: `punctuation: "${String(r.punctuation)}" is not one of ${PUNCTUATION_CONVENTIONS.join(', ')}` });
  }
  if (r.overrides !== undefined) {
    if (!Array.isArray(r.overrides)) problems.push({ file, message: 'overrides: expected an array' });
    else {
      cfg.overrides = [];
      r.overrides.forEach((o, i) => {
        const files = (o as { files?: unknown })?.files;
        const globs = typeof files === 'string' ? [files] : Array.isArray(files) && files.every((f) => typeof f === 'string') ? files as string[] : undefined;
        if (!globs) { problems.push({ file, message: `overrides[${i}].files: expected a glob or an array of globs` }); return; }
        // globs without a slash match the file's name, as .gitignore's do; with one, its path from the config's folder
        const matchBase = !globs.some((g) => g.includes('/'));
        const matchers: GlobMatcher[] = [];
        globs.forEach((g, k) => {
          const c = compileGlob(g);
          if (c.ok) matchers.push(c.match); else problems.push({ file, message: `overrides[${i}].files[${k}]: ${c.message} (glob ignored)` });
        });
        const match = (rel: string) => { const p = matchBase ? rel.slice(rel.lastIndexOf('/') + 1) : rel; return matchers.some((m) => m(p)); };
        cfg.overrides!.push({ files: globs, rules: rules((o as { rules?: unknown }).rules, `overrides[${i}].rules`), match });
      });
    }
  }
  return cfg;
}

/**
 * The config files met so far, each read, parsed, validated and compiled once per version (its device, inode, size,
 * modification and change times): the extension reads a folder's config once per change rather than on every edit
 * of an article. Problems are told once per version of a file, through `onProblems`.
 * `{ run: true }` is one run over files that do not change meanwhile (the CLI's `check`): each folder's config is
 * looked up once in the run, and the configs that apply in a folder are remembered by folder (its parent's, then its
 * own), so 10,000 articles five folders deep cost one look-up per folder rather than five per article.
 */
export class ConfigCache {
  private readonly entries = new Map<string, { stamp: string; config: FolderConfig | undefined }>();
  /** { run: true }: the configs that apply in a folder, farthest first, by `${root}\0${folder}` */
  private readonly chains: Map<string, { dir: string; config: FolderConfig }[]> | undefined;

  constructor(private readonly onProblems: (problems: ConfigProblem[]) => void = () => undefined, opts: { run?: boolean } = {}) {
    if (opts.run) this.chains = new Map();
  }

  /** The config in this file, or undefined when there is none (or it cannot be used: then a problem says why). */
  load(file: string): FolderConfig | undefined {
    const st = statOrUndefined(file);
    const stamp = st ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : '';
    const hit = this.entries.get(file);
    if (hit && hit.stamp === stamp) return hit.config;
    const problems: ConfigProblem[] = [];
    const config = st ? parseConfigFile(file, problems) : undefined;
    this.entries.set(file, { stamp, config });
    if (problems.length) this.onProblems(problems);
    return config;
  }

  /** The configs that apply in folder `dir` (absolute), from `stop` (or the file system root) down to `dir`. */
  chain(dir: string, stop?: string): { dir: string; config: FolderConfig }[] {
    const key = `${stop ?? ''}\0${dir}`;
    const known = this.chains?.get(key);
    if (known) return known;
    const up = path.dirname(dir);
    const above = (stop !== undefined && dir === stop) || up === dir ? [] : this.chain(up, stop);
    const own = this.load(path.join(dir, CONFIG_FILE));
    const chain = own ? [...above, { dir, config: own }] : above;
    this.chains?.set(key, chain);
    return chain;
  }
}

function statOrUndefined(file: string): fs.BigIntStats | undefined {
  try { return fs.statSync(fsPath(file), { bigint: true, throwIfNoEntry: false }); } catch { return undefined; } // (a folder we may not look into: no config)
}

function parseConfigFile(file: string, problems: ConfigProblem[]): FolderConfig | undefined {
  const read = readFileBounded(file, MAX_CONFIG_BYTES);
  if (!read.ok) {
    problems.push({ file, message: read.reason === 'too-large' ? `${((read.size ?? 0) / 1048576).toFixed(1)} MB is over the ${MAX_CONFIG_BYTES / 1048576} MB limit for a config file; ignored` : `${read.message}; ignored` });
    return undefined;
  }
  let parsed: unknown;
  try { parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes)); } catch (e) {
    problems.push({ file, message: e instanceof SyntaxError ? `not valid JSON: ${e.message}` : 'not valid UTF-8; ignored' });
    return undefined;
  }
  return validateConfig(parsed, file, problems);
}

/**
 * The rule options for one article: `base` (settings, CLI flags) under the config files found from the
 * file's folder up to `root` (or the file system root), the nearest last.
 */
export function resolveRuleOptions(filePath: string, base: RuleOptions, configs: ConfigCache, root?: string): RuleOptions {
  const severities: Partial<Record<string, SeveritySetting>> = { ...(base.severities ?? {}) };
  let startYear = base.startYear, punctuation = base.punctuation;
  for (const { dir: d, config: cfg } of configs.chain(path.dirname(path.resolve(filePath)), root ? path.resolve(root) : undefined)) {
    Object.assign(severities, cfg.rules ?? {});
    if (cfg.startYear !== undefined) startYear = cfg.startYear;
    if (cfg.punctuation !== undefined) punctuation = cfg.punctuation;
    const rel = path.relative(d, path.resolve(filePath)).split(path.sep).join('/');
    for (const o of cfg.overrides ?? []) if (o.match(rel)) Object.assign(severities, o.rules);
  }
  return { ...base, severities, startYear, punctuation };
}
