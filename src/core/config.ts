/**
 * Per-folder and per-file rule configuration, shared by the CLI and the extension: a `.corpus-lens.json`
 * in a folder applies to every article below it (the nearest file wins, key by key), like
 * `.markdownlint.json`. `overrides` switch rules for some files by glob, relative to the config's folder:
 *
 *   { "rules": { "paragraph-indent": "off", "dateline-future": "error" },
 *     "startYear": 2000,
 *     "overrides": [ { "files": ["raw/**", "003_*.txt"], "rules": { "halfwidth-punctuation": "off" } } ] }
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { RULE_CODES, RuleOptions, SeveritySetting } from './rules';

export const CONFIG_FILE = '.corpus-lens.json';
const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export interface FolderConfig {
  rules?: Record<string, SeveritySetting>;
  startYear?: number;
  overrides?: { files: string[]; rules: Record<string, SeveritySetting> }[];
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
      if (typeof sev !== 'string' || !SEVERITIES.has(sev)) { problems.push({ file, message: `${where}.${code}: "${String(sev)}" is not one of error, warning, information, hint, off` }); continue; }
      out[code] = sev as SeveritySetting;
    }
    return out;
  };
  if (r.rules !== undefined) cfg.rules = rules(r.rules, 'rules');
  if (r.startYear !== undefined) {
    if (typeof r.startYear === 'number' && Number.isInteger(r.startYear)) cfg.startYear = r.startYear;
    else problems.push({ file, message: 'startYear: expected a whole number' });
  }
  if (r.overrides !== undefined) {
    if (!Array.isArray(r.overrides)) problems.push({ file, message: 'overrides: expected an array' });
    else {
      cfg.overrides = [];
      r.overrides.forEach((o, i) => {
        const files = (o as { files?: unknown })?.files;
        const globs = typeof files === 'string' ? [files] : Array.isArray(files) && files.every((f) => typeof f === 'string') ? files as string[] : undefined;
        if (!globs) { problems.push({ file, message: `overrides[${i}].files: expected a glob or an array of globs` }); return; }
        cfg.overrides!.push({ files: globs, rules: rules((o as { rules?: unknown }).rules, `overrides[${i}].rules`) });
      });
    }
  }
  return cfg;
}

export interface ConfigReader {
  /** file contents, or undefined when there is no such file */
  read(file: string): string | undefined;
}

/**
 * The rule options for one article: `base` (settings, CLI flags) under the config files found from the
 * file's folder up to `root` (or the file system root), the nearest last.
 */
export function resolveRuleOptions(filePath: string, base: RuleOptions, reader: ConfigReader, root?: string, problems: ConfigProblem[] = []): RuleOptions {
  const dirs: string[] = [];
  let dir = path.dirname(path.resolve(filePath));
  const stop = root ? path.resolve(root) : undefined;
  for (;;) {
    dirs.push(dir);
    if (stop && dir === stop) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const severities: Partial<Record<string, SeveritySetting>> = { ...(base.severities ?? {}) };
  let startYear = base.startYear;
  for (const d of dirs.reverse()) {
    const file = path.join(d, CONFIG_FILE);
    const text = reader.read(file);
    if (text === undefined) continue;
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch (e) { problems.push({ file, message: `not valid JSON: ${(e as Error).message}` }); continue; }
    const cfg = validateConfig(parsed, file, problems);
    Object.assign(severities, cfg.rules ?? {});
    if (cfg.startYear !== undefined) startYear = cfg.startYear;
    const rel = path.relative(d, path.resolve(filePath)).split(path.sep).join('/');
    for (const o of cfg.overrides ?? []) {
      if (picomatch.isMatch(rel, o.files, { dot: true, matchBase: !o.files.some((g) => g.includes('/')) })) Object.assign(severities, o.rules);
    }
  }
  return { ...base, severities, startYear };
}
