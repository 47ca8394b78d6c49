/** Options and helpers shared by the CLI commands. Heavy modules are imported when a handler runs, so `--help` loads none. */
import type { Argv } from 'yargs';
import type { CostTable } from '../costs.ts';
import { die } from '../errors.ts';
import { MODES, type Mode } from '../scheme.ts';
import type { Network } from '../workload.ts';
import type { Trace } from '../trace.ts';

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

/** `--wide`: print long text cells whole instead of fitting the table to 120 columns. */
export const wideOption = { type: 'boolean', default: false, describe: 'Print long text (sources, descriptions) whole instead of fitting 120 columns' } as const;
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
export async function traceOption(value: string | undefined, network: Network, seed: number): Promise<Trace | undefined> {
  if (value === undefined) return undefined;
  if (value === '') die('--trace: give a trace folder or "synth"');
  if (value === SYNTH) return (await import('../../traces/synthetic.ts')).generateSyntheticTrace(network, { seed, batch: 1 });
  return (await import('../../traces/format.ts')).loadTrace(value, network);
}
