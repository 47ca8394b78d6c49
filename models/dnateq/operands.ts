/**
 * A layer's operands from its trace, checked against the layer's shape, and the pairs
 * (activation index, weight index) that make up sampled outputs — the dot products on which
 * the quantizer measures its accuracy proxy and the hardware model its counter statistics.
 */
import { die } from '../../sim/errors.ts';
import { tensorSize, type LayerTrace, type Tensor } from '../../sim/trace.ts';
import type { Layer } from '../../sim/workload.ts';
import { checkFinite } from './exponential.ts';

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

const shapeText = (t: Tensor) => `[${t.shape.join(', ')}]`;

/** Extract and check a layer's weights and input activations; a mismatch is a user error (exit 2). */
export function layerOperands(layer: Layer, trace: LayerTrace | undefined, file?: string): LayerOperands {
  const where = `layer "${layer.name}"`;
  if (!trace) return die(`${where}: the trace has no entry for this layer (trace/layer mismatch)`, file);
  const w = trace.weights ?? die(`${where}: the trace has no weights for this layer`, file);
  const a = trace.activations ?? die(`${where}: the trace has no input activations for this layer`, file);
  const cPerGroup = layer.C / layer.groups;
  const wantW = layer.M * cPerGroup * layer.R * layer.S;
  const wShapeOk =
    w.data.length === tensorSize(w.shape) &&
    w.data.length === wantW &&
    (w.shape.length === 2 ? w.shape[0] === layer.M : w.shape.length === 4 && [layer.M, cPerGroup, layer.R, layer.S].every((d, i) => w.shape[i] === d));
  if (!wShapeOk) {
    die(`${where}: weights ${shapeText(w)} do not match the layer (want [${layer.M}, ${cPerGroup}, ${layer.R}, ${layer.S}]${layer.kind === 'fc' ? ` or [${layer.M}, ${layer.C}]` : ''})`, file);
  }
  const perInput = layer.C * layer.H * layer.W;
  const batch = a.shape[0] ?? 0;
  if (batch < 1 || a.data.length !== batch * perInput || a.data.length !== tensorSize(a.shape)) {
    const want = layer.kind === 'fc' ? `[N, ${layer.C}] (or [N, …] with ${layer.C} values per input)` : `[N, ${layer.C}, ${layer.H}, ${layer.W}]`;
    die(`${where}: activations ${shapeText(a)} do not match the layer (want ${want})`, file);
  }
  checkFinite(w.data, `${where}: weights`);
  checkFinite(a.data, `${where}: activations`);
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
}

/**
 * `count` output positions drawn with the run's seeded generator, each as its list of operand
 * pairs. Conv/depthwise/grouped: NCHW activations, OIHW weights; fc/matmul: one row each.
 */
export function sampleOutputs(layer: Layer, ops: LayerOperands, count: number, rng: () => number): OutputPairs[] {
  const cPerGroup = layer.C / layer.groups;
  const mPerGroup = layer.M / layer.groups;
  const K = cPerGroup * layer.R * layer.S;
  const out: OutputPairs[] = [];
  const pick = (n: number) => Math.min(n - 1, Math.floor(rng() * n));
  for (let i = 0; i < count; i++) {
    const n = pick(ops.batch);
    const m = pick(layer.M);
    const p = pick(layer.P);
    const q = pick(layer.Q);
    const g = Math.floor(m / mPerGroup);
    const aIdx: number[] = [];
    const wIdx: number[] = [];
    for (let c = 0; c < cPerGroup; c++) {
      const ch = g * cPerGroup + c;
      for (let r = 0; r < layer.R; r++) {
        const h = p * layer.strideH - layer.padH + r * layer.dilationH;
        if (h < 0 || h >= layer.H) continue;
        for (let s = 0; s < layer.S; s++) {
          const x = q * layer.strideW - layer.padW + s * layer.dilationW;
          if (x < 0 || x >= layer.W) continue;
          aIdx.push(((n * layer.C + ch) * layer.H + h) * layer.W + x);
          wIdx.push(m * K + (c * layer.R + r) * layer.S + s);
        }
      }
    }
    out.push({ aIdx: Int32Array.from(aIdx), wIdx: Int32Array.from(wIdx) });
  }
  return out;
}
