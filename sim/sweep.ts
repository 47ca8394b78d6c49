/**
 * Sweeps and design-space exploration. A spec (configs/schema/sweep.schema.json) names arch
 * configs, networks and axes; a design (grid, seeded random, Latin hypercube) turns the axes into
 * points; each point is an immer variant of a validated arch config with a stable key (hash of
 * everything that determines its result). Points run on a worker pool, a deterministic shard, or a
 * Redis queue (sim/queue.ts); results are appended to a JSONL file and a rerun skips finished keys.
 *
 * Axis paths are JSON pointers into the arch config (/array/rows, /globalBuffer/kib); a path under
 * /costs/ addresses the cost table instead: /costs/<class>/energyScale multiplies every energy of
 * that cost class (CostTable.with({ energyScale })).
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { loadArch } from './arch.ts';
import { loadCostTable } from './costs.ts';
import { die, isUserError } from './errors.ts';
import { displayPath, readJsonFile, resolveConfigRef, validateAgainst, withValuesAt } from './config.ts';
import { loadNetwork } from './workload.ts';
import { SCHEMES } from '../models/registry.ts';
import type { Mode } from './scheme.ts';
import type { AxisValue, ResultLine, SweepPoint } from './sweep-eval.ts';
import { batchRunner, batches } from './sweep-batches.ts';
import { shardPoints } from './sweep-shard.ts';
import { orderResults, readResults, ResultsWriter } from './jsonl.ts';
import { checkInertAxes } from './sweep-sanity.ts';
import { progress as progressBar } from './progress.ts';

export type { AxisValue, ResultLine, SweepPoint } from './sweep-eval.ts';
export { batchRunner, batches, type BatchRunner } from './sweep-batches.ts';
export { parseShard, shardPoints } from './sweep-shard.ts';

export interface AxisRange {
  from: number;
  to: number;
  step?: number;
  count?: number;
  scale?: 'linear' | 'log';
  integer?: boolean;
}

export interface Axis {
  /** JSON pointer into the arch config, or /costs/<class>/energyScale. */
  path: string;
  /** Label in results, tables and plots (default: the path). */
  name?: string;
  /** More paths set to the same value. */
  also?: string[];
  values?: AxisValue[];
  range?: AxisRange;
}

export interface SweepSpec {
  name?: string;
  description?: string;
  /** Arch configs (names under configs/arch/ or paths). */
  schemes: string[];
  /** Networks (names under configs/networks/ or paths). */
  networks: string[];
  mode?: Mode;
  seed?: number;
  /** Inputs per layer N of every point (the designs' /batch); a /batch axis overrides it. */
  batch?: number;
  /** Cost table replacing the one each arch config names. */
  costs?: string;
  /** "synth" or a trace folder, for data-dependent schemes. */
  trace?: string;
  design?: { method: 'grid' | 'random' | 'lhs'; samples?: number };
  axes: Axis[];
  /** Most points the spec may expand to (default DEFAULT_MAX_POINTS). */
  maxPoints?: number;
}

/**
 * Most points a spec may expand to unless it sets "maxPoints". Every point is a derived,
 * validated config held in memory before anything runs (≈ 25,000 points/s to expand), so a slip
 * (a step of 0.001, one axis too many) is refused before it allocates instead of hanging; at
 * 100,000 an op-count sweep of AlexNet still runs in about a minute on two cores.
 */
export const DEFAULT_MAX_POINTS = 100_000;

const COST_AXIS = /^\/costs\/([^/]+)\/energyScale$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

import { canonicalJson, pointKey } from './point-key.ts';

export { canonicalJson, pointKey };

/** Load and validate a spec file; relative paths in it are taken relative to the file. */
export function loadSweepSpec(file: string): { spec: SweepSpec; baseDir: string; file: string } {
  const spec = readJsonFile(file);
  validateAgainst('sweep', spec, displayPath(file));
  return { spec: spec as SweepSpec, baseDir: dirname(resolve(file)), file: displayPath(file) };
}

const round12 = (x: number) => Number(x.toPrecision(12));

