/**
 * Settle et al.'s per-layer calibration: quantization parameters from one batch of float
 * activations (the trace), no retraining. Symmetric signed INT8 (zero point 0): a clipping
 * threshold T is chosen and scale = T / (2^(n−1) − 1). Methods:
 * - `minmax`: T = max |x| (nothing clipped);
 * - `percentile`: T = the p-th percentile of |x| (outliers clipped);
 * - `kl`: the threshold whose quantized histogram is closest in KL divergence to the float one
 *   (the entropy calibration of NVIDIA TensorRT, Migacz, GTC 2017), over `bins` histogram bins.
 * Pure functions.
 */
import { die } from '../../sim/errors.ts';

export type CalibrationMethod = 'minmax' | 'percentile' | 'kl';
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['minmax', 'percentile', 'kl'];

export interface CalibrationOptions {
  method: CalibrationMethod;
  /** Integer width (default 8). */
  bits?: number;
  /** For `percentile`: p in (0, 100] (default 99.99). */
  percentile?: number;
  /** For `kl`: histogram bins (default 2048). */
  bins?: number;
}

export interface Calibration {
  method: CalibrationMethod;
  bits: number;
  /** Clipping threshold T (real units). */
  threshold: number;
  /** Real value of one integer step. */
  scale: number;
  /** Fraction of the batch beyond T (clipped). */
  clippedFraction: number;
}

export function calibrate(values: ArrayLike<number>, options: CalibrationOptions): Calibration {
  const bits = options.bits ?? 8;
  if (!(Number.isInteger(bits) && bits >= 2 && bits <= 32)) die(`calibration bits must be an integer in 2..32, got ${bits}`, undefined, '/calibration/bits');
  if (!CALIBRATION_METHODS.includes(options.method)) die(`calibration method must be one of ${CALIBRATION_METHODS.join(', ')}, got "${options.method}"`, undefined, '/calibration/method');
  if (values.length === 0) die('calibration needs a non-empty batch of activations');
  const abs = new Float64Array(values.length);
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (!Number.isFinite(a)) die(`calibration: element ${i} is not finite`);
    abs[i] = a;
    if (a > maxAbs) maxAbs = a;
  }
  let threshold: number;
  if (options.method === 'minmax') threshold = maxAbs;
  else if (options.method === 'percentile') {
    const p = options.percentile ?? 99.99;
    if (!(p > 0 && p <= 100)) die(`calibration percentile must be in (0, 100], got ${p}`, undefined, '/calibration/percentile');
    // Nearest-rank percentile of |x|.
    threshold = abs.sort()[Math.max(0, Math.ceil((p / 100) * abs.length) - 1)]!;
  } else threshold = klThreshold(abs, maxAbs, bits, options.bins ?? 2048);
  const levels = 2 ** (bits - 1) - 1;
  if (threshold === 0) threshold = maxAbs > 0 ? maxAbs : 1;
  let clipped = 0;
  for (let i = 0; i < abs.length; i++) if (abs[i]! > threshold) clipped++;
  return { method: options.method, bits, threshold, scale: threshold / levels, clippedFraction: clipped / abs.length };
}

/** TensorRT entropy calibration on the histogram of |x|. */
function klThreshold(abs: Float64Array, maxAbs: number, bits: number, bins: number): number {
  const levels = 2 ** (bits - 1);
  if (!(Number.isInteger(bins) && bins >= levels)) die(`calibration bins must be an integer >= ${levels}, got ${bins}`, undefined, '/calibration/bins');
  if (maxAbs === 0) return 0;
  const width = maxAbs / bins;
  const hist = new Float64Array(bins);
  for (const a of abs) hist[Math.min(bins - 1, Math.floor(a / width))]!++;
  let best = bins;
  let bestKl = Infinity;
  // P (the first i bins, the clipped tail folded into the last) always sums to the whole batch;
  // Q (the first i bins merged into `levels` groups, each spread back evenly over its non-empty
  // bins) sums to the counts below bin i. KL(P‖Q) in one pass, without building either.
  const total = abs.length;
  let below = 0;
  for (let j = 0; j < levels - 1; j++) below += hist[j]!;
  let tail = total - below;
  for (let i = levels; i <= bins; i++) {
    below += hist[i - 1]!;
    tail -= hist[i - 1]!;
    const kl = below === 0 ? Infinity : klOfCandidate(hist, i, levels, tail, total, below);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return (best + 0.5) * width;
}

/** KL(P‖Q) of threshold bin i: P_j = hist_j (+ tail at j = i−1) over `total`, Q as in klThreshold over `qTotal`. */
function klOfCandidate(hist: Float64Array, i: number, levels: number, tail: number, total: number, qTotal: number): number {
  let kl = 0;
  for (let g = 0; g < levels; g++) {
    const start = Math.floor((g * i) / levels);
    const end = Math.floor(((g + 1) * i) / levels);
    let sum = 0;
    let nonEmpty = 0;
    for (let j = start; j < end; j++) {
      sum += hist[j]!;
      if (hist[j]! > 0) nonEmpty++;
    }
    const qj = nonEmpty > 0 ? sum / nonEmpty / qTotal : 0;
    for (let j = start; j < end; j++) {
      const pj = (hist[j]! + (j === i - 1 ? tail : 0)) / total;
      if (pj === 0) continue;
      // A bin the candidate cannot represent gets a tiny mass instead of an infinite penalty.
      kl += pj * Math.log(pj / (hist[j]! > 0 ? qj : 1e-12));
    }
  }
  return kl;
}
