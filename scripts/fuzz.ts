/**
 * Hardening fuzz: seeded fast-check mutations of the inputs users hand us — arch configs, cost
 * tables, network JSON, SCALE-Sim CSV, Timeloop YAML, .npy files and sweep specs. Every case must
 * either run or end in a one-line UserError whose message names the file — never another
 * exception, never a hang (per-case time limit), never a partial output file left behind.
 * `npm test` runs a few hundred cases; `npm run fuzz` runs ≥ 10,000.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { isUserError } from '../sim/errors.ts';
import { loadArch } from '../sim/arch.ts';
import { loadCostTable } from '../sim/costs.ts';
import { loadNetwork } from '../sim/workload.ts';
import { simulate } from '../sim/simulate.ts';
import { CONFIG_DIR } from '../sim/config.ts';
import { sweep } from '../sim/sweep.ts';
import { readResults } from '../sim/jsonl.ts';
import { configExtremeCases, outputTargetCases, queueFaultCases, tensorFileCases } from './fuzz-safety.ts';
import { apply, damage, eyerissInt8, mutation, smallNetwork, textDamage, weird, type Case, type Damage, type Json, type MakeCase, type Mutation } from './fuzz-common.ts';
import { npyCases, scaleSimCases, timeloopCases } from './fuzz-formats.ts';

export interface FuzzOutcome {
  cases: number;
  ran: number;
  userErrors: number;
  failures: { kind: string; input: string; error: string }[];
  slowestMs: number;
}

const TIME_LIMIT_MS = 5000;

export const FUZZ_KINDS = ['arch', 'costs', 'network', 'scalesim-csv', 'timeloop-yaml', 'npy', 'sweep-spec', 'output-target', 'tensor-file', 'config-extremes', 'queue-faults'] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

const JSON_BASES: Record<'arch' | 'costs' | 'network', string> = {
  arch: join(CONFIG_DIR, 'arch', 'eyeriss.json'),
  costs: join(CONFIG_DIR, 'costs', '32nm.json'),
  network: join(CONFIG_DIR, 'networks', 'alexnet.json'),
};

/** arch, costs, network: JSON mutations, then text damage. */
function jsonCases(kind: 'arch' | 'costs' | 'network'): fc.Arbitrary<MakeCase> {
  const base = JSON.parse(readFileSync(JSON_BASES[kind], 'utf8')) as Json;
  if (kind === 'arch') delete (base as Record<string, Json>).$schema;
  const name = `${kind}.json`;
  return fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), textDamage).map(([ms, d]) => (dir: string) => {
    const file = join(dir, name);
    return {
      files: { [name]: damage(JSON.stringify(ms.reduce(apply, base), null, 1), d as Damage) },
      names: [name],
      run: () => {
        if (kind === 'arch') simulate(loadArch(file), smallNetwork(), { mode: 'opcount' });
        else if (kind === 'costs') simulate(eyerissInt8(), smallNetwork(), { mode: 'opcount', costs: loadCostTable(file) });
        else simulate(eyerissInt8(), loadNetwork(file), { mode: 'opcount' });
      },
    };
  });
}

/** SCALE-Sim v2's topologies/conv_nets/alexnet.csv (the layout of every published topology). */
const sweepValue: fc.Arbitrary<Json> = fc.oneof(
  weird,
  fc.constantFrom<Json>(
    'arch', 'reference', 'opcount', 'eyeriss-int8', 'eyeriss', 'alexnet', 'nosuch', '/array/rows', '/array/cols', '/costs/sram/energyScale', '/costs/nosuch/energyScale', '/costs/sram/area', '/nosuch/key',
    { method: 'random', samples: 3 }, { method: 'lhs', samples: 2 }, { method: 'grid' }, { method: 'grid', samples: 3 },
    { from: 1, to: 64, step: 1 }, { from: 1, to: 1e9, step: 1 }, { from: 0, to: 1, count: 1000000 }, { from: 1, to: 64, count: 5, scale: 'log', integer: true }, { from: -1, to: 8, count: 3, scale: 'log' }, { from: 64, to: 8, step: 4 },
    [1, 2, 3], [0], ['a', 'b'], 1e6, 10_000_000, 1e-9, 1000,
  ),
);
const sweepMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: sweepValue }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: fc.constantFrom('extra', 'maxPoints', 'design', 'samples', 'count', 'step', 'also', 'trace', 'costs', '__proto__'), value: sweepValue }),
);

