/**
 * face-api's face-recognition network (a ResNet-34-like dlib model, 150×150 RGB → 128-d
 * descriptor) re-run op by op with tfjs so every convolution's input and output can be kept.
 * It follows `@vladmandic/face-api/src/faceRecognitionNet/*.ts` (FaceRecognitionNet.forwardInput,
 * convLayer, residualLayer, scaleLayer) op for op, so the descriptors are bit-identical to
 * face-api's `computeFaceDescriptor`; the weights come from our own manifest reader, not tfjs'.
 */
import * as tf from '@tensorflow/tfjs';
import { weightTensor, type WeightsFile } from './face-api-weights.ts';

export const FACE_RECOGNITION_MODEL = 'face_recognition_model';
/** Side of the square input face (FaceRecognitionNet.forwardInput: toBatchTensor(150)). */
export const FACE_INPUT_SIZE = 150;
/** Mean RGB subtracted before dividing by 255 (FaceRecognitionNet.forwardInput). */
export const MEAN_RGB = [122.782, 117.001, 104.298] as const;

/** Residual blocks in order: face-api's parameter prefixes, output channels, down-sampling. */
export const RESIDUAL_BLOCKS: readonly { readonly name: string; readonly channels: number; readonly down: boolean }[] = [
  { name: 'conv32_1', channels: 32, down: false },
  { name: 'conv32_2', channels: 32, down: false },
  { name: 'conv32_3', channels: 32, down: false },
  { name: 'conv64_down', channels: 64, down: true },
  { name: 'conv64_1', channels: 64, down: false },
  { name: 'conv64_2', channels: 64, down: false },
  { name: 'conv64_3', channels: 64, down: false },
  { name: 'conv128_down', channels: 128, down: true },
  { name: 'conv128_1', channels: 128, down: false },
  { name: 'conv128_2', channels: 128, down: false },
  { name: 'conv256_down', channels: 256, down: true },
  { name: 'conv256_1', channels: 256, down: false },
  { name: 'conv256_2', channels: 256, down: false },
  { name: 'conv256_down_out', channels: 256, down: true },
];

/** The 7×7 stride-2 stem convolution. */
export const STEM = { name: 'conv32_down', channels: 32, size: 7 } as const;
export const FC = { name: 'fc', inputs: 256, outputs: 128 } as const;

/** One convolution of the network as the trace names it, with face-api's parameter prefix. */
export interface ConvSpec {
  /** Trace/network layer name (`conv32_1.conv1`; the stem keeps face-api's `conv32_down`). */
  readonly layer: string;
  /** face-api parameter prefix (`conv32_1/conv1`). */
  readonly prefix: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly size: number;
  readonly stride: 1 | 2;
  /** tfjs padding: 'valid' = none; 'same' = 1 on each side for the stride-1 3×3 convs. */
  readonly padding: 'valid' | 'same';
  readonly relu: boolean;
}

/** The 29 convolutions in execution order. */
export function convSpecs(): ConvSpec[] {
  const specs: ConvSpec[] = [
    { layer: STEM.name, prefix: STEM.name, inChannels: 3, outChannels: STEM.channels, size: STEM.size, stride: 2, padding: 'valid', relu: true },
  ];
  let channels: number = STEM.channels;
  for (const b of RESIDUAL_BLOCKS) {
    // residualLayer.ts: convDown (stride 2, valid) or conv (stride 1, same), then convNoRelu.
    specs.push({ layer: `${b.name}.conv1`, prefix: `${b.name}/conv1`, inChannels: channels, outChannels: b.channels, size: 3, stride: b.down ? 2 : 1, padding: b.down ? 'valid' : 'same', relu: true });
    specs.push({ layer: `${b.name}.conv2`, prefix: `${b.name}/conv2`, inChannels: b.channels, outChannels: b.channels, size: 3, stride: 1, padding: 'same', relu: false });
    channels = b.channels;
  }
  return specs;
}

/** A convolution's parameters as tfjs tensors (filters HWIO) plus the folded-batch-norm affine. */
export interface ConvParams {
  readonly filters: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
  readonly scale: tf.Tensor1D;
  readonly offset: tf.Tensor1D;
}

export interface FaceRecognitionParams {
  readonly convs: ReadonlyMap<string, ConvParams>;
  /** [256, 128]: descriptor = mean-pooled features × fc. */
  readonly fc: tf.Tensor2D;
  dispose(): void;
}

/** Build tfjs tensors from the weights our reader decoded (not from tfjs' own loader). */
export function faceRecognitionParams(w: WeightsFile): FaceRecognitionParams {
  const convs = new Map<string, ConvParams>();
  for (const c of convSpecs()) {
    const m = c.outChannels;
    const filters = weightTensor(w, `${c.prefix}/conv/filters`, [c.size, c.size, c.inChannels, m]);
    convs.set(c.layer, {
      filters: tf.tensor4d(filters.data, [c.size, c.size, c.inChannels, m]),
      bias: tf.tensor1d(weightTensor(w, `${c.prefix}/conv/bias`, [m]).data),
      scale: tf.tensor1d(weightTensor(w, `${c.prefix}/scale/weights`, [m]).data),
      offset: tf.tensor1d(weightTensor(w, `${c.prefix}/scale/biases`, [m]).data),
    });
  }
  return withDispose(convs, tf.tensor2d(weightTensor(w, FC.name, [FC.inputs, FC.outputs]).data, [FC.inputs, FC.outputs]));
}

