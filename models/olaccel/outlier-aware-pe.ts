/**
 * OLAccel-style PE datapath (Park, Kim, Yoo, ISCA 2018, §IV): SIMD lanes of low-precision
 * (4-bit) MAC units for the dense values, plus one extra MAC unit per PE that takes the lane whose
 * weight is an outlier (high-precision weight × low-precision activation). Outlier activations are
 * not computed here: they go to the dedicated high-precision units (outlier-mac-units), which the
 * PE hands them to when a layer is set.
 * Energy per MAC from the cost table at the widths used (array multiplier ∝ w·a).
 * In arch mode it is the Eyeriss array's pass-timing hook: a pass takes the longer of the dense
 * lanes (nominal time × the expected weight-outlier stall) and the shared outlier units.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import type { MacDatapath } from '../common/datapath.ts';
import type { PassTimedDatapath, PassView } from '../eyeriss/pe.ts';
import type { SensitiveTapTable } from '../drq/mixed-precision-array.ts';
import { passOutlierMacs } from './outlier-lanes.ts';

export interface OutlierAwarePeSpec {
  lowBits: number;
  outlierBits: number;
  lanes: number;
  accumulatorBits: number;
}

/** What the PE knows about the layer being replayed. */
export interface OutlierLayer {
  /** Outlier taps of the layer's trace (per pass outlier MACs; arch and reference modes). */
  readonly table?: SensitiveTapTable;
  /** Trace input of the pass's first image (image n reads input (n + inputOffset) mod N): the run's inputs. */
  readonly inputOffset?: number;
  /** Share of the layer's MACs reading an outlier activation, and of the rest with an outlier weight. */
  readonly activationOutlierMacFraction: number;
  readonly weightOutlierFraction: number;
  /** Expected extra cycles per dense SIMD step from outlier weights sharing the PE's one outlier-weight MAC. */
  readonly weightStall: number;
  /** The array's shared units for outlier activations: MACs handed to them, and how many there are. */
  readonly outlierUnits: MacDatapath;
  readonly outlierUnitCount: number;
}

export class OutlierAwarePe extends Component implements PassTimedDatapath {
  /** One MAC per lane per cycle. */
  readonly cyclesPerMac: number;
  private readonly denseOp: Action;
  private readonly weightOutlierOp: Action;
  private readonly addOp: Action;
  private layer: OutlierLayer | undefined;
  /** Pass times per layer table and pass (the filter blocks of a layer repeat). */
  private readonly memo = new WeakMap<object, Map<string, number>>();

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, readonly spec: OutlierAwarePeSpec, instances = 1) {
    super(name, ctx, parent, instances);
    this.cyclesPerMac = 1 / spec.lanes;
    const add = ctx.costs.energyPj('int_adder', 'add', { bits: spec.accumulatorBits });
    const mult = (w: number, a: number) => ctx.costs.energyPj('int_multiplier', 'multiply', { bits: Math.sqrt(w * a) });
    this.denseOp = this.action('mac_dense', mult(spec.lowBits, spec.lowBits) + add);
    this.weightOutlierOp = this.action('mac_weight_outlier', mult(spec.outlierBits, spec.lowBits) + add);
    this.addOp = this.action('add', add);
  }

  get macEnergyPj(): number {
    return this.denseOp.energyPj;
  }

  get addEnergyPj(): number {
    return this.addOp.energyPj;
  }

  /** Set (or clear) the layer whose outliers the next `mac` calls and pass timings follow. */
  setLayer(l: OutlierLayer | undefined): void {
    this.layer = l;
  }

  /** `count` MACs: dense ones on the lanes, or split by the layer's outlier shares when one is set. */
  mac(count: number): void {
    const l = this.layer;
    if (!l) return this.charge(this.denseOp, count);
    const act = count * l.activationOutlierMacFraction;
    const weight = (count - act) * l.weightOutlierFraction;
    this.charge(this.denseOp, count - act - weight);
    this.weightOutlierMac(weight);
    l.outlierUnits.mac(act);
  }

  /** MACs whose weight is an outlier, on the PE's extra unit. */
  weightOutlierMac(count: number): void {
    this.charge(this.weightOutlierOp, count);
  }

  add(count: number): void {
    this.charge(this.addOp, count);
  }

  passCycles(view: PassView): number {
    const l = this.layer;
    if (!l?.table) return view.pass.computeCycles;
    let memo = this.memo.get(l.table);
    if (!memo) this.memo.set(l.table, (memo = new Map()));
    const ps = view.pass;
    const offset = l.inputOffset ?? 0;
    const key = `${offset} ${ps.g} ${ps.n0} ${ps.nLen} ${ps.c0} ${ps.cLen} ${ps.e0} ${ps.eLen} ${ps.r0} ${ps.rLen} ${ps.mLen} ${ps.computeCycles}`;
    let cycles = memo.get(key);
    if (cycles === undefined) {
      const dense = Math.ceil(ps.computeCycles * (1 + l.weightStall));
      const outlier = Math.ceil(passOutlierMacs(view, l.table, offset) / l.outlierUnitCount);
      memo.set(key, (cycles = Math.max(dense, outlier)));
    }
    return cycles;
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    const s = this.spec;
    const adder = c.areaUm2('int_adder', { bits: s.accumulatorBits });
    return s.lanes * (c.areaUm2('int_multiplier', { bits: s.lowBits }) + adder) + c.areaUm2('int_multiplier', { bits: Math.sqrt(s.outlierBits * s.lowBits) }) + adder;
  }
}
