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
