import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { quantizeFractional, chooseFractionalBits, fractionalCode } from '../../../models/fixedpoint/fractional-bit-quantizer.ts';

test('Q(r; N_r, n) = clip(round(r · 2^N_r)) · 2^−N_r, by hand', () => {
  // 0.3 · 16 = 4.8 → 5 → 0.3125; 100 · 16 clips to 127 → 7.9375; −1.5 rounds away from zero → −2 → −0.125.
  assert.equal([...quantizeFractional([0.3, 100, -0.09375, -100], 4, 8)], [0.3125, 7.9375, -0.125, -8]);
  // Negative N_r: steps of 4.
  assert.equal([...quantizeFractional([9, -7], -2, 4)], [8, -8]);
  assert.is(fractionalCode(0.5, 1, 2), 1);
});

test('N_r from the tensor: the largest count that does not clip its largest magnitude', () => {
  // 1.9 · 2^6 = 121.6 → 122 ≤ 127, 1.9 · 2^7 = 243 > 127.
  assert.is(chooseFractionalBits([0.5, -1.9], 8), 6);
  // Boundary: 127 · 2^−7 fits exactly at N_r = 7.
  assert.is(chooseFractionalBits([127 / 128], 8), 7);
  assert.is(chooseFractionalBits([0, 0], 8), 64);
});

test('property: the chosen N_r never clips and N_r + 1 would', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 2, max: 16 }), (xs, n) => {
      const maxAbs = Math.max(...xs.map(Math.abs));
      if (maxAbs < 1e-9) return true;
      const Nr = chooseFractionalBits(xs, n);
      const hi = 2 ** (n - 1) - 1;
      const fits = (N: number) => Math.floor(maxAbs * 2 ** N + 0.5) <= hi;
      return fits(Nr) && !fits(Nr + 1);
    }),
    { seed: 3, numRuns: 200 },
  );
});

test('clear errors for illegal bitwidths and N_r', () => {
  assert.throws(() => quantizeFractional([1], 4, 1), /n must be an integer in 2..32 bits, got 1/);
  assert.throws(() => quantizeFractional([1], 4, 33), /got 33/);
  assert.throws(() => quantizeFractional([1], 1.5, 8), /N_r must be an integer in -32..64, got 1.5/);
  assert.throws(() => quantizeFractional([1], 65, 8), /got 65/);
  assert.throws(() => chooseFractionalBits([Infinity], 8), /not finite/);
});

test.run();
