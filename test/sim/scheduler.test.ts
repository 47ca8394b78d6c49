import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Scheduler, Resource, Priority } from '../../sim/scheduler.ts';

test('fires events in cycle order and advances the clock to each', () => {
  const s = new Scheduler();
  const seen: [string, number][] = [];
  s.schedule(5, (t) => seen.push(['b', t]));
  s.schedule(2, (t) => seen.push(['a', t]));
  s.schedule(9, (t) => seen.push(['c', t]));
  assert.is(s.run(), 9);
  assert.equal(seen, [['a', 2], ['b', 5], ['c', 9]]);
});

test('ties in the same cycle fire by priority, then first-scheduled first', () => {
  const s = new Scheduler();
  const seen: string[] = [];
  s.schedule(3, () => seen.push('compute-1'), Priority.compute);
  s.schedule(3, () => seen.push('writeback'), Priority.writeback);
  s.schedule(3, () => seen.push('compute-2'), Priority.compute);
  s.schedule(3, () => seen.push('transfer'), Priority.transfer);
  s.run();
  assert.equal(seen, ['transfer', 'compute-1', 'compute-2', 'writeback']);
});

test('events scheduled while running join the order; run(until) stops before later events', () => {
  const s = new Scheduler();
  const seen: number[] = [];
  s.schedule(1, () => {
    seen.push(1);
    s.after(3, (t) => seen.push(t));
  });
  s.schedule(10, () => seen.push(10));
  assert.is(s.run(5), 5);
  assert.equal(seen, [1, 4]);
  assert.is(s.pending, 1);
  s.run();
  assert.equal(seen, [1, 4, 10]);
});

test('a cancelled event does not fire', () => {
  const s = new Scheduler();
  let fired = false;
  const id = s.schedule(4, () => (fired = true));
  s.cancel(id);
  s.run();
  assert.is(fired, false);
  assert.is(s.firedEvents, 0);
});

test('scheduling in the past is refused', () => {
  const s = new Scheduler();
  s.schedule(5, () => {
    assert.throws(() => s.schedule(4, () => {}), /before the current cycle/);
  });
  s.run();
});

test('a busy resource turns contention into stall cycles', () => {
  const r = new Resource('port');
  assert.equal(r.reserve(0, 10), { start: 0, end: 10 });
  // Ready at 4 but the port is busy until 10: 6 stall cycles.
  assert.equal(r.reserve(4, 5), { start: 10, end: 15 });
  // Ready after it is free: no stall.
  assert.equal(r.reserve(20, 1), { start: 20, end: 21 });
  assert.is(r.stallCycles, 6);
  assert.is(r.busyCycles, 16);
});

test('property: any set of events fires sorted by (cycle, priority, insertion)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(3)), { maxLength: 200 }), (evs) => {
      const s = new Scheduler();
      const fired: number[] = [];
      evs.forEach(([at, pri], i) => s.schedule(at, () => fired.push(i), pri));
      s.run();
      const expected = evs.map((_, i) => i).sort((a, b) => evs[a]![0] - evs[b]![0] || evs[a]![1] - evs[b]![1] || a - b);
      assert.equal(fired, expected);
    }),
    { seed: 42, numRuns: 200 },
  );
});

test.run();
