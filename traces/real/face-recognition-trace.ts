/**
 * A real trace of face-api's face-recognition network: pretrained weights from the npm package
 * and the activations of every convolution and of the fc layer on the faces that face-api itself
 * finds in its shipped sample photos. Each face's descriptor from our re-run must equal face-api's
 * own, which proves the recorded tensors are the ones the real network computes.
 *
 * Trace layers (names as in configs/networks/face-recognition.json): 29 convs and `fc`.
 *   weights     OIHW [M, C, R, S] float32, batch norm folded in (filters × scale per channel);
 *               fc [128, 256]
 *   bias        [M], the folded per-channel offset ((conv bias × scale) + offset); the trace
 *               format has no bias tensor, so it goes in the manifest's generator parameters
 *   activations NCHW [N, C, H, W], the conv's input (N faces); fc: [N, 256]
 *   outputs     NCHW [N, M, P, Q], conv + bias after the scale, before ReLU / residual add;
 *               fc: [N, 128], the descriptors
 */
import { checkOutputFolder } from '../../sim/output-folder.ts';
import * as tf from '@tensorflow/tfjs';
import { basename } from 'node:path';
import { die } from '../../sim/errors.ts';
import { loadNetwork } from '../../sim/workload.ts';
import type { LayerTrace, Tensor, Trace } from '../../sim/trace.ts';
import { writeTrace } from '../format.ts';
import { DEFAULT_TRACE_DIR, FACE_RECOGNITION_NETWORK } from './defaults.ts';
import { checkTraceShapes, folderBytes, outputMismatch, OUTPUT_TOLERANCE, traceBiases, type WriteOptions, type WrittenTrace } from './check.ts';
import { traceFacts } from './stats.ts';
import { readFaceApiWeights, weightTensor, type WeightsFile } from './face-api-weights.ts';
import { detectFaces, FACE_API_VERSION, faceApiDescriptor, initFaceApi, sampleImages } from './face-api-runtime.ts';
import { convSpecs, FACE_RECOGNITION_MODEL, faceRecognitionForward, faceRecognitionParams, FC, preprocessFace, type Captured } from './face-recognition-net.ts';
import { f32, hwioToOihw, stackCaptures, transpose2d } from './layout.ts';

export { DEFAULT_TRACE_DIR, FACE_RECOGNITION_NETWORK, traceBiases };

/** Largest accepted |ours − face-api's| descriptor difference (the re-run is op for op: 0 expected). */
export const DESCRIPTOR_TOLERANCE = 1e-6;

export interface TraceFace {
  readonly image: string;
  readonly index: number;
  readonly score: number;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** face-api's own descriptor of the face (computeFaceDescriptor on the aligned crop). */
  readonly reference: Float32Array;
  /** Largest |ours − face-api's| over the descriptor (computeFaceDescriptor and the pipeline's). */
  readonly maxDescriptorDiff: number;
}

export interface FaceRecognitionTrace {
  readonly trace: Trace;
  /** Folded per-channel bias of each conv layer (also in `trace.parameters.bias`). */
  readonly biases: ReadonlyMap<string, Float32Array>;
  readonly faces: readonly TraceFace[];
  readonly images: readonly string[];
  readonly maxDescriptorDiff: number;
}

export interface BuildOptions {
  /** Use the first `images` sample photos (1–6, default all). */
  readonly images?: number;
  /** Stop after this many faces (default: every face found). */
  readonly maxFaces?: number;
  /** Progress lines (stderr in the CLI); never part of the trace. */
  readonly log?: (line: string) => void;
}

