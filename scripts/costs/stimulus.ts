/**
 * Operand streams for the gate-level simulations, drawn from a real trace: weights, input
 * activations and conv outputs of a few layers, quantized to the block's widths (symmetric,
 * per tensor), sampled with a seeded generator so a rerun gives the same stream. Per-layer
 * constants (the requantizer's shift and scale) change only between layers, as in hardware.
 */
import seedrandom from 'seedrandom';
import type { LayerTrace, Trace } from '../../sim/trace.ts';
import { lightnnLayerExponent, quantizeLightnn } from '../../models/lightnn/quantizer.ts';

/** Mid-network layers of face-recognition, one per stage (ops are split evenly among them). */
export const STIMULUS_LAYERS = ['conv32_1.conv1', 'conv64_1.conv1', 'conv128_1.conv1', 'conv256_1.conv1'];

export function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]!));
  return m;
}

/** Symmetric per-tensor quantization to signed `bits`: round(x / max · (2^(b−1) − 1)). */
export function quantizeSymmetric(x: number, max: number, bits: number): number {
  const q = 2 ** (bits - 1) - 1;
  if (!(max > 0)) return 0;
  return Math.max(-q - 1, Math.min(q, Math.round((x / max) * q)));
}

export interface LayerStream {
  layer: string;
  /** Dot-product length (C·R·S): MACs per output. */
  fanIn: number;
  w: number[];
  a: number[];
  /** The same weight and activation samples quantized to 4 bits. */
  w4: number[];
  a4: number[];
  /** int32 accumulators: conv outputs over the product of the int8 weight and activation scales. */
  acc: number[];
  /** Geng: power-of-two shift that brings the layer's largest accumulator into 8 bits. */
  shift: number;
  /** Scale-multiply: the real scale 127 / max|acc| as Q0.31 and as FP32 bits. */
  scaleQ31: bigint;
  scaleFp32Bits: number;
  /** LightNN weights as shift codes (zero weights of K = 2 included as en = false, m = 0). */
  lightnn: { K: 1 | 2; terms: { neg: boolean; m1: number; m2: number; en2: boolean; zero: boolean }[] }[];
}

function tensor(lt: LayerTrace, role: 'weights' | 'activations' | 'outputs'): Float32Array {
  const t = lt[role];
  if (!t) throw new Error(`trace layer ${lt.layer}: no ${role}`);
  return t.data;
}

/** Decode a LightNN value ±(2^−m1 [+ 2^−m2]) (m1 ≤ m2) into its shift code. */
export function lightnnCode(v: number): { neg: boolean; m1: number; m2: number; en2: boolean; zero: boolean } {
  const x = Math.abs(v);
  if (x === 0) return { neg: false, m1: 0, m2: 0, en2: false, zero: true };
  for (let m1 = 0; m1 <= 7; m1++) {
    if (x === 2 ** -m1) return { neg: v < 0, m1, m2: 0, en2: false, zero: false };
    for (let m2 = m1; m2 <= 7; m2++) if (x === 2 ** -m1 + 2 ** -m2) return { neg: v < 0, m1, m2, en2: true, zero: false };
  }
  throw new Error(`not a LightNN value: ${v}`);
}

/** `n` samples per layer of weights, activations (8- and 4-bit) and outputs. */
export function layerStreams(trace: Trace, n: number, seed = 'quantsim-synth'): LayerStream[] {
  return STIMULUS_LAYERS.map((name) => {
    const lt = trace.layers.get(name);
    if (!lt) throw new Error(`trace has no layer ${name}`);
    const rng = seedrandom(`${seed}:${name}`);
    const W = tensor(lt, 'weights');
    const A = tensor(lt, 'activations');
    const O = tensor(lt, 'outputs');
    const wShape = lt.weights!.shape;
    const fanIn = W.length / wShape[0]!;
    const mw = maxAbs(W);
    const ma = maxAbs(A);
    const mo = maxAbs(O);
    const pick = (t: Float32Array) => t[Math.floor(rng() * t.length)]!;
    const w: number[] = [];
    const a: number[] = [];
    const w4: number[] = [];
    const a4: number[] = [];
    const acc: number[] = [];
    const sw = mw / 127;
    const sa = ma / 127;
    for (let i = 0; i < n; i++) {
      const x = pick(W);
      const y = pick(A);
      w.push(quantizeSymmetric(x, mw, 8));
      a.push(quantizeSymmetric(y, ma, 8));
      w4.push(quantizeSymmetric(x, mw, 4));
      a4.push(quantizeSymmetric(y, ma, 4));
      acc.push(Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(pick(O) / (sw * sa)))));
    }
    const maxAcc = mo / (sw * sa);
    const shift = Math.max(0, Math.min(31, Math.ceil(Math.log2(maxAcc / 127))));
    const scale = 127 / maxAcc;
    const f32 = new Float32Array([scale]);
    const lightnn = ([1, 2] as const).map((K) => {
      const e = lightnnLayerExponent(W, K);
      const sample = Float32Array.from({ length: n }, () => Math.fround(pick(W) * 2 ** e));
      const q = quantizeLightnn(sample, K, seedrandom(`${seed}:${name}:lightnn${K}`));
      return { K, terms: [...q.values].map(lightnnCode) };
    });
    return {
      layer: name,
      fanIn,
      w,
      a,
      w4,
      a4,
      acc,
      shift,
      scaleQ31: BigInt(Math.round(scale * 2 ** 31)),
      scaleFp32Bits: new Uint32Array(f32.buffer)[0]!,
      lightnn,
    };
  });
}
