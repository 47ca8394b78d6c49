/**
 * face-api on tfjs' WASM backend in plain Node, offline: its SSD-MobileNet detector, 68-point
 * landmarks and dlib-style alignment cut the faces out of the package's own sample photos, and
 * its recognition net gives the reference descriptors our re-run must reproduce.
 * Only `dist/face-api.node-wasm.js` loads in plain Node (the package `main` wants tfjs-node, which
 * downloads a native binary); it shares the `@tensorflow/tfjs` engine imported here.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { decodeJpeg } from './images.ts';
import { FACE_API_MODEL_DIR } from './face-api-weights.ts';

export { FACE_API_DEMO_DIR, sampleImages, decodeJpeg } from './images.ts';
/** Installed face-api version, recorded in the trace manifest. */
export const FACE_API_VERSION = (JSON.parse(readFileSync(join(FACE_API_MODEL_DIR, '../package.json'), 'utf8')) as { version: string }).version;

/**
 * face-api's declarations bundle their own copy of tfjs' types, so its Tensor3D and ours are
 * distinct classes to TypeScript although they are the same engine at run time.
 */
type FaceApiTensor3D = Parameters<typeof faceapi.extractFaceTensors>[0] & { rank: 3 };
const toFaceApi = (t: tf.Tensor3D) => t as unknown as FaceApiTensor3D;

let ready: Promise<void> | undefined;

/** Select the WASM backend and load detector, landmarks and recognition nets (once per process). */
export function initFaceApi(): Promise<void> {
  ready ??= (async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(FACE_API_MODEL_DIR);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(FACE_API_MODEL_DIR);
    await faceapi.nets.faceRecognitionNet.loadFromDisk(FACE_API_MODEL_DIR);
  })();
  return ready;
}

export interface DetectedFace {
  /** Image file name (`sample1.jpg`) and the face's index in face-api's result order. */
  readonly image: string;
  readonly index: number;
  readonly score: number;
  /** The dlib-aligned box the descriptor was computed on (pixels). */
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** face-api's own descriptor from detectAllFaces().withFaceLandmarks().withFaceDescriptors(). */
  readonly descriptor: Float32Array;
  /** The cropped face (int32 [h, w, 3]); the caller disposes it. */
  readonly tensor: tf.Tensor3D;
}

/**
 * Detect, landmark, align and describe every face in one image with face-api's default options,
 * and cut out the same aligned crops its descriptor step used (ComputeFaceDescriptorsTasks:
 * `landmarks.align(null, { useDlibAlignment: true })`, then extractFaceTensors).
 */
export async function detectFaces(file: string): Promise<DetectedFace[]> {
  await initFaceApi();
  const image = decodeJpeg(file);
  try {
    const results = await faceapi.detectAllFaces(toFaceApi(image)).withFaceLandmarks().withFaceDescriptors();
    const boxes = results.map((r) => r.landmarks.align(null, { useDlibAlignment: true }));
    const crops = (await faceapi.extractFaceTensors(toFaceApi(image), boxes)) as unknown as tf.Tensor3D[];
    if (crops.length !== results.length) throw new Error(`face-api cut ${crops.length} crops for ${results.length} faces in ${file}`);
    return results.map((r, index) => ({
      image: basename(file),
      index,
      score: r.detection.score,
      box: { x: boxes[index]!.x, y: boxes[index]!.y, width: boxes[index]!.width, height: boxes[index]!.height },
      descriptor: r.descriptor,
      tensor: crops[index]!,
    }));
  } finally {
    image.dispose();
  }
}

/** face-api's descriptor of one crop, straight from its FaceRecognitionNet. */
export async function faceApiDescriptor(face: tf.Tensor3D): Promise<Float32Array> {
  await initFaceApi();
  return (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(toFaceApi(face))) as Float32Array;
}
