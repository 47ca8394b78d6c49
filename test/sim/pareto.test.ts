import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { metric, pareto } from '../../sim/pareto.ts';
import type { ResultLine } from '../../sim/sweep-eval.ts';

const line = (key: string, energyPj: number, cycles: number, areaUm2 = 1, values: Record<string, number> = {}): ResultLine =>
  ({ key, arch: 'a', scheme: 's', network: 'n', mode: 'opcount', seed: 1, values, totals: { energyPj, cycles, areaUm2 } }) as unknown as ResultLine;

// Hand-made set (energy, cycles): A(1,9) B(2,5) C(3,6) dominated by B, D(4,2) E(6,1) F(5,5) dominated by B and D, G(2,5) ties B.
const set = [line('A', 1, 9), line('B', 2, 5), line('C', 3, 6), line('D', 4, 2), line('E', 6, 1), line('F', 5, 5), line('G', 2, 5)];

test('2-D front of a hand-made set, sorted by the first objective; ties both stay', () => {
  assert.equal(pareto(set, ['energyPj', 'cycles']).map((l) => l.key), ['A', 'B', 'G', 'D', 'E']);
});

test('maximizing an objective flips it', () => {
  // max cycles with min energy: A (1, 9) dominates every other point.
  assert.equal(pareto(set, ['energyPj', 'max:cycles']).map((l) => l.key), ['A']);
});

test('3-D: a point dominated in 2-D can return with a third objective', () => {
  const withArea = [...set.slice(0, 2), line('C', 3, 6, 0.5)];
  assert.equal(pareto(withArea, ['energyPj', 'cycles', 'areaUm2']).map((l) => l.key), ['A', 'B', 'C']);
});

test('error lines are left out; metrics come from totals, axis values or a dotted path', () => {
  const err = { ...line('X', 0, 0), totals: undefined, error: 'refused' } as ResultLine;
  assert.equal(pareto([...set, err], ['energyPj', 'cycles']).map((l) => l.key), ['A', 'B', 'G', 'D', 'E']);
  const l = { ...line('Y', 1, 2, 3, { rows: 12 }), energyByPartPj: { dram: 7 } } as ResultLine;
  assert.is(metric(l, 'rows'), 12);
  assert.is(metric(l, 'energyByPartPj.dram'), 7);
  assert.is(metric(l, 'nosuch'), undefined);
});

test('no front member is dominated, and every other point is dominated by one (property)', () => {
  const dom = (a: ResultLine, b: ResultLine) =>
    a.totals!.energyPj <= b.totals!.energyPj && a.totals!.cycles <= b.totals!.cycles && (a.totals!.energyPj < b.totals!.energyPj || a.totals!.cycles < b.totals!.cycles);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), { maxLength: 40 }), (pts) => {
      const lines = pts.map(([e, c], i) => line(String(i), e, c));
      const front = pareto(lines, ['energyPj', 'cycles']);
      const inFront = new Set(front);
      return front.every((f) => !lines.some((o) => dom(o, f))) && lines.every((l) => inFront.has(l) || front.some((f) => dom(f, l)));
    }),
    { seed: 7, numRuns: 300 },
  );
});

test.run();
