/**
 * The dot product the way DNA-TEQ's hardware computes it (arXiv 2306.16430, §III-C, §IV):
 *   Σ x̂_a x̂_w = α_a α_w Σ s·b^(ea+ew)   (term 1: array counter AC1, indexed by ea+ew)
 *             + β_a α_w Σ s·b^ew        (term 2: AC2, indexed by the weight exponent ew)
 *             + α_a β_w Σ s·b^ea        (term 3: AC3, indexed by the activation exponent ea)
 *             + β_a β_w Σ s             (term 4: an accumulator)
 * over the pairs whose codes are both non-zero, with s = s_a XOR s_w choosing increment or
 * decrement. The post-processing stage then multiplies each non-zero count by its power of b
 * from an FP16 table, accumulates, multiplies by the coefficients and adds the terms — here in
 * emulated FP16, so tests can hold the result to FP16 tolerance of the direct dot product.
 *
 * Term numbering: terms 2 and 4 are the ones that carry β_a. When activations are non-negative
 * s = s_w, so they depend on the weights alone and can be computed offline — the paper's AlexNet
 * CONV3 example ("terms 2 and 4 are computed offline since the activations of this layer are
 * always positive"; AC1 and AC3 are its active counters). Offline they are summed over every
 * weight of the filter, which differs from the online sum where an activation has the zero code
 * (or is padding): that difference is the offline approximation's error, measured in search.ts.
 *
 * Counter overflow: the counters are `counterBits` wide (8 in the paper). An update that would
 * leave the signed range spills the entry first: its count × b^k goes to the term's FP16
 * accumulator in post-processing and the entry restarts at 0. Spills are counted (they cost a
 * post-processing MAC each).
 */
import { maxExponent, type ExpParams } from './exponential.ts';

// The binary exponent of a double read from its bits (little-endian hosts: every Node target),
// exact where Math.log2 needs correcting, and 5× cheaper in the search's hot loop.
const F64 = new Float64Array(1);
const HIGH_WORD = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** 2^(e − 10) for the FP16 exponents e = −14…15: the spacing of FP16 values in that binade. */
const ULP = Float64Array.from({ length: 30 }, (_, i) => 2 ** (i - 14 - 10));

function binaryExponent(a: number): number {
  if (!LITTLE_ENDIAN) {
    let e = Math.floor(Math.log2(a));
    if (2 ** e > a) e--;
    else if (2 ** (e + 1) <= a) e++;
    return e;
  }
  F64[0] = a;
  return ((HIGH_WORD[1]! >>> 20) & 0x7ff) - 1023;
}

/** Round to the nearest IEEE half-precision value (overflow → ±Infinity, gradual underflow). */
export function fp16(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  // Below 2^-14 FP16 is subnormal: the spacing stays that of the smallest binade.
  const e = Math.max(binaryExponent(a), -14);
  const ulp = ULP[e + 14]!;
  // Round half to even, as IEEE 754 does.
  const q = a / ulp;
  const fl = Math.floor(q);
  const d = q - fl;
  const r = (d > 0.5 || (d === 0.5 && fl % 2 === 1) ? fl + 1 : fl) * ulp;
  return x < 0 ? -r : r;
}

const powerTables = new Map<string, Float64Array>();

/**
 * The post-processing LUT: fp16(b^(k − offset)) for k = 0 … length − 1, the FP16 powers the
 * drains multiply counts by. Memoised (a few tables live at a time: one base per search candidate),
 * so the search's hot loop computes each power once per candidate instead of once per count.
 */
function powerTable(b: number, offset: number, length: number): Float64Array {
  const key = `${b} ${offset} ${length}`;
  let t = powerTables.get(key);
  if (!t) {
    if (powerTables.size >= 64) powerTables.clear();
    t = Float64Array.from({ length }, (_, k) => fp16(b ** (k - offset)));
    powerTables.set(key, t);
  }
  return t;
}

export interface ExpDotOptions {
  /** Width of one array-counter entry, bits (paper: 8). */
  counterBits?: number;
  /** Whether the β_a terms (2 and 4) are counted online; false when they are offline or β_a = 0. */
  activationOffsetTerms?: boolean;
  /**
   * Terms 2 and 4 precomputed offline over the whole filter (offlineOffsetSums): used instead
   * of the online counts (implies activationOffsetTerms false).
   */
  offline?: OfflineOffsetSums;
}

/** The weight-only sums of terms 2 and 4 over every weight of one filter: Σ s_w b^ew and Σ s_w. */
export interface OfflineOffsetSums {
  readonly term2: number;
  readonly term4: number;
}

/**
 * Terms 2 and 4's sums over a filter's weight codes (non-negative activations: s = s_w), formed
 * as the hardware would: counts per weight exponent, then Σ count × b^k in FP16 (so on the same
 * pairs it is bit-identical to the online AC2 drain).
 */
