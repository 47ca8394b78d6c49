/** Options and helpers shared by the CLI commands. */
import type { Argv } from 'yargs';
import { loadCostTable, type CostTable } from '../costs.ts';
import { die } from '../errors.ts';
import { MODES, type Mode } from '../scheme.ts';
import type { Network } from '../workload.ts';
import type { Trace } from '../trace.ts';
import type { Arch } from '../arch.ts';
import { archFromConfig } from '../arch.ts';
import { withValueAt } from '../config.ts';
import { SCHEMES } from '../../models/registry.ts';
import { loadTrace } from '../../traces/format.ts';
import { generateSyntheticTrace } from '../../traces/synthetic.ts';

/** The `--trace` value that asks for a seeded synthetic trace instead of a folder. */
export const SYNTH = 'synth';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function withSimOptions<T>(y: Argv<T>) {
  return y
    .option('costs', { type: 'string', describe: 'Cost table JSON to use instead of the one the arch config names (default configs/costs/32nm.json)' })
    .option('trace', { type: 'string', describe: 'Trace folder (manifest.json + .npy tensors) for data-dependent schemes, or "synth" for a seeded synthetic one (1 input, labelled synthetic); without it no data distribution is assumed' })
    .option('seed', { type: 'number', default: 1, describe: 'Seed of every random draw (same config + seed = byte-identical output)' })
    .option('mode', { choices: MODES, default: 'arch' as Mode, describe: 'Fidelity: opcount (operation counts × costs), arch (event replay on the component tree), reference (per-cycle stepping, small layers)' })
    .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'Output format: table (human), json (full report), csv (layer × component × op)' })
    .option('out', { type: 'string', describe: 'Write the output to this file (atomically) instead of stdout' });
}

/** Every scheme's CLI parameters (`--tau-a`, …), as number options. */
export function withSchemeParameters<T>(y: Argv<T>): Argv<T> {
  let out = y;
  for (const s of Object.values(SCHEMES)) for (const p of s.parameters ?? []) out = out.option(p.flag, { type: 'number', describe: `${p.describe} (scheme ${s.name})` }) as Argv<T>;
  return out;
}

/**
 * Apply the scheme parameters given on the command line to an arch whose scheme has them.
 * A value outside its range is a user error; `strict`: a flag the arch's scheme does not take too.
 */
export function applySchemeParameters(arch: Arch, args: Record<string, unknown>, strict: boolean): Arch {
  let config = arch.config;
  for (const s of Object.values(SCHEMES)) {
    for (const p of s.parameters ?? []) {
      const v = args[p.flag];
      if (v === undefined) continue;
      const [lo, hi] = p.exclusiveRange;
      if (typeof v !== 'number' || !(v > lo && v < hi)) die(`--${p.flag} must be a number in (${lo}, ${hi}), got ${String(v)}`);
      if (config.scheme === s.name) config = withValueAt(config, p.pointer, v);
      else if (strict) die(`--${p.flag} applies to scheme "${s.name}", not "${config.scheme}"`, arch.file, '/scheme');
    }
  }
  return config === arch.config ? arch : archFromConfig(config, arch.file, arch.costsFile);
}

export function costsOption(file: string | undefined): CostTable | undefined {
  return file === undefined ? undefined : loadCostTable(file);
}

export function seedOption(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) die(`--seed must be a non-negative integer, got ${seed}`);
  return seed;
}

/**
 * `--trace DIR`: a trace folder, loaded and checked against the network. `--trace synth`: a seeded
 * synthetic trace generated in memory for the network (one input; labelled synthetic in the
 * report). A folder literally named "synth" is given as ./synth.
 */
export function traceOption(value: string | undefined, network: Network, seed: number): Trace | undefined {
  if (value === undefined) return undefined;
  if (value === '') die('--trace: give a trace folder or "synth"');
  if (value === SYNTH) return generateSyntheticTrace(network, { seed, batch: 1 });
  return loadTrace(value, network);
}
