/**
 * Floating-point multiply-accumulate (FP16 or FP32): one multiplier and one adder of the format
 * (Horowitz, ISSCC 2014). The FP16 baseline datapath of Settle et al.'s comparison.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import type { MacDatapath } from './datapath.ts';

export type FpFormat = 'fp16' | 'fp32';

export class FpMac extends Component implements MacDatapath {
  readonly cyclesPerMac = 1;
  private readonly macOp: Action;
  private readonly addOp: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, readonly format: FpFormat, instances = 1) {
    super(name, ctx, parent, instances);
    const mult = ctx.costs.energyPj('fp_multiplier', 'multiply', { format });
    const add = ctx.costs.energyPj('fp_adder', 'add', { format });
    this.macOp = this.action('mac', mult + add);
    this.addOp = this.action('add', add);
  }

  get macEnergyPj(): number {
    return this.macOp.energyPj;
  }

  get addEnergyPj(): number {
    return this.addOp.energyPj;
  }

  mac(count: number): void {
    this.charge(this.macOp, count);
  }

  add(count: number): void {
    this.charge(this.addOp, count);
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    return c.areaUm2('fp_multiplier', { format: this.format }) + c.areaUm2('fp_adder', { format: this.format });
  }
}
