/**
 * DNA-TEQ's per-layer search kept on disk (`.cache/dnateq/`, or `$QUANTSIM_CACHE_DIR/dnateq`):
 * the search is the slow offline step (ResNet-50 ≈ 15 s) and a pure function of the layer, its
 * tensors, the search parameters, the seed and the search code. All of them are in the key — the
 * code as a hash of its source files — so an edited search never reads an old entry, and a
 * second process (npm start again, compare after quantize, sweep workers) skips the search.
 * `QUANTSIM_CACHE=off` disables it (the benchmarks' cold figures). Entries are written atomically;
 * an unreadable one is recomputed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../sim/config.ts';
import { writeFileAtomic } from '../../sim/output.ts';
import type { LayerTrace, Tensor } from '../../sim/trace.ts';
import type { LayerSearch } from './search.ts';

/** The files whose code decides a search result. */
const SEARCH_SOURCES = ['models/dnateq/search.ts', 'models/dnateq/exponential.ts', 'models/dnateq/dot-product.ts', 'models/dnateq/operands.ts', 'traces/fit.ts'];

let codeHash: string | undefined;
function searchCodeHash(): string {
  if (codeHash === undefined) {
    const h = createHash('sha256');
    for (const f of SEARCH_SOURCES) h.update(f).update(readFileSync(join(ROOT, f)));
    codeHash = h.digest('hex');
  }
  return codeHash;
}

export function cacheEnabled(): boolean {
  return process.env.QUANTSIM_CACHE !== 'off';
}

function cacheDir(): string {
  return join(process.env.QUANTSIM_CACHE_DIR ?? join(ROOT, '.cache'), 'dnateq');
}

function tensorHash(t: Tensor | undefined): string {
  if (!t) return '-';
  return createHash('sha256').update(JSON.stringify(t.shape)).update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).digest('hex');
}

/**
 * The key of one layer's search: code, layer, parameters, seed and the tensors' bytes — by
 * content even for a synthetic trace, so a tensor edited in memory (a NaN, another shape) misses
 * and meets the search's own checks.
 */
export function searchKey(layerKey: string, trace: LayerTrace): string {
  return createHash('sha256').update(JSON.stringify([searchCodeHash(), layerKey, trace.layer, tensorHash(trace.weights), tensorHash(trace.activations)])).digest('hex');
}

// Infinity (a layer whose float output is all zero) is not JSON: kept as {"$number": "Infinity"}.
const replacer = (_: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v);
const reviver = (_: string, v: unknown) => {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$number') return Number((v as { $number: string }).$number);
  }
  return v;
};

export function readCachedSearch(key: string): LayerSearch | undefined {
  const file = join(cacheDir(), `${key}.json`);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'), reviver) as LayerSearch;
  } catch {
    return undefined;
  }
}

export function writeCachedSearch(key: string, s: LayerSearch): void {
  try {
    writeFileAtomic(join(cacheDir(), `${key}.json`), JSON.stringify(s, replacer));
  } catch {
    // A read-only or full disk costs the next process a search, nothing else.
  }
}
