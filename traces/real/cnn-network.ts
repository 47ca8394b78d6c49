/**
 * The network config (configs/networks/NAME.json) of a shipped CNN, derived from its graph:
 * one layer per traced conv/depthwise/fc, pool and residual add, with the recorded input sizes
 * (asymmetric padding materialized), strides and symmetric padding; concatenations vanish into
 * the `inputs` of their consumers. `scripts/real-traces.ts --configs` writes the files; a test
 * checks that the committed ones still equal what the graph gives.
 */
import { die } from '../../sim/errors.ts';
import { parameterCount, makeNetwork, type LayerSpec, type NetworkSpec } from '../../sim/workload.ts';
import { recordedInputShape, symmetric, type GraphNode } from './cnn-graph.ts';
import { loadNsfwjsModel, NSFWJS_VERSION } from './nsfwjs-models.ts';

const DESCRIPTIONS: Record<string, string> = {
  'mobilenet-v2':
    "nsfwjs' MobileNetV2 (Keras, width 1.0, 224×224, ReLU6) with its own head: global 7×7 average pool, fc 1280→256→128 (ReLU) →5 (softmax). Batch norm folded into every conv's bias. The stride-2 convs follow Keras' ZeroPadding2D((0, 1), (0, 1)): their input is the zero-padded map (H + 1) with no padding of their own.",
  'mobilenet-v2-mid':
    "nsfwjs' mid-size MobileNetV2 (a TF-Hub MobileNetV2 feature vector, width 1.4, 224×224, ReLU6, converted to a tfjs graph with batch norm folded) + one fc 1792→5 (softmax). The input is mapped to [-1, 1] in the graph. TF SAME padding at stride 2 (0 before, 1 after) is materialized: those layers' input is the zero-padded map (H + 1).",
  'inception-v3':
    "nsfwjs' InceptionV3 (Keras, 299×299, ReLU; batch norm without γ, folded into every conv's bias) with its own head: 8×8 average pool, fc 2048→256→128 (ReLU) →5 (softmax). Concatenations are not layers: a conv reading one lists the concatenated branches as its inputs. The 3×3/1 average pools pad by 1 (TF SAME, padding excluded from the mean).",
};

/** The NetworkSpec of one nsfwjs model (what the committed config must equal). */
export function cnnNetworkSpec(network: string): NetworkSpec {
  const loaded = loadNsfwjsModel(network);
  const byName = new Map(loaded.graph.nodes.map((n) => [n.name, n]));
  const producers = (name: string): string[] => {
    const n = byName.get(name)!;
    if (n.op === 'concat') return n.inputs.flatMap(producers);
    if (n.op === 'input' || n.op === 'affine') return [];
    return [n.name];
  };
  const layers: LayerSpec[] = [];
  const shapeOf = (name: string) => byName.get(name)!.shape;
  const hw = (s: readonly number[]) => ({ H: s[0]!, ...(s[1] !== s[0] ? { W: s[1]! } : {}) });
  const pairOr = (a: number, b: number, none: number) => (a === b ? (a === none ? undefined : a) : ([a, b] as [number, number]));
  for (const n of loaded.graph.nodes as GraphNode[]) {
    const ins = n.inputs.flatMap(producers);
    const prev = layers[layers.length - 1]?.name;
    // `inputs` only where they are not just the previous layer (the config's default).
    const inputs = ins.length === 1 && ins[0] === prev ? {} : layers.length === 0 && ins.length === 0 ? {} : { inputs: ins };
    if (n.op === 'conv') {
      const s = recordedInputShape(n, shapeOf(n.inputs[0]!));
      const padding = symmetric(n.pad) ? pairOr(n.pad[0], n.pad[2], 0) : undefined;
      layers.push({
        name: n.name,
        kind: n.depthwise ? 'depthwise' : 'conv',
        C: n.C,
        ...(n.depthwise ? {} : { M: n.M }),
        ...hw(s),
        R: n.R,
        ...(n.S !== n.R ? { S: n.S } : {}),
        ...(pairOr(n.stride[0], n.stride[1], 1) !== undefined ? { stride: pairOr(n.stride[0], n.stride[1], 1)! } : {}),
        ...(padding !== undefined ? { padding } : {}),
        ...(n.activation !== 'linear' ? { relu: true } : {}),
        ...inputs,
      });
    } else if (n.op === 'fc') {
      layers.push({ name: n.name, kind: 'fc', C: n.C, M: n.M, ...(n.activation === 'relu' ? { relu: true } : {}), ...inputs });
    } else if (n.op === 'pool') {
      const s = shapeOf(n.inputs[0]!);
      let padding: number | undefined;
      if (n.padding === 'same') {
        if (n.stride[0] !== 1 || n.stride[1] !== 1 || n.size[0] !== n.size[1] || n.size[0] % 2 === 0) die(`pool ${n.name}: only odd square SAME pools at stride 1 map to a symmetric padding`);
        padding = (n.size[0] - 1) / 2;
      }
      layers.push({
        name: n.name,
        kind: 'pool',
        C: s[2]!,
        ...hw(s),
        R: n.size[0],
        ...(n.size[1] !== n.size[0] ? { S: n.size[1] } : {}),
        ...(pairOr(n.stride[0], n.stride[1], 1) !== undefined ? { stride: pairOr(n.stride[0], n.stride[1], 1)! } : {}),
        ...(padding ? { padding } : {}),
        ...inputs,
      });
    } else if (n.op === 'add') {
      layers.push({ name: n.name, kind: 'add', C: n.shape[2]!, ...hw(n.shape), inputs: ins });
    }
  }
  const spec: NetworkSpec = {
    name: network,
    description: DESCRIPTIONS[network]!,
    source: `nsfwjs ${NSFWJS_VERSION} dist/models/${loaded.model.dir} (${loaded.format}); shapes and parameters from the shipped graph (traces/real/cnn-network.ts)`,
    bias: true,
    layers,
  };
  return { ...spec, parameters: parameterCount(makeNetwork(spec)) };
}
