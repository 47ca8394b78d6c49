/**
 * LightNN weight quantizer (Ding, Liu, Blanton, Marculescu): every weight becomes a sum of at
 * most K signed powers of two, so a multiply becomes K shifts (and K − 1 adds).
 *
 * Legal values (m = 0…7, right shifts of the activation):
 * - K = 1: ±2^−m, stored in 4 bits (1 sign + 3 bits of m). All 16 codes are used, so **zero is
 *   not representable**: a weight in (−2^−7, 2^−7) rounds stochastically between −2^−7 and +2^−7
 *   (still unbiased in expectation).
 * - K = 2: ±2^−m and ±(2^−m1 + 2^−m2), stored in 8 bits (1 sign + 3 + 3 bits of m1, m2 + 1 bit
 *   "second term on"). With the second term off the m2 field is free, which leaves room for a
 *   zero code: **zero is legal for K = 2** and needs no shift at all. m1 = m2 gives 2^(1−m), so
 *   the largest K = 2 magnitude is 2 (two shifts by 0).
 * Stochastic rounding between the nearest legal neighbours w_l ≤ w < w_h rounds up with
 * p = (w − w_l)/(w_h − w_l), so E[Q(w)] = w inside the legal range; weights beyond the largest
 * magnitude are clipped to it first. Pure functions: the caller passes a seeded generator.
 */
import { die } from '../../sim/errors.ts';
import { countAtMost } from '../../sim/sorted-count.ts';

export type LightnnK = 1 | 2;

/** Largest right shift m (LightNN: m = 0…7). */
export const LIGHTNN_M_MAX = 7;

export interface LightnnFormat {
  readonly K: LightnnK;
  /** Bits one stored weight takes (4 for K = 1, 8 for K = 2). */
  readonly storageBits: number;
  readonly zeroLegal: boolean;
  /** Every legal value, ascending (negative ones included). */
  readonly values: Float64Array;
  /** Shifts (non-zero power-of-two terms) the cheapest encoding of `values[i]` needs. */
  readonly terms: Uint8Array;
}

const formats = new Map<LightnnK, LightnnFormat>();

/** The legal values of LightNN-K. K other than 1 or 2 is a user error. */
export function lightnnFormat(K: number, where?: string): LightnnFormat {
  if (K !== 1 && K !== 2) return die(`LightNN K must be 1 or 2 (at most K powers of two per weight), got ${K}`, undefined, where);
  const cached = formats.get(K);
  if (cached) return cached;
  // magnitude → fewest terms that encode it
  const mags = new Map<number, number>();
  for (let m1 = 0; m1 <= LIGHTNN_M_MAX; m1++) {
    mags.set(2 ** -m1, 1);
    if (K === 2) {
      for (let m2 = m1; m2 <= LIGHTNN_M_MAX; m2++) {
        const v = 2 ** -m1 + 2 ** -m2;
        if (!mags.has(v)) mags.set(v, 2);
      }
    }
  }
  const entries: [number, number][] = [];
  for (const [v, t] of mags) entries.push([v, t], [-v, t]);
  if (K === 2) entries.push([0, 0]);
  entries.sort((a, b) => a[0] - b[0]);
  const f: LightnnFormat = Object.freeze({
    K,
    storageBits: K === 1 ? 4 : 8,
    zeroLegal: K === 2,
    values: Float64Array.from(entries, (e) => e[0]),
    terms: Uint8Array.from(entries, (e) => e[1]),
  });
  formats.set(K, f);
  return f;
}

/** Index of the largest legal value ≤ x (x within the legal range). */
function floorIndex(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (values[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface LightnnQuantized {
  readonly values: Float32Array;
  /** Weights whose encoding needs 0, 1, 2 shifts (zero-skipped, one shifter, both shifters). */
  readonly termHistogram: readonly [number, number, number];
  /** Weights that were beyond the largest legal magnitude and got clipped. */
  readonly clipped: number;
}

/**
 * The power-of-two exponent s that brings a float tensor's largest magnitude into the legal range
 * (max|w| · 2^s ≤ largest legal magnitude, s as large as possible). A per-layer power-of-two scale
 * is free in hardware: it folds into the shift amounts of the next requantization. Used when the
 * weights come from a float trace rather than LightNN training; 0 for an all-zero tensor.
 */
export function lightnnLayerExponent(weights: ArrayLike<number>, K: number): number {
  const f = lightnnFormat(K);
  let maxAbs = 0;
  for (let i = 0; i < weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(weights[i]!));
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return 0;
  const top = f.values[f.values.length - 1]!;
  return Math.floor(Math.log2(top / maxAbs));
}

/** Quantize `weights` to LightNN-K by seeded stochastic rounding. */
export function quantizeLightnn(weights: ArrayLike<number>, K: number, rng: () => number): LightnnQuantized {
  const out = new Float32Array(weights.length);
  return { values: out, ...roundLightnn(weights, K, rng, 1, out) };
}

/**
 * The rounding itself, on `weights` × `scale` (a power of two, applied in float32 as a scaled
 * copy would be), writing the values to `out` only when given: the simulator needs just the
 * histogram, and skipping two 244 MB copies of AlexNet's weights halves its time.
 */
export function roundLightnn(weights: ArrayLike<number>, K: number, rng: () => number, scale = 1, out?: Float32Array): Omit<LightnnQuantized, 'values'> {
  const f = lightnnFormat(K);
  const { values, terms } = f;
  const max = values[values.length - 1]!;
  // floorIndex(values, w) = (values ≤ w) − 1 for w in range; the table form answers it in O(1).
  const count = countAtMost(values);
  const hist: [number, number, number] = [0, 0, 0];
  let clipped = 0;
  for (let i = 0; i < weights.length; i++) {
    let w = scale === 1 ? weights[i]! : Math.fround(weights[i]! * scale);
    if (!Number.isFinite(w)) die(`LightNN quantizer: weight ${i} is not finite (${w})`);
    if (w > max || w < -max) {
      clipped++;
      w = w > 0 ? max : -max;
    }
    let k = count ? Math.max(0, count(w) - 1) : floorIndex(values, w);
    const lo = values[k]!;
    if (lo !== w) {
      const hi = values[k + 1]!;
      if (rng() < (w - lo) / (hi - lo)) k++;
    }
    if (out) out[i] = values[k]!;
    hist[terms[k]! as 0 | 1 | 2]++;
  }
  return { termHistogram: hist, clipped };
}
