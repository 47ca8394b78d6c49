/**
 * The memory entries against their published anchors: CACTI's SRAM points (the `sram` class) beside
 * Horowitz's 8 KB / 32 KB / 1 MB cache reads (ISSCC 2014, scaled to 32nm by the table's 45nm rule),
 * and each DRAM technology's energy per bit beside the figure its source prints.
 */
import { loadCostTable } from '../../sim/costs.ts';
import { DEFAULT_COSTS } from '../../sim/arch.ts';
import { compare, type ValidationRow } from './row.ts';

const HOROWITZ = 'Horowitz, ISSCC 2014 (45nm, 64-bit cache read)';
const WHY =
  "Horowitz's figures are reads of caches (tag and data arrays, set-associative, high-performance devices); the table's CACTI points are direct-mapped scratchpads ('ram', no tags) of ITRS low-operating-power devices with CACTI's objective set to dynamic energy";

export function memoryRows(file = DEFAULT_COSTS): ValidationRow[] {
  const t = loadCostTable(file);
  const rows: ValidationRow[] = [];
  const sizes: [number, string][] = [[8192, '8 KB'], [32768, '32 KB'], [1048576, '1 MB']];
  const cacti = (bytes: number) => t.energyPj('sram', 'read', { bytes, bits: 64 });
  const horowitz = (bytes: number) => t.energyPj('sram_horowitz', 'read', { bytes, bits: 64 });
  for (const [bytes, name] of sizes) {
    rows.push(compare('memories', `CACTI ${name} 64-bit read pJ (32nm) vs Horowitz ×45→32nm`, horowitz(bytes), cacti(bytes), { factor: 3 }, HOROWITZ, WHY));
  }
  // The same CACTI run as a cache like Horowitz's: what is left of the gap is the organisation.
  for (const [bytes, name] of sizes) {
    rows.push(compare('memories', `CACTI as a cache (8-way, 64 B lines, itrs-hp) ${name} read pJ vs Horowitz ×45→32nm`, horowitz(bytes), t.energyPj('sram_cacti_cache', 'read', { bytes, bits: 64 }), { factor: 3 }, HOROWITZ,
      'the scratchpad rows above differ from this one only in the organisation CACTI is asked for'));
  }
  // The growth with capacity is the part of Horowitz's curve the accelerator's sizes rely on.
  for (let i = 1; i < sizes.length; i++) {
    const [b0, n0] = sizes[i - 1]!;
    const [b1, n1] = sizes[i]!;
    rows.push(compare('memories', `read energy ${n1} / ${n0} (CACTI vs Horowitz)`, horowitz(b1) / horowitz(b0), cacti(b1) / cacti(b0), { factor: 1.5 }, HOROWITZ,
      'both grow close to sqrt(capacity): bit-line and H-tree length'));
  }
  const dram: [string, number, string][] = [
    ['dram_ddr3', 1300 / 64, 'Horowitz, ISSCC 2014 (1.3 nJ per 64-bit DRAM read, low end)'],
    ['dram_lpddr4', 8, 'Accelergy CACTI plug-in, cacti_wrapper.py (LPDDR4 8 pJ/bit)'],
    ['dram_hbm2', 3.9, 'Accelergy CACTI plug-in, cacti_wrapper.py (HBM2 3.9 pJ/bit, citing Chatterjee et al.)'],
  ];
  for (const [cls, pjPerBit, source] of dram) {
    rows.push(compare('memories', `${cls} pJ/bit (read = write, not node-scaled)`, pjPerBit, t.energyPj(cls, 'read', { bits: 1 }), { exact: true }, source));
  }
  return rows;
}
