/**
 * A second analysis thread for a long index run (analyseFiles with `index`): this worker reads the files, hands
 * some groups of articles to the helper (another instance of this worker, with its own segmenter and the same
 * model, dictionary and segmenter backend), analyses the others itself, and puts every analysis into the database
 * in the order of the files. The database has one writer: this thread. Each put costs about as much as the
 * recognition of a third of an article, so on two cores the helper's recognition runs beside this thread's
 * puts and recognition instead of after them (bench/RESULTS.md, "Indexing with a helper thread").
 *
 * The helper is started only when the run has analysed some articles and has at least HELPER_MIN_FILES files left
 * (a reopened corpus, whose files are unchanged, never starts one), on a machine with two cores or more. It loads
 * its segmenter for about a second (nodejieba: 225 MB more while the run lasts) and ends with the run.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DocumentAnalysis } from '../core/analysis';
import { stopWorker, WorkerConnection } from './client';
import type { Params } from './protocol';

/** the files left in a run from which a helper pays for its load (the command line's --jobs uses the same) */
export const HELPER_MIN_FILES = 1000;
/** the articles analysed in the run before a helper is considered (a run of unchanged files analyses none) */
export const HELPER_AFTER_ARTICLES = 32;

export class AnalysisHelper {
  private readonly worker: Worker;
  private readonly connection: WorkerConnection;
  private readonly ready: Promise<boolean>;
  /** false once the helper failed or answered with another segmenter: the run goes on without it */
  usable = true;
  /** its segmenter is loaded: it analyses at once what it is given */
  started = false;
  /** why it is not usable (for the log) */
  reason: string | undefined;

  private constructor(workerFile: string, init: Params<'init'>, background: boolean) {
    // (a background worker's helper runs in the background too: priority.ts)
    this.worker = new Worker(workerFile, { stdout: false, stderr: false, workerData: { background } });
    this.connection = new WorkerConnection(this.worker);
    this.worker.on('error', (e) => this.fail(`the helper thread failed: ${e.message}`));
    this.worker.once('exit', () => { this.gone = true; this.fail('the helper thread exited'); });
    this.ready = this.connection.request('init', { ...init, quickStart: false }).then((r) => {
      // the same words or none: an index never mixes segmenters
      if (r.backend !== init.backend) this.fail(`the helper thread loaded ${r.backend}, not ${init.backend}`);
      this.started = this.usable;
      return this.usable;
    }, (e) => { this.fail(`the helper thread did not start: ${(e as Error).message}`); return false; });
  }

  /**
   * A helper for this run, or none: one core, too few files left, or this code is not a worker bundle (the tests'
   * TypeScript sources).
   */
  static start(workerFile: string, init: Params<'init'>, filesLeft: number, cores = availableParallelism(), background = false): AnalysisHelper | undefined {
    if (cores < 2 || filesLeft < HELPER_MIN_FILES || !workerFile.endsWith('.js')) return undefined;
    return new AnalysisHelper(workerFile, init, background);
  }

  /** The articles' analyses, in their order (rejects when the helper failed: the caller analyses them itself). */
  async analyse(articles: { path: string; text: string }[]): Promise<DocumentAnalysis[]> {
    if (!(await this.ready) || !this.usable) throw new Error(this.reason ?? 'the helper thread is not usable');
    try {
      return await this.connection.request('analyseTexts', { articles });
    } catch (e) {
      this.fail(`the helper thread failed: ${(e as Error).message}`);
      throw e;
    }
  }

  /** how long the helper's thread has stood idle since it started (its event loop's idle time), ms */
  idleMs(): number { return this.worker.performance.eventLoopUtilization().idle; }

  private fail(reason: string) {
    if (!this.usable) return;
    this.usable = false;
    this.reason = reason;
  }

  /**
   * Ends the helper where it stands between two pieces of work (never inside nodejieba: a thread ended from outside
   * there takes the process down); resolves when it has exited.
   */
  stop(): Promise<void> {
    this.usable = false;
    // (one that has exited already, after a crash, is not waited for: it will not exit again)
    this.exited ??= this.gone ? Promise.resolve() : stopWorker(this.worker);
    return this.exited;
  }
  private exited: Promise<void> | undefined;
  private gone = false;
}
