import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { countAtMost } from '../../sim/sorted-count.ts';

/** The definition, by a linear scan. */
const reference = (sorted: ArrayLike<number>, x: number) => {
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (sorted[i]! <= x) k++;
  return k;
};

test('small hand case: counts at, between, below and above the entries', () => {
  const count = countAtMost(Float64Array.from([-2, -0.5, 0, 0.25, 3]))!;
  assert.equal([-3, -2, -1, -0.5, -0, 0, 0.1, 0.25, 2.9, 3, Infinity, NaN].map(count), [0, 1, 1, 2, 3, 3, 3, 4, 4, 5, 5, 0]);
});

test('equals the linear count for any ascending array and any number (ties, tiny and huge values)', () => {
  const value = fc.oneof(fc.double({ noNaN: true, min: -1e30, max: 1e30 }), fc.double({ noNaN: true, min: -1e-30, max: 1e-30 }), fc.constantFrom(0, -0, 1, -1, 0.5));
  fc.assert(
    fc.property(fc.array(value, { minLength: 3, maxLength: 300 }), fc.array(value, { minLength: 1, maxLength: 50 }), (entries, xs) => {
      const sorted = Float64Array.from(entries).sort();
      const count = countAtMost(sorted)!;
      for (const x of [...xs, ...sorted, ...sorted.map((s) => s * (1 + 1e-12)), ...sorted.map((s) => s * (1 - 1e-12))]) assert.is(count(x), reference(sorted, x), `x = ${x}`);
    }),
    { numRuns: 300 },
  );
});

test('not ascending, not finite or too short: no table (the caller keeps its search)', () => {
  assert.is(countAtMost([1, 0, 2]), undefined);
  assert.is(countAtMost([0, 1, Infinity]), undefined);
  assert.is(countAtMost([0, NaN, 2]), undefined);
  assert.is(countAtMost([0, 1]), undefined);
});

test.run();
