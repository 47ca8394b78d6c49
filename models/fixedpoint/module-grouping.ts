/**
 * Geng et al.'s module grouping: layers are fused into modules (conv; conv + ReLU; residual
 * add + ReLU; residual add without ReLU) and quantized once per module output, instead of
 * after every layer. Counted here per network from its layers (conv/fc carry a `relu` flag,
 * residual adds are `add` layers with their own flag).
 *
 * Per-layer quantization counts one quantization of every output element after each layer:
 * the conv (or fc), its batch normalization when `batchNormAfterConv` (true for ResNet-50,
 * He et al. 2016: every conv is followed by BN), its ReLU; the add and its ReLU; pooling.
 * Module quantization counts one per module output; pooling stays its own step in both (max
 * pooling needs no requantization, but the layer type does not say max or average, so it is
 * counted the same in both and does not affect the reduction).
 */
import { outputCount, type Layer, type Network } from '../../sim/workload.ts';

export interface GroupingOptions {
  batchNormAfterConv?: boolean;
}

export interface QuantizationCounts {
  /** Quantization operations (one per element quantized). */
  perLayer: number;
  perModule: number;
  /** Points in the network where a tensor is quantized. */
  perLayerTensors: number;
  perModuleTensors: number;
}

const computes = (l: Layer) => l.kind === 'conv' || l.kind === 'depthwise' || l.kind === 'fc' || l.kind === 'matmul';

/** Tensors quantized after `layer` when quantizing after every layer, and when grouping into modules. */
export function quantizationPoints(layer: Layer, options: GroupingOptions = {}): { perLayer: number; perModule: number } {
  if (computes(layer)) {
    const bn = options.batchNormAfterConv && layer.kind !== 'fc' && layer.kind !== 'matmul' ? 1 : 0;
    return { perLayer: 1 + bn + (layer.relu ? 1 : 0), perModule: 1 };
  }
  if (layer.kind === 'add') return { perLayer: 1 + (layer.relu ? 1 : 0), perModule: 1 };
  return { perLayer: 1, perModule: 1 };
}

export function quantizationCounts(network: Network, options: GroupingOptions = {}): QuantizationCounts {
  const out: QuantizationCounts = { perLayer: 0, perModule: 0, perLayerTensors: 0, perModuleTensors: 0 };
  for (const l of network.layers) {
    const p = quantizationPoints(l, options);
    const n = outputCount(l);
    out.perLayer += p.perLayer * n;
    out.perModule += p.perModule * n;
    out.perLayerTensors += p.perLayer;
    out.perModuleTensors += p.perModule;
  }
  return out;
}
