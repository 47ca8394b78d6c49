/**
 * The trace folder: `manifest.json` (schema configs/schema/trace.schema.json) plus one `.npy` file
 * per tensor. `loadTrace` reads and checks it (against the network when given); `writeTrace`
 * writes one without destroying anything (sim/output-folder.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeOutputFolder, type Content } from '../sim/output-folder.ts';
import { die, isUserError } from '../sim/errors.ts';
import { displayPath, readJsonFile, validateAgainst } from '../sim/config.ts';
import { tensorSize, type DType, type LayerTrace, type Tensor, type Trace, type TraceSource } from '../sim/trace.ts';
import type { Layer, Network } from '../sim/workload.ts';
import { encodeNpy, readNpy } from './npy.ts';
import { noteInput } from '../sim/inputs.ts';

export const MANIFEST = 'manifest.json';
export const MANIFEST_VERSION = 1;

export type TensorRole = 'weights' | 'activations' | 'outputs';
export const TENSOR_ROLES: readonly TensorRole[] = ['weights', 'activations', 'outputs'];

export interface ManifestTensor {
  file: string;
  dtype: DType;
  shape: number[];
}

export interface ManifestLayer {
  name: string;
  weights?: ManifestTensor;
  activations?: ManifestTensor;
  outputs?: ManifestTensor;
}

/** manifest.json as stored (see configs/schema/trace.schema.json). */
export interface Manifest {
  $schema?: string;
  version: 1;
  network: string;
  source: TraceSource;
  generator: { name: string; parameters?: Record<string, unknown> };
  seed?: number;
  description?: string;
  layers: ManifestLayer[];
}

export interface LoadTraceOptions {
  /** Keep only the first `batch` inputs of every activation/output tensor (sampling a large trace). */
  batch?: number;
}

const shapeText = (s: readonly (number | string)[]) => `[${s.join(', ')}]`;

/**
 * The shape a layer's tensor must have in PyTorch layout; `null` means the kind has no such
 * tensor (pool/add weights), `undefined` that only the element count is checked (matmul: left
 * operand as activations, right operand as weights, [N, M, C/groups]).
 * The batch dimension of activations/outputs is free (a trace may hold any number of inputs).
 */
export function expectedShape(layer: Layer, role: TensorRole, batch: number): number[] | null | undefined {
  const { kind, M, C, groups, R, S, H, W, P, Q } = layer;
  if (role === 'weights') {
    if (kind === 'conv' || kind === 'depthwise') return [M, C / groups, R, S];
    if (kind === 'fc') return [M, C];
    return kind === 'matmul' ? undefined : null;
  }
  if (kind === 'matmul') return undefined;
  if (role === 'activations') return kind === 'fc' ? [batch, C] : [batch, C, H, W];
  return kind === 'fc' ? [batch, M] : [batch, M, P, Q];
}

/** Check a tensor against its layer: PyTorch-layout shape, and every value finite. */
export function checkLayerTensor(layer: Layer, role: TensorRole, t: Tensor, file: string): void {
  const where = `layer "${layer.name}" ${role}`;
  const batch = t.shape[0] ?? 0;
  const want = expectedShape(layer, role, batch);
  if (want === null) die(`${where}: a ${layer.kind} layer has no ${role}`, file);
  if (want === undefined) {
    // A matmul's right operand sits in the weights' place, one [M, C/groups] matrix per input.
    const per = role === 'weights' ? (layer.M * layer.C) / layer.groups : role === 'activations' ? layer.C * layer.H * layer.W : layer.M * layer.P * layer.Q;
    if (t.data.length % per !== 0 || t.data.length === 0) {
      die(`${where}: ${t.data.length} elements (shape ${shapeText(t.shape)}) do not fit the layer (a multiple of ${per})`, file);
    }
  } else {
    const layout = role === 'weights' ? (layer.kind === 'fc' ? '[M, C]' : '[M, C/groups, R, S]') : layer.kind === 'fc' ? (role === 'activations' ? '[N, C]' : '[N, M]') : role === 'activations' ? '[N, C, H, W]' : '[N, M, P, Q]';
    const okShape = t.shape.length === want.length && t.shape.every((d, k) => d === want[k]) && (role === 'weights' || batch >= 1);
    if (!okShape) die(`${where}: shape ${shapeText(t.shape)} does not match the layer: expected ${layout} = ${shapeText(role === 'weights' ? want : ['N', ...want.slice(1)])}`, file);
  }
  checkFinite(t, where, file);
}

/** NaN or ±Inf anywhere in a tensor is a user error naming the element. */
export function checkFinite(t: Tensor, where: string, file: string): void {
  const d = t.data;
  for (let k = 0; k < d.length; k++) {
    if (!Number.isFinite(d[k]!)) {
      const idx: number[] = [];
      let rest = k;
      for (let a = t.shape.length - 1; a >= 0; a--) {
        idx.unshift(rest % t.shape[a]!);
        rest = Math.floor(rest / t.shape[a]!);
      }
      die(`${where}: ${d[k]} at element ${shapeText(idx)}; traces must be finite`, file);
    }
  }
}

/** The first `n` entries along axis 0 (C order makes them a contiguous prefix). */
export function sliceBatch(t: Tensor, n: number): Tensor {
  if (t.shape.length === 0 || t.shape[0]! <= n) return t;
  const shape = [n, ...t.shape.slice(1)];
  return { shape, data: t.data.subarray(0, tensorSize(shape)), dtype: t.dtype };
}

