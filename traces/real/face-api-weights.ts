/**
 * Reader for face-api (tfjs "weights manifest") model files, without tfjs: a manifest lists the
 * tensors in storage order (name, shape, dtype, optional affine quantization) and the `.bin`
 * shards hold them back to back. Values come out as float32 exactly as tfjs dequantizes them
 * (`q · scale + min` computed in double precision, then stored as float32).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { die } from '../../sim/errors.ts';
import { displayPath, ROOT } from '../../sim/paths.ts';
import { tensorSize } from '../../sim/trace.ts';

/** Where face-api's model files are installed (node_modules, nothing downloaded). */
export const FACE_API_MODEL_DIR = join(ROOT, 'node_modules/@vladmandic/face-api/model');

export interface ManifestTensor {
  readonly name: string;
  /** Shape as stored by tfjs (convolution filters HWIO, fc [in, out]). */
  readonly shape: readonly number[];
  /** Logical dtype of the tensor (int32 tensors are rounded after dequantization). */
  readonly dtype: 'float32' | 'int32';
  /** Storage dtype in the .bin: uint8/uint16 affine-quantized, or raw 4-byte values. */
  readonly stored: 'uint8' | 'uint16' | 'float32' | 'int32';
  readonly quantization?: { readonly scale: number; readonly min: number };
  /** Byte offset in the concatenated shards and bytes taken there. */
  readonly offsetBytes: number;
  readonly bytes: number;
  readonly data: Float32Array;
}

export interface WeightsFile {
  readonly model: string;
  readonly manifestFile: string;
  readonly binFiles: readonly string[];
  readonly totalBytes: number;
  /** Tensors in manifest order. */
  readonly tensors: readonly ManifestTensor[];
  readonly byName: ReadonlyMap<string, ManifestTensor>;
  /** Number of values over all tensors. */
  readonly parameters: number;
}

const STORED_BYTES = { uint8: 1, uint16: 2, float32: 4, int32: 4 } as const;

interface RawWeight {
  name?: unknown;
  shape?: unknown;
  dtype?: unknown;
  quantization?: { dtype?: unknown; scale?: unknown; min?: unknown };
}

/**
 * Read `<dir>/<model>-weights_manifest.json` and its shards. Every mismatch (unknown dtype, bad
 * shape, offsets that do not add up to the shard sizes) is a UserError naming the manifest and
 * the JSON path of the offending entry.
 */
export function readFaceApiWeights(model: string, dir = FACE_API_MODEL_DIR): WeightsFile {
  const manifestPath = join(dir, `${model}-weights_manifest.json`);
  const manifestFile = displayPath(manifestPath);
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch {
    return die(`no weights manifest for model "${model}" in ${displayPath(dir)}`, manifestFile);
  }
  let groups: unknown;
  try {
    groups = JSON.parse(text);
  } catch (e) {
    return die(`malformed JSON: ${(e as Error).message}`, manifestFile);
  }
  return decodeWeightGroups(model, groups, manifestFile, (path) => {
    const file = join(dir, path);
    try {
      return { name: displayPath(file), bytes: readFileSync(file) };
    } catch {
      return die(`shard file ${displayPath(file)} is missing`, manifestFile);
    }
  });
}

/**
 * Decode parsed weight groups (the `weightsManifest` of a tfjs model.json, or a face-api
 * `-weights_manifest.json`) against their shards, as loaded by `shard(path)`: the same checks
 * and dequantization whether the shards come from `.bin` files or from JS-bundled base64.
 */
