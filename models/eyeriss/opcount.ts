/**
 * Fidelity level 1 (op-count mode) for a linear integer/FP datapath on the Eyeriss-like
 * hierarchy: every MAC, every scratchpad access a MAC implies, and the compulsory traffic of
 * each tensor through each level, × the cost table. No mapping and no reuse misses: a lower
 * bound on traffic, as in the DNA-TEQ paper's architecture-free energy estimate.
 */
import type { LayerRun } from '../../sim/scheme.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import { macs, weightCount, inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import type { Dram } from '../common/dram.ts';
import type { GlobalBuffer } from '../common/global-buffer.ts';
import type { Noc } from '../common/noc.ts';
import type { PeArray } from './pe-array.ts';

export interface LinearParts {
  dram: Dram;
  glb: GlobalBuffer;
  noc: Noc;
  array: PeArray;
}

export function linearOpCount(parts: LinearParts, layer: Layer, arch: ArchConfig): LayerRun {
  const { dram, glb, noc, array } = parts;
  const pe = array.pe;
  const d = arch.datapath;
  const psumBits = d.psumBits ?? d.accumulatorBits ?? 32;
  const n = macs(layer);
  const weights = weightCount(layer);
  const inputs = inputCount(layer);
  const outputs = outputCount(layer);

  if (layer.kind === 'add') pe.datapath.add(outputs);
  else if (layer.kind === 'pool') pe.datapath.add(outputs * layer.R * layer.S);
  else {
    pe.datapath.mac(n);
    // Per MAC: one filter and one ifmap operand read, one psum read-modify-write (Eyeriss §IV).
    pe.filterSpad.read(n);
    pe.ifmapSpad.read(n);
    pe.psumSpad.read(n);
    pe.psumSpad.write(n);
  }

  // Compulsory traffic: every tensor crosses each level once.
  const weightBits = weights * d.weightBits;
  const inputBits = inputs * d.activationBits;
  const outputBits = outputs * d.activationBits;
  dram.read(weightBits + inputBits);
  dram.write(outputBits);
  const glbWords = (bits: number) => Math.ceil(bits / glb.wordBits);
  glb.write(glbWords(weightBits + inputBits) + glbWords(outputs * psumBits));
  glb.read(glbWords(weightBits + inputBits) + glbWords(outputBits));
  noc.deliver(weights, d.weightBits);
  noc.deliver(inputs, d.activationBits);
  noc.deliver(outputs, psumBits);

  const macsPerCycle = array.peCount / pe.datapath.cyclesPerMac;
  const computeCycles = Math.ceil((layer.kind === 'add' || layer.kind === 'pool' ? outputs : n) / macsPerCycle);
  const dramCycles = dram.cyclesFor((weightBits + inputBits + outputBits) / 8);
  const cycles = Math.max(computeCycles, dramCycles, 1);
  return {
    cycles,
    utilization: n / (cycles * macsPerCycle),
    stalls: { dram: Math.max(0, dramCycles - computeCycles) },
  };
}
