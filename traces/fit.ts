/**
 * Which distribution a tensor's magnitudes follow, the way DNA-TEQ (Khabbazan et al., arXiv
 * 2306.16430, §III) chose exponential quantization: histogram of |x| over the non-zero values,
 * fit each candidate distribution, compare by the residual sum of squares (RSS) between the
 * normalized histogram and the fitted distribution.
 *
 * Conventions (pure functions, no state):
 * - Zeros are left out (they get their own code in every scheme); `zeros` counts them.
 * - The histogram spans [0, max|x|] in `bins` equal bins; `probability[i]` = count / non-zeros.
 * - A fit's prediction for bin i is its probability mass on the bin, F(hi) − F(lo), so RSS is
 *   dimensionless and comparable across tensors of any scale (mass a fit puts below 0 or above
 *   max|x| is part of its misfit).
 * - Every fit is maximum likelihood on |x|: exponential λ = 1/mean; normal μ = mean, σ = standard
 *   deviation; Laplace μ = median, b = mean |x − μ|; uniform [min, max]. The Laplace median is
 *   read from a 4096-bin histogram (error ≤ max|x|/8192), which keeps every fit O(n) in a few passes.
 */

export type Distribution = 'exponential' | 'normal' | 'laplace' | 'uniform';
export const DISTRIBUTIONS: readonly Distribution[] = ['exponential', 'normal', 'laplace', 'uniform'];

export interface AbsHistogram {
  /** Number of equal-width bins over [0, maxAbs]. */
  readonly bins: number;
  readonly maxAbs: number;
  readonly binWidth: number;
  /** Non-zero, finite values counted. */
  readonly count: number;
  /** Exact zeros (left out of the histogram). */
  readonly zeros: number;
  /** Fraction of the non-zero values in each bin (sums to 1 when count > 0). */
  readonly probability: Float64Array;
}

/** A fitted distribution of |x|: its parameters and the RSS against the histogram. */
export interface DistributionFit {
  readonly distribution: Distribution;
  /** exponential: { lambda }; normal: { mu, sigma }; laplace: { mu, b }; uniform: { a, b }. */
  readonly params: Readonly<Record<string, number>>;
  readonly rss: number;
}

export interface FitResult {
  readonly histogram: AbsHistogram;
  /** One fit per requested distribution, in the order asked (default `DISTRIBUTIONS`). */
  readonly fits: readonly DistributionFit[];
  /** The distribution with the lowest RSS (ties: the first in `fits`); undefined if no non-zero values. */
  readonly best: Distribution | undefined;
}

export interface FitOptions {
  /** Histogram bins (default 64). */
  bins?: number;
  distributions?: readonly Distribution[];
}

interface Moments {
  count: number;
  zeros: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
}

function absMoments(values: ArrayLike<number>): Moments {
  let count = 0;
  let zeros = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v === 0) {
      zeros++;
      continue;
    }
    const a = Math.abs(v);
    if (!(a < Infinity)) continue; // NaN and ±Inf are not part of any distribution
    count++;
    sum += a;
    sumSq += a * a;
    if (a < min) min = a;
    if (a > max) max = a;
  }
  return { count, zeros, sum, sumSq, min: count ? min : 0, max };
}

function binCounts(values: ArrayLike<number>, bins: number, maxAbs: number): Float64Array {
  const counts = new Float64Array(bins);
  const scale = maxAbs > 0 ? bins / maxAbs : 0;
  for (let k = 0; k < values.length; k++) {
    const a = Math.abs(values[k]!);
    if (a === 0 || !(a < Infinity)) continue;
    counts[Math.min(bins - 1, Math.floor(a * scale))]!++;
  }
  return counts;
}

