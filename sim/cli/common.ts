/** Options and helpers shared by the CLI commands. Heavy modules are imported when a handler runs, so `--help` loads none. */
import type { Argv } from 'yargs';
import type { CostTable } from '../costs.ts';
import { die } from '../errors.ts';
import { MODES, type Mode } from '../scheme.ts';
import type { Network } from '../workload.ts';
import type { Trace } from '../trace.ts';
import type { Arch } from '../arch.ts';
import { SCHEME_PARAMETERS } from '../../models/parameters.ts';

/** The `--trace` value that asks for a seeded synthetic trace instead of a folder. */
export const SYNTH = 'synth';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function withSimOptions<T>(y: Argv<T>) {
  return y
    .option('costs', { type: 'string', describe: 'Cost table JSON (or an Accelergy ERT.yaml with its ART, docs/accelergy.md) to use instead of the one the arch config names (default configs/costs/32nm.json)' })
    .option('trace', { type: 'string', describe: 'Trace folder (manifest.json + .npy tensors) for data-dependent schemes, or "synth" for a seeded synthetic one (1 input, labelled synthetic); without it no data distribution is assumed' })
    .option('seed', { type: 'number', default: 1, describe: 'Seed of every random draw (same config + seed = byte-identical output)' })
    .option('mode', { choices: MODES, default: 'arch' as Mode, describe: 'Fidelity: opcount (operation counts × costs), arch (event replay on the component tree), reference (per-cycle stepping, small layers)' })
    .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'Output format: table (human), json (full report), csv (layer × component × op)' })
    .option('out', { type: 'string', describe: 'Write the output to this file (atomically) instead of stdout' })
    .option('batch', { type: 'number', describe: 'Inputs per layer N (default the arch config\'s batch, 1): the mapping may keep several images per pass; with --trace synth the trace holds N inputs, a trace folder gives its first N' });
}

/** `--batch N`: an integer >= 1, or undefined (the arch config's batch). */
export function batchOption(batch: number | undefined): number | undefined {
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1)) die(`--batch must be an integer >= 1, got ${batch}`);
  return batch;
}

/** Every scheme's CLI parameters (`--tau-a`, …), as number options. */
export function withSchemeParameters<T>(y: Argv<T>): Argv<T> {
  let out = y;
  for (const [scheme, params] of Object.entries(SCHEME_PARAMETERS)) for (const p of params) out = out.option(p.flag, { type: 'number', describe: `${p.describe} (scheme ${scheme})` }) as Argv<T>;
  return out;
}

/** The scheme parameters present in parsed arguments (for worker threads that re-apply them). */
export function schemeParameterValues(args: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const params of Object.values(SCHEME_PARAMETERS)) for (const p of params) if (typeof args[p.flag] === 'number') out[p.flag] = args[p.flag] as number;
  return out;
}

/**
 * Apply the scheme parameters given on the command line to an arch whose scheme has them.
 * A value outside its range is a user error; `strict`: a flag the arch's scheme does not take too.
 */
export async function applySchemeParameters(arch: Arch, args: Record<string, unknown>, strict: boolean): Promise<Arch> {
  let config = arch.config;
  for (const [scheme, params] of Object.entries(SCHEME_PARAMETERS)) {
    for (const p of params) {
      const v = args[p.flag];
      if (v === undefined) continue;
      const [lo, hi] = p.exclusiveRange;
      if (typeof v !== 'number' || !(v > lo && v < hi)) die(`--${p.flag} must be a number in (${lo}, ${hi}), got ${String(v)}`);
      if (config.scheme === scheme) config = (await import('../config.ts')).withValueAt(config, p.pointer, v);
      else if (strict) die(`--${p.flag} applies to scheme "${scheme}", not "${config.scheme}"`, arch.file, '/scheme');
    }
  }
  return config === arch.config ? arch : (await import('../arch.ts')).archFromConfig(config, arch.file, arch.costsFile);
}

/** `--wide`: print long text cells whole instead of fitting the table to 120 columns. */
export const wideOption = { type: 'boolean', default: false, describe: 'Print long text (sources, descriptions) and every column in one band instead of fitting 120 columns' } as const;
export const tableWidth = (wide: boolean | undefined) => (wide ? { maxWidth: Infinity } : {});

export async function costsOption(file: string | undefined): Promise<CostTable | undefined> {
  if (file === undefined) return undefined;
  const { loadCostTable } = await import('../costs.ts');
  return loadCostTable(file);
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
export async function traceOption(value: string | undefined, network: Network, seed: number, batch = 1): Promise<Trace | undefined> {
  if (value === undefined) return undefined;
  if (value === '') die('--trace: give a trace folder or "synth"');
  if (value === SYNTH) return (await import('../../traces/synthetic.ts')).generateSyntheticTrace(network, { seed, batch });
  const trace = (await import('../../traces/format.ts')).loadTrace(value, network, batch > 1 ? { batch } : {});
  for (const l of trace.layers.values()) {
    const n = l.activations?.shape[0];
    if (n !== undefined && n < batch) die(`--batch ${batch}: layer "${l.layer}" of the trace holds ${n} input(s)`, trace.dir);
  }
  return trace;
}
