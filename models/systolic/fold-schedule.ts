/**
 * The folds of a layer's GEMM on a rows × cols systolic array and their timing, re-derived from
 * SCALE-Sim v2's compute model (Samajdar et al., ISPASS 2020 §III; scalesim/compute/systolic_compute_*.py).
 *
 * The Sr × Sc spatial extent is cut into ceil(Sr/rows) row folds × ceil(Sc/cols) column folds,
 * visited column fold outer, row fold inner. Every fold takes the same time, whatever its fill:
 *  - ws / is: `rows` cycles to shift the stationary operand in, `rows − 1` cycles of skew before
 *    the last row sees its first streamed operand, T streamed cycles, `cols − 1` cycles for the
 *    last partial sums to leave through the columns: 2·rows + cols + T − 2;
 *  - os: the streamed operands enter skewed over rows and columns (rows + cols − 2) and stream
 *    T cycles; the finished outputs then leave row by row: rows + cols + T − 2.
 * SCALE-Sim reports a layer's cycles as the cycle index (from 0) of its last output write, so a
 * layer of f folds is f·F − 1; quantsim reports the same figure (docs/systolic.md, "Agreement").
 *
 * SRAM accesses are the operand elements each fold pulls (idle rows/columns pull nothing):
 * the stationary block once per fold, the streamed operand T per used row or column.
 */
import type { Dataflow, GemmView, SpatialMap } from './gemm-view.ts';
import { spatialMap } from './gemm-view.ts';

export interface ArrayShape {
  readonly rows: number;
  readonly cols: number;
}

/** Operand elements one fold moves between the array and its three SRAMs. */
export interface FoldTraffic {
  ifmapReads: number;
  filterReads: number;
  ofmapWrites: number;
}

/** One fold as the array sees it: which slice of Sr × Sc it holds. */
export interface Fold {
  readonly index: number;
  readonly group: number;
  /** Row fold and column fold indices. */
  readonly fr: number;
  readonly fc: number;
  /** First GEMM row / column index the fold covers, and how many array rows / columns it uses. */
  readonly r0: number;
  readonly c0: number;
  readonly rowsUsed: number;
  readonly colsUsed: number;
}

export interface FoldSchedule {
  readonly dataflow: Dataflow;
  readonly shape: ArrayShape;
  readonly gemm: GemmView;
  readonly map: SpatialMap;
  readonly rowFolds: number;
  readonly colFolds: number;
  /** All folds of the layer (every group). */
  readonly folds: number;
  /** Cycles of one fold: fill and drain skew plus T streamed cycles. */
  readonly foldCycles: number;
  /** foldCycles − T: what a fold costs beyond streaming (stationary load, skew, drain). */
  readonly skewCycles: number;
  /** SCALE-Sim's compute cycles of the layer, no memory stalls: folds·foldCycles − 1. */
  readonly computeCycles: number;
  readonly macs: number;
  /** SRAM accesses of the whole layer (SCALE-Sim's "SRAM … Reads/Writes"). */
  readonly sram: Readonly<FoldTraffic>;
  /** Mean over folds of used PEs / all PEs (SCALE-Sim "Mapping Efficiency"). */
  readonly mappingEfficiency: number;
  /** Mean over folds of MACs / (PEs × the fold's cycles) (SCALE-Sim "Compute Util"). */
  readonly computeUtilization: number;
}

/** Fold cycles without the T streamed ones, per dataflow. */
export function skewCycles(df: Dataflow, s: ArrayShape): number {
  return df === 'os' ? s.rows + s.cols - 2 : 2 * s.rows + s.cols - 2;
}

/** The fold length SCALE-Sim divides by in its per-fold compute utilization (its demand matrix before the output skew). */
function utilizationCycles(df: Dataflow, s: ArrayShape, T: number): number {
  return df === 'os' ? s.rows + s.cols + T - 2 : 2 * s.rows + 2 * s.cols + T - 3;
}

export function foldSchedule(gemm: GemmView, df: Dataflow, shape: ArrayShape): FoldSchedule {
  const map = spatialMap(gemm, df);
  const { Sr, Sc, T } = map;
  const rowFolds = Math.ceil(Sr / shape.rows);
  const colFolds = Math.ceil(Sc / shape.cols);
  const folds = rowFolds * colFolds * gemm.groups;
  const skew = skewCycles(df, shape);
  const foldCycles = skew + T;
  const pes = shape.rows * shape.cols;
  // Used rows summed over row folds are Sr, used columns over column folds Sc.
  const usedPeFolds = Sr * Sc * gemm.groups;
  const g = gemm.groups;
  const sram: FoldTraffic =
    df === 'ws'
      ? { ifmapReads: g * colFolds * T * Sr, filterReads: g * Sr * Sc, ofmapWrites: g * rowFolds * T * Sc }
      : df === 'os'
        ? { ifmapReads: g * colFolds * T * Sr, filterReads: g * rowFolds * T * Sc, ofmapWrites: g * Sr * Sc }
        : { ifmapReads: g * Sr * Sc, filterReads: g * colFolds * T * Sr, ofmapWrites: g * rowFolds * T * Sc };
  return {
    dataflow: df,
    shape,
    gemm,
    map,
    rowFolds,
    colFolds,
    folds,
    foldCycles,
    skewCycles: skew,
    computeCycles: folds * foldCycles - 1,
    macs: usedPeFolds * T,
    sram,
    mappingEfficiency: usedPeFolds / (pes * folds),
    computeUtilization: (usedPeFolds * T) / (pes * utilizationCycles(df, shape, T) * folds),
  };
}

/** Visit every fold in SCALE-Sim's order: groups, then column folds, then row folds. */
export function forEachFold(s: FoldSchedule, visit: (f: Fold) => void): void {
  const { rows, cols } = s.shape;
  const { Sr, Sc } = s.map;
  let index = 0;
  for (let group = 0; group < s.gemm.groups; group++) {
    for (let fc = 0; fc < s.colFolds; fc++) {
      const c0 = fc * cols;
      const colsUsed = Math.min(cols, Sc - c0);
      for (let fr = 0; fr < s.rowFolds; fr++) {
        const r0 = fr * rows;
        visit({ index: index++, group, fr, fc, r0, c0, rowsUsed: Math.min(rows, Sr - r0), colsUsed });
      }
    }
  }
}

/** SRAM accesses of one fold (the layer's `sram` is their sum). */
export function foldTraffic(s: FoldSchedule, f: Fold): FoldTraffic {
  const T = s.map.T;
  if (s.dataflow === 'ws') return { ifmapReads: T * f.rowsUsed, filterReads: f.rowsUsed * f.colsUsed, ofmapWrites: T * f.colsUsed };
  if (s.dataflow === 'os') return { ifmapReads: T * f.rowsUsed, filterReads: T * f.colsUsed, ofmapWrites: f.rowsUsed * f.colsUsed };
  return { ifmapReads: f.rowsUsed * f.colsUsed, filterReads: T * f.rowsUsed, ofmapWrites: T * f.colsUsed };
}
