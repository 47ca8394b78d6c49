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
 * Pure: widths per trace input from the masks. One set of rules for DRQ on either array (the
 * Eyeriss-like one, accelerator.ts, and the systolic one, models/systolic/drq-accelerator.ts).
 */
import { inputCount, outputCount, type Layer, type Network } from '../../sim/workload.ts';
import { derivedFrom, type LayerTrace, type Trace } from '../../sim/trace.ts';
import type { TensorWidths } from '../common/tensor-widths.ts';
import type { DrqParams } from './params.ts';
import { perInputLowValueFractions, sensitivityMask, type RegionMask } from './sensitivity.ts';

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

/** A layer's region mask, once per input tensor and parameters (the same cache key on either array). */
export function regionMaskOf(layer: Layer, act: LayerTrace['activations'], p: DrqParams, file: string | undefined): RegionMask {
  const computeMask = () => sensitivityMask(layer, act, p, { file, path: '/drq' });
  return act ? derivedFrom(act, `drq:${layer.name}:${JSON.stringify(p)}`, computeMask) : computeMask();
}

/** Widths `layer`'s output is written at: its next reader's inputs, with their mask; else high, no mask. */
export function outputWidthsOf(network: Network | undefined, trace: Trace | undefined, layer: Layer, traceInputs: number, p: DrqParams, file: string | undefined): InputWidths {
  const next = network ? nextReader(network, layer) : undefined;
  const act = next ? trace?.layers.get(next.name)?.activations : undefined;
  if (!next || !act) return highWidths(traceInputs, p);
  return inputWidths(regionMaskOf(next, act, p, file), p);
}

/** The widths a DRQ conv/fc layer's tensors are stored and moved at, over the given trace inputs. */
export function drqTensorWidths(input: InputWidths, output: InputWidths, inputs: readonly number[], p: DrqParams, psumBits: number): TensorWidths {
  return {
    weightBits: p.high.weightBits,
    inputBits: widthOver(input, inputs),
    inputMetaBits: input.metaBitsPerValue,
    outputBits: widthOver(output, inputs),
    outputMetaBits: output.metaBitsPerValue,
    psumBits,
  };
}

/** An add or pool layer (DRQ does not quantize it): high-width inputs, outputs at their next reader's widths. */
export function elementwiseWidths(output: InputWidths, p: DrqParams): Partial<TensorWidths> {
  const all = Array.from(output.perInput.keys());
  return { inputBits: p.high.activationBits, outputBits: widthOver(output, all), outputMetaBits: output.metaBitsPerValue };
}