export function offlineOffsetSums(wCodes: ArrayLike<number>, pw: ExpParams): OfflineOffsetSums {
  const E = maxExponent(pw.bits);
  const counts = new Int32Array(2 * E + 1);
  let term4 = 0;
  for (let i = 0; i < wCodes.length; i++) {
    const cw = wCodes[i]!;
    if (cw === 0) continue;
    const s = cw < 0 ? -1 : 1;
    counts[(cw < 0 ? -cw : cw) - 1]! += s;
    term4 += s;
  }
  let term2 = 0;
  const pow = powerTable(pw.base, E, counts.length);
  for (let k = 0; k < counts.length; k++) if (counts[k] !== 0) term2 = fp16(term2 + fp16(counts[k]! * pow[k]!));
  return { term2, term4 };
}

/** What one output's exponent-domain dot product did, for the hardware model. */
export interface ExpDotResult {
  /** The value post-processing produces (FP16 arithmetic). */
  value: number;
  /** Pairs with both codes non-zero (each updates the counters once). */
  pairs: number;
  /** Non-zero entries left in AC1 / AC3 (activation exponents) / AC2 (weight exponents). */
  nonZeroAc1: number;
  nonZeroAcA: number;
  nonZeroAcW: number;
  /** Entries spilled to post-processing because a counter would overflow. */
  spills: number;
}

/**
 * One output: codes of the activation and weight operands (same length, paired by index),
 * quantized with parameters that share base and bits.
 */
export function exponentDot(aCodes: ArrayLike<number>, wCodes: ArrayLike<number>, pa: ExpParams, pw: ExpParams, opt: ExpDotOptions = {}): ExpDotResult {
  if (pa.base !== pw.base || pa.bits !== pw.bits) throw new Error('exponentDot: weights and activations of a layer share base and bits');
  const counterBits = opt.counterBits ?? 8;
  const withOffset = !opt.offline && (opt.activationOffsetTerms ?? true);
  const limit = 2 ** (counterBits - 1);
  const E = maxExponent(pa.bits);
  const b = pa.base;
  const ac1 = new Int32Array(4 * E + 1);
  const acA = new Int32Array(2 * E + 1);
  const acW = new Int32Array(2 * E + 1);
  // Spilled partial sums per term, in FP16 as the post-processing accumulators hold them.
  let spill1 = 0;
  let spillA = 0;
  let spillW = 0;
  let spills = 0;
  let acc4 = 0;
  let pairs = 0;
  const pow1 = powerTable(b, 2 * E, ac1.length);
  const powE = powerTable(b, E, acA.length);
  const bump = (ac: Int32Array, k: number, s: number, pow: Float64Array): number => {
    const old = ac[k]!;
    const c = old + s;
    if (c >= limit || c < -limit) {
      spills++;
      ac[k] = s;
      return fp16(old * pow[k]!);
    }
    ac[k] = c;
    return 0;
  };
  for (let i = 0; i < aCodes.length; i++) {
    const ca = aCodes[i]!;
    const cw = wCodes[i]!;
    if (ca === 0 || cw === 0) continue;
    pairs++;
    const s = (ca < 0) !== (cw < 0) ? -1 : 1;
    // codeExponent, inlined: this loop runs for every pair the search samples.
    const ea = (ca < 0 ? -ca : ca) - 1 - E;
    const ew = (cw < 0 ? -cw : cw) - 1 - E;
    const p1 = bump(ac1, ea + ew + 2 * E, s, pow1);
    if (p1 !== 0) spill1 = fp16(spill1 + p1);
    const pA = bump(acA, ea + E, s, powE);
    if (pA !== 0) spillA = fp16(spillA + pA);
    if (withOffset) {
      const pW = bump(acW, ew + E, s, powE);
      if (pW !== 0) spillW = fp16(spillW + pW);
      acc4 += s;
    }
  }
  // Post-processing: Σ count × LUT power per non-zero entry, FP16 multiply-accumulate.
  const drain = (ac: Int32Array, pow: Float64Array, start: number): { sum: number; nonZero: number } => {
    let sum = start;
    let nonZero = 0;
    for (let k = 0; k < ac.length; k++) {
      const c = ac[k]!;
      if (c === 0) continue;
      nonZero++;
      sum = fp16(sum + fp16(c * pow[k]!));
    }
    return { sum, nonZero };
  };
  const t1 = drain(ac1, pow1, spill1);
  const tA = drain(acA, powE, spillA);
  const tW = drain(acW, powE, spillW);
  let value = fp16(fp16(fp16(pa.alpha) * fp16(pw.alpha)) * t1.sum);
  value = fp16(value + fp16(fp16(fp16(pa.alpha) * fp16(pw.beta)) * tA.sum));
  const t2 = opt.offline ? opt.offline.term2 : withOffset ? tW.sum : 0;
  const t4 = opt.offline ? opt.offline.term4 : withOffset ? acc4 : 0;
  if (t2 !== 0 || t4 !== 0) {
    value = fp16(value + fp16(fp16(fp16(pa.beta) * fp16(pw.alpha)) * t2));
    value = fp16(value + fp16(fp16(fp16(pa.beta) * fp16(pw.beta)) * t4));
  }
  return { value, pairs, nonZeroAc1: t1.nonZero, nonZeroAcA: tA.nonZero, nonZeroAcW: tW.nonZero, spills };
}
