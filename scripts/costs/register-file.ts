/**
 * Register-file model for arrays CACTI will not organise (below 64 B, or too few rows for its
 * sub-arrays): Accelergy's Aladdin plug-in prices a register-file access as one register read of
 * the word plus an address comparison per entry (regfile_estimate_energy in
 * Accelergy-Project/accelergy-aladdin-plug-in, aladdin_table.py: reg + depth × comparator of
 * ceil(log2 depth) bits), on Aladdin's published 45nm figures as Accelergy's library ships them
 * (Accelergy-Project/accelergy-library-plug-in 542a3871, library/aladdin/aladdin_register.csv:
 * 0.009 pJ and 5.98 um² per bit; aladdin_comparator.csv: 0.02947 pJ and 71 um² per 32-bit compare).
 */
import type { Memory } from './cacti.ts';

export const REGISTER_FILE_SOURCE = "Accelergy's Aladdin plug-in (register read + depth × address compare; Aladdin ISCA 2014 45nm figures)";

const REG_PJ_PER_BIT = 0.009;
const REG_UM2_PER_BIT = 5.98;
const CMP32_PJ = 0.02947;
const CMP32_UM2 = 71;
/** The table's `logic` leakage density (an estimate), so leakage of these registers is labelled one. */
const LOGIC_UW_PER_UM2 = 0.001;

const round = (x: number) => Number(x.toPrecision(4));

export function registerFile(m: Memory): { entries: number; readPj: number; areaUm2: number } {
  const entries = Math.max(1, Math.floor((m.bytes * 8) / m.bits));
  const addressBits = Math.max(1, Math.ceil(Math.log2(entries)));
  return {
    entries,
    readPj: m.bits * REG_PJ_PER_BIT + (entries * CMP32_PJ * addressBits) / 32,
    areaUm2: entries * m.bits * REG_UM2_PER_BIT + (entries * CMP32_UM2 * addressBits) / 32,
  };
}

/** Two points: energy and area from the model (published figures), leakage an estimate. */
export function registerFilePoints(m: Memory, refusal: string): object[] {
  const r = registerFile(m);
  const args = { bytes: m.bytes, bits: m.bits };
  const what = `${r.entries} × ${m.bits}-bit register file`;
  return [
    {
      args,
      node: '45nm',
      energy: { read: `${round(r.readPj)} pJ`, write: `${round(r.readPj)} pJ` },
      area: `${round(r.areaUm2)} um^2`,
      source:
        `${refusal}; ${what} by the register-file model of Accelergy's Aladdin plug-in (aladdin_table.py regfile: ${m.bits} × 0.009 pJ register read ` +
        `+ ${r.entries} × 0.02947 pJ × ${Math.ceil(Math.log2(r.entries))}/32 address compare; area ${m.bits} × ${r.entries} × 5.98 um² + compares), ` +
        'Aladdin ISCA 2014 45nm figures from Accelergy-Project/accelergy-library-plug-in 542a3871 library/aladdin/aladdin_{register,comparator}.csv; write taken = read as in that model',
      method: 'published',
    },
    {
      args,
      node: '45nm',
      leakage: `${round(r.areaUm2 * LOGIC_UW_PER_UM2)} uW`,
      source: `estimate: leakage of the ${what} = its area × the logic leakage density of this table (0.001 uW/um², class "logic"); the model gives none`,
      method: 'estimate',
    },
  ];
}
