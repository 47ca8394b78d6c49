/**
 * nsfwjs itself on tfjs' WASM backend in plain Node: its `load(name)` (model JSON and weights
 * from the package's own JS bundles, nothing fetched) and `classify()`, the reference our re-run
 * must reproduce; and its preprocessing (NSFWJS.infer: int RGB → float / 255 → bilinear resize
 * to the model's size with aligned corners), copied op for op so our stem input is the one
 * nsfwjs feeds its model.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { load, type NSFWJS } from 'nsfwjs';
import { initWasmBackend } from './wasm.ts';
import { NSFWJS_CLASSES, nsfwjsModel } from './nsfwjs-models.ts';

const loaded = new Map<string, Promise<NSFWJS>>();

/** nsfwjs' model for one of our network names (loaded once per process, on the WASM backend). */
export function nsfwjsClassifier(network: string): Promise<NSFWJS> {
  const model = nsfwjsModel(network);
  let p = loaded.get(model.network);
  if (!p) {
    p = (async () => {
      await initWasmBackend();
      // nsfwjs announces the model on console.info (stdout): keep stdout for our own output.
      const info = console.info;
      console.info = (...a: unknown[]) => process.stderr.write(`${a.filter((x) => typeof x === 'string' && !x.startsWith('color:')).join(' ').replace(/%c/g, '')}\n`);
      try {
        return await load(model.nsfwjsName);
      } finally {
        console.info = info;
      }
    })();
    loaded.set(model.network, p);
  }
  return p;
}

/** nsfwjs' class probabilities of one image (int32 [H, W, 3]) from its classify(), in class order. */
export async function classifyScores(network: string, image: tf.Tensor3D): Promise<Float32Array> {
  const net = await nsfwjsClassifier(network);
  const top = await net.classify(image, NSFWJS_CLASSES.length);
  const scores = new Float32Array(NSFWJS_CLASSES.length);
  for (const p of top) scores[NSFWJS_CLASSES.indexOf(p.className as (typeof NSFWJS_CLASSES)[number])] = p.probability;
  return scores;
}

/** NSFWJS.infer's preprocessing: [1, size, size, 3] float in [0, 1]. */
export function preprocessImage(image: tf.Tensor3D, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const normalized = tf.div(tf.cast(image, 'float32'), tf.scalar(255)) as tf.Tensor3D;
    const resized = image.shape[0] !== size || image.shape[1] !== size ? tf.image.resizeBilinear(normalized, [size, size], true) : normalized;
    return tf.reshape(resized, [1, size, size, 3]) as tf.Tensor4D;
  });
}