/** The values of an axis on a grid. */
export function gridValues(axis: Axis, file = '<spec>', where = ''): AxisValue[] {
  if (axis.values) return axis.values;
  const r = axis.range!;
  const log = r.scale === 'log';
  if (log && (r.from <= 0 || r.to <= 0)) die('a log-scale range needs from and to > 0', file, `${where}/range`);
  let out: number[];
  if (r.count !== undefined) {
    const n = r.count;
    out = Array.from({ length: n }, (_, i) => {
      const t = n === 1 ? 0 : i / (n - 1);
      return log ? Math.exp(Math.log(r.from) + t * (Math.log(r.to) - Math.log(r.from))) : r.from + t * (r.to - r.from);
    });
  } else if (r.step !== undefined) {
    if (log) die('a log-scale grid takes count, not step', file, `${where}/range`);
    const n = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
    if (n < 1) die('range is empty (to < from)', file, `${where}/range`);
    if (n > 1_000_000) die(`range has ${n} values (more than 1,000,000)`, file, `${where}/range`);
    out = Array.from({ length: n }, (_, i) => r.from + i * r.step!);
  } else {
    return die('a grid over a range needs "count" or "step"', file, `${where}/range`);
  }
  out = out.map((x) => (r.integer ? Math.round(x) : round12(x)));
  return [...new Set(out)];
}

/** Map u in [0, 1) to a value of the axis (random and Latin-hypercube designs). */
export function sampleValue(axis: Axis, u: number, file = '<spec>', where = ''): AxisValue {
  if (axis.values) return axis.values[Math.min(axis.values.length - 1, Math.floor(u * axis.values.length))]!;
  const r = axis.range!;
  let x: number;
  if (r.scale === 'log') {
    if (r.from <= 0 || r.to <= 0) die('a log-scale range needs from and to > 0', file, `${where}/range`);
    x = Math.exp(Math.log(r.from) + u * (Math.log(r.to) - Math.log(r.from)));
  } else x = r.from + u * (r.to - r.from);
  if (r.step !== undefined) x = r.from + Math.round((x - r.from) / r.step) * r.step;
  if (r.integer) x = Math.round(x);
  const lo = Math.min(r.from, r.to);
  const hi = Math.max(r.from, r.to);
  return round12(Math.min(hi, Math.max(lo, x)));
}

/** The assignments (one value per axis) of the spec's design, in a deterministic order. */
export function designAssignments(spec: SweepSpec, file = '<spec>'): AxisValue[][] {
  const axes = spec.axes;
  const method = spec.design?.method ?? 'grid';
  // Checked before any point exists: assignments × schemes × networks against maxPoints.
  const maxPoints = spec.maxPoints ?? DEFAULT_MAX_POINTS;
  const copies = spec.schemes.length * spec.networks.length;
  const refuseOver = (assignments: number, what: string, at: string) => {
    const points = assignments * copies;
    if (points > maxPoints) {
      die(`${what} × ${copies} scheme-network pair(s) = ${points.toLocaleString('en-US')} points, more than maxPoints ${maxPoints.toLocaleString('en-US')}; narrow the design or raise "maxPoints" in the spec`, file, at);
    }
  };
  if (method === 'grid') {
    if (spec.design?.samples !== undefined) die('"samples" is for random and lhs designs', file, '/design/samples');
    const values = axes.map((a, i) => gridValues(a, file, `/axes/${i}`));
    refuseOver(values.reduce((n, vs) => n * vs.length, 1), `a grid of ${values.map((vs) => vs.length).join(' × ') || 1} values`, '/axes');
    let out: AxisValue[][] = [[]];
    for (const vs of values) out = out.flatMap((prefix) => vs.map((v) => [...prefix, v]));
    return out;
  }
  const n = spec.design?.samples ?? die(`a ${method} design needs "samples"`, file, '/design');
  refuseOver(n, `${n.toLocaleString('en-US')} samples`, '/design/samples');
  const rng = seedrandom(`quantsim-sweep:${spec.seed ?? 1}`);
  if (method === 'random') {
    return Array.from({ length: n }, () => axes.map((a, i) => sampleValue(a, rng(), file, `/axes/${i}`)));
  }
  // Latin hypercube (McKay et al., 1979): each axis is cut into n strata, each stratum used once.
  const strata = axes.map(() => {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    return perm;
  });
  return Array.from({ length: n }, (_, s) => axes.map((a, i) => sampleValue(a, (strata[i]![s]! + rng()) / n, file, `/axes/${i}`)));
}

