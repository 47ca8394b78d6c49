/**
 * DRQ threshold sweep: threshold → (speedup, energy reduction, fraction of values at low
 * precision) per network, against the INT8 Eyeriss-like baseline, with the OLAccel-style point
 * for reference (same mode). Prints a table and writes an SVG plot (vega-lite rendered in Node).
 *
 *   npx tsx scripts/drq-threshold-sweep.ts [--networks alexnet,resnet50] [--thresholds 0,0.1,…]
 *     [--threshold-mode relative|absolute|fraction] [--mode opcount|arch] [--trace DIR] [--seed 1]
 *     [--arch drq] [--out out/drq-threshold-sweep] [--batch-threshold]
 *
 * The threshold is the calibration target of the causal predictor (drq.calibration: relative →
 * `relative`, fraction → `sensitiveFraction`, absolute → `threshold`); --batch-threshold sweeps
 * the batch-wide, non-causal threshold mode instead.
 *
 * Traces: `--trace DIR` (one network) or, by default, the seeded synthetic generator (labelled as
 * such in the output). Speedup and energy are whole-network and conv-layers-only (fc layers run
 * at 8 bits under the default fc policy and are DRAM-bound at batch 1); "on-chip" leaves out
 * DRAM, whose compulsory weight traffic dominates at batch 1 and which DRQ does not shrink.
 * The baseline runs in the same mode (arch: the Eyeriss row-stationary mapping and replay, which
 * DRQ shares, with its PEs waiting for the slowest operand in their lockstep group).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { loadArch, archFromConfig, type Arch, type ArchConfig } from '../sim/arch.ts';
import { loadNetwork, inputCount, type Network } from '../sim/workload.ts';
import { simulate } from '../sim/simulate.ts';
import { variant } from '../sim/config.ts';
import { textTable, energyByPart, type Report } from '../sim/report.ts';
import type { Trace } from '../sim/trace.ts';
import { loadTrace } from '../traces/format.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';
import { die, isUserError } from '../sim/errors.ts';
import type { Mode } from '../sim/scheme.ts';

interface Row {
  network: string;
  scheme: string;
  threshold: number | null;
  sensitiveRegionFraction: number;
  lowPrecisionValueFraction: number;
  highPrecisionMacFraction: number;
  speedup: number;
  energyReduction: number;
  convSpeedup: number;
  convEnergyReduction: number;
  convOnChipEnergyReduction: number;
}

const isConv = (kind: string) => kind === 'conv' || kind === 'depthwise';

function sums(r: Report, convOnly: boolean) {
  const ls = r.layers.filter((l) => !convOnly || isConv(l.kind));
  return {
    cycles: ls.reduce((s, l) => s + l.cycles, 0),
    energyPj: ls.reduce((s, l) => s + l.energyPj, 0),
    onChipPj: ls.reduce((s, l) => s + l.energyPj - (energyByPart(l.breakdown).dram ?? 0), 0),
  };
}

/** Fractions over conv layers, weighted by input values (low-precision values), regions, MACs. */
function fractions(r: Report, network: Network) {
  let values = 0;
  let low = 0;
  let regions = 0;
  let sensitive = 0;
  let totalMacs = 0;
  let high = 0;
  for (const l of r.layers) {
    const d = l.details;
    if (!isConv(l.kind) || !d || d.sensitiveFraction === undefined) continue;
    const v = inputCount(network.layers.find((x) => x.name === l.name)!);
    values += v;
    low += v * (d.lowPrecisionValueFraction as number);
    regions += d.regions as number;
    sensitive += (d.regions as number) * (d.sensitiveFraction as number);
    totalMacs += l.macs;
    high += l.macs * (d.highPrecisionMacFraction as number);
  }
  return { low: values ? low / values : 0, sensitive: regions ? sensitive / regions : 0, highMacs: totalMacs ? high / totalMacs : 0 };
}

const TARGET = { relative: 'relative', fraction: 'sensitiveFraction', absolute: 'threshold' } as const;

