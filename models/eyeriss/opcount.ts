/**
 * Fidelity level 1 (op-count mode) for a linear integer/FP datapath on the Eyeriss-like
 * hierarchy: every MAC, every scratchpad access a MAC implies, and the compulsory traffic of
 * each tensor through each level, × the cost table. No mapping and no reuse misses: a lower
 * bound on traffic, as in the DNA-TEQ paper's architecture-free energy estimate.
 * The counts are those of a mapping with no reuse misses (one pass, nothing fetched twice) and are
 * charged by the same `chargeCounts` as arch mode at the same per-layer widths (tensor-widths.ts),
 * so the two modes move the same bits per level whenever the mapping has no misses.
 */
import type { LayerRun } from '../../sim/scheme.ts';
import { macs, weightCount, inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import type { RsCounts, RsHardware } from './mapping.ts';
import { dramBits } from './mapping-counts.ts';
import { chargeCounts, zeroCounts, type HierarchyParts } from './counts.ts';

/** Compulsory counts of a layer: every tensor crosses each level once; per MAC one filter and one ifmap read and a psum read-modify-write (Eyeriss §IV). */
export function compulsoryCounts(layer: Layer): RsCounts {
  const c = zeroCounts();
  const n = macs(layer);
  const outputs = outputCount(layer);
  c.passes = 1;
  c.dramIfmapWords = c.nocIfmapWords = inputCount(layer);
  c.dramFilterWords = c.nocFilterWords = weightCount(layer);
  c.dramOutputWords = c.nocPsumOutWords = outputs;
  if (layer.kind === 'add') c.adds = outputs;
  else if (layer.kind === 'pool') c.adds = outputs * layer.R * layer.S;
  else {
    c.macs = n;
    c.filterSpadReads = c.ifmapSpadReads = c.psumSpadReads = c.psumSpadWrites = n;
  }
  return c;
}

export function linearOpCount(parts: HierarchyParts, layer: Layer, hw: RsHardware, zeroFraction = 0): LayerRun {
  const { dram, array } = parts;
  const c = compulsoryCounts(layer);
  chargeCounts(parts, c, hw, zeroFraction);
  const n = c.macs;
  const macsPerCycle = array.peCount / hw.cyclesPerMac;
  const computeCycles = Math.ceil((layer.kind === 'add' || layer.kind === 'pool' ? outputCount(layer) : n) / macsPerCycle);
  const dramCycles = dram.cyclesFor(dramBits(c, hw) / 8);
  const cycles = Math.max(computeCycles, dramCycles, 1);
  return {
    cycles,
    utilization: n / (cycles * macsPerCycle),
    stalls: { dram: Math.max(0, dramCycles - computeCycles) },
  };
}
