/**
 * Data facts of a trace, per layer: how sparse the activations are (exact zeros after ReLU, what
 * DRQ's regions and zero-skipping exploit), the range and sparsity of the weights, and how many
 * outputs a following ReLU would zero. Plain reductions, no assumptions about the network.
 */
import type { Tensor, Trace } from '../../sim/trace.ts';

export interface TensorFacts {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** Fraction of values that are exactly 0. */
  readonly zeroFraction: number;
  /** Fraction of values <= 0 (what a ReLU turns into zeros). */
  readonly nonPositiveFraction: number;
}

export interface LayerFacts {
  readonly layer: string;
  readonly weights?: TensorFacts;
  readonly activations?: TensorFacts;
  readonly outputs?: TensorFacts;
}

export function tensorFacts(t: Tensor): TensorFacts {
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  let nonPositive = 0;
  for (const v of t.data) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
    if (v <= 0) nonPositive++;
  }
  const n = t.data.length;
  return { count: n, min, max, zeroFraction: n ? zeros / n : 0, nonPositiveFraction: n ? nonPositive / n : 0 };
}

/** Facts of every layer of a trace, in the trace's layer order. */
export function traceFacts(trace: Trace): LayerFacts[] {
  return [...trace.layers.values()].map((lt) => ({
    layer: lt.layer,
    ...(lt.weights ? { weights: tensorFacts(lt.weights) } : {}),
    ...(lt.activations ? { activations: tensorFacts(lt.activations) } : {}),
    ...(lt.outputs ? { outputs: tensorFacts(lt.outputs) } : {}),
  }));
}

const pct = (f: number | undefined) => (f === undefined ? '' : `${(100 * f).toFixed(1)}%`);
const num = (v: number | undefined) => (v === undefined ? '' : Number(v.toPrecision(3)).toString());

/** Rows for sim/report.ts textTable: layer, activation zeros, output ≤ 0, weight range and zeros. */
export function factsRows(facts: readonly LayerFacts[]): { header: string[]; rows: (string | number)[][] } {
  return {
    header: ['layer', 'act zeros', 'act max', 'out <= 0', 'w min', 'w max', 'w zeros'],
    rows: facts.map((f) => [
      f.layer,
      pct(f.activations?.zeroFraction),
      num(f.activations?.max),
      pct(f.outputs?.nonPositiveFraction),
      num(f.weights?.min),
      num(f.weights?.max),
      pct(f.weights?.zeroFraction),
    ]),
  };
}
