import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { boundaries, checkBitsAndBase, codeExponent, decode, encode, encoder, encodeTensor, decodeTensor, fullScale, levelCount, levels, maxExponent, rmae } from '../../../models/dnateq/exponential.ts';
import { UserError } from '../../../sim/errors.ts';

const p3 = { bits: 3, base: 2, alpha: 1, beta: 0 };

test('n bits give 2^n − 1 exponent levels, e in ±(2^(n−1) − 1)', () => {
  assert.equal([3, 4, 5, 6, 7].map(maxExponent), [3, 7, 15, 31, 63]);
  assert.equal([3, 4, 5, 6, 7].map(levelCount), [7, 15, 31, 63, 127]);
  assert.equal(Array.from(levels(p3)), [0.125, 0.25, 0.5, 1, 2, 4, 8]);
});

test('hand-computed codes: zero below half the smallest level, log-domain rounding, clipping, sign', () => {
  const b = boundaries(p3);
  assert.is(encode(0, b), 0);
  assert.is(encode(0.06, b), 0);
  assert.is(encode(0.07, b), 1); // nearer 0.125 than 0
  assert.is(codeExponent(encode(1, b), 3), 0);
  assert.is(codeExponent(encode(1.4, b), 3), 0); // log2 1.4 = 0.49 → 0
  assert.is(codeExponent(encode(1.42, b), 3), 1); // log2 1.42 = 0.506 → 1
  assert.is(codeExponent(encode(1000, b), 3), 3); // clipped
  assert.is(encode(-1, b), -encode(1, b));
  assert.is(decode(encode(-4, b), levels(p3)), -4);
});

test('without the zero code, zero and every small value take the lowest level; RMAE counts their distance to it', () => {
  const p = { ...p3, zeroCode: false };
  const b = boundaries(p);
  assert.is(encode(0, b), 1); // lowest level, e = −3: 0.125
  assert.is(encode(-0, b), 1);
  assert.is(encode(0.06, b), 1);
  assert.is(encode(0.2, b), 2); // log2 0.2 = −2.32 → −2: 0.25, as with the zero code
  assert.is(decode(encode(0, b), levels(p)), 0.125);
  assert.ok(!encodeTensor(Float32Array.from([0, 0, 1, 3]), p).includes(0), 'no zero code');
  // x = [0, 1]: |0 − 0.125| + |1 − 1| over Σ|x| = 1 → 0.125 (with the zero code: 0).
  assert.is(rmae(Float32Array.from([0, 1]), p), 0.125);
  assert.is(rmae(Float32Array.from([0, 1]), p3), 0);
});

test('codes fit int8 at 7 bits and decode(encode(x)) is the nearest level in the log domain', () => {
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 7 }), fc.double({ min: 1.01, max: 3, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (bits, base, x) => {
      const p = { bits, base, ...fullScale(bits, base, 40, 0.01) };
      const code = encode(x, boundaries(p));
      if (Math.abs(code) > 127) return false;
      const y = decode(code, levels(p));
      if (code === 0) return Math.abs(x) < levels(p)[0]! / 2 + 1e-12;
      // No other level is closer in log((|x| − β)/α) once |x| is inside the level range.
      const lv = levels(p);
      if (Math.abs(x) <= lv[0]! || Math.abs(x) >= lv[lv.length - 1]!) return Math.sign(y) === Math.sign(x);
      const t = Math.log((Math.abs(x) - p.beta) / p.alpha) / Math.log(base);
      return Math.abs(codeExponent(code, bits) - t) <= 0.5 + 1e-9;
    }),
    { seed: 7, numRuns: 500 },
  );
});

test('tensor round trip: values on the levels come back exactly; RMAE is 0 for them', () => {
  const p = { bits: 4, base: 1.5, alpha: 0.2, beta: 0.01 };
  const lv = levels(p);
  const x = Float32Array.from([0, ...Array.from(lv, (v, i) => (i % 2 ? -v : v))]);
  const back = decodeTensor(encodeTensor(x, p), p);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(back[i]! - x[i]!) <= 1e-6 * Math.abs(x[i]!), `${i}`);
  assert.ok(rmae(x, p) < 1e-6);
});

test('full-scale fit puts the largest level at the maximum and the smallest at the low end', () => {
  const f = fullScale(5, 1.2, 10, 0.05);
  const lv = levels({ bits: 5, base: 1.2, ...f });
  assert.ok(Math.abs(lv[lv.length - 1]! - 10) < 1e-9);
  assert.ok(Math.abs(lv[0]! - 0.05) < 1e-9);
});

test('the table encoder gives encode\'s code for every value, with and without the zero code', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 3, max: 7 }),
      fc.double({ min: 1.001, max: 4, noNaN: true }),
      fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
      fc.double({ min: -1e-3, max: 1e-2, noNaN: true }),
      fc.boolean(),
      fc.array(fc.oneof(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.float({ noNaN: true }), fc.constantFrom(0, -0)), { minLength: 1, maxLength: 200 }),
      (bits, base, alpha, beta, zeroCode, xs) => {
        const p = { bits, base, alpha, beta: Math.max(beta, -alpha * base ** -maxExponent(bits) * 0.5), zeroCode };
        const b = boundaries(p);
        const code = encoder(b);
        // The values themselves, the boundaries and their float neighbours: the edges decide codes.
        for (const x of [...xs, ...b, ...Array.from(b, (v) => -v), ...Array.from(b, (v) => Math.fround(v)), ...Array.from(b, (v) => v * (1 + 2e-16))]) assert.is(code(x), encode(x, b), `x = ${x}`);
      },
    ),
    { numRuns: 300 },
  );
});

test('rmae (sorted walk, the sample reused across quantizers) equals its definition with encode and decode', () => {
  const direct = (x: Float32Array, p: Parameters<typeof rmae>[1]) => {
    const b = boundaries(p);
    const lv = levels(p);
    let err = 0;
    let mag = 0;
    for (let i = 0; i < x.length; i++) {
      err += Math.abs(x[i]! - decode(encode(x[i]!, b), lv));
      mag += Math.abs(x[i]!);
    }
    return mag > 0 ? err / mag : 0;
  };
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.float({ noNaN: true, min: -10, max: 10 }), fc.constantFrom(0, -0)), { minLength: 1, maxLength: 300 }),
      fc.array(fc.record({ bits: fc.integer({ min: 3, max: 7 }), base: fc.double({ min: 1.01, max: 3, noNaN: true }), alpha: fc.double({ min: 1e-4, max: 1, noNaN: true }), zeroCode: fc.boolean() }), { minLength: 1, maxLength: 6 }),
      (values, ps) => {
        const x = Float32Array.from(values);
        for (const p of ps) assert.is(rmae(x, { ...p, beta: 0 }), direct(x, { ...p, beta: 0 }));
      },
    ),
    { numRuns: 200 },
  );
});

test('bad input: n outside 3…7 and base ≤ 1 are user errors', () => {
  for (const bits of [2, 8, 3.5]) assert.throws(() => checkBitsAndBase(bits, 2), (e: unknown) => e instanceof UserError && /3\.\.7/.test((e as Error).message));
  for (const base of [1, 0.5, NaN]) assert.throws(() => checkBitsAndBase(4, base), (e: unknown) => e instanceof UserError && /base/.test((e as Error).message));
});

test.run();
