/**
 * The forward pass of a CnnGraph with tfjs ops, one image at a time, keeping every traced
 * layer's input and pre-activation output (the Recorder of face-recognition-net.ts) and applying
 * an InputTransform (a scheme's quantize-dequantize) to every traced layer's input. The same
 * code records a trace (weights from the package) and re-runs one end to end (weights from
 * the trace), so the two agree by construction and the recorded outputs can be checked.
 */
import * as tf from '@tensorflow/tfjs';
import { symmetric, type CnnGraph, type ConvNode, type FcNode, type GraphNode } from './cnn-graph.ts';
import type { Captured, InputTransform, Recorder } from './face-recognition-net.ts';

/** One traced layer's kernel in tfjs layout (conv HWIO, depthwise [R, S, C, 1], fc [C, M]) and bias. */
export interface LayerParams {
  readonly kernel: tf.Tensor;
  readonly bias: tf.Tensor1D;
}

export interface CnnParams {
  readonly layers: ReadonlyMap<string, LayerParams>;
  dispose(): void;
}

/** The kernel shape tfjs wants for a traced node. */
export const kernelShape = (n: ConvNode | FcNode): number[] => (n.op === 'fc' ? [n.C, n.M] : [n.R, n.S, n.C, n.depthwise ? 1 : n.M]);

/**
 * tfjs tensors for every traced layer: the graph's folded weights, or `kernel(node)` /
 * `bias(node)` (in tfjs layout) when given — e.g. a trace's weights after a quantizer.
 */
export function cnnParams(g: CnnGraph, kernel?: (n: ConvNode | FcNode) => Float32Array, bias?: (n: ConvNode | FcNode) => Float32Array): CnnParams {
  const layers = new Map<string, LayerParams>();
  for (const n of g.nodes) {
    if (n.op !== 'conv' && n.op !== 'fc') continue;
    const k = kernel ? kernel(n) : n.op === 'fc' ? n.weights : n.filters;
    layers.set(n.name, { kernel: tf.tensor(k, kernelShape(n), 'float32'), bias: tf.tensor1d(bias ? bias(n) : n.bias) });
  }
  return {
    layers,
    dispose() {
      for (const p of layers.values()) tf.dispose([p.kernel, p.bias]);
    },
  };
}

const capture = (t: tf.Tensor): Captured => ({ shape: t.shape.slice(), data: t.dataSync() as Float32Array });

function transformed<T extends tf.Tensor>(x: T, layer: string, transform?: InputTransform): T {
  if (!transform) return x;
  return tf.tensor(transform(layer, x.dataSync() as Float32Array), x.shape, 'float32') as T;
}

function activate(y: tf.Tensor, a: ConvNode['activation']): tf.Tensor {
  if (a === 'relu') return tf.relu(y);
  if (a === 'relu6') return tf.relu6(y);
  if (a === 'softmax') return tf.softmax(y);
  return y;
}

export interface ForwardOptions {
  readonly record?: Recorder;
  readonly transform?: InputTransform;
  /**
   * `input` (default): `x` is the graph's input [1, H, W, 3]. `stem`: `x` is the first traced
   * layer's recorded input (after the input affine and any asymmetric padding), as a trace keeps it.
   */
  readonly from?: 'input' | 'stem';
}

/** Run one image; returns the network's output (class probabilities) as float32. */
export function cnnForward(g: CnnGraph, params: CnnParams, x: tf.Tensor4D, options: ForwardOptions = {}): Float32Array {
  const { record, transform } = options;
  const stem = g.nodes.find((n) => n.op === 'conv' || n.op === 'fc')!;
  return tf.tidy(() => {
    const values = new Map<string, tf.Tensor>();
    const get = (name: string) => values.get(name)!;
    let out: tf.Tensor = x;
    let started = options.from !== 'stem';
    for (const n of g.nodes) {
      if (!started && n !== stem) continue;
      const given = !started ? x : undefined;
      started = true;
      out = step(n, get, params, given, record, transform) ?? x;
      values.set(n.name, out);
    }
    return out.dataSync() as Float32Array;
  });
}

/** One node. `given` is the recorded input of the first traced layer when starting from it. */
function step(n: GraphNode, get: (name: string) => tf.Tensor, params: CnnParams, given: tf.Tensor4D | undefined, record?: Recorder, transform?: InputTransform): tf.Tensor | undefined {
  switch (n.op) {
    case 'input':
      return undefined;
    case 'affine':
      return tf.add(tf.mul(get(n.inputs[0]!), n.mul), n.add);
    case 'conv': {
      const p = params.layers.get(n.name)!;
      const [t, b, l, r] = n.pad;
      let x = given ?? (get(n.inputs[0]!) as tf.Tensor4D);
      let pad: 'valid' | number | [[number, number], [number, number], [number, number], [number, number]] = 'valid';
      if (!symmetric(n.pad)) {
        // Recorded as the zero-padded map (Keras' ZeroPadding2D, TF's SAME with the odd pixel after).
        if (!given) x = tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]]);
      } else if (t === l) pad = t === 0 ? 'valid' : t;
      else pad = [[0, 0], [t, b], [l, r], [0, 0]];
      const xt = transformed(x, n.name, transform);
      const conv = n.depthwise
        ? tf.depthwiseConv2d(xt, p.kernel as tf.Tensor4D, n.stride as [number, number], pad)
        : tf.conv2d(xt, p.kernel as tf.Tensor4D, n.stride as [number, number], pad);
      const y = tf.add(conv, p.bias);
      record?.(n.name, capture(x), capture(y));
      return activate(y, n.activation);
    }
    case 'fc': {
      const p = params.layers.get(n.name)!;
      const x = tf.reshape(given ?? get(n.inputs[0]!), [1, n.C]);
      const y = tf.add(tf.matMul(transformed(x, n.name, transform), p.kernel as tf.Tensor2D), p.bias);
      record?.(n.name, capture(x), capture(y));
      return activate(y, n.activation);
    }
    case 'pool': {
      const x = get(n.inputs[0]!) as tf.Tensor4D;
      return n.type === 'max' ? tf.maxPool(x, n.size as [number, number], n.stride as [number, number], n.padding) : tf.avgPool(x, n.size as [number, number], n.stride as [number, number], n.padding);
    }
    case 'add':
      return n.inputs.map(get).reduce((a, b) => tf.add(a, b));
    case 'concat':
      return tf.concat(n.inputs.map(get), 3);
  }
}
