/**
 * DNA-TEQ's chosen per-layer quantizers as quantize-dequantize functions on float tensors, so a
 * forward pass can run with them end to end (the τ sweep's proxy on the real network, §III-B).
 * Layers without a choice pass through unchanged (pools, adds: DNA-TEQ quantizes dot products).
 */
import type { TensorQuantizer } from '../../sim/scheme.ts';
import { decodeTensor, encodeTensor, type ExpParams } from './exponential.ts';
import type { Candidate } from './search.ts';

export function dnateqTensorQuantizer(choices: ReadonlyMap<string, Candidate>): TensorQuantizer {
  const apply = (p: ExpParams | undefined, x: Float32Array) => (p ? decodeTensor(encodeTensor(x, p), p) : x);
  return {
    weights: (layer, data) => apply(choices.get(layer)?.weights, data),
    activations: (layer, data) => apply(choices.get(layer)?.activations, data),
  };
}
