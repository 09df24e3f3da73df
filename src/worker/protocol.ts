/**
 * The analysis worker's API: one table from method to parameters, result and progress (as rust-analyzer's
 * `RequestType<P, R>` and spell-checker's `ServerRequestsAPI` do). The worker's handler table and the client
 * (worker/client.ts) are both typed from it, so a method, its parameters and its result are written once.
 */
import type { DocumentAnalysis } from '../core/analysis';
import type { Listing, ListingRoot } from '../core/corpusListing';
import type { CorpusDiagnostic, RuleOptions } from '../core/rules';
import type { DictionarySource } from '../core/engine';
import type { SegmenterBackend } from '../core/segment/segmenter';
import type { SharedModel } from '../core/ner/model';
import type { OutlineResult } from '../core/outline';
import type { MessageBundle } from '../core/messages';
import type { IndexedFinding } from '../core/findings';
import type { Scores } from '../core/ner/eval';
import type { AdaptRecord } from '../core/ner/adapt';
import type { CorpusQueries } from '../core/corpusQueries';
import type { SearchResult } from '../core/store/corpusStore';
import type { EngineName } from '../core/store/sqlite';

export interface InitResult {
  backend: SegmenterBackend;
  /** true while the quick-start engine answers and the preferred backend is still to load */
  provisional?: boolean;
  fallbackReason?: string;
  loadMs: { segmenter: number; model: number };
  dictionaryErrors: DictionaryFileError[];
  memoryMB: number;
}

export interface DictionaryFileError { file: string; line: number; message: string }

/**
 * findings: the corpus rules' findings of the file (when the batch asked for `check`), unchanged files' too.
 * With `index`, the analysis went into the worker's index database and is not sent (only the hash says what was indexed).
 */
export interface FileResult { file: string; hash?: string; analysis?: DocumentAnalysis; error?: string; unchanged?: boolean; notArticle?: boolean; findings?: IndexedFinding[] }

/**
 * The rule options of a batch's files: the user's settings of the workspace folder that holds a file (the longest
 * root that contains it) or `options`; `configFiles`: under the `.corpus-lens.json` files from the file's folder
 * up to that root (false in Restricted Mode: the workspace's files do not steer the extension then).
 */
export interface CheckParams { options: RuleOptions; folders: { root: string; options: RuleOptions }[]; configFiles: boolean }

export interface BatchProgress { done: number; total: number; results: FileResult[] }

/** A method's parameters, result and the progress it reports before the result (none: never). */
interface Signature<P, R, G = never> { params: P; result: R; progress: G }

export type QueryMember = keyof CorpusQueries;
/** A CorpusQueries question as a worker method: `query.totals`, `query.entities`, … */
export type QueryMethod<K extends QueryMember = QueryMember> = `query.${K}`;
/** The answer of a question, as CorpusQueries types it (without the promise). */
export type QueryAnswer<K extends QueryMember> = Awaited<ReturnType<CorpusQueries[K]>>;
/** One method per CorpusQueries member, answered from the index database by the worker (interactive: never behind a batch). */
type QueryApi = { [K in QueryMember as QueryMethod<K>]: Signature<{ args: Parameters<CorpusQueries[K]> }, QueryAnswer<K>> };

export interface OpenIndexResult {
  /** the SQLite engine the database runs on (node:sqlite where this Node has it, else node-sqlite3-wasm) */
  engine: EngineName;
  articles: number;
  /** why the database was replaced by an empty one (another fingerprint, a newer schema, unreadable) */
  rebuilt?: string;
  openMs: number;
  /** one line for the host's log: the engine, the file, the articles, the time */
  message: string;
}

