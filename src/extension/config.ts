/** Typed access to the corpusLens.* settings; names, types and defaults come from core/settings.ts (the manifest is generated from it). */
import * as vscode from 'vscode';
import type { RuleOptions } from '../core/rules';
import { SECTION, SettingKey, SETTINGS, SettingValue } from '../core/settings';

/** Each field of the typed config and the setting it reads. */
const FIELDS = {
  autoDetect: 'autoDetect',
  files: 'files',
  rules: 'rules',
  startYear: 'dateline.startYear',
  datelineSeparator: 'dateline.separator',
  maxFileSizeMB: 'maxFileSizeMB',
  segmenter: 'segmenter',
  model: 'model',
  highlightEntities: 'highlightEntities',
  indexExclude: 'index.exclude',
  indexHelperThread: 'index.helperThread',
  problemsScope: 'problems.scope',
  confidenceThreshold: 'entities.confidenceThreshold',
} as const satisfies Record<string, SettingKey>;

export type CorpusLensConfig = { -readonly [F in keyof typeof FIELDS]: SettingValue<(typeof FIELDS)[F]> };

// every setting of the table is read (a compile error names the one that is not)
const everySettingRead: Record<Exclude<SettingKey, (typeof FIELDS)[keyof typeof FIELDS]>, never> = {};
void everySettingRead;

/**
 * The settings as they apply to `scope` (a file or folder; none: the workspace's). Each is read at its own scope: a
 * resource's setting for the resource or for any (null), a window's setting without one. VS Code's extension host
 * logs a warning at every other read (24,000 lines in one run of the real-VS-Code tests).
 */
export function getConfig(scope?: vscode.ConfigurationScope): CorpusLensConfig {
  const ofResource = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const ofWindow = scope ? vscode.workspace.getConfiguration(SECTION, null) : ofResource;
  const read = <K extends SettingKey>(key: K): SettingValue<K> =>
    (SETTINGS[key].scope === 'window' ? ofWindow : ofResource).get(key, SETTINGS[key].default as SettingValue<K>);
  return Object.fromEntries(Object.entries(FIELDS).map(([field, key]) => [field, read(key)])) as CorpusLensConfig;
}

export function ruleOptions(cfg: CorpusLensConfig): RuleOptions {
  return { severities: cfg.rules, startYear: cfg.startYear, separator: cfg.datelineSeparator === 'nbsp' ? ' \u00a0' : '  ' };
}
