/**
 * Residual adds and pooling on the systolic array: SCALE-Sim models GEMMs only, so quantsim runs
 * them on the PEs' accumulator adders (one add or compare per PE per cycle, like the Eyeriss-like
 * array's models/eyeriss/elementwise.ts), operands read from the ifmap SRAM, results written to
 * the ofmap SRAM, every tensor through DRAM once, at the layer's widths (a scheme's LayerProfile),
 * through the common per-level ledger.
 */
import type { LayerRun } from '../../sim/scheme.ts';
import { inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import { chargeLedger, readBits, writeBits, type AccessLedger } from '../common/access-ledger.ts';
import type { TensorWidths } from '../common/tensor-widths.ts';
import type { SystolicAccelerator } from './accelerator.ts';
import { systolicPorts } from './traffic-ledger.ts';

export function elementwiseLedger(layer: Layer, w: TensorWidths): AccessLedger {
  const outputs = outputCount(layer);
  const inputs = inputCount(layer);
  const ops = layer.kind === 'pool' ? outputs * layer.R * layer.S : outputs;
  const inBits = w.inputBits + w.inputMetaBits;
  return {
    macs: 0,
    tensors: {
      weights: {},
      inputs: { dram: { reads: inputs, bits: inBits }, sram: { fills: inputs, reads: layer.kind === 'pool' ? ops : inputs, bits: inBits } },
      outputs: { dram: { writes: outputs, bits: w.outputBits + w.outputMetaBits }, sram: { writes: outputs, drains: outputs, bits: w.psumBits } },
    },
  };
}

export function chargeElementwise(acc: SystolicAccelerator, layer: Layer, w: TensorWidths): LayerRun {
  const outputs = outputCount(layer);
  const ops = layer.kind === 'pool' ? outputs * layer.R * layer.S : outputs;
  const ledger = elementwiseLedger(layer, w);
  acc.array.pe.datapath.add(ops);
  chargeLedger(ledger, systolicPorts(acc));
  const computeCycles = Math.ceil(ops / acc.array.peCount);
  const dramCycles = acc.dram.cyclesFor((readBits(ledger.tensors.inputs.dram!) + writeBits(ledger.tensors.outputs.dram!)) / 8);
  const stalls = acc.params.memoryStalls ? Math.max(0, dramCycles - computeCycles) : 0;
  return { cycles: Math.max(1, computeCycles + stalls), utilization: 0, stalls: { dram: stalls }, details: { elementwiseOps: ops } };
}