export interface ExpandedSweep {
  /** Unique points in a deterministic order. */
  points: SweepPoint[];
  /** Points dropped because another point had the same key (e.g. integer rounding of samples). */
  duplicates: number;
}

/** Load what a spec entry names; a user error in it is reported at the entry too (spec file, JSON path). */
function atEntry<T>(file: string, at: string, load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (!isUserError(e)) throw e;
    return die(e.message, file, at);
  }
}

/** Expand a spec into its points: validated variants with stable keys. */
export function expandSweep(spec: SweepSpec, baseDir = process.cwd(), file = '<spec>'): ExpandedSweep {
  const ref = (r: string, kind: 'arch' | 'networks') => resolve(baseDir, resolveConfigRef(r, kind));
  const mode: Mode = spec.mode ?? 'arch';
  const seed = spec.seed ?? 1;
  spec.axes.forEach((a, i) => {
    if ((a.values === undefined) === (a.range === undefined)) die('give exactly one of "values" and "range"', file, `/axes/${i}`);
  });
  const labels = spec.axes.map((a) => a.name ?? a.path);
  if (new Set(labels).size !== labels.length) die('two axes have the same name (give "name" to tell them apart)', file, '/axes');
  const costsOverride = spec.costs === undefined ? undefined : resolve(baseDir, spec.costs);
  const assignments = designAssignments(spec, file);
  // A synthetic trace is determined by network and seed (both hashed); a folder by its manifest.
  const trace = spec.trace === undefined || spec.trace === 'synth' ? spec.trace : resolve(baseDir, spec.trace);
  if (trace && trace !== 'synth') {
    if (!existsSync(join(trace, 'manifest.json'))) die(`no trace folder (manifest.json) at ${displayPath(trace)}`, file, '/trace');
    if (spec.networks.length > 1) die('a trace folder holds one network: sweep one network, or use "synth"', file, '/trace');
  }
  const traceHash = trace === undefined ? undefined : trace === 'synth' ? 'synth' : sha256(readFileSync(join(trace, 'manifest.json'), 'utf8'));
  const networks = spec.networks.map((n, ni) => {
    const { f, net } = atEntry(file, `/networks/${ni}`, () => {
      const f = ref(n, 'networks');
      return { f, net: loadNetwork(f) };
    });
    return { file: f, hash: sha256(canonicalJson({ name: net.name, layers: net.layers })) };
  });
  const points: SweepPoint[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  spec.schemes.forEach((s, si) => {
    const arch = atEntry(file, `/schemes/${si}`, () => loadArch(ref(s, 'arch')));
    const scheme = SCHEMES[arch.config.scheme];
    if (scheme && !scheme.modes.includes(mode)) {
      die(`scheme "${arch.config.scheme}" of ${s} supports modes ${scheme.modes.join(', ')}, not "${mode}"`, file, `/schemes/${si}`);
    }
    if (scheme?.needsTrace && !trace) die(`scheme "${arch.config.scheme}" of ${s} depends on tensor values: give "trace" ("synth" or a trace folder)`, file, `/schemes/${si}`);
    const costsFile = costsOverride ?? arch.costsFile;
    const table = atEntry(file, costsOverride ? '/costs' : `/schemes/${si}`, () => loadCostTable(costsFile));
    for (const values of assignments) {
      const energyScale: Record<string, number> = {};
      const sets: [string, AxisValue][] = [];
      spec.axes.forEach((a, i) => {
        const v = values[i]!;
        for (const path of [a.path, ...(a.also ?? [])]) {
          const cost = COST_AXIS.exec(path);
          if (cost) {
            if (typeof v !== 'number' || !(v >= 0 && v <= 1e6)) die(`a cost scale must be a number in 0..1e6, got ${JSON.stringify(v)}`, file, `/axes/${i}`);
            if (!table.has(cost[1]!)) die(`no cost class "${cost[1]}" in ${displayPath(costsFile)}`, file, `/axes/${i}/path`);
            energyScale[cost[1]!] = v;
          } else if (path.startsWith('/costs/')) die('a cost axis path is /costs/<class>/energyScale', file, `/axes/${i}/path`);
          else sets.push([path, v]);
        }
      });
      const config = withValuesAt(arch.config, spec.batch !== undefined ? [['/batch', spec.batch], ...sets] : sets);
      try {
        validateAgainst('arch', config, arch.file);
      } catch (e) {
        if (!isUserError(e)) throw e;
        const at = Object.fromEntries(labels.map((l, i) => [l, values[i]]));
        die(`point ${JSON.stringify(at)} makes an invalid config: ${e.message}`, file, '/axes');
      }
      const pointValues = Object.fromEntries(labels.map((l, i) => [l, values[i]!]));
      for (const net of networks) {
        const key = pointKey({ config, networkHash: net.hash, costsHash: table.sha256, traceHash, energyScale, mode, seed });
        if (seen.has(key)) {
          duplicates++;
          continue;
        }
        seen.add(key);
        points.push({ key, schemeRef: s, config, archFile: arch.file, costsFile, energyScale, networkFile: net.file, ...(trace ? { trace } : {}), mode, seed, values: pointValues });
      }
    }
  });
  return { points, duplicates };
}

export interface SweepOptions {
  /** Results file (JSONL): appended to; points already in it are skipped (resume). */
  out?: string;
  /** Worker threads (default: all cores); 0 runs in this thread. */
  workers?: number;
  /** Run only this slice of the points (1-based index). */
  shard?: { index: number; count: number };
  /** Points per task sent to a worker (default: adaptive, 1..32); the CLI's `--points-per-task`. */
  batchSize?: number;
  /** Inputs per layer N of every point, over the spec's `batch` (a /batch axis overrides both); the CLI's `--batch`. */
  batch?: number;
  /** Show progress on stderr (a bar on a TTY, periodic lines otherwise). */
  progress?: boolean;
  /** Abort: stop handing out points, finish and write those under way, then return. */
  signal?: AbortSignal;
  /** Run on a BullMQ queue (redis://…) served by `quantsim worker` processes instead of local threads. */
  queue?: { url: string; name?: string };
  /** Base folder for relative paths in an in-memory spec (default: the working directory). */
  baseDir?: string;
  /** Spec file name for error messages. */
  file?: string;
  /** Run even when an axis changes nothing for a design (sim/sweep-sanity.ts); default false. */
  allowInertAxes?: boolean;
}

export interface SweepSummary {
  /** All result lines of this sweep (or shard): those found in `out` and those computed now. */
  results: ResultLine[];
  /** Points in this sweep (or shard). */
  points: number;
  /** Points found already done in `out`. */
  resumed: number;
  computed: number;
  /** Points whose config the model refused (lines with `error`). */
  errors: number;
  duplicates: number;
  interrupted: boolean;
}

/** Run a sweep (or one shard of it); resumes from `options.out` when it exists. */
export async function sweep(spec: SweepSpec | string, options: SweepOptions = {}): Promise<SweepSummary> {
  const given = typeof spec === 'string' ? loadSweepSpec(spec) : { spec, baseDir: options.baseDir ?? process.cwd(), file: options.file ?? '<spec>' };
  if (typeof spec !== 'string') validateAgainst('sweep', spec, given.file);
  const loaded = options.batch === undefined ? given : { ...given, spec: { ...given.spec, batch: options.batch } };
  const { points: all, duplicates } = expandSweep(loaded.spec, loaded.baseDir, loaded.file);
  const points = options.shard ? shardPoints(all, options.shard) : all;
  if (!options.allowInertAxes) checkInertAxes(loaded.spec.axes, all, loaded.file);
  const wanted = new Set(points.map((p) => p.key));
  // Lines of this sweep already in the file, once per key (a hand-concatenated file may repeat some).
  const previous = [...new Map((options.out ? readResults(options.out).lines : []).filter((l) => wanted.has(l.key)).map((l) => [l.key, l])).values()];
  const done = new Set(previous.map((l) => l.key));
  const todo = points.filter((p) => !done.has(p.key));
  const results: ResultLine[] = [...previous];
  const writer = options.out && todo.length ? new ResultsWriter(options.out) : undefined;
  const workers = Math.max(0, Math.min(options.workers ?? availableParallelism(), Math.ceil(todo.length / 4)));
  const size = options.batchSize ?? Math.max(1, Math.min(32, Math.ceil(todo.length / (Math.max(workers, 1) * 16))));
  const bar = options.progress && todo.length ? progressBar(todo.length, loaded.spec.name ?? 'sweep') : undefined;
  let computed = 0;
  const take = (lines: readonly ResultLine[]) => {
    for (const r of lines) {
      if (done.has(r.key)) continue;
      done.add(r.key);
      results.push(r);
      computed++;
    }
    bar?.update(computed);
  };
  try {
    if (options.queue && todo.length) {
      // Loaded only here: a local sweep does not pay for BullMQ.
      const { runOnQueue } = await import('./queue.ts');
      await runOnQueue(todo, { ...options.queue, ...(options.batchSize ? { batchSize: options.batchSize } : {}), writer, signal: options.signal, onLines: take });
    } else if (todo.length) {
      const runner = batchRunner(workers);
      try {
        const queue = batches(todo, size);
        const lane = async () => {
          for (let b = queue.shift(); b !== undefined && !options.signal?.aborted; b = queue.shift()) {
            const lines = await runner.run(b);
            writer?.append(lines);
            take(lines.map((l) => JSON.parse(l) as ResultLine));
            // In this thread the batch ran synchronously: yield so signals (SIGINT) get handled.
            if (workers === 0) await new Promise((r) => setImmediate(r));
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, workers) * 2 }, lane));
      } finally {
        await runner.close();
      }
    }
  } finally {
    bar?.stop();
    writer?.close();
  }
  const interrupted = results.length < points.length;
  if (options.out && computed > 0 && !interrupted) orderResults(options.out, points.map((p) => p.key));
  return {
    results,
    points: points.length,
    resumed: previous.length,
    computed,
    errors: results.filter((r) => r.error !== undefined).length,
    duplicates,
    interrupted,
  };
}

