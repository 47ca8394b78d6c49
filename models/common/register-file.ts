/**
 * Register-file scratchpad inside a PE (Eyeriss: ifmap 12×16 b, filter 224×16 b, psum 24×16 b).
 * Costed as a single-bank SRAM of its size: CACTI 7 where CACTI organises it (≥ 64 B), else the
 * register-file model of Accelergy's Aladdin plug-in (docs/costs.md). Eyeriss (ISCA 2016,
 * Table IV) puts one RF access at ≈1× a 16-bit MAC, which the validation table checks.
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import { SramBuffer } from './sram-buffer.ts';

export class RegisterFile extends SramBuffer {
  constructor(name: string, ctx: BuildContext, parent: Component | undefined, entries: number, wordBits: number, instances = 1) {
    super(name, ctx, parent, { bytes: (entries * wordBits) / 8, wordBits, banks: 1, instances });
  }
}
