/**
 * A Keras layers model (tfjs `model.json` with a `model_config`, as nsfwjs ships MobileNetV2
 * and InceptionV3) turned into a CnnGraph: Conv2D/DepthwiseConv2D + BatchNormalization folded
 * into one conv with bias, the following ReLU/ReLU6/Activation('relu') fused into it,
 * ZeroPadding2D moved into the conv's padding, Dropout and Flatten dropped (inference;
 * Flatten only follows a 1×1 pool here). Any other layer class is an error naming it.
 */
import { die } from '../../sim/errors.ts';
import type { WeightsFile } from './face-api-weights.ts';
import { weightTensor } from './face-api-weights.ts';
import {
  convShape,
  foldBatchNorm,
  poolShape,
  samePad,
  scaleFilters,
  type Activation,
  type CnnGraph,
  type ConvNode,
  type FcNode,
  type GraphNode,
  type Shape,
} from './cnn-graph.ts';

interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, unknown][][];
}

type Pair = [number, number];
const pair = (v: unknown): Pair => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number]);

/** Convert the topology; `file` names the model in errors. */
export function kerasGraph(topology: unknown, w: WeightsFile, file: string): CnnGraph {
  const cfg = (topology as { model_config?: { config?: { layers?: KerasLayer[] } } }).model_config?.config;
  const layers = cfg?.layers ?? die('not a Keras layers model (no model_config.config.layers)', file, '/modelTopology/model_config');
  const nodes: GraphNode[] = [];
  const byName = new Map<string, GraphNode>();
  // Layers that pass their input through (Dropout, Flatten, folded BN/ReLU, ZeroPadding2D) point at what they stand for.
  const alias = new Map<string, string>();
  const pending = new Map<string, [number, number, number, number]>();
  const consumers = new Map<string, number>();
  for (const l of layers) for (const inb of l.inbound_nodes[0] ?? []) consumers.set(inb[0], (consumers.get(inb[0]) ?? 0) + 1);
  const resolve = (n: string): string => (alias.has(n) ? resolve(alias.get(n)!) : n);
  const node = (n: string) => byName.get(resolve(n)) ?? die(`layer input "${n}" is not defined before use`, file);
  const put = (n: GraphNode) => (nodes.push(n), byName.set(n.name, n));
  const replace = (n: GraphNode) => {
    nodes[nodes.findIndex((x) => x.name === n.name)] = n;
    byName.set(n.name, n);
  };
  const f32 = (name: string) => weightTensor(w, name).data;

  layers.forEach((l, i) => {
    const where = `/modelTopology/model_config/config/layers/${i}`;
    const c = l.config;
    const ins = (l.inbound_nodes[0] ?? []).map((x) => x[0]);
    const input = ins[0] !== undefined ? node(ins[0]) : undefined;
    const inShape: Shape = input?.shape ?? [];
    switch (l.class_name) {
      case 'InputLayer': {
        const s = c['batch_input_shape'] as [null, number, number, number];
        put({ op: 'input', name: l.name, inputs: [], shape: [s[1], s[2], s[3]] });
        break;
      }
      case 'ZeroPadding2D': {
        const p = c['padding'] as [Pair, Pair];
        pending.set(l.name, [p[0][0], p[0][1], p[1][0], p[1][1]]);
        alias.set(l.name, ins[0]!);
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const depthwise = l.class_name === 'DepthwiseConv2D';
        const [R, S] = pair(c['kernel_size']);
        const stride = pair(c['strides']);
        if (pair(c['dilation_rate']).some((d) => d !== 1)) die(`layer ${l.name}: dilated convolutions are not supported`, file, `${where}/config/dilation_rate`);
        const kernel = weightTensor(w, `${l.name}/${depthwise ? 'depthwise_kernel' : 'kernel'}`);
        const C = inShape[2]!;
        const M = depthwise ? C * (c['depth_multiplier'] as number) : (c['filters'] as number);
        if (depthwise && M !== C) die(`layer ${l.name}: depth_multiplier other than 1 is not supported`, file, `${where}/config/depth_multiplier`);
        const extra = pending.get(ins[0]!);
        const pad: [number, number, number, number] =
          c['padding'] === 'same' ? [...samePad(inShape[0]!, R, stride[0]), ...samePad(inShape[1]!, S, stride[1])] : [0, 0, 0, 0];
        if (extra) for (let k = 0; k < 4; k++) pad[k]! += extra[k]!;
        const bias = c['use_bias'] ? f32(`${l.name}/bias`) : new Float32Array(M);
        put({
          op: 'conv',
          name: l.name,
          inputs: [input!.name],
          shape: convShape(inShape, R, S, M, stride, pad),
          depthwise,
          R,
          S,
          C,
          M,
          stride,
          pad,
          filters: kernel.data,
          bias,
          activation: activationOf(c['activation'], l.name, file, where),
        });
        break;
      }
      case 'BatchNormalization': {
        const conv = input;
        if (conv?.op !== 'conv' || conv.activation !== 'linear' || consumers.get(ins[0]!) !== 1) die(`layer ${l.name}: batch norm is folded only into a conv it alone follows`, file, where);
        const bn = foldBatchNorm(f32(`${l.name}/moving_mean`), f32(`${l.name}/moving_variance`), f32(`${l.name}/beta`), c['scale'] ? f32(`${l.name}/gamma`) : undefined, c['epsilon'] as number);
        const bias = new Float32Array(conv.M);
        for (let m = 0; m < conv.M; m++) bias[m] = Math.fround(Math.fround(conv.bias[m]! * bn.scale[m]!) + bn.offset[m]!);
        replace({ ...conv, filters: scaleFilters(conv.filters, conv.M, bn.scale), bias });
        alias.set(l.name, conv.name);
        break;
      }
      case 'ReLU':
      case 'Activation': {
        const act: Activation = l.class_name === 'ReLU' ? (c['max_value'] === 6 ? 'relu6' : 'relu') : activationOf(c['activation'], l.name, file, where);
        if (l.class_name === 'ReLU' && ((c['negative_slope'] ?? 0) !== 0 || (c['threshold'] ?? 0) !== 0 || ![null, undefined, 6].includes(c['max_value'] as number))) die(`layer ${l.name}: only ReLU and ReLU6 are supported`, file, where);
        if ((input?.op !== 'conv' && input?.op !== 'fc') || input.activation !== 'linear' || consumers.get(ins[0]!) !== 1) die(`layer ${l.name}: an activation must follow a conv or dense layer it alone reads`, file, where);
        replace({ ...input, activation: act } as ConvNode | FcNode);
        alias.set(l.name, input.name);
        break;
      }
      case 'Add':
        put({ op: 'add', name: l.name, inputs: ins.map((n) => node(n).name), shape: inShape });
        break;
      case 'Concatenate': {
        if (c['axis'] !== 3 && c['axis'] !== -1) die(`layer ${l.name}: only channel concatenation is supported`, file, `${where}/config/axis`);
        const parts = ins.map(node);
        put({ op: 'concat', name: l.name, inputs: parts.map((p) => p.name), shape: [inShape[0]!, inShape[1]!, parts.reduce((s, p) => s + p.shape[2]!, 0)] });
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const size = pair(c['pool_size']);
        const stride = pair(c['strides'] ?? c['pool_size']);
        const padding = c['padding'] === 'same' ? 'same' : 'valid';
        put({ op: 'pool', name: l.name, inputs: [input!.name], shape: poolShape(inShape, size, stride, padding), type: l.class_name === 'MaxPooling2D' ? 'max' : 'avg', size, stride, padding });
        break;
      }
      case 'Flatten':
        if (inShape.length === 3 && (inShape[0] !== 1 || inShape[1] !== 1)) die(`layer ${l.name}: Flatten is supported only after a 1×1 map`, file, where);
        alias.set(l.name, ins[0]!);
        break;
      case 'Dropout':
        alias.set(l.name, ins[0]!);
        break;
      case 'Dense': {
        const C = inShape[inShape.length - 1]!;
        const M = c['units'] as number;
        put({
          op: 'fc',
          name: l.name,
          inputs: [input!.name],
          shape: [M],
          C,
          M,
          weights: weightTensor(w, `${l.name}/kernel`, [C, M]).data,
          bias: c['use_bias'] ? f32(`${l.name}/bias`) : new Float32Array(M),
          activation: activationOf(c['activation'], l.name, file, where),
        });
        break;
      }
      default:
        die(`layer ${l.name}: unsupported Keras layer class ${l.class_name}`, file, `${where}/class_name`);
    }
  });
  const first = nodes[0];
  if (first?.op !== 'input') die('the model has no InputLayer first', file);
  return { nodes, inputShape: first.shape as [number, number, number] };
}

function activationOf(a: unknown, layer: string, file: string, where: string): Activation {
  if (a === 'linear' || a === 'relu' || a === 'softmax') return a;
  return die(`layer ${layer}: unsupported activation ${JSON.stringify(a)}`, file, `${where}/config/activation`);
}
