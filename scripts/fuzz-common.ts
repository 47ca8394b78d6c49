/** What the fuzz case generators share (scripts/fuzz.ts, fuzz-formats.ts, fuzz-safety.ts): the case shape, fixtures, text damage. */
import fc from 'fast-check';
import { join } from 'node:path';
import { loadArch } from '../sim/arch.ts';
import { loadNetwork, type Network } from '../sim/workload.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A mutation of a JSON document, applied at a random path. */
export type Mutation =
  | { op: 'set'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'addKey'; at: number; key: string; value: Json };

export const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(0, -1, -1e9, 1e12, 1e308, 0.5, 2.5, '', 'x', '3 pJ', '-3 pJ', '1 parsec', null, true, [], {}, [1, 2], { a: 1 }, 4096, 4097, 65),
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 8 }),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: weird }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: fc.constantFrom('extra', 'rowz', 'bits', '__proto__', 'constructor'), value: weird }),
);

/** All container paths and leaf paths of a document, in a stable order. */
export function paths(doc: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc && typeof doc === 'object') for (const k of Object.keys(doc)) paths(doc[k]!, [...prefix, k], out);
  return out;
}

export function apply(doc: Json, m: Mutation): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  const all = paths(copy);
  const p = all[m.at % all.length]!;
  if (p.length === 0) return m.op === 'set' ? m.value : copy;
  let parent = copy as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const last = p[p.length - 1]!;
  if (m.op === 'set') parent[last] = m.value;
  else if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    else parent[last] = m.value;
  }
  return copy;
}

/** Text-level damage: truncation or a byte replaced, for malformed-JSON paths. */
export const textDamage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.constantFrom('{', '}', ',', '"', ':', 'x', '\u0000', '\n') }),
  fc.constant({ kind: 'none' as const, at: 0 }),
);
export type Damage = { kind: 'truncate' | 'replace' | 'none'; at: number; ch?: string };

export function damage(text: string, d: Damage): string {
  if (d.kind === 'none') return text;
  const at = d.at % Math.max(1, text.length);
  return d.kind === 'truncate' ? text.slice(0, at) : text.slice(0, at) + d.ch + text.slice(at + 1);
}

export const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');

/**
 * One generated case: the files to write (relative to the case folder), the command to run, the
 * file names a UserError may name, and the output files the command may leave (each must then be
 * a complete results file). Anything else left in the folder is a partial output.
 */
export interface Case {
  files: Record<string, string | Uint8Array>;
  run: () => unknown;
  names: string[];
  outputs?: string[];
  /** Special files made after `files` are written (FIFOs, symlinks, sparse files). */
  setup?: () => void;
  /** Paths (or folder prefixes ending in "/") the case may leave, not read. */
  keep?: string[];
  /** A broken invariant after the run, or undefined. */
  check?: (threw: boolean) => string | undefined;
}
export type MakeCase = (dir: string) => Case;

let eyeriss: ReturnType<typeof loadArch> | undefined;
let small: Network | undefined;
export const eyerissInt8 = () => (eyeriss ??= loadArch('eyeriss-int8'));
export const smallNetwork = () => (small ??= loadNetwork(join(FIXTURES, 'two-layer.json')));

