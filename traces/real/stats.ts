/**
 * Data facts of a real trace, per layer: how sparse the activations are (exact zeros after ReLU,
 * what DRQ's regions and zero-skipping exploit), the range and sparsity of the weights (from the
 * trace statistics of traces/stats.ts), and how many outputs a following ReLU turns into zeros
 * (the recorded outputs are pre-activation).
 */
import type { Tensor, Trace } from '../../sim/trace.ts';
import { tensorStats, type TensorStats } from '../stats.ts';

export interface LayerFacts {
  readonly layer: string;
  readonly weights: TensorStats;
  readonly activations: TensorStats;
  /** Fraction of the recorded outputs <= 0, i.e. zeroed by a following ReLU. */
  readonly outputsNonPositive: number;
}

export function nonPositiveFraction(t: Tensor): number {
  let n = 0;
  for (const v of t.data) if (v <= 0) n++;
  return t.data.length ? n / t.data.length : 0;
}

/** Facts of every layer that has weights, activations and outputs, in trace order. */
export function traceFacts(trace: Trace): LayerFacts[] {
  return [...trace.layers.values()]
    .filter((lt) => lt.weights && lt.activations && lt.outputs)
    .map((lt) => ({
      layer: lt.layer,
      weights: tensorStats(lt.layer, 'weights', lt.weights!),
      activations: tensorStats(lt.layer, 'activations', lt.activations!),
      outputsNonPositive: nonPositiveFraction(lt.outputs!),
    }));
}

const pct = (f: number) => `${(100 * f).toFixed(1)}%`;
const num = (v: number) => Number(v.toPrecision(3));

/** Rows for sim/report.ts textTable: activation zeros and max, outputs <= 0, weight range and zeros. */
export function factsRows(facts: readonly LayerFacts[]): { header: string[]; rows: (string | number)[][] } {
  return {
    header: ['layer', 'act zeros', 'act max', 'out <= 0', 'w min', 'w max', 'w zeros'],
    rows: facts.map((f) => [
      f.layer,
      pct(f.activations.zeroFraction),
      num(f.activations.max),
      pct(f.outputsNonPositive),
      num(f.weights.min),
      num(f.weights.max),
      pct(f.weights.zeroFraction),
    ]),
  };
}

const FITS = ['exponential', 'normal', 'laplace', 'uniform'] as const;

/**
 * Per layer, the RSS of each fit of |weights| and |activations| (traces/stats.ts, the goodness of
 * fit DNA-TEQ's choice rests on) and, when given, which tensor DNA-TEQ's search starts from.
 */
export function fitRows(stats: readonly TensorStats[], startsWith?: ReadonlyMap<string, string>): { header: string[]; rows: (string | number)[][] } {
  const byLayer = new Map<string, { weights?: TensorStats; activations?: TensorStats }>();
  for (const s of stats) {
    if (s.role === 'outputs') continue;
    const e = byLayer.get(s.layer) ?? {};
    e[s.role] = s;
    byLayer.set(s.layer, e);
  }
  const rss = (s: TensorStats | undefined) => FITS.map((f) => (s?.rss[f] !== undefined ? Number(s.rss[f].toPrecision(2)) : '-'));
  return {
    header: ['layer', ...FITS.map((f) => `w ${f.slice(0, 4)}`), 'w best', ...FITS.map((f) => `a ${f.slice(0, 4)}`), 'a best', ...(startsWith ? ['DNA-TEQ start'] : [])],
    rows: [...byLayer].map(([layer, e]) => [layer, ...rss(e.weights), e.weights?.bestFit ?? '-', ...rss(e.activations), e.activations?.bestFit ?? '-', ...(startsWith ? [startsWith.get(layer) ?? '-'] : [])]),
  };
}

/** How many layers each fit is best for, weights and activations apart. */
export function bestFitCounts(stats: readonly TensorStats[]): Record<'weights' | 'activations', Record<string, number>> {
  const out = { weights: {} as Record<string, number>, activations: {} as Record<string, number> };
  for (const s of stats) if (s.role !== 'outputs') out[s.role][s.bestFit ?? 'none'] = (out[s.role][s.bestFit ?? 'none'] ?? 0) + 1;
  return out;
}
