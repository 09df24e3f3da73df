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

export function getConfig(scope?: vscode.ConfigurationScope): CorpusLensConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const read = <K extends SettingKey>(key: K): SettingValue<K> => c.get(key, SETTINGS[key].default as SettingValue<K>);
  return Object.fromEntries(Object.entries(FIELDS).map(([field, key]) => [field, read(key)])) as CorpusLensConfig;
}

export function ruleOptions(cfg: CorpusLensConfig): RuleOptions {
  return { severities: cfg.rules, startYear: cfg.startYear, separator: cfg.datelineSeparator === 'nbsp' ? ' \u00a0' : '  ' };
}
