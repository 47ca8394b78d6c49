/**
 * Evaluating sweep points: what a pool worker, a queue worker and the in-process runner share.
 * A point carries everything it needs (the derived arch config, file paths, mode, seed), so it
 * can travel to a worker thread or through Redis; results are small summary lines, not reports.
 */
import { archFromConfig, type ArchConfig } from './arch.ts';
import { loadCostTable, type CostTable } from './costs.ts';
import { isUserError } from './errors.ts';
import { simulate } from './simulate.ts';
import { loadNetwork, type Network } from './workload.ts';
import type { Mode } from './scheme.ts';
import type { Report, Totals } from './report.ts';
import type { Trace } from './trace.ts';
import { loadTrace } from '../traces/format.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';

export type AxisValue = number | string | boolean;

/** One point of a sweep, self-contained (structured-clone and JSON safe). */
export interface SweepPoint {
  /** Stable key: hash of everything that determines the result (see pointKey in sweep.ts). */
  key: string;
  /** Arch config ref as the spec names it. */
  schemeRef: string;
  /** The derived, validated arch config. */
  config: ArchConfig;
  archFile: string;
  costsFile: string;
  /** Class → energy multiplier, from /costs/<class>/energyScale axes. */
  energyScale: Record<string, number>;
  networkFile: string;
  /** "synth" (seeded synthetic trace) or a trace folder; absent: no trace. */
  trace?: string;
  mode: Mode;
  seed: number;
  /** The axis values of this point, by axis label. */
  values: Record<string, AxisValue>;
}

/** One line of a results JSONL file. */
export interface ResultLine {
  key: string;
  arch: string;
  scheme: string;
  network: string;
  mode: Mode;
  seed: number;
  values: Record<string, AxisValue>;
  totals?: Totals;
  energyByPartPj?: Record<string, number>;
  /** The user error that made this point infeasible (the key counts as done). */
  error?: string;
  /** What the numbers rest on: the trace (synthetic or real, generator, seed), the cost table, the quantsim version. */
  provenance?: { trace: Report['trace']; costs: { name: string; sha256: string }; batch: number; quantsim: string };
}

const networks = new Map<string, Network>();
const tables = new Map<string, CostTable>();

function network(file: string): Network {
  let n = networks.get(file);
  if (!n) networks.set(file, (n = loadNetwork(file)));
  return n;
}

const traces = new Map<string, Trace>();

/** The trace of a point, loaded or generated once per network, source and seed. */
export function pointTrace(ref: string, net: Network, seed: number, batch = 1): Trace {
  const k = `${net.file}\u0000${ref}\u0000${ref === 'synth' ? seed : ''}\u0000${batch}`;
  let t = traces.get(k);
  if (!t) traces.set(k, (t = ref === 'synth' ? generateSyntheticTrace(net, { seed, batch }) : loadTrace(ref, net, batch > 1 ? { batch } : {})));
  return t;
}

function costTable(file: string): CostTable {
  let t = tables.get(file);
  if (!t) tables.set(file, (t = loadCostTable(file)));
  return t;
}

/** Simulate one point. A user error (a config the model refuses) becomes an `error` line; a bug throws. */
export function evaluatePoint(p: SweepPoint): ResultLine {
  const net = network(p.networkFile);
  const head = { key: p.key, arch: p.config.name, scheme: p.config.scheme, network: net.name, mode: p.mode, seed: p.seed, values: p.values };
  try {
    const base = costTable(p.costsFile);
    const costs = Object.keys(p.energyScale).length ? base.with({ energyScale: p.energyScale }) : base;
    const trace = p.trace === undefined ? undefined : pointTrace(p.trace, net, p.seed, (p.config.batch as number | undefined) ?? 1);
    const r = simulate(archFromConfig(p.config, p.archFile, p.costsFile), net, { mode: p.mode, seed: p.seed, costs, ...(trace ? { trace } : {}) });
    return { ...head, totals: r.totals, energyByPartPj: r.energyByPartPj, provenance: { trace: r.trace, costs: { name: r.costs.name, sha256: r.costs.sha256 }, batch: r.batch, quantsim: r.quantsim } };
  } catch (e) {
    if (isUserError(e)) return { ...head, error: e.message };
    throw e;
  }
}

/** A batch of points → their result lines, each serialized with its newline (what the file gets). */
export function evaluateBatch(points: readonly SweepPoint[]): string[] {
  return points.map((p) => `${JSON.stringify(evaluatePoint(p))}\n`);
}
