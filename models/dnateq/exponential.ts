/**
 * DNA-TEQ's exponential representation (Khabbazan et al., arXiv 2306.16430, §III):
 * x̂ = sign(x) · (α · b^e + β), e an integer clipped to ±(2^(n−1) − 1), one code for zero and
 * the sign kept apart. Without the zero code (`zeroCode: false`: a layer whose terms 2 and 4 are
 * computed offline, where every activation contributes β_a) zero is quantized to the nearest
 * level, the lowest, like any other value. Pure numerics on Float32Arrays: the quantizer, its decision boundaries
 * (the same ones the comparator bank holds), dequantization and the error measure (RMAE).
 */
import { die } from '../../sim/errors.ts';
import { countAtMost } from '../../sim/sorted-count.ts';

export const MIN_BITS = 3;
export const MAX_BITS = 7;

/** Parameters of one tensor's exponential quantizer. Base and bits are shared within a layer. */
export interface ExpParams {
  /** Exponent bits n (3…7): 2^n − 1 exponent levels plus the zero code. */
  readonly bits: number;
  /** Base b > 1. */
  readonly base: number;
  /** Scale α > 0. */
  readonly alpha: number;
  /** Offset β (may be negative as long as the smallest level is positive). */
  readonly beta: number;
  /**
   * False: no zero code — |x| below the first level boundary maps to the lowest level, so every
   * value contributes α b^e + β (activations of a layer with terms 2 and 4 offline, §III-C).
   * Absent or true: the zero code (decision boundary at half the smallest level).
   */
  readonly zeroCode?: boolean;
}

/** Largest exponent magnitude E = 2^(n−1) − 1 (n = 7: E = 63, 127 levels). */
export function maxExponent(bits: number): number {
  return 2 ** (bits - 1) - 1;
}

/** Number of non-zero magnitude levels, 2E + 1 = 2^n − 1. */
export function levelCount(bits: number): number {
  return 2 * maxExponent(bits) + 1;
}

/** Throw a UserError unless n is in 3…7 and b > 1 (the paper's search range). */
export function checkBitsAndBase(bits: number, base: number, where?: string): void {
  if (!(Number.isInteger(bits) && bits >= MIN_BITS && bits <= MAX_BITS)) {
    die(`DNA-TEQ bitwidth must be an integer in ${MIN_BITS}..${MAX_BITS}, got ${bits}`, undefined, where);
  }
  if (!(Number.isFinite(base) && base > 1)) die(`DNA-TEQ base must be a finite number > 1, got ${base}`, undefined, where);
}

/** The magnitude of every level e = −E…E, ascending: α b^e + β. */
export function levels(p: ExpParams): Float64Array {
  const E = maxExponent(p.bits);
  const out = new Float64Array(2 * E + 1);
  for (let i = 0; i < out.length; i++) out[i] = p.alpha * p.base ** (i - E) + p.beta;
  return out;
}

/**
 * Sorted decision boundaries on |x|: boundary 0 separates the zero code from the smallest level
 * (nearest value: half the smallest level; 0 without the zero code, so every |x| ≥ 0 is coded); boundary k ≥ 1 separates level e = k−1−E from the next
 * at α b^(e+½) + β, which is rounding log_b((|x| − β)/α) to the nearest integer. These are the
 * 2^n − 1 FP16 values the comparator bank holds (§IV-A), so hardware and software agree exactly.
 */
export function boundaries(p: ExpParams): Float64Array {
  const E = maxExponent(p.bits);
  const out = new Float64Array(2 * E + 1);
  out[0] = p.zeroCode === false ? 0 : (p.alpha * p.base ** -E + p.beta) / 2;
  for (let k = 1; k < out.length; k++) out[k] = p.alpha * p.base ** (k - 1 - E + 0.5) + p.beta;
  return out;
}

/**
 * Code of one value: 0 for zero (with the zero code), otherwise sign · (e + E + 1) — zero itself
 * gets +1, the lowest level, without the zero code — so codes are ±1…±(2E+1) and fit
 * an Int8Array for n ≤ 7. `bounds` = boundaries(p), passed in so a tensor computes them once.
 */
export function encode(x: number, bounds: Float64Array): number {
  const a = Math.abs(x);
  if (!(a >= bounds[0]!)) return 0;
  // Binary search for the number of boundaries ≤ |x| (the thermometer code's leading one).
  let lo = 1;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= a) lo = mid + 1;
    else hi = mid;
  }
  return x < 0 ? -lo : lo;
}

