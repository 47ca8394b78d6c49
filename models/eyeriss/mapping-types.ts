/** Types of the row-stationary mapping (see mapping.ts for the model), and a layer's shape as the mapper sees it. */
import type { Layer } from '../../sim/workload.ts';

/** What the mapper needs to know about the hardware. */
export interface RsHardware {
  rows: number;
  cols: number;
  ifmapSpadEntries: number;
  filterSpadEntries: number;
  psumSpadEntries: number;
  /** Entry widths of the scratchpads (the datapath's storage widths). */
  ifmapSpadBits: number;
  filterSpadBits: number;
  psumSpadBits: number;
  glbBits: number;
  /**
   * Bits per value of each tensor as stored and moved (fractional = a layer's average when the
   * scheme stores values at mixed precision, e.g. DRQ's regions): weights, input activations,
   * outputs (as written back to DRAM), partial sums. See tensor-widths.ts.
   */
  weightBits: number;
  activationBits: number;
  outputBits: number;
  psumBits: number;
  /** Metadata bits that travel with each input / output value at DRAM, GLB and NoC (DRQ's region mask), 0 if none. */
  inputMetaBits: number;
  outputMetaBits: number;
  /** Cycles per MAC the mapper and the nominal pass time assume (the layer's expected value for data-dependent datapaths). */
  cyclesPerMac: number;
  dramBytesPerCycle: number;
  /** Bits per cycle of the filter and ifmap NoCs (separate networks, as on the chip). */
  nocBitsPerCycle: number;
  /** Bits per cycle of the psum NoC (noc.psumBitsPerCycle; default derived in models/common/noc.ts). */
  psumNocBitsPerCycle: number;
}

/** Energy per unit used to rank mappings (from the same cost table the components charge). */
export interface UnitEnergies {
  dramBitPj: number;
  glbBitPj: number;
  nocBitPj: number;
  neighborBitPj: number;
  ifmapSpadPj: number;
  filterSpadPj: number;
  psumSpadPj: number;
  addPj: number;
}

export type MappingObjective = 'edp' | 'energy' | 'cycles';
export type FilterReuse = 'group' | 'block' | 'pass';

/** A layer's dimensions as the mapper sees them (per group: C and M divided by groups). */
export interface ConvShape {
  G: number;
  N: number;
  Cg: number;
  Mg: number;
  P: number;
  Q: number;
  R: number;
  S: number;
  H: number;
  W: number;
  strideH: number;
  dilationH: number;
  padH: number;
}

export interface RsParams {
  /** Images per pass. */
  n: number;
  /** Filters per PE. */
  p: number;
  /** Channels per PE. */
  q: number;
  /** Sets on different channel blocks. */
  r: number;
  /** Sets on different filter blocks. */
  t: number;
  /** Output-row strips side by side. */
  s: number;
  /** Output rows per strip (PE columns per set). */
  e: number;
  /** Filter rows per set (PE rows per set). */
  rh: number;
  ifmapResident: boolean;
  filterReuse: FilterReuse;
  /** 2 when the GLB has room to fetch the next pass while the current one computes. */
  glbDepth: 1 | 2;
  /** 2 when the filter spad holds two passes' filters (delivery overlaps compute). */
  spadDepth: 1 | 2;
}

/** Totals over all passes of a layer. Counts are in elements (words of the tensor's width). */
export interface RsCounts {
  passes: number;
  macs: number;
  computeCycles: number;
  dramIfmapWords: number;
  dramFilterWords: number;
  dramOutputWords: number;
  nocFilterWords: number;
  nocIfmapWords: number;
  nocPsumInWords: number;
  nocPsumOutWords: number;
  /** Psums handed between vertically adjacent PEs (and chained channel sets). */
  neighborPsumWords: number;
  filterSpadReads: number;
  filterSpadWrites: number;
  ifmapSpadReads: number;
  ifmapSpadWrites: number;
  psumSpadReads: number;
  psumSpadWrites: number;
  /** Accumulator additions outside MACs (psums arriving from neighbours or the GLB). */
  adds: number;
}

export interface RsMapping {
  shape: ConvShape;
  params: RsParams;
  hw: RsHardware;
  /** Blocks per loop: groups, image blocks, filter blocks, strip blocks, channel blocks, R folds. */
  loops: { G: number; NB: number; MB: number; EB: number; CB: number; RF: number };
  counts: RsCounts;
  /** PEs the sets occupy on a full pass. */
  activePes: number;
  glbFootprintBits: number;
  estimate: { energyPj: number; cycles: number };
}

/** Per-pass quantities, as the replay and the datapath hook see them. */
export interface PassShape {
  /** Pass number in loop order, 0-based. */
  index: number;
  g: number;
  /** First image, filter (within the group), channel (within the group), output row, filter row. */
  n0: number;
  m0: number;
  c0: number;
  e0: number;
  r0: number;
  /** Sizes of this pass's blocks (smaller at the edges). */
  nLen: number;
  mLen: number;
  cLen: number;
  eLen: number;
  rLen: number;
  /** True when this pass's filters are already in the spads (same filter block, next strip). */
  filtersStay: boolean;
  /** Filters and channels per PE this pass (lockstep: the busiest PE sets the time). */
  pePerFilters: number;
  pePerChannels: number;
  macs: number;
  /** Cycles of the nominal datapath (n · p' · q' · S · Q · cyclesPerMac). */
  computeCycles: number;
  filterWords: number;
  ifmapWords: number;
  psumInWords: number;
  psumOutWords: number;
  neighborPsumWords: number;
  filterSpadWrites: number;
  ifmapSpadWrites: number;
  dramIfmapWords: number;
  dramFilterWords: number;
  /** Output words written to DRAM after this pass (last pass of an output tile), else 0. */
  dramOutputWords: number;
}

export function convShape(l: Layer): ConvShape {
  return {
    G: l.groups,
    N: l.N,
    Cg: l.C / l.groups,
    Mg: l.M / l.groups,
    P: l.P,
    Q: l.Q,
    R: l.R,
    S: l.S,
    H: l.H,
    W: l.W,
    strideH: l.strideH,
    dilationH: l.dilationH,
    padH: l.padH,
  };
}

/** One PE's work in a pass: where it sits and which slices of the tensors it touches. */
export interface PeWork {
  /** Physical position in the array. */
  row: number;
  col: number;
  /** Set indices: channel set (psums chained), filter set, strip. */
  rSet: number;
  tSet: number;
  sSet: number;
  /** Filter row this PE keeps stationary (0..R-1) and output row it accumulates (0..P-1). */
  filterRow: number;
  outputRow: number;
  /** Input row it reads, in unpadded coordinates (outside 0..H-1: padding, no data). */
  ifmapRow: number;
  /** Half-open ranges within the group: images, filters, channels. */
  n0: number;
  n1: number;
  m0: number;
  m1: number;
  c0: number;
  c1: number;
  /** MACs this PE performs in the pass: (n1−n0)·(m1−m0)·(c1−c0)·S·Q. */
  macs: number;
}
