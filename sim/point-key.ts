/**
 * The stable key of a sweep point (what sweeps resume and merge by, and what queue workers
 * recompute to check a job): apart from sim/sweep.ts so the queue need not import the sweep.
 */
import { createHash } from 'node:crypto';
import type { ArchConfig } from './arch.ts';
import type { Mode } from './scheme.ts';

/** Bump when the meaning of a key changes (what is hashed), so old results are not reused. */
const KEY_VERSION = 1;

/** JSON with object keys sorted: the same value always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The stable key of a point: 16 hex digits of the hash of its config, network, costs, mode and seed. */
export function pointKey(p: { config: ArchConfig; networkHash: string; costsHash: string; traceHash?: string; energyScale: Record<string, number>; mode: Mode; seed: number }): string {
  return sha256(canonicalJson({ v: KEY_VERSION, ...p })).slice(0, 16);
}
