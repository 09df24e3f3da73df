/**
 * The corpusLens.* settings: the one table that package.json's contributes.configuration, the README's settings
 * table, the extension's defaults (extension/config.ts) and the CLI's help are made from. `npm run generate`
 * writes the manifest and the README from it (and from RULES); a unit test fails when they differ.
 * No vscode here: the CLI and the worker read the same defaults.
 */

import type { SegmenterBackend } from './segment/segmenter';

/** Every severity a rule can be set to, 'off' switching it off; the order is the one the manifest lists. */
export const SEVERITY_SETTINGS = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type SeveritySetting = (typeof SEVERITY_SETTINGS)[number];

export interface SettingSpec<T> {
  type: 'boolean' | 'string' | 'integer' | 'number' | 'array' | 'object';
  default: T;
  /**
   * `resource` where every reader passes the document (a folder of a multi-root workspace may set its own);
   * `window` where some reader has no document (the worker, the corpus index), so a folder's value could not apply.
   */
  scope: 'resource' | 'window';
  /** Markdown, English; the manifest takes it through package.nls.json (translated in package.nls.zh-cn.json). */
  description: string;
  enum?: readonly string[];
  /** one per `enum` value, in order */
  enumDescriptions?: readonly string[];
  minimum?: number;
  maximum?: number;
  items?: { type: 'string' };
  /** In Restricted Mode only the user's own value applies (capabilities.untrustedWorkspaces.restrictedConfigurations). */
  restricted?: boolean;
}

const setting = <T>(spec: SettingSpec<T>) => spec;

/** Keyed by the name under `corpusLens.`, in the order the settings UI and the README list them. */
export const SETTINGS = {
  autoDetect: setting<boolean>({
    type: 'boolean', default: true, scope: 'resource',
    description: 'Switch `.txt` files that look like articles (a dateline-shaped line among the first lines) to the Corpus Article language.',
  }),
  files: setting<string[]>({
    type: 'array', items: { type: 'string' }, default: [], scope: 'resource', restricted: true,
    description: 'Extra glob patterns whose files are always Corpus Articles, e.g. `**/articles/**/*.txt`.',
  }),
  rules: setting<Partial<Record<string, SeveritySetting>>>({
    type: 'object', default: {}, scope: 'resource',
    description: 'Severity per rule code (`off` switches a rule off). A `.corpus-lens.json` in a folder overrides this for the files below it.',
  }),
  'dateline.startYear': setting<number>({
    type: 'integer', default: 1990, minimum: 1800, scope: 'resource',
    description: 'Datelines before this year get the warning `dateline-too-early`.',
  }),
  'dateline.separator': setting<'spaces' | 'nbsp'>({
    type: 'string', enum: ['spaces', 'nbsp'], default: 'spaces', scope: 'resource',
    enumDescriptions: ['Two spaces', 'A space and a no-break space (U+00A0)'],
    description: 'The separator that quick fixes write between date and time (both are well-formed and never flagged).',
  }),
  maxFileSizeMB: setting<number>({
    type: 'number', default: 10, minimum: 0.1, scope: 'window', restricted: true,
    description: 'Files larger than this are not analysed (a notice says so).',
  }),
  // the values are core/segment/segmenter.ts's SEGMENTER_BACKENDS (not imported: the extension host bundles this
  // file and no segmenter code; a unit test compares them)
  segmenter: setting<SegmenterBackend>({
    type: 'string', enum: ['nodejieba', '@node-rs/jieba', 'jieba-wasm'], default: 'nodejieba', scope: 'window', restricted: true,
    enumDescriptions: [
      'nodejieba (cppjieba, native): the words the shipped model was trained on (its best scores)',
      '@node-rs/jieba (jieba-rs, native, prebuilt): loads faster, holds less memory and extracts about 1.25× faster; F1 about 0.2 lower with the shipped model',
      'jieba-rs compiled to WebAssembly: the words of @node-rs/jieba, slower; no native module (used automatically when a native segmenter cannot load)',
    ],
    description: 'The word segmenter behind entity recognition.',
  }),
  model: setting<string>({
    type: 'string', default: '', scope: 'window', restricted: true,
    description: 'The recogniser\'s model file: empty for the shipped one, or a model that `Corpus Lens: Learn from Reviewed Articles` (or `corpus-lens train`) wrote, such as `.corpus-lens/model.ner` (a path relative to the workspace folder). Read only in a trusted workspace.',
  }),
  highlightEntities: setting<boolean>({
    type: 'boolean', default: true, scope: 'resource',
    description: 'Colour recognised persons, places and organisations in the editor (theme colours corpusLens.person, corpusLens.place, corpusLens.organisation).',
  }),
  'entities.confidenceThreshold': setting<number>({
    // 0.65: below it, the mentions of msra.train-sample.bio (text no weight was trained on) are right less than 70 % of the time (models/README.md)
    type: 'number', default: 0.65, minimum: 0, maximum: 1, scope: 'window',
    description: 'Mentions whose confidence (0–1: about the share of such mentions that are right, calibrated on held-out text) is below this are uncertain: the editor marks them so, and the consistency findings (`entity-type-conflict`, `entity-missed`) ignore them. 0 counts every mention.',
  }),
  'problems.scope': setting<'workspace' | 'openFiles'>({
    type: 'string', enum: ['workspace', 'openFiles'], default: 'workspace', scope: 'window',
    enumDescriptions: ['Every article of the corpus index, open or not', 'Only the articles open in an editor'],
    description: 'Which articles\' findings the Problems view shows.',
  }),
  'index.exclude': setting<string[]>({
    type: 'array', items: { type: 'string' }, default: [], scope: 'window', restricted: true,
    description: 'Glob patterns (relative to the workspace folder) of files the corpus index leaves out, on top of `files.exclude`.',
  }),
  'index.helperThread': setting<boolean>({
    type: 'boolean', default: true, scope: 'window',
    description: 'Index a large corpus (1,000 files or more to read) with a second analysis thread beside the first, on a machine with two cores or more: indexing takes about a third less time, and the second thread holds its own segmenter (about 225 MB with nodejieba) while the indexing runs.',
  }),
};

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends SettingSpec<infer T> ? T : never;

/** The configuration section: a setting's full name is `corpusLens.<key>`. */
export const SECTION = 'corpusLens';
