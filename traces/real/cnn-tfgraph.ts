/**
 * A converted TensorFlow graph (tfjs `graph-model`, as nsfwjs ships the mid-size MobileNetV2:
 * a TF-Hub MobileNetV2 feature vector + one dense layer) turned into a CnnGraph. The converter
 * already folded batch norm into `_FusedConv2D` / `FusedDepthwiseConv2dNative` (weights plus a
 * `bn_offset` bias), so the graph's own tensors are used as they are. Layer names drop the
 * SavedModel call-stack prefix and the trailing op: `…/MobilenetV2/expanded_conv_3/expand/Relu6` →
 * `expanded_conv_3.expand`, `…/expanded_conv_3/depthwise/depthwise` → `expanded_conv_3.depthwise`.
 */
import { die } from '../../sim/errors.ts';
import type { WeightsFile } from './face-api-weights.ts';
import { weightTensor } from './face-api-weights.ts';
import { convShape, poolShape, samePad, type Activation, type CnnGraph, type FcNode, type GraphNode } from './cnn-graph.ts';

interface TfAttr {
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  list?: { i?: string[]; s?: string[] };
}
interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

const text = (a: TfAttr | undefined) => (a?.s !== undefined ? Buffer.from(a.s, 'base64').toString('utf8') : undefined);
const ints = (a: TfAttr | undefined) => (a?.list?.i ?? []).map(Number);
const strings = (a: TfAttr | undefined) => (a?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));

