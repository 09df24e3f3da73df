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