/** readNpy, with the layer and role added to any error (the file is already named). */
function readLayerNpy(file: string, where: string, dir: string): Tensor {
  try {
    return readNpy(file, { within: dir });
  } catch (e) {
    if (!isUserError(e)) throw e;
    const reason = e.file !== undefined && e.message.startsWith(`${e.file}: `) ? e.message.slice(e.file.length + 2) : e.message;
    return die(`${where}: ${reason}`, file);
  }
}

/**
 * Load a trace folder. With `network`, the trace must be for that network, every layer must
 * exist in it and every tensor must have the layer's PyTorch-layout shape. Any problem (schema,
 * missing or truncated .npy, dtype or shape differing from the manifest, NaN/Inf) is a UserError
 * naming the file and layer.
 */
export function loadTrace(dir: string, network?: Network, options: LoadTraceOptions = {}): Trace {
  const manifestFile = join(dir, MANIFEST);
  const shown = displayPath(manifestFile);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) die('trace folder not found (give a folder holding manifest.json and .npy files)', displayPath(dir));
  noteInput(dir);
  const m = readJsonFile(manifestFile) as Manifest;
  validateAgainst('trace', m, shown);
  if (network && m.network !== network.name) die(`trace is for network "${m.network}", not "${network.name}"`, shown, '/network');
  if (options.batch !== undefined && (!Number.isInteger(options.batch) || options.batch < 1)) die(`batch must be an integer >= 1, got ${options.batch}`);
  const byName = new Map(network?.layers.map((l) => [l.name, l]));
  const layers = new Map<string, LayerTrace>();
  m.layers.forEach((entry, i) => {
    if (layers.has(entry.name)) die(`duplicate layer "${entry.name}"`, shown, `/layers/${i}/name`);
    const layer = byName.get(entry.name);
    if (network && !layer) die(`layer "${entry.name}" is not in network ${network.name}`, shown, `/layers/${i}/name`);
    const tensors: { -readonly [K in TensorRole]?: Tensor } = {};
    for (const role of TENSOR_ROLES) {
      const spec = entry[role];
      if (!spec) continue;
      const file = displayPath(join(dir, spec.file));
      let t = readLayerNpy(file, `layer "${entry.name}" ${role}`, dir);
      if (t.dtype !== spec.dtype) die(`layer "${entry.name}" ${role}: stored as ${t.dtype} but the manifest says ${spec.dtype}`, file);
      if (t.shape.length !== spec.shape.length || t.shape.some((d, k) => d !== spec.shape[k])) {
        die(`layer "${entry.name}" ${role}: stored shape ${shapeText(t.shape)} differs from the manifest's ${shapeText(spec.shape)}`, file);
      }
      if (layer) checkLayerTensor(layer, role, t, file);
      else checkFinite(t, `layer "${entry.name}" ${role}`, file);
      if (options.batch !== undefined && role !== 'weights') t = sliceBatch(t, options.batch);
      tensors[role] = t;
    }
    layers.set(entry.name, { layer: entry.name, ...tensors });
  });
  return {
    network: m.network,
    source: m.source,
    generator: m.generator.name,
    ...(m.generator.parameters ? { parameters: m.generator.parameters } : {}),
    ...(m.seed !== undefined ? { seed: m.seed } : {}),
    dir: resolve(dir),
    layers,
  };
}

export interface WriteTraceOptions {
  /** Store every tensor as this dtype (default: each tensor's own dtype). float16 halves the size. */
  dtype?: DType;
  description?: string;
  /** Write into a folder holding other files, leaving them (see writeOutputFolder). */
  force?: boolean;
  /** More files (name → text) written into the folder with the trace. */
  extra?: Record<string, string>;
}

/** File-system-safe, unique file stem for a layer name. */
function fileStem(name: string, taken: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'layer';
  let stem = base;
  for (let k = 2; taken.has(stem.toLowerCase()); k++) stem = `${base}-${k}`;
  taken.add(stem.toLowerCase());
  return stem;
}

/**
 * Write a trace folder (sim/output-folder.ts): atomically into a new, empty or quantsim-made
 * folder; a folder holding other files is refused unless `force` (then only quantsim's files are
 * written into it); a folder that is or holds an input is refused. `extra` files (name → text) go
 * in beside the manifest. Returns the manifest written.
 */
export function writeTrace(dir: string, trace: Trace, options: WriteTraceOptions = {}): Manifest {
  const shown = displayPath(dir);
  const taken = new Set<string>();
  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    network: trace.network,
    source: trace.source,
    generator: { name: trace.generator, ...(trace.parameters ? { parameters: { ...trace.parameters } } : {}) },
    ...(trace.seed !== undefined ? { seed: trace.seed } : {}),
    ...(options.description ? { description: options.description } : {}),
    layers: [],
  };
  const files = new Map<string, Content>();
  for (const [name, lt] of trace.layers) {
    const stem = fileStem(name, taken);
    const entry: ManifestLayer = { name };
    for (const role of TENSOR_ROLES) {
      const t = lt[role];
      if (!t) continue;
      const dtype = options.dtype ?? t.dtype;
      const file = `${stem}.${role}.npy`;
      checkFinite(t, `layer "${name}" ${role}`, join(shown, file));
      files.set(file, () => encodeNpy(t.shape, t.data, dtype, join(shown, file)));
      entry[role] = { file, dtype, shape: [...t.shape] };
    }
    manifest.layers.push(entry);
  }
  validateAgainst('trace', manifest, join(shown, MANIFEST));
  for (const [name, text] of Object.entries(options.extra ?? {})) files.set(name, text);
  files.set(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  writeOutputFolder(dir, files, { ...(options.force ? { force: true } : {}), ...(trace.dir ? { inputs: [trace.dir] } : {}) });
  return manifest;
}