/** Short layer name: the scope after `MobilenetV2/` without its trailing op, dots for slashes. */
export function tfLayerName(node: string): string {
  return node
    .replace(/^.*\/MobilenetV2\//, '')
    .replace(/\/depthwise\/depthwise$/, '/depthwise')
    .replace(/\/(Relu6?|BatchNorm\/FusedBatchNormV3|BiasAdd)$/, '')
    .replace(/\//g, '.');
}

export function tfGraph(topology: unknown, w: WeightsFile, file: string): CnnGraph {
  const all = (topology as { node?: TfNode[] }).node ?? die('not a TF graph model (no modelTopology.node)', file, '/modelTopology');
  const nodes: GraphNode[] = [];
  const byTf = new Map<string, GraphNode>();
  const names = new Set<string>();
  const scalar = (n: string) => weightTensor(w, n, []).data[0]!;
  const from = (n: string) => byTf.get(n.replace(/:\d+$/, '')) ?? die(`node input "${n}" is not defined before use`, file);
  const put = (tfName: string, n: GraphNode) => {
    if (names.has(n.name)) die(`two layers would be named "${n.name}"`, file);
    names.add(n.name);
    nodes.push(n);
    byTf.set(tfName, n);
  };
  all.forEach((t, i) => {
    const where = `/modelTopology/node/${i}`;
    const ins = t.input ?? [];
    const at = t.attr ?? {};
    switch (t.op) {
      case 'Const':
        return;
      case 'Placeholder': {
        const dims = (JSON.parse(JSON.stringify(at['shape'] ?? {})) as { shape?: { dim?: { size: string }[] } }).shape?.dim?.map((d) => Number(d.size)) ?? [];
        if (dims.length !== 4) die('the input placeholder needs a [N, H, W, C] shape', file, `${where}/attr/shape`);
        put(t.name, { op: 'input', name: 'input', inputs: [], shape: dims.slice(1) });
        return;
      }
      case 'Mul':
      case 'Sub': {
        // x · y or x − y with a scalar constant y (the hub module's [0, 1] → [-1, 1] rescaling).
        const [x, y] = t.op === 'Mul' && byTf.has(ins[1]!) ? [ins[1]!, ins[0]!] : [ins[0]!, ins[1]!];
        const c = scalar(y);
        const src = from(x);
        put(t.name, { op: 'affine', name: t.name.split('/').slice(-2).join('.'), inputs: [src.name], shape: src.shape, mul: t.op === 'Mul' ? c : 1, add: t.op === 'Sub' ? -c : 0 });
        return;
      }
      case '_FusedConv2D':
      case 'FusedDepthwiseConv2dNative': {
        const depthwise = t.op === 'FusedDepthwiseConv2dNative';
        const src = from(ins[0]!);
        const filters = weightTensor(w, ins[1]!);
        const bias = weightTensor(w, ins[2]!).data;
        const [R, S, C, K] = filters.shape as [number, number, number, number];
        if (text(at['data_format']) !== 'NHWC' || ints(at['dilations']).some((d) => d !== 1)) die(`${t.op} ${t.name}: only NHWC, undilated convolutions are supported`, file, where);
        const fused = strings(at['fused_ops']);
        if (fused[0] !== 'BiasAdd' || fused.length > 2) die(`${t.op} ${t.name}: fused ops ${fused.join('+')} not supported`, file, `${where}/attr/fused_ops`);
        const M = depthwise ? C * K : K;
        const st = ints(at['strides']);
        const stride: [number, number] = [st[1]!, st[2]!];
        const pad: [number, number, number, number] = text(at['padding']) === 'SAME' ? [...samePad(src.shape[0]!, R, stride[0]), ...samePad(src.shape[1]!, S, stride[1])] : [0, 0, 0, 0];
        put(t.name, {
          op: 'conv',
          name: tfLayerName(t.name),
          inputs: [src.name],
          shape: convShape(src.shape, R, S, M, stride, pad),
          depthwise,
          R,
          S,
          C,
          M,
          stride,
          pad,
          filters: filters.data,
          bias,
          activation: fusedActivation(fused[1], t.name, file, where),
        });
        return;
      }
      case 'AddV2':
      case 'Add': {
        const parts = ins.map(from);
        put(t.name, { op: 'add', name: tfLayerName(t.name), inputs: parts.map((p) => p.name), shape: parts[0]!.shape });
        return;
      }
      case 'AvgPool':
      case 'MaxPool': {
        const src = from(ins[0]!);
        const k = ints(at['ksize']);
        const st = ints(at['strides']);
        const padding = text(at['padding']) === 'SAME' ? 'same' : 'valid';
        const size: [number, number] = [k[1]!, k[2]!];
        const stride: [number, number] = [st[1]!, st[2]!];
        put(t.name, { op: 'pool', name: t.op === 'AvgPool' ? 'avgpool' : `maxpool${i}`, inputs: [src.name], shape: poolShape(src.shape, size, stride, padding), type: t.op === 'AvgPool' ? 'avg' : 'max', size, stride, padding });
        return;
      }
      case 'Squeeze':
      case 'Identity': {
        const src = from(ins[0]!);
        if (t.op === 'Squeeze' && src.shape.length === 3 && (src.shape[0] !== 1 || src.shape[1] !== 1)) die(`Squeeze ${t.name}: only a 1×1 map is supported`, file, where);
        byTf.set(t.name, src);
        return;
      }
      case '_FusedMatMul': {
        const src = from(ins[0]!);
        if (at['transpose_a']?.b || at['transpose_b']?.b) die(`_FusedMatMul ${t.name}: transposed operands not supported`, file, where);
        const weights = weightTensor(w, ins[1]!);
        const [C, M] = weights.shape as [number, number];
        const fused = strings(at['fused_ops']);
        if (fused[0] !== 'BiasAdd' || fused.length > 2) die(`_FusedMatMul ${t.name}: fused ops ${fused.join('+')} not supported`, file, `${where}/attr/fused_ops`);
        put(t.name, { op: 'fc', name: t.name.split('/').slice(-2, -1)[0]!, inputs: [src.name], shape: [M], C, M, weights: weights.data, bias: weightTensor(w, ins[2]!, [M]).data, activation: fusedActivation(fused[1], t.name, file, where) });
        return;
      }
      case 'Softmax': {
        const src = from(ins[0]!);
        if (src.op !== 'fc' || src.activation !== 'linear') die(`Softmax ${t.name}: must follow a dense layer`, file, where);
        const fc: FcNode = { ...src, activation: 'softmax' };
        nodes[nodes.indexOf(src)] = fc;
        for (const [k, v] of byTf) if (v === src) byTf.set(k, fc);
        byTf.set(t.name, fc);
        return;
      }
      default:
        die(`node ${t.name}: unsupported op ${t.op}`, file, `${where}/op`);
    }
  });
  const first = nodes[0];
  if (first?.op !== 'input') die('the graph has no input placeholder first', file);
  return { nodes, inputShape: first.shape as [number, number, number] };
}

function fusedActivation(op: string | undefined, node: string, file: string, where: string): Activation {
  if (op === undefined) return 'linear';
  if (op === 'Relu6') return 'relu6';
  if (op === 'Relu') return 'relu';
  return die(`node ${node}: unsupported fused activation ${op}`, file, `${where}/attr/fused_ops`);
}

