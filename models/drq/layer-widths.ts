/**
 * The widths DRQ stores and moves each tensor at (the Eyeriss hierarchy's per-layer widths hook,
 * models/eyeriss/tensor-widths.ts), so that arch and op-count mode move the same bits per level:
 *  - input activations at the precision of their region (4 bits insensitive, 8 sensitive) in DRAM,
 *    the GLB, the NoC and the ifmap scratchpads, plus the mask (one bit per region) with them;
 *  - outputs written at the precision the *next* layer's predictor assigns them (the predictor runs
 *    after each layer, Song et al. §III: the mask of layer i+1's input is known when layer i's
 *    output is written), with that mask; our reading for layers whose output no DRQ layer reads
 *    next (an fc layer, a pool or residual add, the network output): the high width, no mask;
 *  - weights at the high width (the low-precision weight is its top bits), psums at the datapath's.
 * Pure: widths per trace input from the masks.
 */
import { inputCount, outputCount, type Layer, type Network } from '../../sim/workload.ts';
import type { DrqParams } from './params.ts';
import { perInputLowValueFractions, type RegionMask } from './sensitivity.ts';

/** Bits per value of a layer's input for each trace input, and mask bits per value. */
export interface InputWidths {
  readonly perInput: Float64Array;
  readonly metaBitsPerValue: number;
}

export function inputWidths(mask: RegionMask, p: DrqParams): InputWidths {
  const high = p.high.activationBits;
  const low = p.low.activationBits;
  const perInput = perInputLowValueFractions(mask).map((f) => f * low + (1 - f) * high);
  const values = mask.C * mask.H * mask.W;
  const metaBitsPerValue = mask.policy === 'regions' && values > 0 ? ((mask.mask.length / mask.N) * p.maskBitsPerRegion) / values : 0;
  return { perInput, metaBitsPerValue };
}

/** High-width inputs without a mask, for N trace inputs (layers DRQ does not quantize). */
export function highWidths(N: number, p: DrqParams): InputWidths {
  return { perInput: new Float64Array(Math.max(1, N)).fill(p.high.activationBits), metaBitsPerValue: 0 };
}

/** The layer that reads `layer`'s output next: the following layer in network order, when its input is that output. */
export function nextReader(network: Network, layer: Layer): Layer | undefined {
  const i = network.layers.findIndex((l) => l.name === layer.name);
  const next = i >= 0 ? network.layers[i + 1] : undefined;
  if (!next || (next.kind !== 'conv' && next.kind !== 'depthwise' && next.kind !== 'fc')) return undefined;
  return inputCount(next) === outputCount(layer) ? next : undefined;
}

/** Mean of the widths of the given trace inputs (wrapping when the widths cover fewer inputs). */
export function widthOver(w: InputWidths, inputs: readonly number[]): number {
  return inputs.reduce((a, i) => a + w.perInput[i % w.perInput.length]!, 0) / inputs.length;
}
