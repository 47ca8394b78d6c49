/**
 * The real photos the real traces run on: the six sample photos shipped in
 * `@vladmandic/face-api` (demo/sample1.jpg … sample6.jpg, inside the MIT-licensed package), decoded to RGB
 * with jpeg-js — no network, no native image library.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { die } from '../../sim/errors.ts';
import { displayPath } from '../../sim/config.ts';
import { FACE_API_MODEL_DIR } from './face-api-weights.ts';

export const FACE_API_DEMO_DIR = join(FACE_API_MODEL_DIR, '../demo');

/** The sample photos shipped in face-api (sample1.jpg … sample6.jpg), in numeric order. */
export function sampleImages(dir = FACE_API_DEMO_DIR): string[] {
  const files = readdirSync(dir).filter((f) => /^sample\d+\.jpg$/.test(f));
  files.sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  return files.map((f) => join(dir, f));
}

/** Decode a JPEG into an int32 [H, W, 3] RGB tensor (what face-api's and nsfwjs' Node demos feed them). */
export function decodeJpeg(file: string): tf.Tensor3D {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: true });
  } catch (e) {
    return die(`cannot decode JPEG: ${(e as Error).message}`, displayPath(file));
  }
  const pixels = img.width * img.height;
  const rgb = new Int32Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    rgb[3 * i] = img.data[4 * i]!;
    rgb[3 * i + 1] = img.data[4 * i + 1]!;
    rgb[3 * i + 2] = img.data[4 * i + 2]!;
  }
  return tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
}