/**
 * The arch with threshold t: by default as the calibration target of the causal predictor (the
 * config's calibration inputs, at least 1); with --batch-threshold as the batch-wide (non-causal) mode.
 */
function withThreshold(base: Arch, mode: Args['thresholdMode'], t: number, batch: boolean): Arch {
  const cfg = variant(base.config, (d) => {
    const s = d.drq as Record<string, unknown>;
    const inputs = Math.max(1, (s.calibration as { inputs?: number } | undefined)?.inputs ?? 1);
    delete s.calibration;
    if (batch) {
      s.threshold = t;
      s.thresholdMode = mode;
    } else s.calibration = { inputs, target: { [TARGET[mode]]: t } };
  }) as ArchConfig;
  return archFromConfig(cfg, base.file, base.costsFile);
}

function sweep(network: Network, trace: Trace, a: Args): Row[] {
  const drqBase = loadArch(a.arch);
  const baseline = simulate(loadArch('eyeriss-int8'), network, { mode: a.mode, seed: a.seed });
  const rows: Row[] = [];
  const row = (scheme: string, threshold: number | null, r: Report): Row => {
    const all = sums(r, false);
    const conv = sums(r, true);
    const bAll = sums(baseline, false);
    const bConv = sums(baseline, true);
    const f = fractions(r, network);
    return {
      network: network.name,
      scheme,
      threshold,
      sensitiveRegionFraction: f.sensitive,
      lowPrecisionValueFraction: f.low,
      highPrecisionMacFraction: f.highMacs,
      speedup: bAll.cycles / all.cycles,
      energyReduction: 1 - all.energyPj / bAll.energyPj,
      convSpeedup: bConv.cycles / conv.cycles,
      convEnergyReduction: 1 - conv.energyPj / bConv.energyPj,
      convOnChipEnergyReduction: 1 - conv.onChipPj / bConv.onChipPj,
    };
  };
  for (const t of a.thresholds) {
    rows.push(row('drq', t, simulate(withThreshold(drqBase, a.thresholdMode, t, a.batchThreshold), network, { mode: a.mode, seed: a.seed, trace })));
  }
  rows.push(row('olaccel', null, simulate(loadArch('olaccel'), network, { mode: a.mode, seed: a.seed, trace })));
  return rows;
}

function plotSvg(rows: Row[], title: string): Promise<string> {
  const data = rows
    .filter((r) => r.scheme === 'drq')
    .flatMap((r) => [
      { network: r.network, threshold: r.threshold, metric: 'speedup (×)', value: r.speedup },
      { network: r.network, threshold: r.threshold, metric: 'conv speedup (×)', value: r.convSpeedup },
      { network: r.network, threshold: r.threshold, metric: 'energy reduction', value: r.energyReduction },
      { network: r.network, threshold: r.threshold, metric: 'conv energy reduction', value: r.convEnergyReduction },
      { network: r.network, threshold: r.threshold, metric: 'conv on-chip energy reduction', value: r.convOnChipEnergyReduction },
      { network: r.network, threshold: r.threshold, metric: 'values at low precision', value: r.lowPrecisionValueFraction },
    ]);
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: data },
    facet: { column: { field: 'network', type: 'nominal' } },
    spec: {
      width: 320,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'threshold', type: 'quantitative', title: 'threshold' },
        y: { field: 'value', type: 'quantitative', title: 'value' },
        color: { field: 'metric', type: 'nominal' },
      },
    },
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

interface Args {
  networks: string[];
  thresholds: number[];
  thresholdMode: 'relative' | 'absolute' | 'fraction';
  mode: Mode;
  seed: number;
  arch: string;
  trace?: string;
  out: string;
  batchThreshold: boolean;
}