/** Folded weights and biases of every conv, and the transposed fc, from our manifest reader. */
export function foldedWeights(w: WeightsFile): { weights: Map<string, Tensor>; biases: Map<string, Float32Array> } {
  const weights = new Map<string, Tensor>();
  const biases = new Map<string, Float32Array>();
  for (const c of convSpecs()) {
    const filters = weightTensor(w, `${c.prefix}/conv/filters`);
    const bias = weightTensor(w, `${c.prefix}/conv/bias`).data;
    const scale = weightTensor(w, `${c.prefix}/scale/weights`).data;
    const offset = weightTensor(w, `${c.prefix}/scale/biases`).data;
    const oihw = hwioToOihw(filters.data, filters.shape, scale);
    weights.set(c.layer, f32(oihw.shape, oihw.data));
    // Same op order as the network: (bias × scale) + offset, each rounded to float32.
    const folded = new Float32Array(c.outChannels);
    for (let o = 0; o < c.outChannels; o++) folded[o] = Math.fround(bias[o]! * scale[o]!) + offset[o]!;
    biases.set(c.layer, folded);
  }
  const fc = weightTensor(w, FC.name);
  const fcT = transpose2d(fc.data, fc.shape);
  weights.set(FC.name, f32(fcT.shape, fcT.data));
  return { weights, biases };
}

/**
 * Run face-api's detector on the sample photos, our forward pass on every aligned face, check
 * each descriptor against face-api's own, and assemble the trace in memory.
 */
export async function buildFaceRecognitionTrace(options: BuildOptions = {}): Promise<FaceRecognitionTrace> {
  const all = sampleImages();
  const imageCount = options.images ?? all.length;
  if (!Number.isInteger(imageCount) || imageCount < 1 || imageCount > all.length) die(`--images must be an integer from 1 to ${all.length} (the sample photos shipped with face-api), got ${imageCount}`);
  const maxFaces = options.maxFaces ?? Infinity;
  if (!(maxFaces >= 1) || !(Number.isInteger(maxFaces) || maxFaces === Infinity)) die(`--max-faces must be an integer >= 1, got ${maxFaces}`);
  const log = options.log ?? (() => {});

  await initFaceApi();
  const w = readFaceApiWeights(FACE_RECOGNITION_MODEL);
  const params = faceRecognitionParams(w);
  const inputs = new Map<string, Captured[]>();
  const outputs = new Map<string, Captured[]>();
  const faces: TraceFace[] = [];
  const images = all.slice(0, imageCount);
  try {
    for (const file of images) {
      if (faces.length >= maxFaces) break;
      const detected = await detectFaces(file);
      log(`${basename(file)}: ${detected.length} faces`);
      for (const face of detected) {
        if (faces.length < maxFaces) {
          const x = preprocessFace(face.tensor);
          const descriptor = faceRecognitionForward(params, x, (layer, input, output) => {
            if (!inputs.has(layer)) (inputs.set(layer, []), outputs.set(layer, []));
            inputs.get(layer)!.push(input);
            outputs.get(layer)!.push(output);
          });
          x.dispose();
          // Against face-api's computeFaceDescriptor on the same crop, and against the descriptor its
          // detectAllFaces().withFaceLandmarks().withFaceDescriptors() pipeline returned.
          const reference = await faceApiDescriptor(face.tensor);
          let diff = 0;
          for (let i = 0; i < descriptor.length; i++) {
            diff = Math.max(diff, Math.abs(descriptor[i]! - reference[i]!), Math.abs(descriptor[i]! - face.descriptor[i]!));
          }
          if (!(diff <= DESCRIPTOR_TOLERANCE)) throw new Error(`descriptor of ${face.image} face ${face.index} differs from face-api's by ${diff}: the re-run forward pass is wrong`);
          faces.push({ image: face.image, index: face.index, score: face.score, box: face.box, reference, maxDescriptorDiff: diff });
        }
        face.tensor.dispose();
      }
    }
  } finally {
    params.dispose();
  }
  if (faces.length === 0) die(`face-api found no face in ${images.map((f) => basename(f)).join(', ')}`);

  const { weights, biases } = foldedWeights(w);
  const layers = new Map<string, LayerTrace>();
  for (const name of [...convSpecs().map((c) => c.layer), FC.name]) {
    layers.set(name, Object.freeze({ layer: name, weights: weights.get(name)!, activations: stackCaptures(inputs.get(name)!), outputs: stackCaptures(outputs.get(name)!) }));
  }
  const maxDescriptorDiff = Math.max(...faces.map((f) => f.maxDescriptorDiff));
  const imageNames = images.map((f) => basename(f)).filter((f) => faces.some((x) => x.image === f));
  const trace: Trace = Object.freeze({
    network: FACE_RECOGNITION_NETWORK,
    source: 'real',
    generator: `@vladmandic/face-api ${FACE_API_VERSION} ${FACE_RECOGNITION_MODEL}, activations re-run on tfjs ${tf.version_core} ${tf.getBackend()}`,
    parameters: {
      model: FACE_RECOGNITION_MODEL,
      weights: 'pretrained; batch norm (face-api scale layer) folded into the conv weights and bias',
      images: imageNames.map((f) => `node_modules/@vladmandic/face-api/demo/${f}`),
      faces: faces.map((f) => ({ image: f.image, index: f.index, score: f.score, box: f.box })),
      cropping: "face-api detectAllFaces (SSD-MobileNetV1, default options) + 68 landmarks + dlib alignment; 150×150 input",
      outputs: 'pre-activation: conv + bias after the scale, before ReLU or the residual add; fc: the descriptors',
      maxDescriptorDiff,
      bias: Object.fromEntries([...biases].map(([layer, b]) => [layer, Array.from(b)])),
    },
    layers,
  });
  return { trace, biases, faces, images: imageNames, maxDescriptorDiff };
}

