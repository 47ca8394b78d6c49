/**
 * Real traces of the ImageNet-class CNNs nsfwjs ships (MobileNetV2, the mid-size MobileNetV2,
 * InceptionV3): pretrained weights from the package, every conv/depthwise/fc layer's input and
 * pre-activation output on real photos (face-api's sample photos), preprocessed as nsfwjs does.
 * Each photo's class scores from our re-run must equal nsfwjs' own classify() on it, which
 * proves the recorded tensors are the ones the real network computes.
 *
 * Trace layers (names as in configs/networks/NAME.json, the graph's own layer names):
 *   weights     OIHW [M, C, R, S] (depthwise [C, 1, R, S]; fc [M, C]), batch norm folded in
 *               (Keras models: γ/√(var+ε) per output channel; the TF graph: as converted)
 *   bias        [M] folded, in the manifest (`generator.parameters.bias`)
 *   activations NCHW [N, C, H, W], the layer's input; zero-padded where the padding is asymmetric
 *   outputs     NCHW [N, M, P, Q], conv + bias before the ReLU/ReLU6/softmax; fc [N, M]
 */
import { checkOutputFolder } from '../../sim/output-folder.ts';
import * as tf from '@tensorflow/tfjs';
import { basename } from 'node:path';
import { die } from '../../sim/errors.ts';
import { loadNetwork } from '../../sim/workload.ts';
import type { LayerTrace, Trace } from '../../sim/trace.ts';
import { writeTrace } from '../format.ts';
import { checkTraceShapes, folderBytes, outputMismatch, OUTPUT_TOLERANCE, type WriteOptions, type WrittenTrace } from './check.ts';
import { tracedNodes, type TracedNode } from './cnn-graph.ts';
import { cnnForward, cnnParams } from './cnn-forward.ts';
import type { Captured } from './face-recognition-net.ts';
import { realTraceDir } from './defaults.ts';
import { decodeJpeg, sampleImages } from './images.ts';
import { depthwiseToOihw, f32, hwioToOihw, stackCaptures, transpose2d } from './layout.ts';
import { loadNsfwjsModel, NSFWJS_CLASSES, NSFWJS_VERSION, nsfwjsModel } from './nsfwjs-models.ts';
import { classifyScores, preprocessImage } from './nsfwjs-runtime.ts';
import { initWasmBackend } from './wasm.ts';
import { traceFacts } from './stats.ts';

/** Largest accepted |ours − classify()| per class probability (batch norm folded: float rounding only). */
export const SCORE_TOLERANCE = 1e-4;

/** A traced layer's folded weights in trace layout (OIHW; depthwise [C, 1, R, S]; fc [M, C]). */
export function traceWeights(n: TracedNode): { shape: number[]; data: Float32Array } {
  if (n.op === 'fc') return transpose2d(n.weights, [n.C, n.M]);
  return n.depthwise ? depthwiseToOihw(n.filters, [n.R, n.S, n.C, 1]) : hwioToOihw(n.filters, [n.R, n.S, n.C, n.M]);
}

export interface CnnImage {
  readonly image: string;
  /** Our re-run's class probabilities and nsfwjs classify()'s, in NSFWJS_CLASSES order. */
  readonly scores: readonly number[];
  readonly reference: readonly number[];
  readonly maxScoreDiff: number;
}

export interface BuiltCnnTrace {
  readonly trace: Trace;
  readonly biases: ReadonlyMap<string, Float32Array>;
  readonly images: readonly CnnImage[];
  readonly maxScoreDiff: number;
}

export interface CnnBuildOptions {
  /** Use the first `images` sample photos (1–6, default all). */
  readonly images?: number;
  readonly log?: (line: string) => void;
}

/** The first `count` sample photos, or a UserError when the count is not 1..available. */
export function chooseImages(count: number | undefined): string[] {
  const all = sampleImages();
  const n = count ?? all.length;
  if (!Number.isInteger(n) || n < 1 || n > all.length) die(`--images must be an integer from 1 to ${all.length} (the sample photos shipped with face-api), got ${n}`);
  return all.slice(0, n);
}

