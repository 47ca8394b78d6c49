/**
 * Per-tensor statistics of a mapped layer, in the spirit of Timeloop's stats file: for weights,
 * inputs and outputs (psums), the accesses at each level (DRAM, GLB, NoC, scratchpad) in words
 * of the tensor, and the reuse each level gives (MACs per access); plus the mapping as a loop
 * nest, outer → inner, with the spatial loops marked. Pure: from the counts the ledger charges
 * (models/common/access-ledger.ts, the same statistics the systolic array reports).
 */
import type { RsCounts, RsHardware, RsMapping } from './mapping-types.ts';
import { ledgerStats, type TensorStats } from '../common/access-ledger.ts';
import { rsLedger } from './counts.ts';

export type { LevelAccesses, TensorStats } from '../common/access-ledger.ts';

/** The layer's per-tensor statistics from the common ledger the components are charged from. */
export function tensorStats(c: RsCounts, hw: RsHardware): TensorStats {
  return ledgerStats(rsLedger(c, hw));
}

export interface Loop {
  /** The dimension it runs over (Timeloop names: N images, M filters, C channels, P output rows, Q output columns, R/S filter rows/columns). */
  dim: string;
  /** Trip count. */
  bound: number;
  /** Where: DRAM/GLB passes (temporal), the PE array (spatial), or inside a PE (temporal). */
  level: 'GLB' | 'array' | 'PE';
  spatial: boolean;
  note?: string;
}

/** The row-stationary mapping as a loop nest, outer → inner (mapping.ts's pass order, then the array, then a PE). */
export function loopNest(m: RsMapping): Loop[] {
  const { n, p, q, r, t, s, e, rh } = m.params;
  const sh = m.shape;
  const L = m.loops;
  const loops: Loop[] = [
    { dim: 'G', bound: L.G, level: 'GLB', spatial: false, note: 'groups' },
    { dim: 'N', bound: L.NB, level: 'GLB', spatial: false, note: `image blocks of ${n}` },
    { dim: 'M', bound: L.MB, level: 'GLB', spatial: false, note: `filter blocks of ${p * t}` },
    { dim: 'P', bound: L.EB, level: 'GLB', spatial: false, note: `strip blocks of ${e * s} output rows` },
    { dim: 'C', bound: L.CB, level: 'GLB', spatial: false, note: `channel blocks of ${q * r}` },
    { dim: 'R', bound: L.RF, level: 'GLB', spatial: false, note: `filter-row folds of ${rh}` },
    { dim: 'C', bound: r, level: 'array', spatial: true, note: 'channel sets, psums chained vertically' },
    { dim: 'M', bound: t, level: 'array', spatial: true, note: 'filter sets' },
    { dim: 'P', bound: s, level: 'array', spatial: true, note: 'strips side by side' },
    { dim: 'R', bound: rh, level: 'array', spatial: true, note: 'PE rows: filter rows' },
    { dim: 'P', bound: e, level: 'array', spatial: true, note: 'PE columns: output rows' },
    { dim: 'N', bound: n, level: 'PE', spatial: false },
    { dim: 'M', bound: p, level: 'PE', spatial: false, note: 'filters per PE' },
    { dim: 'C', bound: q, level: 'PE', spatial: false, note: 'channels per PE' },
    { dim: 'Q', bound: sh.Q, level: 'PE', spatial: false, note: 'sliding window along the row' },
    { dim: 'S', bound: sh.S, level: 'PE', spatial: false },
  ];
  return loops.filter((l) => l.bound > 1 || l.dim === 'Q');
}
