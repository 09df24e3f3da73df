/**
 * Runs one concordance search in a short-lived worker thread (dist/search.js) and terminates it when the search is
 * cancelled, superseded or takes longer than the time limit: the extension host never runs the user's expression, and
 * no expression can hang anything but its own thread. Without vscode: the unit tests drive it.
 */
import { Worker } from 'node:worker_threads';
import type { ConcordanceQuery, ContextOptions, SearchLimits, SearchResult } from '../core/concordance';

export interface SearchJob {
  query: ConcordanceQuery;
  context: ContextOptions;
  limits: SearchLimits;
  /** the articles to search, in the order of the result, with their datelines from the index */
  articles: { file: string; dateline: string | null; date: string | null }[];
  /** texts of open editors (unsaved edits count), by file; the others are read from disk */
  texts: Record<string, string>;
  maxBytes: number;
}

export type SearchReply = { ok: true; result: SearchResult } | { ok: false; message: string };
/** How a search ended without a result: stopped by the caller or a newer search, or over the time limit. */
export class SearchStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'timeout', message: string) { super(message); }
}

export const SEARCH_TIMEOUT_MS = 15_000;
/** how long a search worker that answered may take to end by itself before it is ended (its last collection) */
const ANSWERED_EXIT_MS = 10_000;

/**
 * One search at a time: starting a search terminates the one still running (its promise rejects with
 * SearchStopped 'cancelled'), as does cancel().
 */
export class SearchRunner {
  private current: { worker: Worker; stop: (e: SearchStopped) => void } | undefined;

  constructor(private readonly workerPath: string, private readonly timeoutMs = SEARCH_TIMEOUT_MS) {}

  run(job: SearchJob): Promise<SearchReply> {
    this.cancel();
    return new Promise<SearchReply>((resolve, reject) => {
      const worker = new Worker(this.workerPath, { workerData: job, stdout: false, stderr: false });
      let settled = false;
      // a worker that answered ends by itself once it has given its memory back (search.ts, heapRelease.ts: ended
      // from here, its pages would be unmapped on this thread 8 s later); one that did not answer is ended here
      const finish = (f: () => void, answered = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.current?.worker === worker) this.current = undefined;
        if (answered) setTimeout(() => void worker.terminate(), ANSWERED_EXIT_MS).unref();
        else void worker.terminate();
        f();
      };
      const timer = setTimeout(() => finish(() => reject(new SearchStopped('timeout', `the search took over ${this.timeoutMs / 1000} s and was stopped`))), this.timeoutMs);
      this.current = { worker, stop: (e) => finish(() => reject(e)) };
      worker.once('message', (r: SearchReply) => finish(() => resolve(r), true));
      worker.once('error', (e) => finish(() => reject(e)));
      worker.once('exit', (code) => finish(() => reject(new Error(`the search worker exited (${code}) without a result`))));
    });
  }

  /** Stops the running search, if any. */
  cancel(): void {
    this.current?.stop(new SearchStopped('cancelled', 'the search was cancelled'));
  }

  dispose(): void { this.cancel(); }
}
