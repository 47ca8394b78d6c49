/**
 * Goodness of fit of the exponential distribution to a tensor's |x| (DNA-TEQ §III-A): the
 * residual sum of squares between the histogram of non-zero magnitudes (probability per bin)
 * and the maximum-likelihood exponential's probability per bin. The tensor with the lower RSS
 * starts the base search. (traces/fit.ts compares several distributions; this is the one figure
 * the search needs.)
 */
export function exponentialRss(x: Float32Array, bins = 64): number {
  let max = 0;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a === 0) continue;
    n++;
    sum += a;
    if (a > max) max = a;
  }
  if (n === 0 || max === 0) return 0;
  const counts = new Float64Array(bins);
  const width = max / bins;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a === 0) continue;
    counts[Math.min(bins - 1, Math.floor(a / width))]!++;
  }
  const rate = n / sum;
  let rss = 0;
  for (let k = 0; k < bins; k++) {
    const model = Math.exp(-rate * k * width) - Math.exp(-rate * (k + 1) * width);
    const d = counts[k]! / n - model;
    rss += d * d;
  }
  return rss;
}