/** Specs that would expand to far too many points: each must be refused before it allocates them. */
const SWEEP_BOMBS: ((s: Record<string, Json>) => void)[] = [
  () => {},
  (s) => (s.axes = ['/array/rows', '/array/cols', '/globalBuffer/kib'].map((path) => ({ path, range: { from: 1, to: 1000, count: 1000, integer: true } }))),
  (s) => (s.design = { method: 'lhs', samples: 10_000_000 }),
  (s) => (s.axes = [{ path: '/array/rows', range: { from: 1, to: 1e6, step: 1e-3 } }]),
  (s) => (s.maxPoints = 10),
];

/**
 * Sweep specs through `sweep` in this thread with a results file: the spec is loaded and expanded
 * (every point derived and validated), then one point, the k-th, runs (a shard of 2^30 that holds
 * only it: no worker pool, no second expansion). The results file must afterwards be absent or
 * complete JSONL.
 */
function sweepCases(): fc.Arbitrary<MakeCase> {
  const base = JSON.parse(readFileSync(join(CONFIG_DIR, 'sweeps', 'eyeriss-array-glb.json'), 'utf8')) as Record<string, Json>;
  delete base.$schema;
  const bomb = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: SWEEP_BOMBS.length - 1 }));
  // Mostly well-formed JSON: the spec's meaning is what this kind is after.
  const damaged = fc.oneof({ weight: 4, arbitrary: fc.constant({ kind: 'none' as const, at: 0 }) }, textDamage);
  const k = fc.oneof(fc.constant(0), fc.nat(50), fc.nat(500));
  return fc.tuple(fc.array(sweepMutation, { minLength: 0, maxLength: 3 }), bomb, damaged, k).map(([ms, b, d, k]) => (dir: string) => {
    const doc = JSON.parse(JSON.stringify(base)) as Record<string, Json>;
    SWEEP_BOMBS[b]!(doc);
    const file = join(dir, 'sweep.json');
    const out = join(dir, 'results.jsonl');
    return {
      files: { 'sweep.json': damage(JSON.stringify(ms.reduce(apply, doc as Json), null, 1), d as Damage) },
      names: ['sweep.json'],
      outputs: ['results.jsonl'],
      run: () => sweep(file, { out, workers: 0, shard: { index: k + 1, count: 2 ** 30 } }),
    };
  });
}

const CASES: Record<FuzzKind, () => fc.Arbitrary<MakeCase>> = {
  arch: () => jsonCases('arch'),
  costs: () => jsonCases('costs'),
  network: () => jsonCases('network'),
  'scalesim-csv': scaleSimCases,
  'timeloop-yaml': timeloopCases,
  npy: npyCases,
  'sweep-spec': sweepCases,
  'output-target': outputTargetCases,
  'tensor-file': tensorFileCases,
  'config-extremes': configExtremeCases,
  'queue-faults': queueFaultCases,
};

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

const preview = (files: Case['files']) =>
  Object.entries(files)
    .map(([name, body]) => `${name}: ${typeof body === 'string' ? body.slice(0, 2000) : Buffer.from(body.subarray(0, 400)).toString('latin1')}`)
    .join('\n');

/**
 * Run `numRuns` mutated inputs of one kind; returns counts and every case that broke the contract.
 * `onCase` hears each case's input before it runs (the watchdog of `fuzzGuarded` names a hang by it).
 */
