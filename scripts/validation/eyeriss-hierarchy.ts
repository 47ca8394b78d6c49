/**
 * Eyeriss (ISCA 2016, Table IV) normalises the energy of one 16-bit access at each level to a
 * 16-bit MAC: DRAM 200×, global buffer 6×, array NoC 2×, register file 1×. We derive the same
 * ratios from the cost table for the `eyeriss` config's component sizes; they come from 32nm
 * tables rather than the chip's 65nm measurements, so only the order and the magnitude are checked.
 */
import { loadArch, dramTechnology } from '../../sim/arch.ts';
import { loadCostTable } from '../../sim/costs.ts';
import { EYERISS_SPADS } from '../../models/eyeriss/pe.ts';
import { compare, type ValidationRow } from './row.ts';

const SOURCE = 'Chen et al., ISCA 2016, Table IV (65nm chip)';

export interface LevelEnergies {
  macPj: number;
  rfPj: number;
  nocPj: number;
  glbPj: number;
  dramPj: number;
  /** The ifmap and psum spads (register-file model: CACTI refuses arrays below 64 B). */
  ifmapRfPj: number;
  psumRfPj: number;
}

/** Energy of one 16-bit access at each level of the `eyeriss` config, from its cost table. */
export function eyerissLevelEnergies(): LevelEnergies {
  const arch = loadArch('eyeriss');
  const c = arch.config;
  const t = loadCostTable(arch.costsFile);
  const bits = 16;
  const macPj = t.energyPj('int_multiplier', 'multiply', { bits }) + t.energyPj('int_adder', 'add', { bits: c.datapath.accumulatorBits ?? 32 });
  const filterBytes = ((c.pe?.filterSpadEntries ?? EYERISS_SPADS.filterSpadEntries) * bits) / 8;
  const rfPj = t.energyPj('sram', 'read', { bytes: filterBytes, bits });
  const nocPj = t.energyPj('wire', 'transfer', { bits, mm: c.noc?.hopMm ?? 1 });
  const g = c.globalBuffer;
  const wordBits = g.wordBits ?? 64;
  const glbPj = (t.energyPj('sram', 'read', { bytes: (g.kib * 1024) / (g.banks ?? 1), bits: wordBits }) * bits) / wordBits;
  const dramPj = t.energyPj(`dram_${dramTechnology(c)}`, 'read', { bits });
  const spad = (entries: number) => t.energyPj('sram', 'read', { bytes: (entries * bits) / 8, bits });
  const ifmapRfPj = spad(c.pe?.ifmapSpadEntries ?? EYERISS_SPADS.ifmapSpadEntries);
  const psumRfPj = spad(c.pe?.psumSpadEntries ?? EYERISS_SPADS.psumSpadEntries);
  return { macPj, rfPj, nocPj, glbPj, dramPj, ifmapRfPj, psumRfPj };
}

export function eyerissHierarchyRows(): ValidationRow[] {
  const e = eyerissLevelEnergies();
  const rows: ValidationRow[] = [];
  const ratio = (x: number) => x / e.macPj;
  const tol = { factor: 3 };
  rows.push(compare('eyeriss', 'DRAM access / MAC (16-bit)', 200, ratio(e.dramPj), tol, SOURCE,
    'the config\'s DRAM technology (default LPDDR4, 8 pJ/bit) is not node-scaled while the MAC is (45→32nm ×0.645), so the ratio at 32nm is higher than on the 65nm chip'));
  rows.push(compare('eyeriss', 'GLB access / MAC (16-bit)', 6, ratio(e.glbPj), tol, SOURCE,
    'the GLB is costed per 4 KB bank (108 KB / 27 banks) by CACTI 7 at 32nm (a quarter of one 64-bit read); Eyeriss measured the whole 65nm buffer including its periphery and the wires to the array'));
  rows.push(compare('eyeriss', 'NoC transfer / MAC (16-bit)', 2, ratio(e.nocPj), tol, SOURCE, 'wire energy 0.1 pJ/bit/mm (Borkar & Chien) over the configured 1 mm'));
  rows.push(compare('eyeriss', 'RF access / MAC (16-bit)', 1, ratio(e.rfPj), tol, SOURCE,
    'the 224 × 16-bit filter scratchpad is costed as a 448 B CACTI 7 SRAM (32nm, low-operating-power devices); Eyeriss\'s RF figure is a 65nm register file measured on the chip, with its own read/write ports'));
  rows.push(compare('eyeriss', 'ifmap RF (12 × 16 b) access / MAC', 1, ratio(e.ifmapRfPj), tol, SOURCE,
    "CACTI refuses 24 B, so the register-file model of Accelergy's Aladdin plug-in (45nm figures, scaled to 32nm)"));
  rows.push(compare('eyeriss', 'psum RF (24 × 16 b) access / MAC', 1, ratio(e.psumRfPj), tol, SOURCE,
    "CACTI refuses 48 B, so the register-file model of Accelergy's Aladdin plug-in (45nm figures, scaled to 32nm)"));
  const ordered = e.dramPj > e.glbPj && e.glbPj > e.nocPj && e.nocPj > e.rfPj;
  rows.push({
    topic: 'eyeriss',
    quantity: 'per-access order DRAM > GLB > NoC > RF',
    published: 'DRAM > GLB > NoC > RF',
    source: SOURCE,
    quantsim: [['DRAM', e.dramPj], ['GLB', e.glbPj], ['NoC', e.nocPj], ['RF', e.rfPj]]
      .sort((a, b) => (b[1] as number) - (a[1] as number))
      .map((x) => x[0])
      .join(' > '),
    difference: ordered ? 'same order' : 'different order',
    tolerance: 'same order',
    status: ordered ? 'PASS' : 'FAIL',
  });
  return rows;
}
