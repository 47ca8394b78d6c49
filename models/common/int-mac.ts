/**
 * Integer multiply-accumulate: a w×a-bit array multiplier and an accumulator adder.
 * Multiplier cost ∝ w·a (array multiplier; the table's rule ∝ bits² evaluated at sqrt(w·a)),
 * adder cost ∝ accumulator bits (Horowitz, ISSCC 2014).
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import { ProductAccumulateDatapath } from './datapath.ts';

export interface IntMacSpec {
  weightBits: number;
  activationBits: number;
  accumulatorBits: number;
  instances?: number;
}

export class IntMac extends ProductAccumulateDatapath {
  private readonly multBits: number;
  private readonly accBits: number;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: IntMacSpec) {
    super(name, ctx, parent, spec.instances ?? 1);
    this.multBits = Math.sqrt(spec.weightBits * spec.activationBits);
    this.accBits = spec.accumulatorBits;
    this.setEnergies(
      ctx.costs.energyPj('int_multiplier', 'multiply', { bits: this.multBits }),
      ctx.costs.energyPj('int_adder', 'add', { bits: this.accBits }),
    );
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    return c.areaUm2('int_multiplier', { bits: this.multBits }) + c.areaUm2('int_adder', { bits: this.accBits });
  }
}
