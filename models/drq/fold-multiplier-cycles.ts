/**
 * DRQ's variable-speed PEs (Song et al., ISCA 2020 §IV) on the systolic array: the multiplier-
 * cycles of a fold's streamed part, for VariableSpeedPe's `foldStreamCycles` hook. A MAC on an
 * input value in a sensitive region takes the high-precision multiplier-cycles, any other the low
 * ones; padding zeros lie in no region (low). Which PEs move together (models/systolic/
 * fold-timing.ts): the PEs of one row see the same streamed values (ws: window element k streams
 * every output pixel; os: pixel t streams its window), rows advance in lockstep, so a fold takes
 * its slowest row; in is every PE holds its own input and streams all T filters past it.
 */
import type { Layer } from '../../sim/workload.ts';
import { isSensitive, type RegionMask } from './sensitivity.ts';
import type { PrecisionCosts } from './mixed-precision-array.ts';
import type { FoldView } from '../systolic/fold-timing.ts';
import { gemmView } from '../systolic/gemm-view.ts';

/** What the PE knows about the layer being run. */
export interface FoldPrecision {
  readonly costs: FoldCostTable;
  readonly highMacFraction: number;
  readonly high: { weightBits: number; activationBits: number };
  readonly low: { weightBits: number; activationBits: number };
}

/**
 * Multiplier-cycles of every (output pixel t, window element k) MAC of one group, with its sums
 * over t (a ws row's stream) and over k (an os row's stream). Built once per layer and mask.
 */
export class FoldCostTable {
  private readonly groups = new Map<number, { cost: Uint8Array; byWindow: Float64Array; byPixel: Float64Array }>();
  readonly pixels: number;
  readonly window: number;

  constructor(
    readonly layer: Layer,
    readonly mask: RegionMask,
    readonly cost: PrecisionCosts,
  ) {
    const g = gemmView(layer);
    this.pixels = g.pixels;
    this.window = g.window;
  }

  group(gi: number) {
    let e = this.groups.get(gi);
    if (!e) {
      e = this.build(gi);
      this.groups.set(gi, e);
    }
    return e;
  }

  private build(gi: number) {
    const l = this.layer;
    const m = this.mask;
    const { pixels, window } = this;
    const cost = new Uint8Array(pixels * window);
    const byWindow = new Float64Array(window);
    const byPixel = new Float64Array(pixels);
    const cg = l.C / l.groups;
    const fc = l.kind === 'fc' || l.kind === 'matmul';
    for (let t = 0; t < pixels; t++) {
      const q = t % l.Q;
      const p = Math.floor(t / l.Q) % l.P;
      const n = Math.floor(t / (l.P * l.Q));
      for (let k = 0; k < window; k++) {
        const s = k % l.S;
        const r = Math.floor(k / l.S) % l.R;
        const c = gi * cg + Math.floor(k / (l.R * l.S));
        const h = p * l.strideH + r * l.dilationH - l.padH;
        const w = q * l.strideW + s * l.dilationW - l.padW;
        let high: boolean;
        if (m.policy === 'fc-high') high = true;
        else if (fc) high = isSensitive(m, n, 0, 0, c);
        // Padding zeros are in no region: low precision.
        else high = h >= 0 && w >= 0 && h < l.H && w < l.W && isSensitive(m, n, c, h, w);
        const v = high ? this.cost.high : this.cost.low;
        cost[t * window + k] = v;
        byWindow[k]! += v;
        byPixel[t]! += v;
      }
    }
    return { cost, byWindow, byPixel };
  }
}

/** Multiplier-cycles of a fold's streamed part: its slowest row (ws, os) or slowest PE × T (is). */
export function foldMultiplierCycles(table: FoldCostTable, view: FoldView): number {
  const { fold, schedule } = view;
  const e = table.group(fold.group);
  const df = schedule.dataflow;
  let worst = 0;
  if (df === 'ws' || df === 'os') {
    const rowSums = df === 'ws' ? e.byWindow : e.byPixel;
    for (let i = fold.r0; i < fold.r0 + fold.rowsUsed; i++) worst = Math.max(worst, rowSums[i]!);
    return worst;
  }
  // is: rows hold window elements, columns output pixels; every PE streams all T filters.
  const W = table.window;
  for (let t = fold.c0; t < fold.c0 + fold.colsUsed; t++) {
    for (let k = fold.r0; k < fold.r0 + fold.rowsUsed; k++) worst = Math.max(worst, e.cost[t * W + k]!);
  }
  return worst * schedule.map.T;
}
