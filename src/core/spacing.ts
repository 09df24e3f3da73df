/**
 * Spacing for a question whose answer costs more as the corpus grows (the corpus's datelines: every indexed article
 * read): asked again no sooner than `factor` times its last answer's time after that answer, so that answering it
 * takes at most about 1/(factor + 1) of the answerer's time however often the index changes.
 */
export class Spacing {
  private last = { at: -Infinity, ms: 0 };
  constructor(readonly factor: number) {}

  /** how long to wait before asking again (ms; 0 or less: ask now) */
  wait(now: number): number { return this.last.at + this.factor * this.last.ms - now; }

  /** an answer asked for at `asked` arrived at `answered` (ms, the same clock as wait's) */
  answered(asked: number, answered: number): void { this.last = { at: answered, ms: Math.max(0, answered - asked) }; }
}

/** a clock and a timer (the tests' fake ones, or the real ones) */
export interface Timers { now(): number; setTimeout(fn: () => void, ms: number): unknown }
const realTimers: Timers = { now: () => performance.now(), setTimeout: (fn, ms) => setTimeout(fn, ms) };

/**
 * Resolves once this thread's event loop has turned for `quietMs` with no turn late by more than `lateMs` (one asked
 * every `tickMs`), or after `maxMs` whatever happens; answers the time waited. Background work that can wait (the
 * first pass over the corpus) waits for it, so that it neither overlaps nor slows VS Code's own start-up, which keeps
 * the extension host's thread busy in pieces of up to hundreds of milliseconds (built-in extensions loading and
 * activating) for a few seconds after this extension activates.
 */
export function whenQuiet(opts: { quietMs?: number; lateMs?: number; maxMs?: number; tickMs?: number } = {}, timers: Timers = realTimers): Promise<number> {
  const { quietMs = 1000, lateMs = 10, maxMs = 10000, tickMs = 20 } = opts;
  const t0 = timers.now();
  return new Promise((resolve) => {
    let since = t0, last = t0;
    const tick = () => {
      const now = timers.now();
      if (now - last > tickMs + lateMs) since = now;
      last = now;
      if (now - since >= quietMs || now - t0 >= maxMs) resolve(now - t0);
      else timers.setTimeout(tick, tickMs);
    };
    timers.setTimeout(tick, tickMs);
  });
}
