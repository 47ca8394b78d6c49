/**
 * Hardening fuzz: seeded fast-check mutations of the inputs users hand us. Every case must
 * either run or end in a UserError whose message names the file — never another exception,
 * never a hang. `npm test` runs a few hundred cases; `npm run fuzz` runs ≥ 10,000.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '../sim/errors.ts';
import { loadArch } from '../sim/arch.ts';
import { loadCostTable } from '../sim/costs.ts';
import { loadNetwork } from '../sim/workload.ts';
import { simulate } from '../sim/simulate.ts';
import { CONFIG_DIR } from '../sim/config.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A mutation of a JSON document, applied at a random path. */
type Mutation =
  | { op: 'set'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'addKey'; at: number; key: string; value: Json };

const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(0, -1, -1e9, 1e12, 1e308, 0.5, 2.5, '', 'x', '3 pJ', '-3 pJ', '1 parsec', null, true, [], {}, [1, 2], { a: 1 }, 4096, 4097, 65),
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 8 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: weird }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: fc.constantFrom('extra', 'rowz', 'bits', '__proto__', 'constructor'), value: weird }),
);

/** All container paths and leaf paths of a document, in a stable order. */
function paths(doc: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc && typeof doc === 'object') for (const k of Object.keys(doc)) paths(doc[k]!, [...prefix, k], out);
  return out;
}

function apply(doc: Json, m: Mutation): Json {
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
const textDamage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.constantFrom('{', '}', ',', '"', ':', 'x', '\u0000', '\n') }),
  fc.constant({ kind: 'none' as const, at: 0 }),
);
type Damage = { kind: 'truncate' | 'replace' | 'none'; at: number; ch?: string };

function damage(text: string, d: Damage): string {
  if (d.kind === 'none') return text;
  const at = d.at % Math.max(1, text.length);
  return d.kind === 'truncate' ? text.slice(0, at) : text.slice(0, at) + d.ch + text.slice(at + 1);
}

export interface FuzzOutcome {
  cases: number;
  ran: number;
  userErrors: number;
  failures: { kind: string; input: string; error: string }[];
  slowestMs: number;
}

const TIME_LIMIT_MS = 5000;

export type FuzzKind = 'arch' | 'costs' | 'network';

const BASES: Record<FuzzKind, string> = {
  arch: join(CONFIG_DIR, 'arch', 'eyeriss.json'),
  costs: join(CONFIG_DIR, 'costs', '32nm.json'),
  network: join(CONFIG_DIR, 'networks', 'alexnet.json'),
};

/** Run `numRuns` mutated inputs of one kind; returns counts and every non-UserError failure. */
export function fuzz(kind: FuzzKind, numRuns: number, seed: number): FuzzOutcome {
  const dir = mkdtempSync(join(tmpdir(), `quantsim-fuzz-${kind}-`));
  const base = JSON.parse(readFileSync(BASES[kind], 'utf8')) as Json;
  if (kind === 'arch') delete (base as Record<string, Json>).$schema;
  const small = loadNetwork(join(import.meta.dirname, '..', 'test', 'fixtures', 'two-layer.json'));
  const out: FuzzOutcome = { cases: 0, ran: 0, userErrors: 0, failures: [], slowestMs: 0 };
  const file = join(dir, `${kind}.json`);
  try {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), textDamage, (ms, d) => {
        const doc = ms.reduce(apply, base);
        const text = damage(JSON.stringify(doc, null, 1), d as Damage);
        writeFileSync(file, text);
        out.cases++;
        const t = performance.now();
        try {
          if (kind === 'arch') simulate(loadArch(file), small, { mode: 'opcount' });
          else if (kind === 'costs') simulate(loadArch('eyeriss-int8'), small, { mode: 'opcount', costs: loadCostTable(file) });
          else simulate(loadArch('eyeriss-int8'), loadNetwork(file), { mode: 'opcount' });
          out.ran++;
        } catch (e) {
          if (isUserError(e) && e.message.includes(`${kind}.json`)) out.userErrors++;
          else out.failures.push({ kind, input: text.slice(0, 2000), error: isUserError(e) ? `UserError without the file name: ${e.message}` : String((e as Error).stack ?? e) });
        }
        const ms2 = performance.now() - t;
        out.slowestMs = Math.max(out.slowestMs, ms2);
        if (ms2 > TIME_LIMIT_MS) out.failures.push({ kind, input: text.slice(0, 2000), error: `took ${ms2.toFixed(0)} ms (limit ${TIME_LIMIT_MS})` });
      }),
      { seed, numRuns },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 10000);
  let bad = 0;
  for (const kind of Object.keys(BASES) as FuzzKind[]) {
    const r = fuzz(kind, Math.ceil(runs / 3), 20261123);
    bad += r.failures.length;
    process.stdout.write(`${JSON.stringify({ fuzz: kind, cases: r.cases, ran: r.ran, userErrors: r.userErrors, failures: r.failures.length, slowestMs: Math.round(r.slowestMs) })}\n`);
    for (const f of r.failures.slice(0, 5)) process.stdout.write(`  ${f.error.split('\n').slice(0, 3).join(' | ')}\n`);
  }
  process.exit(bad ? 1 : 0);
}
