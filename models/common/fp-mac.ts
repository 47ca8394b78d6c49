/**
 * Floating-point multiply-accumulate (FP16 or FP32): one multiplier and one adder of the format
 * (Horowitz, ISSCC 2014). The FP16 baseline datapath of Settle et al.'s comparison.
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import { ProductAccumulateDatapath } from './datapath.ts';

export type FpFormat = 'fp16' | 'fp32';

export class FpMac extends ProductAccumulateDatapath {
  constructor(name: string, ctx: BuildContext, parent: Component | undefined, readonly format: FpFormat, instances = 1) {
    super(name, ctx, parent, instances);
    this.setEnergies(ctx.costs.energyPj('fp_multiplier', 'multiply', { format }), ctx.costs.energyPj('fp_adder', 'add', { format }));
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    return c.areaUm2('fp_multiplier', { format: this.format }) + c.areaUm2('fp_adder', { format: this.format });
  }
}
