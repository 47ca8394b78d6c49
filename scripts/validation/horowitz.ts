/** The 45nm table entries (Horowitz, ISSCC 2014) come back exactly when node scaling is off. */
import { loadCostTable } from '../../sim/costs.ts';
import { DEFAULT_COSTS } from '../../sim/arch.ts';
import { compare, type ValidationRow } from './row.ts';

const SOURCE = 'Horowitz, ISSCC 2014 (45nm)';

const ENTRIES: [string, string, Record<string, number | string>, 'energy' | 'area', number][] = [
  ['int_adder', 'add', { bits: 8 }, 'energy', 0.03],
  ['int_adder', 'add', { bits: 32 }, 'energy', 0.1],
  ['int_multiplier', 'multiply', { bits: 8 }, 'energy', 0.2],
  ['int_multiplier', 'multiply', { bits: 32 }, 'energy', 3.1],
  ['fp_adder', 'add', { format: 'fp16' }, 'energy', 0.4],
  ['fp_multiplier', 'multiply', { format: 'fp16' }, 'energy', 1.1],
  ['fp_adder', 'add', { format: 'fp32' }, 'energy', 0.9],
  ['fp_multiplier', 'multiply', { format: 'fp32' }, 'energy', 3.7],
  ['int_adder', '', { bits: 8 }, 'area', 36],
  ['int_adder', '', { bits: 32 }, 'area', 137],
  ['int_multiplier', '', { bits: 8 }, 'area', 282],
  ['int_multiplier', '', { bits: 32 }, 'area', 3495],
  ['fp_adder', '', { format: 'fp16' }, 'area', 1360],
  ['fp_multiplier', '', { format: 'fp16' }, 'area', 1640],
  ['fp_adder', '', { format: 'fp32' }, 'area', 4184],
  ['fp_multiplier', '', { format: 'fp32' }, 'area', 7700],
  ['sram_horowitz', 'read', { bytes: 8192, bits: 64 }, 'energy', 10],
  ['sram_horowitz', 'read', { bytes: 32768, bits: 64 }, 'energy', 20],
  ['sram_horowitz', 'read', { bytes: 1048576, bits: 64 }, 'energy', 100],
];

export function horowitzRows(file = DEFAULT_COSTS): ValidationRow[] {
  const t = loadCostTable(file, { nodeScaling: false });
  return ENTRIES.map(([cls, action, args, kind, published]) => {
    const v = kind === 'energy' ? t.energyPj(cls, action, args) : t.areaUm2(cls, args);
    const label = `${cls}${action ? `.${action}` : ''} ${Object.values(args).join('/')} ${kind === 'energy' ? 'pJ' : 'um²'} (no node scaling)`;
    return compare('costs', label, published, v, { exact: true }, SOURCE);
  });
}
