import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { lightnnFormat, lightnnLayerExponent, quantizeLightnn, roundLightnn } from '../../../models/lightnn/quantizer.ts';

const FC = { seed: 42, numRuns: 60 };

test('K = 1: 16 legal values ±2^-m (m = 0…7), 4-bit storage, no zero', () => {
  const f = lightnnFormat(1);
  assert.is(f.storageBits, 4);
  assert.is(f.values.length, 16);
  assert.not.ok(f.values.includes(0));
  assert.is(f.values[15], 1);
  assert.is(f.values[8], 2 ** -7);
  assert.ok([...f.terms].every((t) => t === 1));
});

test('K = 2: single and double power-of-two magnitudes plus zero, 8-bit storage', () => {
  const f = lightnnFormat(2);
  assert.is(f.storageBits, 8);
  // 8 single terms + 28 pairs m1 < m2 + the value 2 (= 2^0 + 2^0); signed, plus zero.
  assert.is(f.values.length, 2 * (8 + 28 + 1) + 1);
  assert.is(f.values[f.values.length - 1], 2);
  const termsOf = (v: number) => f.terms[f.values.indexOf(v)];
  assert.is(termsOf(0), 0);
  assert.is(termsOf(0.5), 1);
  assert.is(termsOf(0.75), 2);
  assert.is(termsOf(2), 2);
  assert.is(termsOf(-(2 ** -3 + 2 ** -7)), 2);
});

test('illegal K is a user error', () => {
  for (const K of [0, 3, 1.5]) assert.throws(() => lightnnFormat(K), (e: Error) => e.name === 'UserError' && /K must be 1 or 2/.test(e.message));
  assert.throws(() => quantizeLightnn([0.1], 4, () => 0), /K must be 1 or 2/);
});

test('legal values stay put; values beyond the range are clipped', () => {
  const q1 = quantizeLightnn([0.25, -1, 5, -9], 1, () => 0.5);
  assert.equal([...q1.values], [0.25, -1, 1, -1]);
  assert.is(q1.clipped, 2);
  const q2 = quantizeLightnn([0.75, 3, 0], 2, () => 0.5);
  assert.equal([...q2.values], [0.75, 2, 0]);
  assert.equal(q2.termHistogram, [1, 0, 2]);
});

test('rounds up with p = (w − w_l)/(w_h − w_l)', () => {
  // 0.3 lies between 0.25 and 0.5 for K = 1: p = 0.2.
  assert.is(quantizeLightnn([0.3], 1, () => 0.19).values[0], 0.5);
  assert.is(quantizeLightnn([0.3], 1, () => 0.21).values[0], 0.25);
  // K = 1 has no zero: 0 rounds to ±2^-7 with p = 1/2.
  assert.is(quantizeLightnn([0], 1, () => 0.4).values[0], 2 ** -7);
  assert.is(quantizeLightnn([0], 1, () => 0.6).values[0], -(2 ** -7));
});

test('property: every output is a legal value', () => {
  fc.assert(
    fc.property(fc.constantFrom(1, 2), fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.integer(), (K, ws, seed) => {
      const legal = new Set(lightnnFormat(K).values);
      const q = quantizeLightnn(ws, K, seedrandom(String(seed)));
      return [...q.values].every((v) => legal.has(v));
    }),
    FC,
  );
});

test('property: stochastic rounding is unbiased in expectation inside the range', () => {
  const draws = 4000;
  fc.assert(
    fc.property(fc.constantFrom(1, 2), fc.double({ min: -0.999, max: 0.999, noNaN: true }), (K, w) => {
      const q = quantizeLightnn(new Float64Array(draws).fill(w), K, seedrandom(`unbiased:${K}:${w}`));
      const mean = q.values.reduce((s, v) => s + v, 0) / draws;
      const f = lightnnFormat(K);
      let k = 0;
      while (f.values[k + 1]! <= w) k++;
      const lo = f.values[k]!;
      const hi = f.values[Math.min(k + 1, f.values.length - 1)]!;
      const p = hi === lo ? 0 : (w - lo) / (hi - lo);
      const sigma = ((hi - lo) * Math.sqrt(p * (1 - p))) / Math.sqrt(draws);
      return Math.abs(mean - w) <= 5 * sigma + 1e-7;
    }),
    { seed: 7, numRuns: 40 },
  );
});

test('layer exponent: the power-of-two scale that brings the largest weight into range', () => {
  assert.is(lightnnLayerExponent([0.3, -0.05], 1), 1); // 0.6 ≤ 1 < 1.2
  assert.is(lightnnLayerExponent([0.3, -0.05], 2), 2); // 1.2 ≤ 2 < 2.4
  assert.is(lightnnLayerExponent([-3], 1), -2);
  assert.is(lightnnLayerExponent([0, 0], 2), 0);
});

test('same seed, same output', () => {
  const ws = Array.from({ length: 100 }, (_, i) => Math.sin(i));
  assert.equal(quantizeLightnn(ws, 2, seedrandom('a')).values, quantizeLightnn(ws, 2, seedrandom('a')).values);
});

test('rounding with a power-of-two scale in the loop = rounding a scaled float32 copy (same draws, histogram, clips)', () => {
  const w = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 0.03);
  for (const K of [1, 2] as const) {
    const e = lightnnLayerExponent(w, K);
    assert.ok(e > 0);
    const copy = quantizeLightnn(w.map((x) => x * 2 ** e), K, seedrandom.alea('s'));
    const inLoop = roundLightnn(w, K, seedrandom.alea('s'), 2 ** e);
    assert.equal(inLoop, { termHistogram: copy.termHistogram, clipped: copy.clipped });
    const out = new Float32Array(w.length);
    roundLightnn(w, K, seedrandom.alea('s'), 2 ** e, out);
    assert.equal(out, copy.values);
  }
});

test.run();
