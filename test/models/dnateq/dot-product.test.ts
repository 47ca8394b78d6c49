import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { exponentDot, fp16, offlineOffsetSums } from '../../../models/dnateq/dot-product.ts';
import { decode, encodeTensor, levels, maxExponent } from '../../../models/dnateq/exponential.ts';

const U = 2 ** -11; // FP16 unit roundoff

test('fp16 from the exponent bits equals a log2-based rounding on any double; idempotent and monotone', () => {
  // An independent oracle: the binade from Math.log2 (corrected), then round half to even.
  const oracle = (x: number): number => {
    if (x === 0 || !Number.isFinite(x)) return x;
    const a = Math.abs(x);
    if (a >= 65520) return x > 0 ? Infinity : -Infinity;
    let e = Math.max(Math.floor(Math.log2(a)), -14);
    if (e > -14 && 2 ** e > a) e--;
    else if (2 ** (e + 1) <= a) e++;
    const ulp = 2 ** (e - 10);
    const fl = Math.floor(a / ulp);
    const d = a / ulp - fl;
    const r = (d > 0.5 || (d === 0.5 && fl % 2 === 1) ? fl + 1 : fl) * ulp;
    return x < 0 ? -r : r;
  };
  fc.assert(
    fc.property(fc.double(), fc.double(), (x, y) => {
      assert.ok(Object.is(fp16(x), oracle(x)), String(x));
      assert.ok(Object.is(fp16(fp16(x)), fp16(x)));
      if (x <= y) assert.ok(!(fp16(x) > fp16(y)));
    }),
    { seed: 16, numRuns: 20000 },
  );
});

test('fp16 rounds to half precision: 11 significant bits, overflow past 65504, subnormals', () => {
  assert.is(fp16(1 + 2 ** -11), 1); // tie → nearest representable (1)
  assert.is(fp16(1 + 2 ** -10), 1 + 2 ** -10);
  assert.is(fp16(65504), 65504);
  assert.is(fp16(70000), Infinity);
  assert.is(fp16(2 ** -24), 2 ** -24);
  assert.is(fp16(0.1), 0.0999755859375);
});

/** Direct dot product of the dequantized operands, and the magnitude bound of its four terms. */
function direct(ca: number[], cw: number[], pa: { bits: number; base: number; alpha: number; beta: number }, pw: typeof pa) {
  const la = levels(pa);
  const lw = levels(pw);
  const E = maxExponent(pa.bits);
  let y = 0;
  let bound = 0;
  for (let i = 0; i < ca.length; i++) {
    y += decode(ca[i]!, la) * decode(cw[i]!, lw);
    if (ca[i] === 0 || cw[i] === 0) continue;
    const ea = Math.abs(ca[i]!) - 1 - E;
    const ew = Math.abs(cw[i]!) - 1 - E;
    bound += (pa.alpha * pa.base ** ea + Math.abs(pa.beta)) * (pw.alpha * pw.base ** ew + Math.abs(pw.beta));
  }
  return { y, bound };
}

test('property: counts × LUT powers × coefficients (four terms) = direct dot product to FP16 tolerance', () => {
  const arb = fc
    .record({ bits: fc.integer({ min: 3, max: 7 }), k: fc.integer({ min: 1, max: 200 }), seedCodes: fc.array(fc.integer({ min: -127, max: 127 }), { minLength: 400, maxLength: 400 }) })
    .chain(({ bits, k, seedCodes }) => {
      const E = maxExponent(bits);
      // Keep every partial sum (≤ K · b^(2E) · coefficients) inside FP16's range, as a layer must.
      const maxBase = Math.min(2, 200 ** (1 / (2 * E)));
      return fc.record({
        bits: fc.constant(bits),
        k: fc.constant(k),
        codes: fc.constant(seedCodes.map((c) => (c === 0 ? 0 : Math.sign(c) * (1 + (Math.abs(c) % (2 * E + 1)))))),
        base: fc.double({ min: 1.01, max: maxBase, noNaN: true }),
        alphaA: fc.double({ min: 0.05, max: 2, noNaN: true }),
        alphaW: fc.double({ min: 0.001, max: 0.1, noNaN: true }),
        betaA: fc.double({ min: -0.02, max: 0.5, noNaN: true }),
        betaW: fc.double({ min: -0.001, max: 0.01, noNaN: true }),
      });
    });
  fc.assert(
    fc.property(arb, (r) => {
      const pa = { bits: r.bits, base: r.base, alpha: r.alphaA, beta: r.betaA };
      const pw = { bits: r.bits, base: r.base, alpha: r.alphaW, beta: r.betaW };
      const ca = r.codes.slice(0, r.k);
      const cw = r.codes.slice(200, 200 + r.k);
      const hw = exponentDot(ca, cw, pa, pw);
      const { y, bound } = direct(ca, cw, pa, pw);
      const entries = hw.nonZeroAc1 + hw.nonZeroAcA + hw.nonZeroAcW + 8;
      return Math.abs(hw.value - y) <= 4 * U * entries * bound + 1e-7;
    }),
    { seed: 11, numRuns: 300 },
  );
});

