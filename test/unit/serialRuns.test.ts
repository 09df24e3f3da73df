import { strict as assert } from 'node:assert';
import type { CancellationToken } from '../../src/worker/client';
import { SerialRuns } from '../../src/worker/serialRuns';

/** A run the test ends when it says; it records when it started and the token it got. */
function heldRun(log: string[], name: string) {
  let end!: () => void;
  let token: CancellationToken | undefined;
  const ended = new Promise<void>((r) => (end = r));
  const work = async (t: CancellationToken) => { token = t; log.push(`${name} starts`); await ended; log.push(`${name} ends`); };
  return { work, end: () => end(), token: () => token };
}

/** Lets every settled promise's callbacks run (a few turns of the microtask queue and one of the event loop). */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('SerialRuns (the index passes, one at a time)', () => {
  it('a new run cancels the one under way and starts only once it has ended', async () => {
    const runs = new SerialRuns();
    const log: string[] = [];
    const a = heldRun(log, 'a'), b = heldRun(log, 'b');
    const pa = runs.run(a.work);
    await settle();
    assert.deepEqual(log, ['a starts']);
    assert.equal(runs.waiting, 0);
    const pb = runs.run(b.work);
    assert.equal(runs.waiting, 1, 'b waits for a');
    await settle();
    assert.equal(a.token()?.isCancellationRequested, true, 'the older run is told to stop');
    assert.deepEqual(log, ['a starts'], 'the newer run waits for the older one to end');
    a.end();
    await pa;
    await settle();
    assert.deepEqual(log, ['a starts', 'a ends', 'b starts']);
    assert.equal(runs.waiting, 0);
    assert.equal(b.token()?.isCancellationRequested, false);
    b.end();
    await pb;
    assert.deepEqual(log, ['a starts', 'a ends', 'b starts', 'b ends']);
  });

  it('a run replaced before its turn never starts; the newest does', async () => {
    const runs = new SerialRuns();
    const log: string[] = [];
    const a = heldRun(log, 'a'), b = heldRun(log, 'b'), c = heldRun(log, 'c');
    const pa = runs.run(a.work);
    await settle();
    const pb = runs.run(b.work);
    const pc = runs.run(c.work);
    await settle();
    a.end();
    await pa;
    await pb; // (resolves without running: c replaced it)
    await settle();
    assert.deepEqual(log, ['a starts', 'a ends', 'c starts']);
    c.end();
    await pc;
    assert.deepEqual(log, ['a starts', 'a ends', 'c starts', 'c ends']);
  });

  it('whenIdle waits for the run that is waiting its turn, not only the one under way', async () => {
    const runs = new SerialRuns();
    const log: string[] = [];
    const a = heldRun(log, 'a'), b = heldRun(log, 'b');
    void runs.run(a.work);
    await settle();
    void runs.run(b.work);
    let idle = false;
    const whenIdle = runs.whenIdle().then(() => { idle = true; });
    a.end();
    await settle();
    assert.equal(idle, false, 'b is still to run');
    assert.equal(runs.busy, true);
    b.end();
    await whenIdle;
    assert.equal(runs.busy, false);
    assert.deepEqual(log, ['a starts', 'a ends', 'b starts', 'b ends']);
    let again = false;
    await runs.whenIdle().then(() => { again = true; });
    assert.equal(again, true, 'idle already: at once');
  });

  it('a failed run rejects its own caller; the next run starts all the same', async () => {
    const runs = new SerialRuns();
    const log: string[] = [];
    const failing = runs.run(async () => { log.push('a starts'); await settle(); throw new Error('listing gone'); });
    await settle();
    const b = heldRun(log, 'b');
    const pb = runs.run(b.work);
    await assert.rejects(failing, /listing gone/);
    await settle();
    assert.deepEqual(log, ['a starts', 'b starts']);
    b.end();
    await pb;
  });

  it('runs asked for in one go: only the last starts', async () => {
    const runs = new SerialRuns();
    const log: string[] = [];
    const a = heldRun(log, 'a'), b = heldRun(log, 'b');
    const pa = runs.run(a.work);
    const pb = runs.run(b.work);
    await pa;
    await settle();
    assert.deepEqual(log, ['b starts']);
    b.end();
    await pb;
  });

  it('cancel() tells the run under way to stop', async () => {
    const runs = new SerialRuns();
    const log: string[] = [];
    const a = heldRun(log, 'a');
    const pa = runs.run(a.work);
    await settle();
    runs.cancel();
    assert.equal(a.token()?.isCancellationRequested, true);
    a.end();
    await pa;
    assert.equal(runs.busy, false);
  });
});
