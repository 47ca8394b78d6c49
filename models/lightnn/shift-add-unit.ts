/**
 * LightNN's replacement of the multiplier (Ding et al.): a weight of at most K powers of two
 * multiplies an activation with K barrel shifters (right shifts by m = 0…7) and, for K = 2, one
 * adder that sums the two shifted copies; the product then goes to the accumulator adder
 * (add or subtract by the weight's sign). It plugs into the Eyeriss PE as its MacDatapath, so
 * the array, scratchpads and mapping are the baseline's.
 *
 * Widths: an a-bit activation shifted right by up to 7 keeps a + 7 bits (no precision dropped);
 * the K = 2 term adder is one bit wider. Decoding the 4/8-bit weight code into shift amounts is
 * wiring and a sign bit, not costed.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { die } from '../../sim/errors.ts';
import type { MacDatapath } from '../common/datapath.ts';
import { LIGHTNN_M_MAX, lightnnFormat, type LightnnK } from './quantizer.ts';

export interface ShiftAddSpec {
  K: number;
  activationBits: number;
  accumulatorBits: number;
  instances?: number;
}

/** Per-layer mix of weights by the shifts they need (from a trace), as fractions summing to 1. */
export interface TermMix {
  zero: number;
  one: number;
  two: number;
}

export class ShiftAddUnit extends Component implements MacDatapath {
  readonly cyclesPerMac = 1;
  readonly K: LightnnK;
  private readonly shifterArgs: { bits: number; shift: number };
  private readonly termAdderBits: number;
  private readonly accBits: number;
  private readonly fullOp: Action;
  private readonly oneTermOp: Action | undefined;
  private readonly zeroOp: Action | undefined;
  private readonly addOp: Action;
  private mix: TermMix | undefined;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: ShiftAddSpec) {
    super(name, ctx, parent, spec.instances ?? 1);
    this.K = lightnnFormat(spec.K, '/lightnn/K').K;
    if (!(Number.isInteger(spec.activationBits) && spec.activationBits >= 1 && spec.activationBits <= 32)) {
      die(`LightNN activations must be 1..32 bits, got ${spec.activationBits}`, undefined, '/datapath/activationBits');
    }
    this.shifterArgs = { bits: spec.activationBits + LIGHTNN_M_MAX, shift: LIGHTNN_M_MAX + 1 };
    this.termAdderBits = this.shifterArgs.bits + 1;
    this.accBits = spec.accumulatorBits;
    if (this.accBits < this.termAdderBits) {
      die(`accumulator (${this.accBits} bits) narrower than one shifted product (${this.termAdderBits} bits)`, undefined, '/datapath/accumulatorBits');
    }
    const c = ctx.costs;
    const shiftPj = c.energyPj('shifter', 'shift', this.shifterArgs);
    const accPj = c.energyPj('int_adder', 'add', { bits: this.accBits });
    const termAddPj = this.K === 2 ? c.energyPj('int_adder', 'add', { bits: this.termAdderBits }) : 0;
    this.fullOp = this.action('mac', this.K * shiftPj + termAddPj + accPj);
    if (this.K === 2) {
      // A single-term or zero weight leaves the second shifter and the term adder idle (operand
      // isolation); a zero weight skips the accumulate too.
      this.oneTermOp = this.action('mac_one_term', shiftPj + accPj);
      this.zeroOp = this.action('mac_zero_skipped', 0);
    }
    this.addOp = this.action('add', accPj);
  }

  /** Weights of the layer being run, by shifts needed; undefined = worst case (all K shifts). */
  loadTermMix(mix: TermMix | undefined): void {
    this.mix = mix;
  }

  mac(count: number): void {
    const m = this.mix;
    if (!m || this.K === 1) {
      this.charge(this.fullOp, count);
      return;
    }
    const zero = Math.round(count * m.zero);
    const one = Math.round(count * m.one);
    this.charge(this.zeroOp!, zero);
    this.charge(this.oneTermOp!, one);
    this.charge(this.fullOp, count - zero - one);
  }

  add(count: number): void {
    this.charge(this.addOp, count);
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    const shifters = this.K * c.areaUm2('shifter', this.shifterArgs);
    const termAdder = this.K === 2 ? c.areaUm2('int_adder', { bits: this.termAdderBits }) : 0;
    return shifters + termAdder + c.areaUm2('int_adder', { bits: this.accBits });
  }
}