/** The parameter set, owning its tensors. */
export function withDispose(convs: ReadonlyMap<string, ConvParams>, fc: tf.Tensor2D): FaceRecognitionParams {
  return {
    convs,
    fc,
    dispose() {
      for (const p of convs.values()) tf.dispose([p.filters, p.bias, p.scale, p.offset]);
      fc.dispose();
    },
  };
}

/** NHWC float32 values of one recorded tensor (batch 1). */
export interface Captured {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Called once per convolution and for the fc layer with its input and its output before the
 * ReLU (conv + bias, times scale plus offset: what a folded-batch-norm conv produces).
 */
export type Recorder = (layer: string, input: Captured, output: Captured) => void;

const capture = (t: tf.Tensor): Captured => ({ shape: t.shape.slice(), data: t.dataSync() as Float32Array });

/**
 * face-api's preprocessing of one extracted face (HWC, 0..255): pad to a centred square with
 * zeros (padToSquare, isCenterImage), bilinear resize to 150 (no corner alignment), subtract the
 * mean RGB, divide by 255. Returns [1, 150, 150, 3].
 */
export function preprocessFace(face: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => {
    let img = tf.expandDims(face, 0) as tf.Tensor4D;
    const [height, width] = img.shape.slice(1) as [number, number];
    if (height !== width) {
      // padToSquare.ts: round(diff / 2) appended after, the rest prepended before.
      const diff = Math.abs(height - width);
      const axis = height > width ? 2 : 1;
      const after = Math.round(diff * 0.5);
      const before = diff - after;
      const zeros = (n: number) => {
        const shape = img.shape.slice() as [number, number, number, number];
        shape[axis] = n;
        return tf.fill(shape, 0, 'float32') as tf.Tensor4D;
      };
      const parts = [...(before ? [zeros(before)] : []), tf.cast(img, 'float32'), zeros(after)];
      img = tf.concat(parts, axis);
    }
    if (img.shape[1] !== FACE_INPUT_SIZE || img.shape[2] !== FACE_INPUT_SIZE) {
      img = tf.image.resizeBilinear(img, [FACE_INPUT_SIZE, FACE_INPUT_SIZE], false, false);
    }
    const batch = tf.cast(img, 'float32');
    return tf.div(tf.sub(batch, tf.tensor1d(MEAN_RGB.slice())), 255) as tf.Tensor4D;
  });
}

/**
 * Applied to the input of every convolution and of the fc layer before it is used (e.g. a
 * quantizer's quantize-dequantize), so a run can show what quantized activations do end to end.
 */
export type InputTransform = (layer: string, x: Float32Array) => Float32Array;

function transformed<T extends tf.Tensor>(x: T, layer: string, transform?: InputTransform): T {
  if (!transform) return x;
  return tf.tensor(transform(layer, x.dataSync() as Float32Array), x.shape, 'float32') as T;
}

function convLayer(x: tf.Tensor4D, spec: ConvSpec, p: ConvParams, record?: Recorder, transform?: InputTransform): tf.Tensor4D {
  // convLayer.ts: conv2d, add bias, scale (mul weights, add biases), optional relu.
  const conv = tf.conv2d(transformed(x, spec.layer, transform), p.filters, spec.stride, spec.padding);
  const scaled = tf.add(tf.mul(tf.add(conv, p.bias), p.scale), p.offset) as tf.Tensor4D;
  record?.(spec.layer, capture(x), capture(scaled));
  return spec.relu ? tf.relu(scaled) : scaled;
}

/**
 * The forward pass of one preprocessed face ([1, 150, 150, 3]) → 128-d descriptor, calling
 * `record` for every convolution and for the fc layer.
 */
export function faceRecognitionForward(params: FaceRecognitionParams, input: tf.Tensor4D, record?: Recorder, transform?: InputTransform): Float32Array {
  const specs = new Map(convSpecs().map((s) => [s.layer, s]));
  const layer = (name: string, x: tf.Tensor4D) => convLayer(x, specs.get(name)!, params.convs.get(name)!, record, transform);
  return tf.tidy(() => {
    let out = layer(STEM.name, input);
    out = tf.maxPool(out, 3, 2, 'valid');
    for (const b of RESIDUAL_BLOCKS) {
      const x = out;
      let y = layer(`${b.name}.conv2`, layer(`${b.name}.conv1`, x));
      let shortcut = x;
      if (b.down) {
        // residualLayer.ts residualDown: 2×2 average-pooled shortcut; where the valid stride-2
        // conv comes out one smaller, pad it with a zero row (bottom) and column (right); pad the
        // shortcut's channels with zeros.
        shortcut = tf.avgPool(x, 2, 2, 'valid');
        if (shortcut.shape[1] !== y.shape[1] || shortcut.shape[2] !== y.shape[2]) {
          y = tf.concat([y, tf.zeros<tf.Rank.R4>([y.shape[0], 1, y.shape[2], y.shape[3]])], 1);
          y = tf.concat([y, tf.zeros<tf.Rank.R4>([y.shape[0], y.shape[1], 1, y.shape[3]])], 2);
        }
        if (shortcut.shape[3] !== y.shape[3]) shortcut = tf.concat([shortcut, tf.zeros<tf.Rank.R4>(shortcut.shape)], 3);
        out = tf.relu(tf.add(shortcut, y)) as tf.Tensor4D;
      } else {
        out = tf.relu(tf.add(y, shortcut)) as tf.Tensor4D;
      }
    }
    const pooled = tf.mean(out, [1, 2]) as tf.Tensor2D;
    const descriptor = tf.matMul(transformed(pooled, FC.name, transform), params.fc);
    record?.(FC.name, capture(pooled), capture(descriptor));
    return descriptor.dataSync() as Float32Array;
  });
}
