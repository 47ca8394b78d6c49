/**
 * Floating-point multiply-accumulate (FP16 or FP32): one multiplier and one adder of the format
 * (Horowitz, ISSCC 2014). The FP16 baseline datapath of Settle et al.'s comparison.
 */
import type { Action, BuildContext, Component } from '../../sim/component.ts';
import { MacUnit } from './datapath.ts';

export type FpFormat = 'fp16' | 'fp32';

export class FpMac extends MacUnit {
  protected readonly macOp: Action;
  protected readonly addOp: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, readonly format: FpFormat, instances = 1) {
    super(name, ctx, parent, instances);
    const mult = ctx.costs.energyPj('fp_multiplier', 'multiply', { format });
    const add = ctx.costs.energyPj('fp_adder', 'add', { format });
    this.macOp = this.action('mac', mult + add);
    this.addOp = this.action('add', add);
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    return c.areaUm2('fp_multiplier', { format: this.format }) + c.areaUm2('fp_adder', { format: this.format });
  }
}