/** Run the model on the photos (ours and nsfwjs' classify), compare the scores, assemble the trace. */
export async function buildCnnTrace(network: string, options: CnnBuildOptions = {}): Promise<BuiltCnnTrace> {
  const info = nsfwjsModel(network);
  const files = chooseImages(options.images);
  const log = options.log ?? (() => {});
  await initWasmBackend();
  const loaded = loadNsfwjsModel(network);
  const g = loaded.graph;
  const params = cnnParams(g);
  const inputs = new Map<string, Captured[]>();
  const outputs = new Map<string, Captured[]>();
  const images: CnnImage[] = [];
  try {
    for (const file of files) {
      const img = decodeJpeg(file);
      try {
        const x = preprocessImage(img, info.size);
        const ours = cnnForward(g, params, x, {
          record: (layer, input, output) => {
            if (!inputs.has(layer)) (inputs.set(layer, []), outputs.set(layer, []));
            inputs.get(layer)!.push(input);
            outputs.get(layer)!.push(output);
          },
        });
        x.dispose();
        const reference = await classifyScores(network, img);
        const diff = ours.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i]!)), 0);
        if (!(diff <= SCORE_TOLERANCE)) throw new Error(`${basename(file)}: class scores differ from nsfwjs classify() by ${diff}: the re-run forward pass is wrong`);
        images.push({ image: basename(file), scores: Array.from(ours), reference: Array.from(reference), maxScoreDiff: diff });
        log(`${basename(file)}: ${NSFWJS_CLASSES[ours.indexOf(Math.max(...ours))]} ${Math.max(...ours).toFixed(3)} (|ours − classify()| ≤ ${diff.toExponential(1)})`);
      } finally {
        img.dispose();
      }
    }
  } finally {
    params.dispose();
  }
  const layers = new Map<string, LayerTrace>();
  const biases = new Map<string, Float32Array>();
  for (const n of tracedNodes(g)) {
    const w = traceWeights(n);
    layers.set(n.name, Object.freeze({ layer: n.name, weights: f32(w.shape, w.data), activations: stackCaptures(inputs.get(n.name)!), outputs: stackCaptures(outputs.get(n.name)!) }));
    biases.set(n.name, n.bias);
    inputs.delete(n.name);
    outputs.delete(n.name);
  }
  const maxScoreDiff = Math.max(...images.map((i) => i.maxScoreDiff));
  const trace: Trace = Object.freeze({
    network,
    source: 'real',
    generator: `nsfwjs ${NSFWJS_VERSION} ${info.nsfwjsName} (dist/models/${info.dir}, tfjs ${loaded.format}), activations re-run on tfjs ${tf.version_core} ${tf.getBackend()}`,
    parameters: {
      model: info.nsfwjsName,
      package: `nsfwjs ${NSFWJS_VERSION} (MIT)`,
      weights: loaded.format === 'graph-model' ? 'pretrained; batch norm folded by the TF converter (the graph\'s _FusedConv2D weights and bn_offset)' : 'pretrained; Keras BatchNormalization folded into the conv weights (γ/√(var+ε) per output channel) and bias',
      images: images.map((i) => `node_modules/@vladmandic/face-api/demo/${i.image}`),
      preprocessing: `nsfwjs NSFWJS.infer: RGB / 255, bilinear resize to ${info.size}×${info.size} with aligned corners${loaded.format === 'graph-model' ? '; the graph then maps [0, 1] → [-1, 1] (x · 2 − 1) before the first conv (the recorded stem input)' : ''}`,
      padding: 'asymmetric padding (Keras ZeroPadding2D, TF SAME at stride 2) is materialized: such a layer records the zero-padded map as its input and has no padding of its own',
      classes: [...NSFWJS_CLASSES],
      scores: images.map((i) => ({ image: i.image, ours: i.scores, classify: i.reference })),
      maxScoreDiff,
      outputs: 'pre-activation: conv + folded bias, before ReLU/ReLU6 or the residual add; the last fc: logits before the softmax',
      bias: Object.fromEntries([...biases].map(([layer, b]) => [layer, Array.from(b)])),
    },
    layers,
  });
  return { trace, biases, images, maxScoreDiff };
}

export interface CnnGenerateOptions extends CnnBuildOptions, WriteOptions {}

export interface GeneratedCnnTrace extends WrittenTrace {
  readonly images: readonly CnnImage[];
  readonly maxScoreDiff: number;
}

/** Build the trace, check it against its network config and a direct convolution of its own tensors, write it. */
export async function generateCnnTrace(network: string, options: CnnGenerateOptions = {}): Promise<GeneratedCnnTrace> {
  nsfwjsModel(network);
  const dir = options.out ?? realTraceDir(network);
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float16') die(`--dtype must be float32 or float16, got ${dtype}`);
  // The folder is checked before the capture (minutes), not after it.
  checkOutputFolder(dir, options.force ? { force: true } : {});
  const built = await buildCnnTrace(network, options);
  const maxOutputMismatch = checkCnnTrace(built.trace, built.biases, options.checkSamples ?? 256);
  writeTrace(dir, built.trace, {
    dtype,
    ...(options.force ? { force: true } : {}),
    description:
      `Real trace of nsfwjs' ${built.trace.parameters!['model']} on ${built.images.length} sample photos. ` +
      `Class scores equal nsfwjs classify() (max |diff| ${built.maxScoreDiff.toExponential(1)}); ` +
      `outputs recomputed from the stored weights and activations agree to ${maxOutputMismatch.toExponential(1)} (relative).`,
  });
  const bytes = folderBytes(dir);
  return { dir, images: built.images, maxScoreDiff: built.maxScoreDiff, maxOutputMismatch, facts: traceFacts(built.trace), bytes };
}

/** Shapes against configs/networks/NETWORK.json and outputs = conv(inputs, weights) + bias at sampled positions; returns the worst mismatch. */
export function checkCnnTrace(trace: Trace, biases: ReadonlyMap<string, Float32Array>, samples: number, tolerance = OUTPUT_TOLERANCE): number {
  const net = loadNetwork(trace.network);
  checkTraceShapes(trace, net);
  let worst = 0;
  for (const lt of trace.layers.values()) {
    const e = outputMismatch(lt, net.layers.find((l) => l.name === lt.layer)!, biases.get(lt.layer), samples);
    if (!(e <= tolerance)) throw new Error(`layer ${lt.layer}: stored outputs differ from conv(activations, weights) + bias by ${e} (relative): layout bug`);
    worst = Math.max(worst, e);
  }
  return worst;
}