export function decodeWeightGroups(model: string, groups: unknown, manifestFile: string, shard: (path: string) => { name: string; bytes: Buffer }): WeightsFile {
  if (!Array.isArray(groups) || groups.length === 0) die('expected a non-empty array of weight groups', manifestFile, '');

  const paths: string[] = [];
  const entries: { w: RawWeight; where: string }[] = [];
  (groups as { paths?: unknown; weights?: unknown }[]).forEach((g, gi) => {
    if (!Array.isArray(g?.paths) || g.paths.some((p) => typeof p !== 'string')) die('expected an array of shard file names', manifestFile, `/${gi}/paths`);
    if (!Array.isArray(g.weights)) die('expected an array of weights', manifestFile, `/${gi}/weights`);
    paths.push(...(g.paths as string[]));
    (g.weights as RawWeight[]).forEach((w, wi) => entries.push({ w, where: `/${gi}/weights/${wi}` }));
  });
  // tfjs concatenates all shards of all groups in order; each group's tensors follow on.
  const shards = paths.map(shard);
  const binFiles = shards.map((s) => s.name);
  const totalBytes = shards.reduce((a, s) => a + s.bytes.length, 0);
  const needed = entries.reduce((s, { w, where }) => s + storedBytes(w, manifestFile, where), 0);
  if (needed !== totalBytes) {
    die(`tensors need ${needed} bytes but the shards (${binFiles.join(', ')}) hold ${totalBytes}`, manifestFile);
  }
  const bin = Buffer.concat(shards.map((s) => s.bytes));

  const tensors: ManifestTensor[] = [];
  const byName = new Map<string, ManifestTensor>();
  let offsetBytes = 0;
  for (const { w, where } of entries) {
    const t = decodeTensor(w, bin, offsetBytes, manifestFile, where);
    if (byName.has(t.name)) die(`duplicate tensor name "${t.name}"`, manifestFile, `${where}/name`);
    tensors.push(t);
    byName.set(t.name, t);
    offsetBytes += t.bytes;
  }
  return Object.freeze({
    model,
    manifestFile,
    binFiles,
    totalBytes,
    tensors,
    byName,
    parameters: tensors.reduce((s, t) => s + t.data.length, 0),
  });
}

/** A tensor by name, or a UserError naming the manifest. */
export function weightTensor(w: WeightsFile, name: string, shape?: readonly number[]): ManifestTensor {
  const t = w.byName.get(name) ?? die(`model "${w.model}" has no tensor "${name}"`, w.manifestFile);
  if (shape && (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i]))) {
    die(`tensor "${name}" has shape [${t.shape}], expected [${shape}]`, w.manifestFile);
  }
  return t;
}

function checkedShape(w: RawWeight, file: string, where: string): number[] {
  const s = w.shape;
  if (!Array.isArray(s) || s.some((d) => !Number.isSafeInteger(d) || d < 0)) die('shape must be an array of non-negative integers', file, `${where}/shape`);
  return s as number[];
}

function storedDtype(w: RawWeight, file: string, where: string): ManifestTensor['stored'] {
  if (w.dtype !== 'float32' && w.dtype !== 'int32') die(`unsupported dtype ${JSON.stringify(w.dtype)} (float32 or int32)`, file, `${where}/dtype`);
  const q = w.quantization;
  if (q === undefined) return w.dtype;
  if (q.dtype !== 'uint8' && q.dtype !== 'uint16') die(`unsupported quantization dtype ${JSON.stringify(q.dtype)} (uint8 or uint16 affine)`, file, `${where}/quantization/dtype`);
  if (typeof q.scale !== 'number' || !Number.isFinite(q.scale)) die('quantization scale must be a finite number', file, `${where}/quantization/scale`);
  if (typeof q.min !== 'number' || !Number.isFinite(q.min)) die('quantization min must be a finite number', file, `${where}/quantization/min`);
  return q.dtype;
}

function storedBytes(w: RawWeight, file: string, where: string): number {
  if (typeof w?.name !== 'string' || w.name === '') die('tensor needs a name', file, `${where}/name`);
  return tensorSize(checkedShape(w, file, where)) * STORED_BYTES[storedDtype(w, file, where)];
}

function decodeTensor(w: RawWeight, bin: Buffer, offsetBytes: number, file: string, where: string): ManifestTensor {
  const shape = checkedShape(w, file, where);
  const stored = storedDtype(w, file, where);
  const n = tensorSize(shape);
  const bytes = n * STORED_BYTES[stored];
  const view = new DataView(bin.buffer, bin.byteOffset + offsetBytes, bytes);
  const data = new Float32Array(n);
  const q = w.quantization as { scale: number; min: number } | undefined;
  // Dequantize in double precision, round int32 before narrowing, as tfjs' decodeWeights does.
  const round = w.dtype === 'int32' ? Math.round : (v: number) => v;
  for (let i = 0; i < n; i++) {
    switch (stored) {
      case 'uint8':
        data[i] = round(view.getUint8(i) * q!.scale + q!.min);
        break;
      case 'uint16':
        data[i] = round(view.getUint16(2 * i, true) * q!.scale + q!.min);
        break;
      case 'float32':
        data[i] = view.getFloat32(4 * i, true);
        break;
      case 'int32':
        data[i] = view.getInt32(4 * i, true);
        break;
    }
  }
  return Object.freeze({
    name: w.name as string,
    shape: Object.freeze(shape.slice()),
    dtype: w.dtype as 'float32' | 'int32',
    stored,
    ...(q ? { quantization: Object.freeze({ scale: q.scale, min: q.min }) } : {}),
    offsetBytes,
    bytes,
    data,
  });
}
