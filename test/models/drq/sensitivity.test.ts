import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { makeLayer } from '../../../sim/workload.ts';
import { UserError } from '../../../sim/errors.ts';
import type { Tensor } from '../../../sim/trace.ts';
import { meanFilter, sensitivityMask, lowPrecisionValueFraction, type SensitivityParams } from '../../../models/drq/sensitivity.ts';

const tensor = (shape: number[], values: number[] | Float32Array): Tensor => ({ shape, data: Float32Array.from(values), dtype: 'float32' });
const conv = (H: number, W: number, C = 1) => makeLayer({ name: 'c', kind: 'conv', C, M: 1, H, W, R: 1 });
const params = (p: Partial<SensitivityParams> = {}): SensitivityParams => ({ regionSize: 2, filterSize: 1, threshold: 0.5, thresholdMode: 'absolute', ...p });
const throwsUser = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof UserError && re.test((e as Error).message));

test('mean filter of a 3×3 block of ones: centre 1, edges 6/9, corners 4/9 (zero padding)', () => {
  const out = meanFilter(Float32Array.from(new Array(9).fill(1)), 3, 3, 3);
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  near(out[4]!, 1);
  near(out[1]!, 6 / 9);
  near(out[0]!, 4 / 9);
});

test('mean filter averages magnitudes (negative values count)', () => {
  const out = meanFilter(Float32Array.from([-2, 2]), 1, 2, 1);
  assert.equal(Array.from(out), [2, 2]);
});

test('a 4×4 map in 2×2 regions: only the region holding a large value is sensitive', () => {
  // prettier-ignore
  const m = sensitivityMask(conv(4, 4), tensor([1, 1, 4, 4], [
    0, 0, 0, 0,
    0, 0, 0, 0,
    0, 0, 0, 0,
    0, 0, 0, 3,
  ]), params({ threshold: 1 }));
  assert.equal(Array.from(m.mask), [0, 0, 0, 1]);
  assert.is(m.sensitiveFraction, 0.25);
  assert.is(lowPrecisionValueFraction(m), 0.75);
});

test('a 3×3 mean filter spreads a large value into the neighbouring regions', () => {
  const data = new Array(16).fill(0);
  data[1 * 4 + 1] = 9; // next to the region corner: the filtered 1.0 reaches all four regions
  const m = sensitivityMask(conv(4, 4), tensor([1, 1, 4, 4], data), params({ filterSize: 3, threshold: 0.5 }));
  assert.equal(Array.from(m.mask), [1, 1, 1, 1]);
  const mean = sensitivityMask(conv(4, 4), tensor([1, 1, 4, 4], data), params({ filterSize: 3, threshold: 0.5, regionRule: 'mean' }));
  assert.equal(Array.from(mean.mask), [1, 0, 0, 0]);
});

test('relative threshold 0 marks every non-zero region; 1 marks none', () => {
  const act = tensor([1, 1, 4, 4], Array.from({ length: 16 }, (_, i) => (i < 8 ? i + 1 : 0)));
  assert.is(sensitivityMask(conv(4, 4), act, params({ thresholdMode: 'relative', threshold: 0 })).sensitiveFraction, 0.5);
  assert.is(sensitivityMask(conv(4, 4), act, params({ thresholdMode: 'relative', threshold: 1 })).sensitiveFraction, 0);
});

test('fraction mode takes exactly the target share of regions, highest scores first', () => {
  const act = tensor([1, 2, 4, 4], Array.from({ length: 32 }, (_, i) => i));
  const m = sensitivityMask(conv(4, 4, 2), act, params({ thresholdMode: 'fraction', threshold: 0.25 }));
  assert.is(m.sensitiveRegions, 2);
  // The two highest-valued regions are the bottom ones of channel 1.
  assert.equal(Array.from(m.mask), [0, 0, 0, 0, 0, 0, 1, 1]);
});

test('property: the sensitive fraction never grows with the threshold', () => {
  fc.assert(
    fc.property(fc.array(fc.float({ min: 0, max: 10, noNaN: true }), { minLength: 36, maxLength: 36 }), fc.float({ min: 0, max: 1, noNaN: true }), fc.float({ min: 0, max: 1, noNaN: true }), (v, a, b) => {
      const act = tensor([1, 1, 6, 6], v);
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const f = (t: number) => sensitivityMask(conv(6, 6), act, params({ regionSize: 3, filterSize: 3, thresholdMode: 'relative', threshold: t })).sensitiveFraction;
      return f(hi) <= f(lo);
    }),
    { seed: 42, numRuns: 200 },
  );
});

test('region size not dividing the map, without a padding policy: a clear error', () => {
  throwsUser(() => sensitivityMask(conv(5, 5), tensor([1, 1, 5, 5], new Array(25).fill(1)), params(), { file: 'drq.json', path: '/drq' }), /regionPadding.*|does not divide/);
  const m = sensitivityMask(conv(5, 5), tensor([1, 1, 5, 5], new Array(25).fill(1)), params({ regionPadding: 'partial' }));
  assert.is(m.regionsH, 3);
  assert.is(m.mask.length, 9);
});

test('thresholds out of range are errors', () => {
  const act = tensor([1, 1, 4, 4], new Array(16).fill(1));
  throwsUser(() => sensitivityMask(conv(4, 4), act, params({ thresholdMode: 'relative', threshold: 1.5 })), /\[0, 1\]/);
  throwsUser(() => sensitivityMask(conv(4, 4), act, params({ thresholdMode: 'fraction', threshold: -0.1 })), />= 0/);
  throwsUser(() => sensitivityMask(conv(4, 4), act, params({ threshold: Number.NaN })), /finite/);
});

test('a conv trace without spatial dims is refused; a shape mismatch too', () => {
  throwsUser(() => sensitivityMask(conv(4, 4), tensor([1, 16], new Array(16).fill(1)), params()), /no spatial dims/);
  throwsUser(() => sensitivityMask(conv(4, 4), tensor([1, 1, 2, 8], new Array(16).fill(1)), params()), /does not match/);
  throwsUser(() => sensitivityMask(conv(4, 4), undefined, params()), /no input activations/);
});

test('fc inputs: policy high runs everything at high precision; policy channels makes regions over channels', () => {
  const fcLayer = makeLayer({ name: 'fc', kind: 'fc', C: 8, M: 2 });
  const act = tensor([1, 8], [5, 5, 0, 0, 0, 0, 0, 0]);
  const high = sensitivityMask(fcLayer, act, params());
  assert.is(high.policy, 'fc-high');
  assert.is(high.sensitiveFraction, 1);
  const ch = sensitivityMask(fcLayer, act, params({ fcPolicy: 'channels', regionSize: 4, threshold: 1 }));
  assert.equal(Array.from(ch.mask), [1, 0]);
});

test.run();
