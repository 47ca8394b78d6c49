/** Options and helpers shared by the CLI commands. */
import type { Argv } from 'yargs';
import { loadCostTable, type CostTable } from '../costs.ts';
import { die } from '../errors.ts';
import { MODES, type Mode } from '../scheme.ts';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function withSimOptions<T>(y: Argv<T>) {
  return y
    .option('costs', { type: 'string', describe: 'Cost table JSON to use instead of the one the arch config names (default configs/costs/32nm.json)' })
    .option('trace', { type: 'string', describe: 'Trace folder (manifest.json + .npy tensors) for data-dependent schemes; without it no data distribution is assumed' })
    .option('seed', { type: 'number', default: 1, describe: 'Seed of every random draw (same config + seed = byte-identical output)' })
    .option('mode', { choices: MODES, default: 'arch' as Mode, describe: 'Fidelity: opcount (operation counts × costs), arch (event replay on the component tree), reference (per-cycle stepping, small layers)' })
    .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'Output format: table (human), json (full report), csv (layer × component × op)' })
    .option('out', { type: 'string', describe: 'Write the output to this file (atomically) instead of stdout' });
}

export function costsOption(file: string | undefined): CostTable | undefined {
  return file === undefined ? undefined : loadCostTable(file);
}

export function seedOption(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) die(`--seed must be a non-negative integer, got ${seed}`);
  return seed;
}

export function traceOption(dir: string | undefined): void {
  if (dir !== undefined) die('--trace: trace folders are not supported yet (see the workloads issue); run without --trace', dir);
}
