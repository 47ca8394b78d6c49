/**
 * OLAccel-style PE datapath (Park, Kim, Yoo, ISCA 2018, §IV): SIMD lanes of low-precision
 * (4-bit) MAC units for the dense values, plus one extra MAC unit per PE that takes the lane whose
 * weight is an outlier (high-precision weight × low-precision activation). Outlier activations are
 * not computed here: they go to the dedicated high-precision units (outlier-mac-units).
 * Energy per MAC from the cost table at the widths used (array multiplier ∝ w·a).
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import type { MacDatapath } from '../common/datapath.ts';

export interface OutlierAwarePeSpec {
  lowBits: number;
  outlierBits: number;
  lanes: number;
  accumulatorBits: number;
}

export class OutlierAwarePe extends Component implements MacDatapath {
  /** One MAC per lane per cycle. */
  readonly cyclesPerMac: number;
  private readonly denseOp: Action;
  private readonly weightOutlierOp: Action;
  private readonly addOp: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, readonly spec: OutlierAwarePeSpec, instances = 1) {
    super(name, ctx, parent, instances);
    this.cyclesPerMac = 1 / spec.lanes;
    const add = ctx.costs.energyPj('int_adder', 'add', { bits: spec.accumulatorBits });
    const mult = (w: number, a: number) => ctx.costs.energyPj('int_multiplier', 'multiply', { bits: Math.sqrt(w * a) });
    this.denseOp = this.action('mac_dense', mult(spec.lowBits, spec.lowBits) + add);
    this.weightOutlierOp = this.action('mac_weight_outlier', mult(spec.outlierBits, spec.lowBits) + add);
    this.addOp = this.action('add', add);
  }

  /** Dense low-precision MACs. */
  mac(count: number): void {
    this.charge(this.denseOp, count);
  }

  /** MACs whose weight is an outlier, on the PE's extra unit. */
  weightOutlierMac(count: number): void {
    this.charge(this.weightOutlierOp, count);
  }

  add(count: number): void {
    this.charge(this.addOp, count);
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    const s = this.spec;
    const adder = c.areaUm2('int_adder', { bits: s.accumulatorBits });
    return s.lanes * (c.areaUm2('int_multiplier', { bits: s.lowBits }) + adder) + c.areaUm2('int_multiplier', { bits: Math.sqrt(s.outlierBits * s.lowBits) }) + adder;
  }
}
