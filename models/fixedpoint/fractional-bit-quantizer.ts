/**
 * Geng et al.'s fixed point with a fractional-bit count per tensor:
 *   Q(r; N_r, n) = clip(round(r · 2^N_r), −2^(n−1), 2^(n−1) − 1) · 2^−N_r.
 * N_r is chosen per tensor from the trace as the largest count for which the tensor's largest
 * magnitude still fits in n signed bits (no clipping of the observed range). Rounding is
 * round-half-away-from-zero, what a rounding add of half an LSB on a sign-magnitude value does.
 * Pure functions.
 */
import { die } from '../../sim/errors.ts';

/** Fractional-bit counts a tensor may use: integers in this range (negative = coarser than 1). */
export const FRACTIONAL_BITS_RANGE = { min: -32, max: 64 } as const;

export function checkBits(n: number, where = '/bits'): void {
  if (!(Number.isInteger(n) && n >= 2 && n <= 32)) die(`fixed-point width n must be an integer in 2..32 bits, got ${n}`, undefined, where);
}

export function checkFractionalBits(Nr: number, where = '/fractionalBits'): void {
  const { min, max } = FRACTIONAL_BITS_RANGE;
  if (!(Number.isInteger(Nr) && Nr >= min && Nr <= max)) die(`fractional bits N_r must be an integer in ${min}..${max}, got ${Nr}`, undefined, where);
}

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
}

/** The integer code clip(round(r · 2^N_r)). */
export function fractionalCode(r: number, Nr: number, n: number): number {
  const hi = 2 ** (n - 1) - 1;
  const lo = -(2 ** (n - 1));
  return Math.min(hi, Math.max(lo, roundHalfAway(r * 2 ** Nr)));
}

/** Q(r; N_r, n) for every element. */
export function quantizeFractional(values: ArrayLike<number>, Nr: number, n: number): Float32Array {
  checkBits(n);
  checkFractionalBits(Nr);
  const out = new Float32Array(values.length);
  const step = 2 ** -Nr;
  for (let i = 0; i < values.length; i++) out[i] = fractionalCode(values[i]!, Nr, n) * step;
  return out;
}

/**
 * The largest N_r with max|r| · 2^N_r ≤ 2^(n−1) − 1 (after rounding), clamped to the legal
 * range. An all-zero tensor gets the largest N_r (any choice is exact).
 */
export function chooseFractionalBits(values: ArrayLike<number>, n: number): number {
  checkBits(n);
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (!Number.isFinite(a)) die(`fractional-bit quantizer: element ${i} is not finite`);
    if (a > maxAbs) maxAbs = a;
  }
  const { min, max } = FRACTIONAL_BITS_RANGE;
  if (maxAbs === 0) return max;
  const hi = 2 ** (n - 1) - 1;
  let Nr = Math.floor(Math.log2(hi / maxAbs));
  // log2 is inexact at the boundaries: step to the exact largest N_r that does not clip.
  while (roundHalfAway(maxAbs * 2 ** (Nr + 1)) <= hi) Nr++;
  while (Nr > min && roundHalfAway(maxAbs * 2 ** Nr) > hi) Nr--;
  return Math.min(max, Math.max(min, Nr));
}