export async function fuzz(kind: FuzzKind, numRuns: number, seed: number, onCase?: (input: string) => void): Promise<FuzzOutcome> {
  const root = mkdtempSync(join(tmpdir(), `quantsim-fuzz-${kind}-`));
  const out: FuzzOutcome = { cases: 0, ran: 0, userErrors: 0, failures: [], slowestMs: 0 };
  const dir = join(root, 'case');
  try {
    await fc.assert(
      fc.asyncProperty(CASES[kind](), async (make) => {
        rmSync(dir, { recursive: true, force: true });
        const c = make(dir);
        for (const [name, body] of Object.entries(c.files)) {
          mkdirSync(join(dir, name, '..'), { recursive: true });
          writeFileSync(join(dir, name), body);
        }
        c.setup?.();
        const input = preview(c.files);
        const fail = (error: string) => out.failures.push({ kind, input, error });
        onCase?.(input);
        out.cases++;
        const t = performance.now();
        let threw = false;
        try {
          await c.run();
          out.ran++;
        } catch (e) {
          threw = true;
          const oneLine = isUserError(e) && !/[\r\n]/.test(e.message);
          if (oneLine && c.names.some((n) => e.message.includes(n))) out.userErrors++;
          else if (isUserError(e)) fail(`UserError ${oneLine ? 'without the file name' : 'on more than one line'}: ${JSON.stringify(e.message).slice(0, 600)}`);
          else fail(String((e as Error).stack ?? e));
        }
        const ms = performance.now() - t;
        out.slowestMs = Math.max(out.slowestMs, ms);
        if (ms > TIME_LIMIT_MS) fail(`took ${ms.toFixed(0)} ms (limit ${TIME_LIMIT_MS})`);
        const broken = c.check?.(threw);
        if (broken) fail(broken);
        for (const f of listFiles(dir)) {
          if (f in c.files || c.keep?.some((k) => (k.endsWith('/') ? f.startsWith(k) : f === k))) continue;
          if (!c.outputs?.includes(f)) fail(`left a file behind: ${f}`);
          else {
            const text = readFileSync(join(dir, f), 'utf8');
            try {
              if (readResults(join(dir, f)).partialBytes > 0 || (text !== '' && !text.endsWith('\n'))) fail(`${f} ends in a partial line`);
            } catch (e) {
              fail(`${f} is not a complete results file: ${(e as Error).message}`);
            }
          }
        }
      }),
      { seed, numRuns },
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}

/** A case still running after this long is a hang (an infinite loop never reaches the after-the-fact TIME_LIMIT_MS check). */
const HANG_MS = 6 * TIME_LIMIT_MS;

/**
 * `fuzz` over several kinds in a worker thread watched from this one: a case that runs longer than
 * HANG_MS stops the worker and is reported as a failure of its kind (counted as a case); the
 * remaining kinds go on in a new worker.
 */
export async function fuzzGuarded(plan: readonly (readonly [FuzzKind, number])[], seed: number): Promise<Map<FuzzKind, FuzzOutcome>> {
  const results = new Map<FuzzKind, FuzzOutcome>();
  while (results.size < plan.length) {
    const todo = plan.filter(([k]) => !results.has(k));
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), { workerData: { plan: todo, seed } });
      let current: { kind: FuzzKind; input: string; cases: number; since: number } | undefined;
      const watchdog = setInterval(() => {
        if (!current || performance.now() - current.since < HANG_MS) return;
        const { kind, input, cases } = current;
        results.set(kind, { cases, ran: 0, userErrors: 0, failures: [{ kind, input, error: `hung: still running after ${HANG_MS} ms` }], slowestMs: HANG_MS });
        current = undefined;
        void worker.terminate();
      }, 250);
      worker.on('message', (m: { kind: FuzzKind; input?: string; outcome?: FuzzOutcome }) => {
        if (m.outcome) {
          results.set(m.kind, m.outcome);
          current = undefined;
        } else current = { kind: m.kind, input: m.input!, cases: current?.kind === m.kind ? current.cases + 1 : 1, since: performance.now() };
      });
      worker.on('error', reject);
      worker.on('exit', () => {
        clearInterval(watchdog);
        resolve();
      });
    });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 10000);
  const kinds = (process.argv[3]?.split(',') as FuzzKind[] | undefined) ?? FUZZ_KINDS;
  let bad = 0;
  let total = 0;
  const outcomes = await fuzzGuarded(kinds.map((k) => [k, Math.ceil(runs / FUZZ_KINDS.length)] as const), 20261123);
  for (const kind of kinds) {
    const r = outcomes.get(kind)!;
    bad += r.failures.length;
    total += r.cases;
    process.stdout.write(`${JSON.stringify({ fuzz: kind, cases: r.cases, ran: r.ran, userErrors: r.userErrors, failures: r.failures.length, slowestMs: Math.round(r.slowestMs) })}\n`);
    for (const f of r.failures.slice(0, 5)) process.stdout.write(`  ${f.error.split('\n').slice(0, 3).join(' | ')}\n    input: ${JSON.stringify(f.input.slice(0, 300))}\n`);
  }
  process.stdout.write(`${JSON.stringify({ fuzz: 'total', cases: total, failures: bad })}\n`);
  process.exit(bad ? 1 : 0);
}
