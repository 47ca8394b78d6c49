/**
 * Access counts of a layer on the Eyeriss-like hierarchy and how they are charged: one place,
 * shared by the architectural and the reference mode, so the two differ only in how they arrive
 * at the counts and the cycles.
 */
import type { Dram } from '../common/dram.ts';
import type { GlobalBuffer } from '../common/global-buffer.ts';
import type { Noc } from '../common/noc.ts';
import type { PeArray } from './pe-array.ts';
import type { PassShape, RsCounts, RsHardware } from './mapping.ts';
import { glbBits, dramReadBits, dramWriteBits, nocBits, spadScale } from './mapping-counts.ts';

export interface HierarchyParts {
  dram: Dram;
  glb: GlobalBuffer;
  noc: Noc;
  array: PeArray;
}

export function zeroCounts(): RsCounts {
  return {
    passes: 0,
    macs: 0,
    computeCycles: 0,
    dramIfmapWords: 0,
    dramFilterWords: 0,
    dramOutputWords: 0,
    nocFilterWords: 0,
    nocIfmapWords: 0,
    nocPsumInWords: 0,
    nocPsumOutWords: 0,
    neighborPsumWords: 0,
    filterSpadReads: 0,
    filterSpadWrites: 0,
    ifmapSpadReads: 0,
    ifmapSpadWrites: 0,
    psumSpadReads: 0,
    psumSpadWrites: 0,
    adds: 0,
  };
}

/** Add one pass's accesses (per the mapping's per-pass formulas). */
export function addPassCounts(c: RsCounts, ps: PassShape): void {
  c.passes++;
  c.macs += ps.macs;
  c.computeCycles += ps.computeCycles;
  c.dramIfmapWords += ps.dramIfmapWords;
  c.dramFilterWords += ps.dramFilterWords;
  c.dramOutputWords += ps.dramOutputWords;
  c.nocFilterWords += ps.filterWords;
  c.nocIfmapWords += ps.ifmapWords;
  c.nocPsumInWords += ps.psumInWords;
  c.nocPsumOutWords += ps.psumOutWords;
  c.neighborPsumWords += ps.neighborPsumWords;
  c.filterSpadReads += ps.macs;
  c.filterSpadWrites += ps.filterSpadWrites;
  c.ifmapSpadReads += ps.macs;
  c.ifmapSpadWrites += ps.ifmapSpadWrites;
  c.psumSpadReads += ps.macs + ps.neighborPsumWords + ps.psumOutWords;
  c.psumSpadWrites += ps.macs + ps.neighborPsumWords + ps.psumInWords;
  c.adds += ps.neighborPsumWords + ps.psumInWords;
}

/**
 * Charge a layer's counts to the components (GLB in words of its width, NoC in bit·mm), every
 * tensor at the layer's widths (`hw`, tensor-widths.ts). `zeroFraction`: the share of MACs whose
 * input activation is exactly zero when the datapath gates them (datapath.skipZeroActivations):
 * those pairs cost no MAC and no filter-spad read (Eyeriss data gating, JSSC 2017; zero-gating.ts).
 */
export function chargeCounts(parts: HierarchyParts, c: RsCounts, hw: RsHardware, zeroFraction = 0): void {
  const { dram, glb, noc, array } = parts;
  const pe = array.pe;
  dram.read(dramReadBits(c, hw));
  dram.write(dramWriteBits(c, hw));
  const g = glbBits(c, hw);
  glb.read(Math.ceil(g.readBits / glb.wordBits));
  glb.write(Math.ceil(g.writeBits / glb.wordBits));
  const net = nocBits(c, hw);
  noc.deliver(1, net.filter);
  noc.deliver(1, net.ifmap);
  noc.deliver(1, net.psum);
  noc.neighbor(c.neighborPsumWords, hw.psumBits);
  const sp = spadScale(hw);
  const dense = 1 - zeroFraction;
  pe.filterSpad.read(c.filterSpadReads * sp.filter * dense);
  pe.filterSpad.write(c.filterSpadWrites * sp.filter);
  pe.ifmapSpad.read(c.ifmapSpadReads * sp.ifmap);
  pe.ifmapSpad.write(c.ifmapSpadWrites * sp.ifmap);
  pe.psumSpad.read(c.psumSpadReads * sp.psum);
  pe.psumSpad.write(c.psumSpadWrites * sp.psum);
  pe.datapath.mac(c.macs * dense);
  pe.datapath.add(c.adds);
}

/** Words one pass moves, by where they go (the per-pass counts of the mapping or an elementwise tile). */
export interface PassWords {
  dramIfmapWords: number;
  dramFilterWords: number;
  filterWords: number;
  ifmapWords: number;
  psumInWords: number;
  psumOutWords: number;
  /** Outputs written to DRAM after this pass (0 unless it completes an output tile). */
  dramOutputWords: number;
}

/** A pass's transfer times in cycles: DRAM fetch, filter delivery (NoC, GLB port), ifmap and psum streams, write-back. */
export interface PassTransfers {
  fetch: number;
  deliverNoc: number;
  deliverGlb: number;
  ifmapStream: number;
  psumStream: number;
  glbStream: number;
  writeback: number;
}

/**
 * Transfer cycles of one pass at the layer's widths, values packed back to back on every link
 * (a 64-bit link moves 8 INT8 or 16 INT4 values per cycle); the psum stream runs on the psum
 * network. One formula for the arch timeline, the reference mode and elementwise tiles.
 */
export function passTransfers(parts: HierarchyParts, w: PassWords, hw: RsHardware, out: PassTransfers = {} as PassTransfers): PassTransfers {
  const { dram, glb, noc } = parts;
  const net = nocBits({ nocFilterWords: w.filterWords, nocIfmapWords: w.ifmapWords, nocPsumInWords: w.psumInWords, nocPsumOutWords: w.psumOutWords }, hw);
  out.fetch = dram.cyclesFor(Math.ceil(dramReadBits({ dramIfmapWords: w.dramIfmapWords, dramFilterWords: w.dramFilterWords }, hw) / 8));
  out.deliverNoc = noc.cyclesFor(net.filter);
  out.deliverGlb = glb.cyclesFor(Math.ceil(net.filter / 8));
  out.ifmapStream = noc.cyclesFor(net.ifmap);
  out.psumStream = noc.psumCyclesFor(net.psum);
  out.glbStream = glb.cyclesFor(Math.ceil((net.ifmap + net.psum) / 8));
  out.writeback = w.dramOutputWords > 0 ? dram.cyclesFor(Math.ceil(dramWriteBits({ dramOutputWords: w.dramOutputWords }, hw) / 8)) : 0;
  return out;
}