export { OUTPUT_TOLERANCE };

export interface GenerateOptions extends BuildOptions, WriteOptions {}

export interface GeneratedTrace extends WrittenTrace {
  readonly faces: readonly TraceFace[];
  readonly maxDescriptorDiff: number;
}

/**
 * Build the trace (see buildFaceRecognitionTrace), check it against
 * configs/networks/face-recognition.json and against a direct convolution of its own tensors,
 * and write it as a trace folder (manifest.json + .npy).
 */
export async function generateFaceRecognitionTrace(options: GenerateOptions = {}): Promise<GeneratedTrace> {
  const dir = options.out ?? DEFAULT_TRACE_DIR;
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float16') die(`--dtype must be float32 or float16, got ${dtype}`);
  // The folder is checked before the capture (minutes), not after it.
  checkOutputFolder(dir, options.force ? { force: true } : {});
  const built = await buildFaceRecognitionTrace(options);
  const network = loadNetwork(FACE_RECOGNITION_NETWORK);
  checkTraceShapes(built.trace, network);
  let maxOutputMismatch = 0;
  for (const lt of built.trace.layers.values()) {
    const layer = network.layers.find((l) => l.name === lt.layer)!;
    const e = outputMismatch(lt, layer, built.biases.get(lt.layer), options.checkSamples ?? 256);
    if (!(e <= OUTPUT_TOLERANCE)) throw new Error(`layer ${lt.layer}: stored outputs differ from conv(activations, weights) + bias by ${e} (relative): layout bug`);
    maxOutputMismatch = Math.max(maxOutputMismatch, e);
  }
  writeTrace(dir, built.trace, {
    dtype,
    ...(options.force ? { force: true } : {}),
    description:
      `Real trace of face-api's face-recognition network on ${built.faces.length} faces from its sample photos. ` +
      `Every descriptor equals face-api's computeFaceDescriptor (max |diff| ${built.maxDescriptorDiff}); ` +
      `outputs recomputed from the stored weights and activations agree to ${maxOutputMismatch.toExponential(1)} (relative).`,
  });
  const bytes = folderBytes(dir);
  return { dir, faces: built.faces, maxDescriptorDiff: built.maxDescriptorDiff, maxOutputMismatch, facts: traceFacts(built.trace), bytes };
}
