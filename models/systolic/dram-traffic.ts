/**
 * What each fold moves between DRAM and the double-buffered SRAMs (the prefetch SCALE-Sim v2's
 * read buffers issue, scalesim/memory/read_buffer.py), in bits. A streamed operand whose whole
 * per-group tensor fits in one SRAM half is fetched once, on the first pass of the outer fold
 * loop, and reused; otherwise every pass fetches it again. Partial sums that accumulate across
 * row folds stay in the ofmap SRAM when a column fold's outputs fit in one half, else they spill
 * to DRAM and come back. Inputs are fetched as unique feature-map elements (the im2col copies are
 * SRAM reads, not DRAM traffic).
 */
import type { Layer } from '../../sim/workload.ts';
import { forEachFold, type Fold, type FoldSchedule } from './fold-schedule.ts';
import type { SramName } from './params.ts';

export interface DramBits {
  /** Inputs, weights and spilled partial sums fetched before the fold. */
  ifmapBits: number;
  filterBits: number;
  psumInBits: number;
  /** Finished outputs and spilled partial sums written after it. */
  outBits: number;
  psumOutBits: number;
}

/** The same traffic in values of each tensor (the common ledger's unit, models/common/access-ledger.ts). */
export interface DramValues {
  ifmap: number;
  filter: number;
  psumIn: number;
  out: number;
  psumOut: number;
}

export const readBits = (b: DramBits) => b.ifmapBits + b.filterBits + b.psumInBits;
export const writeBits = (b: DramBits) => b.outBits + b.psumOutBits;

/** Bits each value moves to or from DRAM with (a layer's TensorWidths, metadata included). */
export interface OperandWidths {
  readonly inputBits: number;
  readonly weightBits: number;
  readonly psumBits: number;
  readonly outputBits: number;
}

export interface LayerDramPlan {
  /** DRAM traffic of each fold, in fold order: reads prefetched before it, writes after it. */
  perFold(f: Fold): DramBits;
  readonly total: DramBits;
  /** The layer's traffic in values (total = values × each tensor's width). */
  readonly values: Readonly<DramValues>;
  /** Which operands are fetched once (fit in an SRAM half) — reported per layer. */
  readonly resident: Readonly<Record<SramName, boolean>>;
}

export function dramPlan(layer: Layer, s: FoldSchedule, w: OperandWidths, halfWords: Record<SramName, number>): LayerDramPlan {
  const { Sr, Sc, T } = s.map;
  const g = s.gemm.groups;
  const inputs = (layer.N * layer.C * layer.H * layer.W) / g;
  const weights = s.gemm.window * s.gemm.filters;
  const df = s.dataflow;
  const ifmapFits = inputs <= halfWords.ifmap;
  const filterFits = df === 'os' ? T * s.shape.cols <= halfWords.filter : weights <= halfWords.filter;
  const psumFits = df === 'os' || T * s.shape.cols <= halfWords.ofmap;
  const perFoldValues = (f: Fold): DramValues => {
    const v: DramValues = { ifmap: 0, filter: 0, psumIn: 0, out: 0, psumOut: 0 };
    const lastRow = f.fr === s.rowFolds - 1;
    if (df === 'ws' || df === 'os') {
      // ifmap slice depends on the row fold: fetched on the first column fold, or on every one.
      if (f.fc === 0 || !ifmapFits) v.ifmap = (inputs * f.rowsUsed) / Sr;
      if (df === 'ws') v.filter = f.rowsUsed * f.colsUsed;
      else if (f.fr === 0 || !filterFits) v.filter = T * f.colsUsed;
    } else {
      v.ifmap = (inputs * f.rowsUsed * f.colsUsed) / (Sr * Sc);
      if (f.fc === 0 || !filterFits) v.filter = (weights * f.rowsUsed) / Sr;
    }
    if (df === 'os') v.out = f.rowsUsed * f.colsUsed;
    else {
      const outs = T * f.colsUsed;
      if (lastRow) v.out = outs;
      else if (!psumFits) v.psumOut = outs;
      if (f.fr > 0 && !psumFits) v.psumIn = outs;
    }
    return v;
  };
  const toBits = (v: DramValues): DramBits => ({ ifmapBits: v.ifmap * w.inputBits, filterBits: v.filter * w.weightBits, psumInBits: v.psumIn * w.psumBits, outBits: v.out * w.outputBits, psumOutBits: v.psumOut * w.psumBits });
  const values: DramValues = { ifmap: 0, filter: 0, psumIn: 0, out: 0, psumOut: 0 };
  // A closed form would need the same case split; folds are few (≤ a few 10k), so sum them.
  forEachFold(s, (f) => {
    const v = perFoldValues(f);
    for (const k of Object.keys(values) as (keyof DramValues)[]) values[k] += v[k];
  });
  return { perFold: (f) => toBits(perFoldValues(f)), total: toBits(values), values, resident: { ifmap: ifmapFits, filter: filterFits, ofmap: psumFits } };
}
