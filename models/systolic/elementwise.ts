/**
 * Residual adds and pooling on the systolic array: SCALE-Sim models GEMMs only, so quantsim runs
 * them on the PEs' accumulator adders (one add or compare per PE per cycle, like the Eyeriss-like
 * array's models/eyeriss/elementwise.ts), operands read from the ifmap SRAM, results written to
 * the ofmap SRAM, every tensor through DRAM once.
 */
import type { LayerRun } from '../../sim/scheme.ts';
import { inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import type { SystolicAccelerator } from './accelerator.ts';

export function chargeElementwise(acc: SystolicAccelerator, layer: Layer): LayerRun {
  const outputs = outputCount(layer);
  const inputs = inputCount(layer);
  const ops = layer.kind === 'pool' ? outputs * layer.R * layer.S : outputs;
  const bits = acc.arch.datapath.activationBits;
  acc.array.pe.datapath.add(ops);
  acc.ifmapSram.write(inputs);
  acc.ifmapSram.read(layer.kind === 'pool' ? ops : inputs);
  acc.ofmapSram.write(outputs);
  acc.ofmapSram.read(outputs);
  acc.dram.read(inputs * bits);
  acc.dram.write(outputs * bits);
  const computeCycles = Math.ceil(ops / acc.array.peCount);
  const dramCycles = acc.dram.cyclesFor(((inputs + outputs) * bits) / 8);
  const stalls = acc.params.memoryStalls ? Math.max(0, dramCycles - computeCycles) : 0;
  return { cycles: Math.max(1, computeCycles + stalls), utilization: 0, stalls: { dram: stalls }, details: { elementwiseOps: ops } };
}
