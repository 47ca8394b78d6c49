/**
 * A small, explicit graph of an image CNN as quantsim re-runs it: the layers a trace records
 * (conv, depthwise, fc) with their folded weights, and the glue between them (add, pool, concat,
 * input affine). Built from a shipped tfjs model (traces/real/cnn-keras.ts for Keras layers
 * models, traces/real/cnn-tfgraph.ts for converted TF graphs) and executed by cnn-forward.ts.
 * Shapes are static (batch 1, NHWC), inferred while the graph is built.
 */

export type Activation = 'linear' | 'relu' | 'relu6' | 'softmax';

/** [H, W, C] of a feature map, or [C] of a vector. */
export type Shape = readonly number[];

interface Base {
  /** Node name; for traced layers the trace/network layer name. */
  readonly name: string;
  readonly inputs: readonly string[];
  readonly shape: Shape;
}

/**
 * A convolution (dense or depthwise) with batch norm folded in. `pad` is [top, bottom, left,
 * right]; when it is not symmetric the recorded input is the explicitly zero-padded map (what
 * Keras' ZeroPadding2D feeds a valid conv), so the layer itself has no padding.
 */
export interface ConvNode extends Base {
  readonly op: 'conv';
  readonly depthwise: boolean;
  readonly R: number;
  readonly S: number;
  readonly C: number;
  readonly M: number;
  readonly stride: readonly [number, number];
  readonly pad: readonly [number, number, number, number];
  /** Folded filters in tfjs layout: HWIO [R, S, C, M], depthwise [R, S, C, 1]. */
  readonly filters: Float32Array;
  /** Folded per-channel bias [M]. */
  readonly bias: Float32Array;
  readonly activation: Activation;
}

export interface FcNode extends Base {
  readonly op: 'fc';
  readonly C: number;
  readonly M: number;
  /** [C, M] as tfjs stores it (rows = inputs). */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
}

export interface PoolNode extends Base {
  readonly op: 'pool';
  readonly type: 'max' | 'avg';
  readonly size: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: 'valid' | 'same';
}

export type GraphNode =
  | (Base & { readonly op: 'input' })
  /** x · mul + add elementwise (the TF-Hub graph's in-graph rescaling to [-1, 1]). */
  | (Base & { readonly op: 'affine'; readonly mul: number; readonly add: number })
  | ConvNode
  | FcNode
  | PoolNode
  | (Base & { readonly op: 'add' })
  | (Base & { readonly op: 'concat' });

export interface CnnGraph {
  /** Nodes in execution order; the last is the output (class probabilities after its softmax). */
  readonly nodes: readonly GraphNode[];
  readonly inputShape: readonly [number, number, number];
}

export type TracedNode = ConvNode | FcNode;
export const isTraced = (n: GraphNode): n is TracedNode => n.op === 'conv' || n.op === 'fc';

/** The recorded layers (conv, depthwise, fc) in execution order. */
export function tracedNodes(g: CnnGraph): TracedNode[] {
  return g.nodes.filter(isTraced);
}

/** TensorFlow's SAME padding of one dimension: [before, after] with the odd pixel after. */
export function samePad(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Output size of a window over `size` (padded by `pad` in all) with `kernel` and `stride`. */
export const windowOut = (size: number, kernel: number, stride: number, pad: number) => Math.floor((size + pad - kernel) / stride) + 1;

export const symmetric = (p: readonly [number, number, number, number]) => p[0] === p[1] && p[2] === p[3];

/** Shape of the tensor a traced layer records as its input: padded when the padding is asymmetric. */
export function recordedInputShape(n: ConvNode, input: Shape): [number, number, number] {
  const [h, w, c] = input as [number, number, number];
  return symmetric(n.pad) ? [h, w, c] : [h + n.pad[0] + n.pad[1], w + n.pad[2] + n.pad[3], c];
}

/** Output [H, W, M] of a convolution on an [H, W, C] input. */
export function convShape(input: Shape, R: number, S: number, M: number, stride: readonly [number, number], pad: readonly [number, number, number, number]): [number, number, number] {
  return [windowOut(input[0]!, R, stride[0], pad[0] + pad[1]), windowOut(input[1]!, S, stride[1], pad[2] + pad[3]), M];
}

/** Output of a pool: SAME keeps ⌈size / stride⌉, VALID drops the partial windows. */
export function poolShape(input: Shape, size: readonly [number, number], stride: readonly [number, number], padding: 'valid' | 'same'): [number, number, number] {
  const dim = (i: 0 | 1) => (padding === 'same' ? Math.ceil(input[i]! / stride[i]) : windowOut(input[i]!, size[i], stride[i], 0));
  return [dim(0), dim(1), input[2]!];
}

/** Multiply-accumulates of the traced layers, from the graph's own shapes (batch 1). */
export function graphMacs(g: CnnGraph): number {
  return tracedNodes(g).reduce((s, n) => {
    if (n.op === 'fc') return s + n.C * n.M;
    const [p, q] = n.shape as [number, number, number];
    return s + p * q * n.M * n.R * n.S * (n.depthwise ? 1 : n.C);
  }, 0);
}

/** Weights and biases of the traced layers after folding. */
export function graphParameters(g: CnnGraph): number {
  return tracedNodes(g).reduce((s, n) => s + (n.op === 'fc' ? n.weights.length : n.filters.length) + n.bias.length, 0);
}

/**
 * Fold an inference batch norm into per-channel scale and offset, in float32 as tfjs' batchNorm
 * computes it: scale = γ / √(var + ε), offset = β − mean · scale (γ = 1 when the layer has no scale).
 */
export function foldBatchNorm(mean: Float32Array, variance: Float32Array, beta: Float32Array, gamma: Float32Array | undefined, epsilon: number): { scale: Float32Array; offset: Float32Array } {
  const scale = new Float32Array(mean.length);
  const offset = new Float32Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    scale[c] = Math.fround((gamma ? gamma[c]! : 1) / Math.fround(Math.sqrt(Math.fround(variance[c]! + epsilon))));
    offset[c] = Math.fround(beta[c]! - Math.fround(mean[c]! * scale[c]!));
  }
  return { scale, offset };
}

/** Multiply the filters' output channels (the last HWIO axis; depthwise: the channel axis) by `scale`. */
export function scaleFilters(filters: Float32Array, channels: number, scale: Float32Array): Float32Array {
  const out = new Float32Array(filters.length);
  for (let i = 0; i < filters.length; i++) out[i] = Math.fround(filters[i]! * scale[i % channels]!);
  return out;
}