export interface MergeReport {
  lines: ResultLine[];
  /** Keys that appear more than once with identical content (kept once). */
  duplicates: string[];
  /** Keys with different content in different lines (an error). */
  conflicts: string[];
  /** Keys of the spec that no file has. */
  missing: string[];
  /** Keys in the files that the spec does not produce. */
  unexpected: string[];
}

/** Join the shards' results: one line per key, in the spec's order when a spec is given. */
export function mergeResults(files: readonly string[], points?: readonly SweepPoint[]): MergeReport {
  const byKey = new Map<string, { line: ResultLine; text: string }>();
  const duplicates: string[] = [];
  const conflicts: string[] = [];
  for (const f of files) {
    for (const line of readResults(f, { strict: true }).lines) {
      const text = canonicalJson(line);
      const had = byKey.get(line.key);
      if (!had) byKey.set(line.key, { line, text });
      else if (had.text === text) duplicates.push(line.key);
      else conflicts.push(line.key);
    }
  }
  const order = points?.map((p) => p.key) ?? [...byKey.keys()].sort();
  const expected = new Set(order);
  const missing = points ? order.filter((k) => !byKey.has(k)) : [];
  const unexpected = points ? [...byKey.keys()].filter((k) => !expected.has(k)) : [];
  const lines = [...order.filter((k) => byKey.has(k)), ...unexpected].map((k) => byKey.get(k)!.line);
  return { lines, duplicates, conflicts, missing, unexpected };
}
