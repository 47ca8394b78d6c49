/**
 * One of the array's three operand SRAMs (ifmap, filter, ofmap), double-buffered as in SCALE-Sim
 * v2 (scalesim/memory/double_buffered_scratchpad_mem.py): two halves, the array works out of one
 * while the other is filled from (or drained to) DRAM. Costed as a two-bank SRAM whose word is
 * the operand's width, so narrow operands pack (an INT4 SRAM of 64 KiB holds 131,072 operands)
 * and an access costs its width's share (the table's SRAM energy is linear in bits).
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import { SramBuffer } from '../common/sram-buffer.ts';

export class ScratchpadSram extends SramBuffer {
  constructor(name: string, ctx: BuildContext, parent: Component, kib: number, operandBits: number) {
    super(name, ctx, parent, { bytes: kib * 1024, wordBits: operandBits, banks: 2 });
  }

  /** Operands one half (the working buffer) holds. */
  get halfWords(): number {
    return Math.floor((this.bankBytes * 8) / this.wordBits);
  }
}
