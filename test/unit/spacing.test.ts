import { strict as assert } from 'node:assert';
import { Spacing, whenQuiet, type Timers } from '../../src/core/spacing';

describe('Spacing (a costly question asked again no sooner than a multiple of its last answer\'s time)', () => {
  it('asks at once the first time', () => {
    assert.ok(new Spacing(20).wait(0) <= 0);
  });

  it('waits factor × the last answer\'s time after that answer, then asks', () => {
    const s = new Spacing(20);
    s.answered(1000, 1100); // 100 ms
    assert.equal(s.wait(1100), 2000);
    assert.equal(s.wait(2600), 500);
    assert.ok(s.wait(3100) <= 0);
  });

  it('follows the last answer only: a quick answer shortens the wait again', () => {
    const s = new Spacing(20);
    s.answered(0, 500);
    assert.equal(s.wait(500), 10000);
    s.answered(20000, 20002);
    assert.equal(s.wait(20002), 40);
  });

  it('keeps the answerer\'s share of time near 1/(factor + 1) when asked all the time', () => {
    const s = new Spacing(20);
    let now = 0, busy = 0;
    const cost = 100;
    while (now < 100_000) {
      const w = s.wait(now);
      if (w > 0) { now += w; continue; }
      s.answered(now, now + cost);
      busy += cost;
      now += cost;
    }
    assert.equal(Math.round((1000 * busy) / now), Math.round(1000 / 21));
  });
});

/**
 * A fake event loop: timers fire in order of their due time, each turn late by what `lateAt(now)` says (a block of
 * the thread at that moment); runs until `done` settles.
 */
async function fakeLoop(lateAt: (now: number) => number, run: (t: Timers) => Promise<number>): Promise<number> {
  let now = 0;
  const queue: { at: number; fn: () => void }[] = [];
  const timers: Timers = { now: () => now, setTimeout: (fn, ms) => { queue.push({ at: now + ms, fn }); } };
  let result: number | undefined;
  void run(timers).then((r) => { result = r; });
  while (result === undefined) {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift();
    if (!next) throw new Error('nothing scheduled and no answer');
    now = next.at + lateAt(next.at);
    next.fn();
    await Promise.resolve(); // (the promise's callbacks)
  }
  return result;
}

describe('whenQuiet (background work waits for VS Code\'s own start-up)', () => {
  it('answers after quietMs of turns on time', async () => {
    assert.equal(await fakeLoop(() => 0, (t) => whenQuiet({ quietMs: 1000, tickMs: 20 }, t)), 1000);
  });

  it('a late turn starts the quiet time again; a turn late by lateMs or less does not', async () => {
    // blocks of 200 ms at 500 and 1,500 ms: quiet from 1,700 on, answered at 2,700
    const blocks = (now: number) => (now === 500 || now === 1500 ? 200 : 0);
    assert.equal(await fakeLoop(blocks, (t) => whenQuiet({ quietMs: 1000, lateMs: 10, tickMs: 20 }, t)), 2700);
    // turns 10 ms late all the time: quiet (each comes 30 ms after the last)
    assert.equal(await fakeLoop(() => 10, (t) => whenQuiet({ quietMs: 1000, lateMs: 10, tickMs: 20 }, t)), 1020);
  });

  it('never waits longer than maxMs', async () => {
    assert.equal(await fakeLoop(() => 50, (t) => whenQuiet({ quietMs: 1000, maxMs: 5000, tickMs: 20 }, t)), 5040);
  });
});
