/** Messages between the extension host and the analysis worker (worker_threads). */
import type { DocumentAnalysis } from '../core/analysis';
import type { RuleOptions } from '../core/rules';
import type { DictionarySource } from '../core/engine';
import type { SegmenterBackend } from '../core/segment/segmenter';
import type { SharedModel } from '../core/ner/model';
import type { MessageBundle } from '../core/messages';

export type Request =
  /**
   * quickStart: answer with jieba-wasm (loads in well under a second) while the preferred backend
   * loads; the worker loads it once interactive requests go quiet and then sends `upgraded`.
   */
  /** messages: the l10n bundle of the rule messages (the host's display language; none for English) */
  | { id: number; kind: 'init'; backend: SegmenterBackend; modelPath?: string; dictionary: DictionarySource; quickStart?: boolean; sharedModel?: SharedModel; messages?: MessageBundle }
  | { id: number; kind: 'setDictionary'; dictionary: DictionarySource }
  | { id: number; kind: 'analyse'; path: string; text: string }
  /** plain: analyse every readable file as it is (the CLI), without the index's content hash and article-shape check */
  | { id: number; kind: 'analyseFiles'; files: string[]; maxBytes: number; known: Record<string, string>; plain?: boolean }
  | { id: number; kind: 'check'; text: string; options: RuleOptions }
  /** outline and folding of a long article (parsing 1 MB takes 10–25 ms: not on the extension host) */
  | { id: number; kind: 'outline'; text: string }
  | { id: number; kind: 'cancel'; target: number };

export interface InitResult {
  backend: SegmenterBackend;
  /** true while the quick-start engine answers and the preferred backend is still to load */
  provisional?: boolean;
  fallbackReason?: string;
  loadMs: { segmenter: number; model: number };
  dictionaryErrors: { file: string; line: number; message: string }[];
  memoryMB: number;
}

export interface FileResult { file: string; hash?: string; analysis?: DocumentAnalysis; error?: string; unchanged?: boolean; notArticle?: boolean }

export type Response =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string; cancelled?: boolean }
  | { id: number; kind: 'progress'; done: number; total: number; results: FileResult[] }
  /** unsolicited (id 0): the preferred backend replaced the quick-start one */
  | { id: 0; kind: 'upgraded'; info: InitResult };

/** A request without its id (the client assigns ids). */
export type RequestBody = Request extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
