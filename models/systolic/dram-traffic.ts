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
  const perFold = (f: Fold): DramBits => {
    const b: DramBits = { ifmapBits: 0, filterBits: 0, psumInBits: 0, outBits: 0, psumOutBits: 0 };
    const lastRow = f.fr === s.rowFolds - 1;
    if (df === 'ws' || df === 'os') {
      // ifmap slice depends on the row fold: fetched on the first column fold, or on every one.
      if (f.fc === 0 || !ifmapFits) b.ifmapBits = ((inputs * f.rowsUsed) / Sr) * w.inputBits;
      if (df === 'ws') b.filterBits = f.rowsUsed * f.colsUsed * w.weightBits;
      else if (f.fr === 0 || !filterFits) b.filterBits = T * f.colsUsed * w.weightBits;
    } else {
      b.ifmapBits = ((inputs * f.rowsUsed * f.colsUsed) / (Sr * Sc)) * w.inputBits;
      if (f.fc === 0 || !filterFits) b.filterBits = ((weights * f.rowsUsed) / Sr) * w.weightBits;
    }
    if (df === 'os') b.outBits = f.rowsUsed * f.colsUsed * w.outputBits;
    else {
      const outs = T * f.colsUsed;
      if (lastRow) b.outBits = outs * w.outputBits;
      else if (!psumFits) b.psumOutBits = outs * w.psumBits;
      if (f.fr > 0 && !psumFits) b.psumInBits = outs * w.psumBits;
    }
    return b;
  };
  const total: DramBits = { ifmapBits: 0, filterBits: 0, psumInBits: 0, outBits: 0, psumOutBits: 0 };
  // A closed form would need the same case split; folds are few (≤ a few 10k), so sum them.
  forEachFold(s, (f) => {
    const b = perFold(f);
    for (const k of Object.keys(total) as (keyof DramBits)[]) total[k] += b[k];
  });
  return { perFold, total, resident: { ifmap: ifmapFits, filter: filterFits, ofmap: psumFits } };
}
