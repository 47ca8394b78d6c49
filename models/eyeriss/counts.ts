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
import { dramReadBits, dramWriteBits, nocBits, inputValueBits, outputValueBits } from './mapping-counts.ts';
import { chargeLedger, movedBits, wordPort, type AccessLedger, type LevelPort, type LevelTraffic } from '../common/access-ledger.ts';

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
 * A layer's counts as the common per-level ledger (models/common/access-ledger.ts), every tensor at
 * the layer's widths (`hw`, tensor-widths.ts): input values and their metadata at DRAM, GLB and
 * NoC, the value alone in the ifmap spads; partial sums at psum width on chip, outputs requantized
 * (with their metadata) to DRAM. Outputs: psums leave the array (NoC out), come back for the next
 * channel block (NoC in), are handed between neighbours, and the final values are written to DRAM
 * once (drained from the GLB).
 */
export function rsLedger(c: RsCounts, hw: RsHardware): AccessLedger {
  const inBits = inputValueBits(hw);
  const wBits = hw.weightBits;
  const pBits = hw.psumBits;
  return {
    macs: c.macs,
    tensors: {
      weights: {
        dram: { reads: c.dramFilterWords, bits: wBits },
        glb: { fills: c.dramFilterWords, reads: c.nocFilterWords, bits: wBits },
        noc: { reads: c.nocFilterWords, bits: wBits },
        spad: { fills: c.filterSpadWrites, reads: c.filterSpadReads, bits: wBits },
      },
      inputs: {
        dram: { reads: c.dramIfmapWords, bits: inBits },
        glb: { fills: c.dramIfmapWords, reads: c.nocIfmapWords, bits: inBits },
        noc: { reads: c.nocIfmapWords, bits: inBits },
        spad: { fills: c.ifmapSpadWrites, reads: c.ifmapSpadReads, bits: hw.activationBits },
      },
      outputs: {
        dram: { writes: c.dramOutputWords, bits: outputValueBits(hw) },
        glb: { writes: c.nocPsumOutWords, reads: c.nocPsumInWords, drains: c.dramOutputWords, bits: pBits },
        noc: { reads: c.nocPsumInWords, writes: c.nocPsumOutWords, bits: pBits },
        neighbor: { writes: c.neighborPsumWords, bits: pBits },
        spad: { reads: c.psumSpadReads, writes: c.psumSpadWrites, bits: pBits },
      },
    },
  };
}

/**
 * How each level of the hierarchy is charged: DRAM by the bit; the GLB in accesses of its row
 * width, every tensor's bits packed back to back; the NoC by bit·mm per network (filter, ifmap,
 * psum) and per neighbour hop; each scratchpad in its entries. `zeroFraction`: the share of MACs
 * whose input activation is exactly zero when the datapath gates them
 * (datapath.skipZeroActivations): those pairs make no filter-spad read (Eyeriss data gating, JSSC
 * 2017; models/common/zero-gating.ts).
 */
export function hierarchyPorts(parts: HierarchyParts, zeroFraction = 0): Record<string, LevelPort> {
  const { dram, glb, noc, array } = parts;
  const pe = array.pe;
  const link = (t: LevelTraffic) => noc.deliver(1, movedBits(t));
  return {
    dram: { shared: dram },
    glb: { shared: { read: (bits) => glb.read(Math.ceil(bits / glb.wordBits)), write: (bits) => glb.write(Math.ceil(bits / glb.wordBits)) } },
    noc: { each: { weights: link, inputs: link, outputs: link } },
    neighbor: { each: { outputs: (t) => noc.neighbor(1, movedBits(t)) } },
    spad: { each: { weights: wordPort(pe.filterSpad, 1 - zeroFraction), inputs: wordPort(pe.ifmapSpad), outputs: wordPort(pe.psumSpad) } },
  };
}

/** Charge a layer's counts to the components through the common ledger, and its MACs and adds to the datapath. */
export function chargeCounts(parts: HierarchyParts, c: RsCounts, hw: RsHardware, zeroFraction = 0): void {
  chargeLedger(rsLedger(c, hw), hierarchyPorts(parts, zeroFraction));
  const dp = parts.array.pe.datapath;
  dp.mac(c.macs * (1 - zeroFraction));
  dp.add(c.adds);
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
