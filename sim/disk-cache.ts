/**
 * Results of slow offline steps kept on disk (`.cache/<namespace>/`, or under
 * `$QUANTSIM_CACHE_DIR`): DNA-TEQ's parameter search (ResNet-50 ≈ 15 s), LightNN's stochastic
 * rounding (AlexNet: 61 M weights, ≈ 4 s per K). Each is a pure function of tensors, parameters,
 * a seed and its code; all of them are in the key — the tensors by a hash of their bytes (so a
 * tensor edited in memory misses and meets the step's own checks), the code by a hash of its
 * source files (so an edited step never reads an old entry). A second process (npm start again,
 * compare after quantize, sweep workers) skips the step. `QUANTSIM_CACHE=off` disables it (the
 * benchmarks' cold figures). Entries are written atomically; an unreadable one is recomputed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './config.ts';
import { writeFileAtomic } from './output.ts';
import { readNpy, writeNpy } from '../traces/npy.ts';
import { derivedFrom, tensorRecipe, type LayerTrace, type Tensor, type TensorRef, type TensorRole } from './trace.ts';

export interface CacheKey {
  /** Source files (relative to the project root) whose code decides the result. */
  readonly code: readonly string[];
  /** Everything else the result depends on (JSON-serializable). */
  readonly key: unknown;
  /** Tensors, or references to a layer trace's tensors (a generated one is keyed by its recipe, never drawn). */
  readonly tensors: readonly (Tensor | TensorRef | undefined)[];
}

export function cacheEnabled(): boolean {
  return process.env.QUANTSIM_CACHE !== 'off';
}

let quickSteps = false;

/**
 * Also keep the results of quick offline steps (a mapping search: milliseconds per layer) on disk.
 * Worth it for one-off CLI runs, where they are most of the work after start-up; a sweep, which
 * would write one small file per point and layer, leaves it off and keeps them in memory.
 */
export function cacheQuickSteps(on = true): void {
  quickSteps = on;
}

/** diskCached for a quick step: on disk only after cacheQuickSteps(), else just compute(). */
export function quickCached<T>(namespace: string, k: CacheKey, compute: () => T): T {
  return quickSteps ? diskCached(namespace, k, compute) : compute();
}

const codeHashes = new Map<string, string>();
function codeHash(files: readonly string[]): string {
  const id = files.join('\u0000');
  let h = codeHashes.get(id);
  if (h === undefined) {
    const hash = createHash('sha256');
    for (const f of files) hash.update(f).update(readFileSync(join(ROOT, f)));
    codeHashes.set(id, (h = hash.digest('hex')));
  }
  return h;
}

/** Once per tensor object (derivedFrom): LightNN-1, LightNN-2 and DNA-TEQ key on the same 244 MB of AlexNet weights. */
function tensorHash(t: Tensor | undefined): string {
  if (!t) return '-';
  return derivedFrom(t, 'sha256', () => createHash('sha256').update(JSON.stringify(t.shape)).update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).digest('hex'));
}

function tensorId(t: Tensor | TensorRef | undefined): string {
  if (t && 'role' in t) {
    const recipe = tensorRecipe(t.layer, t.role);
    return recipe !== undefined ? `recipe:${createHash('sha256').update(recipe).digest('hex')}` : tensorHash(t.layer[t.role]);
  }
  return tensorHash(t);
}

/** The entry's file name: a hash of code, key and tensors. */
export function cacheKey(k: CacheKey): string {
  return createHash('sha256').update(JSON.stringify([codeHash(k.code), k.key, k.tensors.map(tensorId)])).digest('hex');
}

// Non-finite numbers are not JSON: kept as {"$number": "Infinity"}; a Uint8Array (a region mask)
// as {"$bytes": base64}, so it comes back as a Uint8Array.
const replacer = (_: string, v: unknown) =>
  typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v instanceof Uint8Array ? { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') } : v;
const reviver = (_: string, v: unknown) => {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$number') return Number((v as { $number: string }).$number);
    if (keys.length === 1 && keys[0] === '$bytes') return new Uint8Array(Buffer.from((v as { $bytes: string }).$bytes, 'base64'));
  }
  return v;
};

function cacheDir(namespace: string): string {
  return join(process.env.QUANTSIM_CACHE_DIR ?? join(ROOT, '.cache'), namespace);
}

function cacheFile(namespace: string, k: CacheKey): string {
  return join(cacheDir(namespace), `${cacheKey(k)}.json`);
}

/** `compute()`, or its result from an earlier process. T must survive JSON (plain objects, arrays, numbers). */
export function diskCached<T>(namespace: string, k: CacheKey, compute: () => T): T {
  if (!cacheEnabled()) return compute();
  const file = cacheFile(namespace, k);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'), reviver) as T;
    } catch {
      // Unreadable (a foreign or damaged file): compute again and overwrite it.
    }
  }
  const value = compute();
  try {
    writeFileAtomic(file, JSON.stringify(value, replacer));
  } catch {
    // A read-only or full disk costs the next process the computation, nothing else.
  }
  return value;
}

/**
 * A generated tensor, or the same tensor from an earlier process: kept as float32 .npy under
 * `synthetic/`, named by a hash of its recipe (which holds the generator's code, parameters,
 * seed, batch, network, layer and role), so a process that needs the values reads them instead
 * of drawing them (ResNet-50's activations: ≈ 0.6 s drawn, milliseconds read). An unreadable
 * file is drawn again and overwritten.
 */
export function cachedTensor(recipe: string, draw: () => Tensor): Tensor {
  if (!cacheEnabled()) return draw();
  const file = join(cacheDir('synthetic'), `${createHash('sha256').update(recipe).digest('hex')}.npy`);
  if (existsSync(file)) {
    try {
      return readNpy(file);
    } catch {
      // A damaged or foreign file: draw again.
    }
  }
  const t = draw();
  try {
    writeNpy(file, t);
  } catch {
    // A read-only or full disk costs the next process the draw, nothing else.
  }
  return t;
}

/** Whether a layer trace has a tensor in this role, without drawing a generated one. */
export function hasTensor(layer: LayerTrace, role: TensorRole): boolean {
  return tensorRecipe(layer, role) !== undefined || layer[role] !== undefined;
}

/**
 * A value computed from one tensor of a layer trace: once per layer-trace object in the process
 * (derivedFrom) and once across processes (diskCached, keyed by the tensor's recipe or bytes), so
 * a warm run neither recomputes it nor draws a generated tensor. Undefined when there is no tensor.
 */
export function cachedFromTensor<T>(namespace: string, code: readonly string[], key: string, layer: LayerTrace, role: TensorRole, compute: (t: Tensor) => T): T | undefined {
  if (!hasTensor(layer, role)) return undefined;
  return derivedFrom(layer, `${namespace}:${key}:${role}`, () => diskCached(namespace, { code, key: [key, layer.layer, role], tensors: [{ layer, role }] }, () => compute(layer[role]!)));
}
