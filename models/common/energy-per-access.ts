/**
 * Energy of one access at each level of a memory hierarchy and of one MAC, as the ledger charges
 * them, for the report's per-level ratios (Eyeriss ISCA 2016: DRAM ≫ buffer > NoC > RF ≈ MAC).
 * Both arrays report through this: the levels differ (GLB and NoC, or the operand SRAMs), the
 * unit — one word of the activation width — and the MAC reference do not.
 */
import type { EnergyPerAccess } from '../../sim/scheme.ts';
import type { MacDatapath } from './datapath.ts';
import type { Dram } from './dram.ts';

export function wordEnergyPerAccess(bits: number, dram: Dram, onChip: Record<string, number>, datapath: MacDatapath): EnergyPerAccess {
  return { unit: `one ${bits}-bit word`, pj: { dram: dram.readBitEnergyPj * bits, ...onChip, mac: datapath.macEnergyPj ?? Number.NaN } };
}