async function main(): Promise<void> {
  const argv = await yargs(hideBin(process.argv))
    .option('networks', { type: 'string', default: 'alexnet,resnet50' })
    .option('thresholds', { type: 'string', default: '0,0.05,0.1,0.15,0.2,0.3,0.4,0.5,0.6,0.8,1' })
    .option('threshold-mode', { choices: ['relative', 'absolute', 'fraction'] as const, default: 'relative' as const })
    .option('mode', { choices: ['opcount', 'arch'] as const, default: 'opcount' as const })
    .option('seed', { type: 'number', default: 1 })
    .option('arch', { type: 'string', default: 'drq' })
    .option('trace', { type: 'string', describe: 'Trace folder (one network); default: the seeded synthetic generator' })
    .option('out', { type: 'string', default: 'out/drq-threshold-sweep', describe: 'Output stem: writes STEM.svg and STEM.md' })
    .option('batch-threshold', { type: 'boolean', default: false, describe: 'Threshold over the whole trace batch (non-causal) instead of the calibrated predictor' })
    .strict()
    .parseAsync();
  const a: Args = {
    networks: argv.networks.split(',').map((s) => s.trim()).filter(Boolean),
    thresholds: argv.thresholds.split(',').map(Number),
    thresholdMode: argv['threshold-mode'],
    mode: argv.mode,
    seed: argv.seed,
    arch: argv.arch,
    ...(argv.trace ? { trace: argv.trace } : {}),
    out: argv.out,
    batchThreshold: argv['batch-threshold'],
  };
  if (a.thresholds.some((t) => !Number.isFinite(t))) die(`--thresholds: give comma-separated numbers, got "${argv.thresholds}"`);
  if (a.trace && a.networks.length !== 1) die('--trace DIR goes with exactly one --networks entry');
  const rows: Row[] = [];
  const sources: string[] = [];
  for (const name of a.networks) {
    const network = loadNetwork(name);
    const trace = a.trace ? loadTrace(a.trace, network) : generateSyntheticTrace(network, { seed: a.seed, batch: 1 });
    sources.push(`${network.name}: ${trace.source} (${trace.generator}${trace.seed !== undefined ? `, seed ${trace.seed}` : ''})`);
    rows.push(...sweep(network, trace, a));
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const x = (v: number) => `${v.toFixed(2)}×`;
  const table = textTable(
    ['network', 'scheme', 'threshold', 'sens. regions', 'low-prec values', 'high-prec MACs', 'speedup', 'energy red.', 'conv speedup', 'conv energy red.', 'conv on-chip red.'],
    rows.map((r) => [
      r.network,
      r.scheme,
      r.threshold === null ? '—' : String(r.threshold),
      ...(r.scheme === 'drq' ? [pct(r.sensitiveRegionFraction), pct(r.lowPrecisionValueFraction), pct(r.highPrecisionMacFraction)] : ['—', '—', '—']),
      x(r.speedup),
      pct(r.energyReduction),
      x(r.convSpeedup),
      pct(r.convEnergyReduction),
      pct(r.convOnChipEnergyReduction),
    ]),
  );
  const baseline = `eyeriss-int8 (${a.mode})`;
  const how = a.batchThreshold ? `batch-wide ${a.thresholdMode} threshold (non-causal)` : `causal predictor, calibration target ${TARGET[a.thresholdMode]}`;
  const head = `DRQ threshold sweep — arch ${a.arch}, ${how}, mode ${a.mode}, seed ${a.seed}; baseline ${baseline}\ntraces: ${sources.join('; ')}`;
  process.stdout.write(`${head}\n\n${table}\n`);
  mkdirSync(dirname(a.out), { recursive: true });
  writeFileSync(`${a.out}.md`, `${head}\n\n\`\`\`\n${table}\n\`\`\`\n`);
  writeFileSync(`${a.out}.svg`, await plotSvg(rows, `DRQ threshold sweep (${a.thresholdMode} threshold, ${a.mode} mode)`));
  process.stdout.write(`\nwrote ${a.out}.md and ${a.out}.svg\n`);
}

main().catch((e: unknown) => {
  if (isUserError(e)) {
    process.stderr.write(`drq-threshold-sweep: ${(e as Error).message}\n`);
    process.exit(2);
  }
  throw e;
});
