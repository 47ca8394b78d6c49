/**
 * Array counter of DNA-TEQ's counting stage (arXiv 2306.16430, §IV-B): a small multi-banked SRAM
 * of 8-bit signed counts, a ±1 incrementer and two multiplexers (bank select in, bank select out). AC1
 * counts exponent sums (16 banks × 16 entries = 256 B: the 253 sums of two 7-bit exponents);
 * AC2 and AC3 count single exponents (16 banks × 8 entries = 128 B: 127 exponents). Banks the
 * layer's bitwidth does not reach are power-gated (3 bits: one bank; 4 bits: two; …).
 *
 * Overflow: an update that would leave the signed 8-bit range spills the entry to the
 * post-processing stage (count × b^k into an FP16 accumulator) and restarts it — see
 * dot-product.ts for the functional model and its test. Each spill costs this counter one extra
 * read (the controller reads the entry out) on top of the update.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { SramBuffer } from '../common/sram-buffer.ts';
import { maxExponent } from './exponential.ts';

export interface ArrayCounterSpec {
  banks: number;
  entriesPerBank: number;
  counterBits: number;
  /** What it indexes: exponent sums (AC1) or single exponents (AC2, AC3). */
  indexes: 'sum' | 'single';
}

export class ArrayCounter extends Component {
  readonly spec: ArrayCounterSpec;
  readonly counts: SramBuffer;
  private readonly addOp: Action;
  private readonly selectOp: Action;

  constructor(name: string, ctx: BuildContext, parent: Component, spec: ArrayCounterSpec, instances = 1) {
    super(name, ctx, parent, instances);
    this.spec = spec;
    const bytes = (spec.banks * spec.entriesPerBank * spec.counterBits) / 8;
    this.counts = new SramBuffer('counts', ctx, this, { bytes, wordBits: spec.counterBits, banks: spec.banks, instances });
    // An update adds ±1: an incrementer/decrementer, not a general adder (synthesized, incdec8.v).
    this.addOp = this.action('add', ctx.costs.energyPj('incrementer', 'increment', { bits: spec.counterBits }));
    this.selectOp = this.action('mux_select', ctx.costs.energyPj('mux', 'select', { bits: spec.counterBits, inputs: spec.banks }));
  }

  /** Entries a layer at n bits needs: 4E+1 exponent sums or 2E+1 exponents. */
  entriesFor(bits: number): number {
    const E = maxExponent(bits);
    return this.spec.indexes === 'sum' ? 4 * E + 1 : 2 * E + 1;
  }

  /** Banks a layer at n bits needs (the rest are power-gated). */
  banksFor(bits: number): number {
    return Math.min(this.spec.banks, Math.ceil(this.entriesFor(bits) / this.spec.entriesPerBank));
  }

  /** Configure for a layer: enable only the banks its bitwidth needs (0 = counter unused). */
  configure(bits: number, used = true): number {
    const n = used ? this.banksFor(bits) : 0;
    this.counts.setActiveBanks(n);
    return n;
  }

  /** `updates` increments/decrements: read, add ±1, write, through the two multiplexers. */
  update(updates: number, spills = 0): void {
    this.counts.read(updates + spills);
    this.counts.write(updates);
    this.charge(this.addOp, updates);
    this.charge(this.selectOp, 2 * updates);
  }

  /** Post-processing reads the non-zero entries; the counter is then cleared (one write each). */
  drain(entries: number): void {
    this.counts.read(entries);
    this.counts.write(entries);
    this.charge(this.selectOp, entries);
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    const s = this.spec;
    return c.areaUm2('incrementer', { bits: s.counterBits }) + 2 * c.areaUm2('mux', { bits: s.counterBits, inputs: s.banks });
  }
}
