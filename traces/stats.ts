/**
 * Per-layer statistics of a trace (`quantsim trace stats`): range, mean, zero fraction and how
 * well each candidate distribution fits |x| (traces/fit.ts).
 */
import type { DType, Tensor, Trace } from '../sim/trace.ts';
import { textTable } from '../sim/report.ts';
import { fitDistributions, DISTRIBUTIONS, type Distribution } from './fit.ts';
import { TENSOR_ROLES, type TensorRole } from './format.ts';

export interface TensorStats {
  layer: string;
  role: TensorRole;
  shape: number[];
  dtype: DType;
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  zeroFraction: number;
  /** The lowest-RSS distribution of |x| (non-zero values); null when all values are zero. */
  bestFit: Distribution | null;
  /** RSS of each fit against the normalized |x| histogram. */
  rss: Partial<Record<Distribution, number>>;
  /** Maximum-likelihood parameters of each fit. */
  fits: Partial<Record<Distribution, Readonly<Record<string, number>>>>;
}

export function tensorStats(layer: string, role: TensorRole, t: Tensor, bins = 64): TensorStats {
  const d = t.data;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let zeros = 0;
  for (let k = 0; k < d.length; k++) {
    const v = d[k]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
    if (v === 0) zeros++;
  }
  const n = d.length;
  const mean = n ? sum / n : 0;
  const fit = fitDistributions(d, { bins });
  return {
    layer,
    role,
    shape: [...t.shape],
    dtype: t.dtype,
    count: n,
    min: n ? min : 0,
    max: n ? max : 0,
    mean,
    std: n ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : 0,
    zeroFraction: n ? zeros / n : 0,
    bestFit: fit.best ?? null,
    rss: Object.fromEntries(fit.fits.map((f) => [f.distribution, f.rss])),
    fits: Object.fromEntries(fit.fits.map((f) => [f.distribution, f.params])),
  };
}

/** Statistics of every tensor of a trace, layer by layer in trace order. */
export function traceStats(trace: Trace, bins = 64): TensorStats[] {
  const rows: TensorStats[] = [];
  for (const [name, lt] of trace.layers) {
    for (const role of TENSOR_ROLES) {
      const t = lt[role];
      if (t) rows.push(tensorStats(name, role, t, bins));
    }
  }
  return rows;
}

const rssCell = (x: number | undefined) => (x === undefined ? '-' : x.toExponential(2));

export function formatStatsTable(trace: Trace, rows: readonly TensorStats[], options: { maxWidth?: number } = {}): string {
  const head = `trace of ${trace.network}: ${trace.source}, ${trace.generator}${trace.seed !== undefined ? `, seed ${trace.seed}` : ''}${trace.dir ? ` (${trace.dir})` : ''}`;
  const header = ['layer', 'tensor', 'shape', 'dtype', 'min', 'max', 'mean', 'zeros', ...DISTRIBUTIONS.map((d) => `RSS ${d}`), 'best fit'];
  const body = rows.map((r) => [
    r.layer,
    r.role,
    r.shape.join('×'),
    r.dtype,
    r.min,
    r.max,
    r.mean,
    `${(100 * r.zeroFraction).toFixed(1)}%`,
    ...DISTRIBUTIONS.map((d) => rssCell(r.rss[d])),
    r.bestFit ?? '-',
  ]);
  return `${head}\nRSS: squared difference between the |x| histogram (non-zero values) and each maximum-likelihood fit; lower is better.\n\n${textTable(header, body, options)}\n`;
}
