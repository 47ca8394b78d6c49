/**
 * Per-tensor statistics of a mapped layer, in the spirit of Timeloop's stats file: for weights,
 * inputs and outputs (psums), the accesses at each level (DRAM, GLB, NoC, scratchpad) in words
 * of the tensor, and the reuse each level gives (MACs per access); plus the mapping as a loop
 * nest, outer → inner, with the spatial loops marked. Pure: from the counts the ledger charges.
 */
import type { RsCounts, RsMapping } from './mapping-types.ts';

export interface LevelAccesses {
  reads?: number;
  writes?: number;
  /** Words written into this level from the level above (GLB fills from DRAM, spad fills from the NoC). */
  fills?: number;
  /** MACs per access at this level: how often each word fetched here is used. */
  macsPerAccess: number;
}

export type TensorStats = Record<'weights' | 'inputs' | 'outputs', Record<string, LevelAccesses>>;

const reuse = (macs: number, accesses: number) => (accesses > 0 ? Number((macs / accesses).toPrecision(4)) : 0);

export function tensorStats(c: RsCounts): TensorStats {
  const m = c.macs;
  return {
    weights: {
      dram: { reads: c.dramFilterWords, macsPerAccess: reuse(m, c.dramFilterWords) },
      glb: { fills: c.dramFilterWords, reads: c.nocFilterWords, macsPerAccess: reuse(m, c.nocFilterWords) },
      noc: { reads: c.nocFilterWords, macsPerAccess: reuse(m, c.nocFilterWords) },
      spad: { fills: c.filterSpadWrites, reads: c.filterSpadReads, macsPerAccess: reuse(m, c.filterSpadReads) },
    },
    inputs: {
      dram: { reads: c.dramIfmapWords, macsPerAccess: reuse(m, c.dramIfmapWords) },
      glb: { fills: c.dramIfmapWords, reads: c.nocIfmapWords, macsPerAccess: reuse(m, c.nocIfmapWords) },
      noc: { reads: c.nocIfmapWords, macsPerAccess: reuse(m, c.nocIfmapWords) },
      spad: { fills: c.ifmapSpadWrites, reads: c.ifmapSpadReads, macsPerAccess: reuse(m, c.ifmapSpadReads) },
    },
    // Outputs: psums leave the array (NoC out), come back for the next channel block (NoC in), are
    // handed between neighbours, and the final values are written to DRAM once.
    outputs: {
      dram: { writes: c.dramOutputWords, macsPerAccess: reuse(m, c.dramOutputWords) },
      glb: { writes: c.nocPsumOutWords, reads: c.nocPsumInWords + c.dramOutputWords, macsPerAccess: reuse(m, c.nocPsumOutWords + c.nocPsumInWords) },
      noc: { reads: c.nocPsumInWords, writes: c.nocPsumOutWords, macsPerAccess: reuse(m, c.nocPsumInWords + c.nocPsumOutWords) },
      neighbor: { writes: c.neighborPsumWords, macsPerAccess: reuse(m, c.neighborPsumWords) },
      spad: { reads: c.psumSpadReads, writes: c.psumSpadWrites, macsPerAccess: reuse(m, c.psumSpadReads + c.psumSpadWrites) },
    },
  };
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
