/**
 * A layer's traffic on the systolic array as the common per-level ledger
 * (models/common/access-ledger.ts, the one the Eyeriss-like array fills from its mapping counts),
 * and how each level is charged. Levels: DRAM; the operand SRAMs (array side as SCALE-Sim counts
 * them, fold-schedule.ts, plus the DRAM fills and drains, dram-traffic.ts, plus the partial sums of
 * earlier row folds read back to be accumulated); the PE registers (one read per MAC each, a write
 * per MAC for the moving operands and per load for the stationary one). Each tensor at the layer's
 * widths (a scheme's LayerProfile): inputs with their metadata at DRAM and in the ifmap SRAM (as
 * on the Eyeriss-like array's GLB and NoC), the value alone in the PE register; partial sums at
 * psum width; outputs requantized (with their metadata) to DRAM; spilled partial sums at DRAM at
 * psum width (level `dramPsum`).
 */
import type { AccessLedger, LevelPort } from '../common/access-ledger.ts';
import { wordPort } from '../common/access-ledger.ts';
import type { TensorWidths } from '../common/tensor-widths.ts';
import type { FoldSchedule } from './fold-schedule.ts';
import type { DramValues } from './dram-traffic.ts';
import type { SystolicAccelerator } from './accelerator.ts';

export function systolicLedger(s: FoldSchedule, dram: Readonly<DramValues>, outputs: number, w: TensorWidths): AccessLedger {
  const n = s.macs;
  const df = s.dataflow;
  const inBits = w.inputBits + w.inputMetaBits;
  return {
    macs: n,
    tensors: {
      weights: {
        dram: { reads: dram.filter, bits: w.weightBits },
        sram: { fills: dram.filter, reads: s.sram.filterReads, bits: w.weightBits },
        reg: { fills: df === 'ws' ? s.sram.filterReads : n, reads: n, bits: w.weightBits },
      },
      inputs: {
        dram: { reads: dram.ifmap, bits: inBits },
        sram: { fills: dram.ifmap, reads: s.sram.ifmapReads, bits: inBits },
        reg: { fills: df === 'is' ? s.sram.ifmapReads : n, reads: n, bits: w.inputBits },
      },
      outputs: {
        dram: { writes: dram.out, bits: w.outputBits + w.outputMetaBits },
        dramPsum: { reads: dram.psumIn, writes: dram.psumOut, bits: w.psumBits },
        // Partial sums of earlier row folds are read back to be accumulated (SCALE-Sim counts only the writes).
        sram: { writes: s.sram.ofmapWrites, reads: Math.max(0, s.sram.ofmapWrites - outputs), fills: dram.psumIn, drains: dram.out + dram.psumOut, bits: w.psumBits },
        reg: { reads: n, writes: n, bits: w.psumBits },
      },
    },
  };
}

/**
 * DRAM by the bit (finished outputs and spilled partial sums are two levels of one DRAM); each SRAM
 * and PE register in its own words, a value narrower than the word touching its share.
 * `zeroFraction`: MACs on a zero input are not done and their weight register not read (zero
 * gating, models/common/zero-gating.ts); the cycle stays in the schedule.
 */
export function systolicPorts(acc: SystolicAccelerator, zeroFraction = 0): Record<string, LevelPort> {
  const pe = acc.array.pe;
  return {
    dram: { shared: acc.dram },
    dramPsum: { shared: acc.dram },
    sram: { each: { inputs: wordPort(acc.ifmapSram), weights: wordPort(acc.filterSram), outputs: wordPort(acc.ofmapSram) } },
    reg: { each: { inputs: wordPort(pe.ifmapReg), weights: wordPort(pe.filterReg, 1 - zeroFraction), outputs: wordPort(pe.psumReg) } },
  };
}
