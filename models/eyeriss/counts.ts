/**
 * Access counts of a layer on the Eyeriss-like hierarchy and how they are charged: one place,
 * shared by the architectural and the reference mode, so the two differ only in how they arrive
 * at the counts and the cycles.
 */
import type { Dram } from '../common/dram.ts';
import type { GlobalBuffer } from '../common/global-buffer.ts';
import type { Noc } from '../common/noc.ts';
import type { PeArray } from './pe-array.ts';
import { glbBits, type PassShape, type RsCounts, type RsHardware } from './mapping.ts';

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

/** Charge a layer's counts to the components (GLB in words of its width, NoC in bit·mm). */
export function chargeCounts(parts: HierarchyParts, c: RsCounts, hw: RsHardware): void {
  const { dram, glb, noc, array } = parts;
  const pe = array.pe;
  dram.read(c.dramIfmapWords * hw.activationBits + c.dramFilterWords * hw.weightBits);
  dram.write(c.dramOutputWords * hw.activationBits);
  const g = glbBits(c, hw);
  glb.read(Math.ceil(g.readBits / glb.wordBits));
  glb.write(Math.ceil(g.writeBits / glb.wordBits));
  noc.deliver(c.nocFilterWords, hw.weightBits);
  noc.deliver(c.nocIfmapWords, hw.activationBits);
  noc.deliver(c.nocPsumInWords + c.nocPsumOutWords, hw.psumBits);
  noc.neighbor(c.neighborPsumWords, hw.psumBits);
  pe.filterSpad.read(c.filterSpadReads);
  pe.filterSpad.write(c.filterSpadWrites);
  pe.ifmapSpad.read(c.ifmapSpadReads);
  pe.ifmapSpad.write(c.ifmapSpadWrites);
  pe.psumSpad.read(c.psumSpadReads);
  pe.psumSpad.write(c.psumSpadWrites);
  pe.datapath.mac(c.macs);
  pe.datapath.add(c.adds);
}
