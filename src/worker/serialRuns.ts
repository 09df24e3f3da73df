/**
 * Runs that must not overlap, the newest wins: the corpus index's full passes. A full pass leaves state in the
 * worker (its listing of the corpus, kept for the run; the database emptied by a rebuild), so two passes under way
 * at once can spoil each other: once, an older pass's listing reached the worker after a newer pass's, replaced it,
 * and the newer pass failed ("the corpus listing is gone") while the older one stopped as cancelled, leaving the
 * index empty. Here a new run cancels the one under way and starts only once that one has ended; a run that a newer
 * one replaced before it started never starts.
 * (No vscode: the indexer passes the token to the worker's client as it is.)
 */
import { CancellationSource, type CancellationToken } from './client';

export class SerialRuns {
  private current: { source: CancellationSource; ended: Promise<void> } | undefined;
  private underWay = 0;
  private waitingRuns = 0;
  private idleWaiters: (() => void)[] = [];

  /**
   * Cancels the run under way and runs `work` once it has ended, unless a newer run replaced this one meanwhile.
   * Resolves when `work` has ended (or was left out); rejects with its error.
   */
  run(work: (token: CancellationToken) => Promise<void>): Promise<void> {
    const previous = this.current;
    previous?.source.cancel();
    const source = new CancellationSource();
    this.underWay++;
    this.waitingRuns++;
    const ended = (async () => {
      try {
        // (the previous run's failure is its caller's to see, not this one's)
        try { await previous?.ended; } finally { this.waitingRuns--; }
        if (!source.token.isCancellationRequested) await work(source.token);
      } finally {
        if (this.current?.source === source) this.current = undefined;
        if (--this.underWay === 0) for (const r of this.idleWaiters.splice(0)) r();
      }
    })();
    this.current = { source, ended: ended.catch(() => undefined) };
    return ended;
  }

  /** How many runs wait for an earlier one to end (to start then, or to be left out if a newer one came). */
  get waiting(): number { return this.waitingRuns; }

  /** Whether a run is under way or waiting for its turn. */
  get busy(): boolean { return this.underWay > 0; }

  /** Resolves when no run is under way or waiting (at once if none is). */
  whenIdle(): Promise<void> { return this.underWay === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r)); }

  /** Cancels the run under way (and so any waiting for it: only the newest waits, and it is the one cancelled). */
  cancel(): void { this.current?.source.cancel(); }
}
