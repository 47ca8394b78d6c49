import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { depthwiseToOihw, hwioToOihw, nhwcToNchw, oihwToHwio, transpose2d } from '../../../traces/real/layout.ts';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

test('NHWC → NCHW on a 1×2×2×3 ramp puts each channel plane together', () => {
  // NHWC values: pixel p, channel c at p*3 + c.
  const r = nhwcToNchw(iota(12), [1, 2, 2, 3]);
  assert.equal(r.shape, [1, 3, 2, 2]);
  assert.equal(Array.from(r.data), [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
});

test('HWIO → OIHW with per-output-channel scale folds the scale into each filter', () => {
  // R=S=1, C=2, M=3: HWIO value at i*3 + o.
  const r = hwioToOihw(iota(6), [1, 1, 2, 3], Float32Array.of(1, 10, 100));
  assert.equal(r.shape, [3, 2, 1, 1]);
  assert.equal(Array.from(r.data), [0, 3, 10, 40, 200, 500]);
  const k2 = hwioToOihw(iota(8), [2, 2, 2, 1]);
  assert.equal(k2.shape, [1, 2, 2, 2]);
  assert.equal(Array.from(k2.data), [0, 2, 4, 6, 1, 3, 5, 7]);
});

test('fc [in, out] → [out, in]', () => {
  const r = transpose2d(iota(6), [2, 3]);
  assert.equal(r.shape, [3, 2]);
  assert.equal(Array.from(r.data), [0, 3, 1, 4, 2, 5]);
});

test('shape mismatches are bugs (thrown Errors), not silent reshapes', () => {
  assert.throws(() => nhwcToNchw(iota(5), [1, 2, 2, 1]), /4-d NHWC shape for 5 values/);
  assert.throws(() => hwioToOihw(iota(4), [1, 1, 2, 2], Float32Array.of(1)), /scale has 1 entries for 2 output channels/);
  assert.throws(() => transpose2d(iota(4), [3, 2]), /2-d shape/);
});

test('element [n,h,w,c] of NHWC lands at [n,c,h,w] of NCHW (property, fixed seed)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), (n, h, w, c) => {
      const r = nhwcToNchw(iota(n * h * w * c), [n, h, w, c]);
      for (let b = 0; b < n; b++)
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++)
            for (let ch = 0; ch < c; ch++) if (r.data[((b * c + ch) * h + y) * w + x] !== ((b * h + y) * w + x) * c + ch) return false;
      return true;
    }),
    { seed: 42, numRuns: 100 },
  );
});

test('depthwise [R, S, C, 1] → [C, 1, R, S], and OIHW → HWIO undoes HWIO → OIHW', () => {
  // R = S = 2, C = 2: tfjs value at (y·2 + x)·2 + c.
  const d = depthwiseToOihw(iota(8), [2, 2, 2, 1]);
  assert.equal(d.shape, [2, 1, 2, 2]);
  assert.equal(Array.from(d.data), [0, 2, 4, 6, 1, 3, 5, 7]);
  // Depth multiplier 2: output channel c·2 + k reads input channel c.
  assert.equal(depthwiseToOihw(iota(4), [1, 1, 2, 2]).data, Float32Array.of(0, 1, 2, 3));
  const w = hwioToOihw(iota(2 * 3 * 4 * 5), [2, 3, 4, 5]);
  assert.equal(oihwToHwio(w.data, w.shape), iota(120));
  assert.equal(oihwToHwio(d.data, d.shape), iota(8), 'a depthwise [C, 1, R, S] goes back to tfjs order');
});

test.run();