test('counter overflow spills to post-processing and the result stays exact', () => {
  // 1000 pairs with ea = ew = 0 and the same sign: AC1's entry would reach 1000 » 127.
  const p = { bits: 3, base: 2, alpha: 0.5, beta: 0.25 };
  const code = 1 + maxExponent(3); // e = 0
  const ca = new Array(1000).fill(code);
  const cw = new Array(1000).fill(code);
  const hw = exponentDot(ca, cw, p, p);
  assert.is(hw.pairs, 1000);
  // Each counter (AC1, AC2, AC3) spills every 127 increments: ⌊999/127⌋ = 7 times each.
  assert.is(hw.spills, 3 * 7);
  assert.is(hw.value, 1000 * 0.75 * 0.75);
  // With 16-bit counters nothing spills and the value is the same.
  const wide = exponentDot(ca, cw, p, p, { counterBits: 16 });
  assert.is(wide.spills, 0);
  assert.is(wide.value, hw.value);
});

test('decrements: opposite signs cancel in the counters, zero codes are skipped', () => {
  const p = { bits: 4, base: 1.5, alpha: 1, beta: 0 };
  const E = maxExponent(4);
  const c = 3 + E + 1; // e = 3
  const hw = exponentDot([c, -c, 0, c], [c, c, c, 0], p, p, { activationOffsetTerms: false });
  assert.is(hw.pairs, 2);
  assert.is(hw.value, 0);
  assert.is(hw.nonZeroAc1, 0);
});

test('hand-computed 2×2: offline terms 2 and 4 equal the online ones for non-negative activations without the zero code', () => {
  // n = 3 (E = 3, code = e + 4), b = 2. Activations: α 1, β 0.5; weights: α 0.5, β 0.25.
  const pa = { bits: 3, base: 2, alpha: 1, beta: 0.5 };
  const pw = { bits: 3, base: 2, alpha: 0.5, beta: 0.25 };
  const a = [5, 4]; // e = 1, 0 → 2.5, 1.5
  const W = [
    [4, -3], // e = 0, −1 → 0.75, −0.5
    [-6, 5], // e = 2, 1 → −2.25, 1.25
  ];
  // Output 0: 2.5·0.75 + 1.5·(−0.5) = 1.125; Σ s·b^ew = 1 − 0.5 = 0.5, Σ s = 0.
  // Output 1: 2.5·(−2.25) + 1.5·1.25 = −3.75; Σ s·b^ew = −4 + 2 = −2, Σ s = 0.
  const expected = [
    { y: 1.125, term2: 0.5, term4: 0 },
    { y: -3.75, term2: -2, term4: 0 },
  ];
  W.forEach((w, m) => {
    const off = offlineOffsetSums(w, pw);
    assert.equal(off, { term2: expected[m]!.term2, term4: expected[m]!.term4 });
    assert.is(exponentDot(a, w, pa, pw).value, expected[m]!.y);
    assert.is(exponentDot(a, w, pa, pw, { offline: off }).value, expected[m]!.y);
  });
  // Why the offline layer has no zero code: with a zero-coded activation the offline sums still
  // count its weight. Output 0 with a = [5, 0]: online 2.5·0.75 = 1.875; offline adds
  // β_a·(α_w·(−0.5) + β_w·(−1)) = 0.5·(−0.5) = −0.25.
  assert.is(exponentDot([5, 0], W[0]!, pa, pw).value, 1.875);
  assert.is(exponentDot([5, 0], W[0]!, pa, pw, { offline: offlineOffsetSums(W[0]!, pw) }).value, 1.625);
});

test('hand-computed 2×2 with a zero activation and no zero code: it takes the lowest level, offline and online agree exactly', () => {
  // As above (n = 3, b = 2; activations α 1, β 0.5; weights α 0.5, β 0.25), activations [2.5, 0]
  // through the quantizer without the zero code: 0 → code 1 (e = −3), level 1·2^−3 + 0.5 = 0.625.
  const pa = { bits: 3, base: 2, alpha: 1, beta: 0.5, zeroCode: false };
  const pw = { bits: 3, base: 2, alpha: 0.5, beta: 0.25 };
  const a = Array.from(encodeTensor(Float32Array.from([2.5, 0]), pa));
  assert.equal(a, [5, 1]);
  const W = [
    [4, -3], // 0.75, −0.5
    [-6, 5], // −2.25, 1.25
  ];
  // Output 0: 2.5·0.75 + 0.625·(−0.5) = 1.5625. Output 1: 2.5·(−2.25) + 0.625·1.25 = −4.84375.
  const expected = [1.5625, -4.84375];
  W.forEach((w, m) => {
    const online = exponentDot(a, w, pa, pw);
    const offline = exponentDot(a, w, pa, pw, { offline: offlineOffsetSums(w, pw) });
    assert.is(online.pairs, 2, 'the zero activation is an ordinary pair');
    assert.is(online.value, expected[m]!);
    assert.is(offline.value, online.value);
  });
});

test.run();