/**
 * encode(x, bounds) for many values under one set of boundaries, in O(1) per value instead of a
 * binary search (the offline search encodes ~10^8 values on ResNet-50): the code's magnitude is
 * the number of boundaries ≤ |x| (sim/sorted-count.ts), which is what encode's search finds, so
 * the codes are encode's exactly. Boundaries that are not ascending fall back to encode.
 */
export function encoder(bounds: Float64Array): (x: number) => number {
  const count = countAtMost(bounds);
  if (!count) return (x) => encode(x, bounds);
  const b0 = bounds[0]!;
  return (x) => {
    const a = x < 0 ? -x : x;
    if (!(a >= b0)) return 0;
    const k = count(a);
    return x < 0 ? -k : k;
  };
}

/** Exponent e of a non-zero code. */
export function codeExponent(code: number, bits: number): number {
  return Math.abs(code) - 1 - maxExponent(bits);
}

/** Dequantized value of a code given the tensor's levels. */
export function decode(code: number, lv: Float64Array): number {
  if (code === 0) return 0;
  const m = lv[Math.abs(code) - 1]!;
  return code < 0 ? -m : m;
}

/** Quantize a whole tensor to codes. */
export function encodeTensor(x: Float32Array, p: ExpParams): Int8Array {
  const code = encoder(boundaries(p));
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = code(x[i]!);
  return out;
}

export function decodeTensor(codes: Int8Array, p: ExpParams): Float32Array {
  const lv = levels(p);
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = decode(codes[i]!, lv);
  return out;
}

/** A sample's indices in ascending |x| and its Σ|x| (summed in index order, as rmae sums), per sample array. */
const magnitudeOrders = new WeakMap<Float32Array, { order: Uint32Array; mag: number }>();

function magnitudeOrder(x: Float32Array): { order: Uint32Array; mag: number } {
  let o = magnitudeOrders.get(x);
  if (!o) {
    // Sort keys |x|'s float32 bits × 2^21 + index: exact in a double (< 2^52), and the bits of a
    // non-negative float32 order as its value does (NaN last).
    const bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const keys = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) keys[i] = (bits[i]! & 0x7fffffff) * 2 ** 21 + i;
    keys.sort();
    const order = new Uint32Array(x.length);
    for (let j = 0; j < x.length; j++) order[j] = keys[j]! % 2 ** 21;
    let mag = 0;
    for (let i = 0; i < x.length; i++) mag += Math.abs(x[i]!);
    magnitudeOrders.set(x, (o = { order, mag }));
  }
  return o;
}

let decoded = new Float64Array(0);

/**
 * Relative mean absolute error Σ|x − x̂| / Σ|x| (§III-B); 0 for an all-zero tensor. The search
 * measures it on one sample for dozens of candidate quantizers, so the sample is sorted by |x| once
 * and each call walks it against the ascending boundaries (every code is the count of boundaries
 * ≤ |x|, encode's code), then sums in index order as the direct loop does: the same number.
 */
export function rmae(x: Float32Array, p: ExpParams): number {
  const b = boundaries(p);
  const lv = levels(p);
  let err = 0;
  let ascending = x.length <= 2 ** 21;
  for (let k = 1; ascending && k < b.length; k++) ascending = b[k - 1]! <= b[k]!;
  if (!ascending) {
    const code = encoder(b);
    let mag = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      err += Math.abs(v - decode(code(v), lv));
      mag += Math.abs(v);
    }
    return mag > 0 ? err / mag : 0;
  }
  const { order, mag } = magnitudeOrder(x);
  if (decoded.length < x.length) decoded = new Float64Array(x.length);
  const b0 = b[0]!;
  for (let j = 0, k = 0; j < x.length; j++) {
    const i = order[j]!;
    const a = Math.abs(x[i]!);
    while (k < b.length && b[k]! <= a) k++;
    decoded[i] = a >= b0 ? lv[k - 1]! : 0;
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    err += Math.abs(v - (v < 0 ? -decoded[i]! : decoded[i]!));
  }
  return mag > 0 ? err / mag : 0;
}

/**
 * Full-scale-range α and β for a base (Algorithm 1's initialisation, also used at every step):
 * the largest level equals the largest |x| and the smallest equals `low`, the low end of the
 * range (a small quantile of the non-zero magnitudes, so one tiny outlier does not set it).
 */
export function fullScale(bits: number, base: number, high: number, low: number): { alpha: number; beta: number } {
  const E = maxExponent(bits);
  const top = base ** E;
  const bottom = base ** -E;
  const alpha = (high - low) / (top - bottom);
  return { alpha: alpha > 0 ? alpha : high > 0 ? high / top : 1, beta: alpha > 0 ? low - alpha * bottom : 0 };
}
