/**
 * End-to-end output agreement on the real nsfwjs CNNs: the whole forward pass of every photo in
 * a real trace, run from the trace's own tensors (folded weights and biases, the stem's recorded
 * input) once in float and once with a scheme's quantize-dequantize on every traced layer's
 * weights and on every traced layer's input as the quantized network itself computes it (the
 * face-recognition check of end-to-end.ts, for classifiers). The class distributions are compared
 * as a classifier is judged: top-1 agreement and KL(float ‖ quantized); the search's proxy is the
 * relative error of the probability vector, like the descriptor's.
 */
import * as tf from '@tensorflow/tfjs';
import { die } from '../../sim/errors.ts';
import type { Trace } from '../../sim/trace.ts';
import type { TensorQuantizer } from '../../sim/scheme.ts';
import { traceBiases } from './check.ts';
import { cnnForward, cnnParams } from './cnn-forward.ts';
import { tracedNodes } from './cnn-graph.ts';
import { NSFWJS_NETWORKS } from './defaults.ts';
import { oihwToHwio, transpose2d } from './layout.ts';
import { loadNsfwjsModel } from './nsfwjs-models.ts';

export interface ClassAgreement {
  images: number;
  /** Images whose most probable class is unchanged. */
  top1Agree: number;
  /** KL(p_float ‖ p_quantized) in nats: mean and largest over images. */
  klMean: number;
  klMax: number;
  /** ‖p_q − p‖ / ‖p‖ per image: largest, and root mean square over images (the search's proxy). */
  relErrorMax: number;
  relErrorRms: number;
}

/** Smallest probability KL divides by (a quantized softmax can round a class to 0). */
const FLOOR = 1e-12;

const argmax = (p: Float32Array) => p.reduce((best, v, i) => (v > p[best]! ? i : best), 0);

/** Compare class distributions computed two ways (pure). */
export function classAgreement(reference: readonly Float32Array[], quantized: readonly Float32Array[]): ClassAgreement {
  const n = reference.length;
  if (n === 0 || quantized.length !== n) throw new Error(`classAgreement: ${n} reference vs ${quantized.length} quantized distributions`);
  let top1 = 0;
  let klSum = 0;
  let klMax = 0;
  let relMax = 0;
  let relSq = 0;
  for (let i = 0; i < n; i++) {
    const p = reference[i]!;
    const q = quantized[i]!;
    if (argmax(p) === argmax(q)) top1++;
    let kl = 0;
    let d2 = 0;
    let p2 = 0;
    for (let k = 0; k < p.length; k++) {
      if (p[k]! > 0) kl += p[k]! * Math.log(p[k]! / Math.max(q[k]!, FLOOR));
      d2 += (q[k]! - p[k]!) ** 2;
      p2 += p[k]! ** 2;
    }
    kl = Math.max(kl, 0);
    klSum += kl;
    klMax = Math.max(klMax, kl);
    const rel = Math.sqrt(d2) / (Math.sqrt(p2) || 1);
    relMax = Math.max(relMax, rel);
    relSq += rel * rel;
  }
  return { images: n, top1Agree: top1, klMean: klSum / n, klMax, relErrorMax: relMax, relErrorRms: Math.sqrt(relSq / n) };
}

export const isNsfwjsNetwork = (network: string) => (NSFWJS_NETWORKS as readonly string[]).includes(network);

/**
 * Class probabilities of every image of a real nsfwjs trace, in float or with `quantizer`.
 * The graph's structure comes from the package; every number from the trace. Call initWasmBackend() first.
 */
export function cnnClassScores(trace: Trace, quantizer?: TensorQuantizer): Float32Array[] {
  if (!isNsfwjsNetwork(trace.network) || trace.source !== 'real') {
    die(`end-to-end agreement needs a real trace of ${NSFWJS_NETWORKS.join(', ')} (npm run traces:real), got a ${trace.source} trace of "${trace.network}"`, trace.dir);
  }
  const g = loadNsfwjsModel(trace.network).graph;
  const biases = traceBiases(trace);
  const nodes = tracedNodes(g);
  const params = cnnParams(
    g,
    (n) => {
      const w = trace.layers.get(n.name)?.weights ?? die(`layer "${n.name}" has no weights in the trace`, trace.dir);
      const data = quantizer ? quantizer.weights(n.name, w.data) : w.data;
      // Trace OIHW (depthwise [C, 1, R, S], whose flat order is tfjs' [R, S, C, 1] after the same transpose); fc [M, C].
      return n.op === 'fc' ? transpose2d(data, [n.M, n.C]).data : oihwToHwio(data, w.shape);
    },
    (n) => biases.get(n.name) ?? die(`layer "${n.name}" has no folded bias in the trace`, trace.dir),
  );
  const stem = trace.layers.get(nodes[0]!.name)?.activations ?? die('the trace has no input of the first layer', trace.dir);
  const [count, c, h, w] = stem.shape as [number, number, number, number];
  const transform = quantizer ? (layer: string, x: Float32Array) => quantizer.activations(layer, x) : undefined;
  try {
    const out: Float32Array[] = [];
    for (let i = 0; i < count; i++) {
      // The recorded stem input is NCHW; the network runs NHWC.
      const x = tf.tidy(() => tf.transpose(tf.tensor4d(stem.data.subarray(i * c * h * w, (i + 1) * c * h * w), [1, c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D);
      out.push(Float32Array.from(cnnForward(g, params, x, { from: 'stem', ...(transform ? { transform } : {}) })));
      x.dispose();
    }
    return out;
  } finally {
    params.dispose();
  }
}