/** Histogram of |x| over the non-zero finite values, on [0, max|x|]. */
export function absHistogram(values: ArrayLike<number>, bins = 64): AbsHistogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be an integer >= 1, got ${bins}`);
  return histogramOf(values, absMoments(values), bins);
}

function histogramOf(values: ArrayLike<number>, m: Moments, bins: number): AbsHistogram {
  const probability = binCounts(values, bins, m.max);
  if (m.count > 0) for (let i = 0; i < bins; i++) probability[i]! /= m.count;
  return { bins, maxAbs: m.max, binWidth: m.max / bins, count: m.count, zeros: m.zeros, probability };
}

/** erf(x), Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, ample for bin masses). */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return s * y;
}

/** Cumulative distribution function of a fit. */
export function cdf(fit: Pick<DistributionFit, 'distribution' | 'params'>, x: number): number {
  const p = fit.params;
  switch (fit.distribution) {
    case 'exponential':
      return x <= 0 ? 0 : 1 - Math.exp(-p.lambda! * x);
    case 'normal':
      return p.sigma! > 0 ? 0.5 * (1 + erf((x - p.mu!) / (p.sigma! * Math.SQRT2))) : x < p.mu! ? 0 : 1;
    case 'laplace': {
      if (!(p.b! > 0)) return x < p.mu! ? 0 : 1;
      const z = (x - p.mu!) / p.b!;
      return z < 0 ? 0.5 * Math.exp(z) : 1 - 0.5 * Math.exp(-z);
    }
    case 'uniform':
      return p.b! > p.a! ? Math.min(1, Math.max(0, (x - p.a!) / (p.b! - p.a!))) : x < p.a! ? 0 : 1;
  }
}

/** Probability density function of a fit. */
export function pdf(fit: Pick<DistributionFit, 'distribution' | 'params'>, x: number): number {
  const p = fit.params;
  switch (fit.distribution) {
    case 'exponential':
      return x < 0 ? 0 : p.lambda! * Math.exp(-p.lambda! * x);
    case 'normal':
      return Math.exp(-0.5 * ((x - p.mu!) / p.sigma!) ** 2) / (p.sigma! * Math.sqrt(2 * Math.PI));
    case 'laplace':
      return Math.exp(-Math.abs(x - p.mu!) / p.b!) / (2 * p.b!);
    case 'uniform':
      return x >= p.a! && x <= p.b! ? 1 / (p.b! - p.a!) : 0;
  }
}

/** RSS between a histogram's bin probabilities and a fit's mass on each bin. */
export function histogramRss(h: AbsHistogram, fit: Pick<DistributionFit, 'distribution' | 'params'>): number {
  let rss = 0;
  let prev = cdf(fit, 0);
  for (let i = 0; i < h.bins; i++) {
    const next = cdf(fit, (i + 1) * h.binWidth);
    const d = h.probability[i]! - (next - prev);
    rss += d * d;
    prev = next;
  }
  return rss;
}

/** Median of |x| (non-zero values) from a fine histogram, linearly interpolated within its bin. */
function approxMedian(values: ArrayLike<number>, m: Moments): number {
  const bins = 4096;
  const counts = binCounts(values, bins, m.max);
  const half = m.count / 2;
  let below = 0;
  for (let i = 0; i < bins; i++) {
    const c = counts[i]!;
    if (below + c >= half) return Math.min(m.max, Math.max(m.min, ((i + (c > 0 ? (half - below) / c : 0)) * m.max) / bins));
    below += c;
  }
  return m.max;
}

function meanAbsDeviation(values: ArrayLike<number>, center: number, count: number): number {
  let s = 0;
  for (let k = 0; k < values.length; k++) {
    const a = Math.abs(values[k]!);
    if (a === 0 || !(a < Infinity)) continue;
    s += Math.abs(a - center);
  }
  return s / count;
}

/**
 * Fit each candidate distribution to |x| of the non-zero values and rank them by RSS against
 * the normalized histogram (see the module comment for the conventions).
 *
 * ```ts
 * const { best, fits } = fitDistributions(trace.layers.get('conv3')!.weights!.data);
 * // best === 'exponential'; fits[0].params.lambda …
 * ```
 */
export function fitDistributions(values: ArrayLike<number>, options: FitOptions = {}): FitResult {
  const bins = options.bins ?? 64;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be an integer >= 1, got ${bins}`);
  const wanted = options.distributions ?? DISTRIBUTIONS;
  const m = absMoments(values);
  const histogram = histogramOf(values, m, bins);
  if (m.count === 0) return { histogram, fits: [], best: undefined };
  const mean = m.sum / m.count;
  const variance = Math.max(0, m.sumSq / m.count - mean * mean);
  const fits = wanted.map((distribution): DistributionFit => {
    let params: Record<string, number>;
    if (distribution === 'exponential') params = { lambda: 1 / mean };
    else if (distribution === 'normal') params = { mu: mean, sigma: Math.sqrt(variance) };
    else if (distribution === 'laplace') {
      const mu = approxMedian(values, m);
      params = { mu, b: meanAbsDeviation(values, mu, m.count) };
    } else params = { a: m.min, b: m.max };
    return { distribution, params, rss: histogramRss(histogram, { distribution, params }) };
  });
  let best = fits[0]!;
  for (const f of fits) if (f.rss < best.rss) best = f;
  return { histogram, fits, best: best.distribution };
}
