/**
 * End-to-end output agreement on the real face-recognition network: the whole forward pass of
 * every face in a real trace, run from the trace's own tensors (folded weights and biases, the
 * stem's recorded input) once in float and once with a scheme's quantize-dequantize applied to
 * every layer's weights and to every layer's input as the quantized network itself computes it.
 * The descriptors are then compared as face-api uses them: Euclidean distance < 0.6 = same person.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { die } from '../../sim/errors.ts';
import type { Trace } from '../../sim/trace.ts';
import type { TensorQuantizer } from '../../sim/scheme.ts';
import { convSpecs, faceRecognitionForward, FC, withDispose, type ConvParams, type FaceRecognitionParams, type InputTransform } from './face-recognition-net.ts';
import { FACE_RECOGNITION_NETWORK } from './defaults.ts';
import { traceBiases } from './check.ts';
import { oihwToHwio } from './layout.ts';

/** face-api's FaceMatcher default: descriptors closer than this are the same person. */
export const SAME_PERSON_DISTANCE = 0.6;

export interface OutputAgreement {
  faces: number;
  /** Cosine similarity of quantized vs float descriptors: lowest and mean over faces. */
  cosineMin: number;
  cosineMean: number;
  /** ‖d_q − d‖ / ‖d‖ per face: largest, and root mean square over faces. */
  relErrorMax: number;
  relErrorRms: number;
  /** Face pairs whose same/different-person decision (distance < 0.6) is unchanged, of all pairs. */
  pairDecisionsAgree: number;
  pairs: number;
  /** Faces whose nearest other face is unchanged. */
  nearestAgree: number;
}

export { initWasmBackend } from './wasm.ts';

const dist = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
const norm = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

/** Compare descriptors computed two ways (pure). */
export function descriptorAgreement(reference: readonly Float32Array[], quantized: readonly Float32Array[]): OutputAgreement {
  const n = reference.length;
  if (n === 0 || quantized.length !== n) throw new Error(`descriptorAgreement: ${n} reference vs ${quantized.length} quantized descriptors`);
  let cosMin = Infinity;
  let cosSum = 0;
  let relMax = 0;
  let relSq = 0;
  for (let i = 0; i < n; i++) {
    const r = reference[i]!;
    const q = quantized[i]!;
    const cos = r.reduce((s, v, k) => s + v * q[k]!, 0) / (norm(r) * norm(q) || 1);
    cosMin = Math.min(cosMin, cos);
    cosSum += cos;
    const rel = dist(r, q) / (norm(r) || 1);
    relMax = Math.max(relMax, rel);
    relSq += rel * rel;
  }
  let agree = 0;
  let pairs = 0;
  let nearest = 0;
  for (let i = 0; i < n; i++) {
    let bestR = -1;
    let bestQ = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dr = dist(reference[i]!, reference[j]!);
      const dq = dist(quantized[i]!, quantized[j]!);
      if (j > i) {
        pairs++;
        if (dr < SAME_PERSON_DISTANCE === dq < SAME_PERSON_DISTANCE) agree++;
      }
      if (bestR < 0 || dr < dist(reference[i]!, reference[bestR]!)) bestR = j;
      if (bestQ < 0 || dq < dist(quantized[i]!, quantized[bestQ]!)) bestQ = j;
    }
    if (bestR === bestQ) nearest++;
  }
  return { faces: n, cosineMin: cosMin, cosineMean: cosSum / n, relErrorMax: relMax, relErrorRms: Math.sqrt(relSq / n), pairDecisionsAgree: agree, pairs, nearestAgree: nearest };
}

/** The network's parameters from a real trace: folded weights (optionally quantized) and folded biases. */
function paramsFromTrace(trace: Trace, quantize?: TensorQuantizer['weights']): FaceRecognitionParams {
  const biases = traceBiases(trace);
  const weightsOf = (layer: string) => {
    const w = trace.layers.get(layer)?.weights ?? die(`layer "${layer}" has no weights in the trace`, trace.dir);
    return { shape: w.shape, data: quantize ? quantize(layer, w.data) : w.data };
  };
  const convs = new Map<string, ConvParams>();
  for (const c of convSpecs()) {
    const w = weightsOf(c.layer);
    const m = c.outChannels;
    convs.set(c.layer, {
      filters: tf.tensor4d(oihwToHwio(w.data, [m, c.inChannels, c.size, c.size]), [c.size, c.size, c.inChannels, m]),
      bias: tf.tensor1d(biases.get(c.layer) ?? die(`layer "${c.layer}" has no folded bias in the trace`, trace.dir)),
      scale: tf.ones([m]) as tf.Tensor1D,
      offset: tf.zeros([m]) as tf.Tensor1D,
    });
  }
  // Trace fc weights are [out, in]; the forward pass multiplies [1, in] × [in, out].
  const fcw = weightsOf(FC.name);
  return withDispose(convs, tf.tidy(() => tf.transpose(tf.tensor2d(fcw.data, [FC.outputs, FC.inputs])) as tf.Tensor2D));
}

/** Descriptors of every face of a real face-recognition trace, in float or with `quantizer`. Call initWasmBackend() first. */
export function faceRecognitionDescriptors(trace: Trace, quantizer?: TensorQuantizer): Float32Array[] {
  if (trace.network !== FACE_RECOGNITION_NETWORK || trace.source !== 'real') {
    die(`end-to-end agreement needs a real trace of network "${FACE_RECOGNITION_NETWORK}" (npm run traces:real), got a ${trace.source} trace of "${trace.network}"`, trace.dir);
  }
  const stem = trace.layers.get(convSpecs()[0]!.layer)?.activations ?? die('the trace has no input of the stem convolution', trace.dir);
  const [n, c, h, w] = stem.shape as [number, number, number, number];
  const params = paramsFromTrace(trace, quantizer?.weights);
  const transform: InputTransform | undefined = quantizer ? (layer, x) => quantizer.activations(layer, x) : undefined;
  try {
    const out: Float32Array[] = [];
    for (let f = 0; f < n; f++) {
      // The recorded stem input is NCHW; the network runs NHWC.
      const face = tf.tidy(() => tf.transpose(tf.tensor4d(stem.data.subarray(f * c * h * w, (f + 1) * c * h * w), [1, c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D);
      out.push(Float32Array.from(faceRecognitionForward(params, face, undefined, transform)));
      face.dispose();
    }
    return out;
  } finally {
    params.dispose();
  }
}
