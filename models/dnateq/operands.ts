/**
 * A layer's operands from its trace, checked against the layer's shape, and the pairs
 * (activation index, weight index) that make up sampled outputs — the dot products on which
 * the quantizer measures its accuracy proxy and the hardware model its counter statistics.
 */
import { die } from '../../sim/errors.ts';
import type { LayerTrace } from '../../sim/trace.ts';
import type { Layer } from '../../sim/workload.ts';
import { checkLayerTensor } from '../../traces/format.ts';

export interface LayerOperands {
  readonly weights: Float32Array;
  readonly activations: Float32Array;
  /** Inputs in the activation tensor (the trace may hold fewer than the layer's N). */
  readonly batch: number;
  /** True when no activation is negative (post-ReLU): no sign bit, β_a may be fixed to 0. */
  readonly activationsNonNegative: boolean;
}

/** The layers whose dot products DNA-TEQ computes (pool and add have no weights). */
export function hasDotProducts(layer: Layer): boolean {
  return layer.kind === 'conv' || layer.kind === 'depthwise' || layer.kind === 'fc' || layer.kind === 'matmul';
}

/** Extract a layer's weights and input activations, checked by traces/format.ts (shape, finite): a mismatch is a user error. */
export function layerOperands(layer: Layer, trace: LayerTrace | undefined, file?: string): LayerOperands {
  const where = `layer "${layer.name}"`;
  if (!trace) return die(`${where}: the trace has no entry for this layer (trace/layer mismatch)`, file);
  const w = trace.weights ?? die(`${where}: the trace has no weights for this layer`, file);
  const a = trace.activations ?? die(`${where}: the trace has no input activations for this layer`, file);
  checkLayerTensor(layer, 'weights', w, file ?? '');
  checkLayerTensor(layer, 'activations', a, file ?? '');
  const batch = a.shape[0]!;
  let nonNegative = true;
  for (let i = 0; i < a.data.length; i++) {
    if (a.data[i]! < 0) {
      nonNegative = false;
      break;
    }
  }
  return { weights: w.data, activations: a.data, batch, activationsNonNegative: nonNegative };
}

/** The operand pairs of one output: flat indices into activations and weights (padding omitted). */
export interface OutputPairs {
  readonly aIdx: Int32Array;
  readonly wIdx: Int32Array;
  /** Weight indices of the filter's padding taps (their activation is a zero the array walks). */
  readonly padIdx: Int32Array;
  /** The output's whole filter (padding taps included): weights[wStart … wStart + wLength). */
  readonly wStart: number;
  readonly wLength: number;
}

/**
 * `count` output positions drawn with the run's seeded generator, each as its list of operand
 * pairs. Conv/depthwise/grouped: NCHW activations, OIHW weights. fc and matmul: one row of the
 * activation tensor per output — an fc over a sequence (P tokens) holds its tokens as rows
 * ([rows, C]); a matmul's right operand (K or V, in the weights' place) is [N, M, C/groups],
 * one matrix per input, whose P query tokens are rows P·n … P·n + P − 1 (docs/dnateq.md, Transformer).
 */
export function sampleOutputs(layer: Layer, ops: LayerOperands, count: number, rng: () => number): OutputPairs[] {
  const cPerGroup = layer.C / layer.groups;
  const mPerGroup = layer.M / layer.groups;
  const K = cPerGroup * layer.R * layer.S;
  const out: OutputPairs[] = [];
  const pick = (n: number) => Math.min(n - 1, Math.floor(rng() * n));
  const rowWise = layer.kind === 'fc' || layer.kind === 'matmul';
  const rows = rowWise ? ops.activations.length / layer.C : 0;
  const rightPerInput = layer.M * cPerGroup;
  for (let i = 0; i < count; i++) {
    if (rowWise) {
      const row = pick(rows);
      const m = pick(layer.M);
      const g = Math.floor(m / mPerGroup);
      // A matmul's right operand belongs to the input the row is a token of.
      const input = layer.kind === 'matmul' ? Math.min(Math.floor(ops.weights.length / rightPerInput) - 1, Math.floor(row / layer.P)) : 0;
      const wStart = input * rightPerInput + m * K;
      const aIdx = Int32Array.from({ length: cPerGroup }, (_, c) => row * layer.C + g * cPerGroup + c);
      const wIdx = Int32Array.from({ length: cPerGroup }, (_, c) => wStart + c);
      out.push({ aIdx, wIdx, padIdx: new Int32Array(0), wStart, wLength: K });
      continue;
    }
    const n = pick(ops.batch);
    const m = pick(layer.M);
    const p = pick(layer.P);
    const q = pick(layer.Q);
    const g = Math.floor(m / mPerGroup);
    const aIdx: number[] = [];
    const wIdx: number[] = [];
    const padIdx: number[] = [];
    for (let c = 0; c < cPerGroup; c++) {
      const ch = g * cPerGroup + c;
      for (let r = 0; r < layer.R; r++) {
        const h = p * layer.strideH - layer.padH + r * layer.dilationH;
        for (let s = 0; s < layer.S; s++) {
          const x = q * layer.strideW - layer.padW + s * layer.dilationW;
          if (h < 0 || h >= layer.H || x < 0 || x >= layer.W) {
            padIdx.push(m * K + (c * layer.R + r) * layer.S + s);
            continue;
          }
          aIdx.push(((n * layer.C + ch) * layer.H + h) * layer.W + x);
          wIdx.push(m * K + (c * layer.R + r) * layer.S + s);
        }
      }
    }
    out.push({ aIdx: Int32Array.from(aIdx), wIdx: Int32Array.from(wIdx), padIdx: Int32Array.from(padIdx), wStart: m * K, wLength: K });
  }
  return out;
}
