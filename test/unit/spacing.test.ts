import { strict as assert } from 'node:assert';
import { Spacing } from '../../src/core/spacing';

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
