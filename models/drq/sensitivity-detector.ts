/**
 * DRQ's sensitive-region predictor (Song et al., ISCA 2020, §IV): a mean filter and a threshold
 * comparison per input value, run as the feature map streams out of the previous layer. The box
 * filter is incremental (running row and column sums: two adds and two subtracts per value), and
 * the division by k² is folded into the threshold, so per value it costs 4 adds and 1 compare at
 * the width of a k×k sum. A region's mask bit is the OR of its values' bits (wiring, not costed).
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';

export class SensitivityDetector extends Component {
  readonly sumBits: number;
  private readonly addOp: Action;
  private readonly compareOp: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, activationBits: number, filterSize: number) {
    super(name, ctx, parent);
    this.sumBits = activationBits + Math.ceil(Math.log2(filterSize * filterSize));
    this.addOp = this.action('add', ctx.costs.energyPj('int_adder', 'add', { bits: this.sumBits }));
    this.compareOp = this.action('compare', ctx.costs.energyPj('comparator', 'compare', { bits: this.sumBits }));
  }

  /** Filter and threshold `values` input values. */
  detect(values: number): void {
    this.charge(this.addOp, 4 * values);
    this.charge(this.compareOp, values);
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    return 4 * c.areaUm2('int_adder', { bits: this.sumBits }) + c.areaUm2('comparator', { bits: this.sumBits });
  }
}
