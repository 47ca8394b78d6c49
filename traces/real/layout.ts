/**
 * Layout conversions from TensorFlow's channels-last order to the PyTorch order quantsim traces
 * use (sim/trace.ts): activations NHWC → NCHW, conv filters HWIO → OIHW, fc [in, out] → [out, in].
 * Pure functions on flat float32 arrays.
 */
import type { Tensor } from '../../sim/trace.ts';

/** [N, H, W, C] → [N, C, H, W]. */
export function nhwcToNchw(data: Float32Array, shape: readonly number[]): { shape: number[]; data: Float32Array } {
  const [n, h, w, c] = dims4(shape, data.length, 'NHWC');
  const out = new Float32Array(data.length);
  const hw = h * w;
  for (let b = 0; b < n; b++) {
    const base = b * hw * c;
    for (let p = 0; p < hw; p++) {
      for (let ch = 0; ch < c; ch++) out[base + ch * hw + p] = data[base + p * c + ch]!;
    }
  }
  return { shape: [n, c, h, w], data: out };
}

/**
 * [R, S, C, M] → [M, C, R, S]; with `scale` (length M) each output channel's filter is multiplied
 * by its scale in float32 (folding a per-channel affine, i.e. batch norm, into the weights).
 */
export function hwioToOihw(data: Float32Array, shape: readonly number[], scale?: Float32Array): { shape: number[]; data: Float32Array } {
  const [r, s, c, m] = dims4(shape, data.length, 'HWIO');
  if (scale && scale.length !== m) throw new Error(`scale has ${scale.length} entries for ${m} output channels`);
  const out = new Float32Array(data.length);
  for (let o = 0; o < m; o++) {
    const k = scale ? scale[o]! : 1;
    for (let i = 0; i < c; i++) {
      for (let y = 0; y < r; y++) {
        for (let x = 0; x < s; x++) out[((o * c + i) * r + y) * s + x] = data[((y * s + x) * c + i) * m + o]! * k;
      }
    }
  }
  return { shape: [m, c, r, s], data: out };
}

/** [rows, cols] → [cols, rows]. */
export function transpose2d(data: Float32Array, shape: readonly number[]): { shape: number[]; data: Float32Array } {
  if (shape.length !== 2 || shape[0]! * shape[1]! !== data.length) throw new Error(`expected a 2-d shape for ${data.length} values, got [${shape}]`);
  const [rows, cols] = shape as [number, number];
  const out = new Float32Array(data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return { shape: [cols, rows], data: out };
}

function dims4(shape: readonly number[], length: number, name: string): [number, number, number, number] {
  if (shape.length !== 4 || shape.reduce((a, b) => a * b, 1) !== length) throw new Error(`expected a 4-d ${name} shape for ${length} values, got [${shape}]`);
  return shape as unknown as [number, number, number, number];
}

/** Depthwise [R, S, C, K] → [C·K, 1, R, S]: output channel c·K + k filters input channel c (tfjs' order). */
export function depthwiseToOihw(data: Float32Array, shape: readonly number[]): { shape: number[]; data: Float32Array } {
  const [r, s, c, k] = dims4(shape, data.length, 'depthwise [R, S, C, K]');
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++) {
    for (let j = 0; j < k; j++) {
      for (let y = 0; y < r; y++) for (let x = 0; x < s; x++) out[((ch * k + j) * r + y) * s + x] = data[((y * s + x) * c + ch) * k + j]!;
    }
  }
  return { shape: [c * k, 1, r, s], data: out };
}

/** [M, C, R, S] → [R, S, C, M] (the inverse of hwioToOihw without a scale). */
export function oihwToHwio(data: Float32Array, shape: readonly number[]): Float32Array {
  const [m, c, r, s] = dims4(shape, data.length, 'OIHW');
  const out = new Float32Array(data.length);
  for (let o = 0; o < m; o++) for (let i = 0; i < c; i++) for (let y = 0; y < r; y++) for (let x = 0; x < s; x++) out[((y * s + x) * c + i) * m + o] = data[((o * c + i) * r + y) * s + x]!;
  return out;
}

/** A frozen float32 trace tensor. */
export const f32 = (shape: readonly number[], data: Float32Array): Tensor => Object.freeze({ shape: Object.freeze(shape.slice()), data, dtype: 'float32' as const });

/** Concatenate per-input [1, …] captures (NHWC maps or [1, C] vectors) into one [N, …] tensor in PyTorch layout. */
export function stackCaptures(parts: readonly { readonly shape: readonly number[]; readonly data: Float32Array }[]): Tensor {
  const first = parts[0]!;
  const each = first.data.length;
  const data = new Float32Array(each * parts.length);
  parts.forEach((p, i) => data.set(p.data, i * each));
  if (first.shape.length === 2) return f32([parts.length, first.shape[1]!], data);
  const nchw = nhwcToNchw(data, [parts.length, ...first.shape.slice(1)]);
  return f32(nchw.shape, nchw.data);
}