export interface WorkerApi extends QueryApi {
  /**
   * quickStart (for nodejieba, seconds to load): answer with @node-rs/jieba (jieba-wasm where it cannot load; both
   * load in well under a second) while nodejieba loads; the worker loads it once interactive requests go quiet and
   * then sends `upgraded`.
   */
  /** messages: the l10n bundle of the rule messages (the host's display language; none for English) */
  init: Signature<{ backend: SegmenterBackend; modelPath?: string; dictionary: DictionarySource; quickStart?: boolean; sharedModel?: SharedModel; messages?: MessageBundle }, InitResult>;
  /** the engines take the dictionary as it is now; answers its errors */
  setDictionary: Signature<{ dictionary: DictionarySource }, DictionaryFileError[]>;
  /**
   * one open article; indexAs: also put it into the open index database under that file (hash 'editor': the text
   * is not the file's, and analyseFiles leaves it until indexRelease)
   */
  analyse: Signature<{ path: string; text: string; indexAs?: string }, DocumentAnalysis>;
  /**
   * Reads and analyses files, their results in `progress` messages in the order of `files`.
   * plain: analyse every readable file as it is (the CLI), without the index's content hash and article-shape check.
   * check: also run the corpus rules over every article read, unchanged ones included (their findings in `findings`).
   * known: the content hashes the caller has (their files are answered `unchanged`, not analysed).
   * index: the index database (openIndex) decides what is unchanged instead of `known` (the same stat, mtime and size:
   * not even read; else read and hashed), takes every analysis, and the results carry none.
   */
  analyseFiles: Signature<{ files: string[]; maxBytes: number; known?: Record<string, string>; plain?: boolean; check?: CheckParams; index?: boolean; /** with index: analyse again even what is unchanged (the dictionary changed) */ force?: boolean;
    /** with index: false keeps a long run on this thread alone (worker/helper.ts: by default a second thread analyses beside it) */ helper?: boolean;
    /** with index: the files of that indexListing, kept here, in path order (sorted here, not on the extension host: 100,000 paths take 75 ms to sort; `files` is then empty) */ listing?: number },
    { total: number; /** with index: the articles analysed (the others were unchanged, unreadable or no articles) */ analysed?: number; /** with index: of those, the helper thread's */ byHelper?: number; /** with index: why a helper thread that started was left */ helperLeft?: string; /** with a helper: how long the worker's thread stood idle during the run, and the helper's since it started (ms; the bench's figures) */ idleMs?: { worker: number; helper: number } }, BatchProgress>;
  /** the corpus files under the roots, walked here (core/corpusListing: not VS Code's findFiles, which searches on the host's thread) */
  listCorpus: Signature<{ roots: ListingRoot[] }, Listing>;
  /**
   * A full pass's listing: the corpus files under the roots are walked, the open index keeps only those (indexRetain),
   * and the list stays here for the analyseFiles run that names it (`listing`). The extension host never receives nor
   * sends the list back: at 100,000 files that took its thread about 150 ms in one piece (receive, a Set, send twice).
   * gone: the indexed paths no longer listed, now out of the index; skipped: the walk's first SKIPPED_SHOWN (skippedCount: all of them).
   */
  indexListing: Signature<{ roots: ListingRoot[] }, { listing: number; count: number; gone: string[]; skipped: string[]; skippedCount: number; refused: string[] }>;
  /** texts as articles, analysed by this worker's engine (a helper thread's part of an index run: worker/helper.ts) */
  analyseTexts: Signature<{ articles: { path: string; text: string }[] }, DocumentAnalysis[]>;
  /**
   * Opens the corpus index database in `dbPath` (created if missing): a database of another fingerprint (model,
   * dictionary, segmenter, version), of a newer schema, or unreadable, is replaced by an empty one. maxBytes: the
   * largest article read back for the concordance and search.
   */
  openIndex: Signature<{ dbPath: string; fingerprint: string; maxBytes?: number }, OpenIndexResult>;
  /** the open database's analyses now follow this fingerprint (the dictionary changed and what it touches was analysed again) */
  indexAdopt: Signature<{ fingerprint: string }, void>;
  /** editors closed on these files: their editor rows are read from disk again by the next analyseFiles */
  indexRelease: Signature<{ files: string[] }, void>;
  /** files gone from the corpus (deleted, excluded): out of the index; answers how many were in it */
  indexDelete: Signature<{ files: string[] }, number>;
  /** a file renamed or moved: its analysis follows it */
  indexRename: Signature<{ from: string; to: string }, void>;
  /** the corpus as listed now: every indexed file not among `files` goes (files deleted while the editor was closed) */
  indexRetain: Signature<{ files: string[] }, number>;
  /**
   * Where a string stands in the indexed articles (every non-overlapping occurrence, files in path order): the
   * trigram full-text index for 3 characters or more, a scan of the articles for 1–2; `texts`: unsaved editors' text.
   */
  searchIndex: Signature<{ query: string; limit?: number; texts?: Record<string, string> }, SearchResult>;
  /**
   * The articles that may hold a string, from the trigram index alone (no article read): those whose indexed text
   * held it and those of `texts`, in path order; null for fewer than 3 characters (trigrams cannot answer them).
   */
  indexCandidates: Signature<{ query: string; texts?: Record<string, string> }, string[] | null>;
  /** the corpus rules over a text (long articles) */
  check: Signature<{ text: string; options: RuleOptions }, CorpusDiagnostic[]>;
  /**
   * The current model's precision, recall and F1 on the reviewed articles among `files` (gold: its own mentions with
   * the user's decisions applied, annotations.jsonl).
   */
  scoreReviewed: Signature<{ files: string[]; maxBytes: number }, { articles: number; scores: Scores | null }>;
  /**
   * Continues training the current model on the reviewed articles among `files` (core/ner/adapt) and writes the
   * adapted model to `out` (replacing it: the host asked); progress in work units; cancel stops it between pieces.
   */
  adapt: Signature<{ files: string[]; maxBytes: number; out: string; epochs?: number }, { out: string; record: AdaptRecord }, { done: number; total: number }>;
  /** outline and folding of a long article (parsing 1 MB takes 10–25 ms: not on the extension host) */
  outline: Signature<{ text: string }, OutlineResult>;
  /** the words of each text, white space left out (the concordance's sort positions: short contexts, one segmenter call) */
  segment: Signature<{ texts: string[] }, string[][]>;
}

export type Method = keyof WorkerApi;
export type Params<M extends Method> = WorkerApi[M]['params'];
export type Result<M extends Method> = WorkerApi[M]['result'];
export type Progress<M extends Method> = WorkerApi[M]['progress'];

/** A request as it crosses to the worker (the client assigns ids). */
export interface Request<M extends Method> { id: number; method: M; params: Params<M> }
/** The same, as the worker receives it: one member per method, so that the method narrows the parameters. */
export type RequestMessage<M extends Method = Method> = { [K in M]: Request<K> }[M];
/** Stops a request: an interactive one still queued, or a batch between its groups of files. */
export interface CancelMessage { method: 'cancel'; target: number }
/**
 * Ends the worker from within, where it stands when it reads the message: between two pieces of work, never inside
 * nodejieba (ending the thread from outside while nodejieba runs aborts the whole process, the extension host).
 */
export interface ShutdownMessage { method: 'shutdown' }
/** What the client posts; the worker receives the same messages as `RequestMessage | CancelMessage | ShutdownMessage`. */
export type ToWorker = Request<Method> | CancelMessage | ShutdownMessage;

export type FromWorker =
  | { kind: 'result'; id: number; result: Result<Method> }
  | { kind: 'error'; id: number; error: string; cancelled?: boolean }
  | { kind: 'progress'; id: number; progress: Progress<Method> }
  /** unsolicited: the preferred backend replaced the quick-start one */
  | { kind: 'upgraded'; info: InitResult };
