/** Typed access to the corpusLens.* settings (declared in package.json; a unit test keeps the two in step). */
import * as vscode from 'vscode';
import type { RuleOptions, SeveritySetting } from '../core/rules';

export interface CorpusLensConfig {
  autoDetect: boolean;
  files: string[];
  rules: Record<string, SeveritySetting>;
  startYear: number;
  datelineSeparator: 'spaces' | 'nbsp';
  maxFileSizeMB: number;
  segmenter: 'nodejieba' | 'jieba-wasm';
  highlightEntities: boolean;
  indexExclude: string[];
}

export function getConfig(scope?: vscode.ConfigurationScope): CorpusLensConfig {
  const c = vscode.workspace.getConfiguration('corpusLens', scope);
  return {
    autoDetect: c.get('autoDetect', true),
    files: c.get('files', []),
    rules: c.get('rules', {}),
    startYear: c.get('dateline.startYear', 1990),
    datelineSeparator: c.get('dateline.separator', 'spaces'),
    maxFileSizeMB: c.get('maxFileSizeMB', 10),
    segmenter: c.get('segmenter', 'nodejieba'),
    highlightEntities: c.get('highlightEntities', true),
    indexExclude: c.get('index.exclude', []),
  };
}

export function ruleOptions(cfg: CorpusLensConfig): RuleOptions {
  return { severities: cfg.rules, startYear: cfg.startYear, separator: cfg.datelineSeparator === 'nbsp' ? ' \u00a0' : '  ' };
}
