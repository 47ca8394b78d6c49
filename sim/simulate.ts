/**
 * The one entry point the CLI, the sweeps and users' scripts share:
 * simulate(arch, network, options) → Report.
 */
import seedrandom from 'seedrandom';
import { dramTechnology, type Arch } from './arch.ts';
import { estimateEnergyPj } from './estimate-share.ts';
import { checkedReport } from './finite.ts';
import { loadCostTable, type CostTable } from './costs.ts';
import { Ledger, addBreakdown, breakdownEnergyPj, type Breakdown } from './ledger.ts';
import { Scheduler } from './scheduler.ts';
import { die, isUserError } from './errors.ts';
import { displayPath, QUANTSIM_VERSION } from './paths.ts';
import { hardwareSummary } from './hardware.ts';
import { macs, type Network } from './workload.ts';
import type { EnergyPerAccess, Mode } from './scheme.ts';
import type { Trace } from './trace.ts';
import { energyByPart, leakagePj, type LayerResult, type Report } from './report.ts';
import { SCHEMES } from '../models/registry.ts';

export interface SimulateOptions {
  mode?: Mode;
  seed?: number;
  /** A cost table to use instead of the one the arch config names. */
  costs?: CostTable;
  /** Tensors for data-dependent schemes (real or explicitly synthetic, labelled in the report). */
  trace?: Trace;
  /** Only these layers (by name). */
  layers?: readonly string[];
  /** Inputs per layer (N), default the arch config's `batch`, else 1. */
  batch?: number;
}

/** The network with every layer's N multiplied by `batch` (batch 1: the network itself). */
export function batched(network: Network, batch: number): Network {
  if (batch === 1) return network;
  return Object.freeze({ ...network, layers: Object.freeze(network.layers.map((l) => Object.freeze({ ...l, N: l.N * batch }))) });
}

function withRatios(e: EnergyPerAccess): NonNullable<Report['energyPerAccess']> {
  const mac = e.pj.mac;
  if (!(mac! > 0)) throw new Error('energyPerAccess: "mac" must be > 0');
  const relativeToMac: Record<string, number> = {};
  for (const [k, v] of Object.entries(e.pj)) relativeToMac[k] = v / mac!;
  return { unit: e.unit, pj: e.pj, relativeToMac };
}

export function simulate(arch: Arch, unbatched: Network, options: SimulateOptions = {}): Report {
  try {
    return simulateArch(arch, unbatched, options);
  } catch (e) {
    // A model's refusal that names no file is about this config (docs/hardening.md): name it.
    if (isUserError(e) && e.file === undefined) die(e.message, arch.file);
    throw e;
  }
}

function simulateArch(arch: Arch, unbatched: Network, options: SimulateOptions): Report {
  const mode = options.mode ?? 'arch';
  const batch = options.batch ?? (arch.config.batch as number | undefined) ?? 1;
  if (!(Number.isInteger(batch) && batch >= 1)) die(`batch must be an integer >= 1, got ${batch}`, arch.file, '/batch');
  const network = batched(unbatched, batch);
  const seed = options.seed ?? 1;
  const cfg = arch.config;
  const scheme = SCHEMES[cfg.scheme];
  if (!scheme) die(`unknown scheme "${cfg.scheme}" (known: ${Object.keys(SCHEMES).sort().join(', ')})`, arch.file, '/scheme');
  if (!scheme.modes.includes(mode)) {
    die(`scheme "${cfg.scheme}" supports modes ${scheme.modes.join(', ')}, not "${mode}"`, arch.file, '/scheme');
  }
  const trace = options.trace;
  if (scheme.needsTrace && !trace) {
    die(`scheme "${cfg.scheme}" depends on tensor values: give a trace (--trace DIR, or --trace synth for a seeded synthetic one)`, arch.file, '/scheme');
  }
  if (trace && trace.network !== network.name) {
    die(`trace is for network "${trace.network}", not "${network.name}"`, trace.dir);
  }
  const costs = options.costs ?? loadCostTable(arch.costsFile);
  const ledger = new Ledger();
  const scheduler = new Scheduler();
  const rng = seedrandom(`quantsim:${seed}`);
  const ctx = { costs, ledger, scheduler, clockMHz: cfg.clockMHz, rng, archFile: arch.file };
  const acc = scheme.build(ctx, cfg);
  acc.prepare?.(network, trace);

  const wanted = options.layers ? new Set(options.layers) : undefined;
  if (wanted) for (const n of wanted) if (!network.layers.some((l) => l.name === n)) die(`no layer "${n}" in network ${network.name}`);
  const layers: LayerResult[] = [];
  const total: Breakdown = {};
  let cycles = 0;
  let totalMacs = 0;
  for (const layer of network.layers) {
    if (wanted && !wanted.has(layer.name)) continue;
    ledger.reset();
    scheduler.reset();
    const run = acc.runLayer(layer, mode, trace?.layers.get(layer.name));
    acc.root.chargeLeakage(run.cycles);
    const breakdown = ledger.snapshot();
    addBreakdown(total, breakdown);
    const n = macs(layer);
    cycles += run.cycles;
    totalMacs += n;
    layers.push({
      name: layer.name,
      kind: layer.kind,
      cycles: run.cycles,
      macs: n,
      utilization: run.utilization,
      energyPj: breakdownEnergyPj(breakdown),
      ...(run.stalls ? { stalls: run.stalls } : {}),
      ...(run.details ? { details: run.details } : {}),
      breakdown,
    });
  }
  const energyPj = layers.reduce((s, l) => s + l.energyPj, 0);
  const leakageEnergyPj = leakagePj(total);
  return checkedReport(`${arch.file} (costs ${displayPath(costs.file)})`, {
    arch: cfg.name,
    scheme: cfg.scheme,
    archFile: arch.file,
    network: network.name,
    mode,
    seed,
    clockMHz: cfg.clockMHz,
    costs: { file: displayPath(costs.file), sha256: costs.sha256, name: costs.name },
    dramTechnology: dramTechnology(cfg),
    estimateShare: energyPj > 0 ? estimateEnergyPj(scheme, cfg, ctx, acc.root, total) / energyPj : 0,
    trace: trace ? { source: trace.source, generator: trace.generator, ...(trace.seed !== undefined ? { seed: trace.seed } : {}), ...(trace.dir ? { dir: displayPath(trace.dir) } : {}) } : { source: 'none' },
    quantsim: QUANTSIM_VERSION,
    hardware: hardwareSummary(acc.root, cfg, batch),
    batch,
    perInput: { cycles: cycles / batch, timeUs: cycles / cfg.clockMHz / batch, energyPj: energyPj / batch },
    totals: {
      cycles,
      timeUs: cycles / cfg.clockMHz,
      energyPj,
      dynamicEnergyPj: energyPj - leakageEnergyPj,
      leakageEnergyPj,
      areaUm2: acc.root.areaUm2(),
      macs: totalMacs,
      utilization: cycles > 0 ? totalMacs / (cycles * acc.peakMacsPerCycle) : 0,
    },
    energyByPartPj: energyByPart(total),
    ...(acc.energyPerAccess ? { energyPerAccess: withRatios(acc.energyPerAccess()) } : {}),
    area: acc.root.areaBreakdown(),
    ...(acc.summary ? { summary: acc.summary() } : {}),
    layers,
  });
}
