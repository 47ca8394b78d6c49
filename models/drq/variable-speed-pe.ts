/**
 * DRQ's variable-speed mixed-precision PE datapath (Song et al., ISCA 2020, §IV): built from
 * low-precision multipliers, a wider product is split into partial products computed one per
 * multiplier-cycle and shifted into place, so a MAC takes more cycles on high-precision operands.
 * Cycles per MAC by operand widths are a parameter (default 4×4 = 1, 8×4 = 2, 8×8 = 4, in
 * cycles of one multiplier). A PE may hold several multipliers (`multipliersPerPe`) working on
 * independent MACs, so its throughput is multipliers / cycles-per-MAC.
 *
 * Energy per MAC is taken from the cost table for the widths actually used: one low-precision
 * multiply per partial product and, per extra partial product, one add to combine it; partial
 * products are offset by multiples of the multiplier width, so aligning one is a small mux over
 * the fixed shifts (not a barrel shifter); then the accumulation.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { die } from '../../sim/errors.ts';
import type { PassTimedDatapath, PassView } from '../eyeriss/pe.ts';
import { cachedPassMultiplierCycles, type LockstepGroup, type PrecisionCosts, type SensitiveTapTable } from './mixed-precision-array.ts';

/** What the PE knows about the layer being replayed: its masks and the lockstep rule. */
export interface LayerPrecision {
  readonly table: SensitiveTapTable;
  readonly cost: PrecisionCosts;
  readonly lockstep: LockstepGroup;
  /** Share of the layer's MACs at the high widths (splits the plain `mac(count)` calls). */
  readonly highMacFraction: number;
  readonly high: { weightBits: number; activationBits: number };
  readonly low: { weightBits: number; activationBits: number };
}

export interface VariableSpeedSpec {
  /** Width of the multipliers the PE is built from. */
  multiplierBits: number;
  multipliersPerPe: number;
  /** Multiplier-cycles per MAC keyed "AxB" with A ≥ B (operand widths in bits). */
  cyclesPerMac: Readonly<Record<string, number>>;
  /** The widths `mac(count)` (the plain MacDatapath call) uses: the high precision. */
  weightBits: number;
  activationBits: number;
  accumulatorBits: number;
}

export const DEFAULT_CYCLES_PER_MAC: Readonly<Record<string, number>> = Object.freeze({ '4x4': 1, '8x4': 2, '8x8': 4 });

/** Table key of a width pair: the wider operand first. */
export function widthKey(aBits: number, bBits: number): string {
  return `${Math.max(aBits, bBits)}x${Math.min(aBits, bBits)}`;
}

/** Multiplier-cycles one MAC of these widths takes; a pair missing from the table is an error. */
export function multiplierCycles(table: Readonly<Record<string, number>>, aBits: number, bBits: number, file?: string, path = '/drq/cyclesPerMac'): number {
  const c = table[widthKey(aBits, bBits)];
  if (c === undefined) {
    return die(`no cycles-per-MAC entry for ${widthKey(aBits, bBits)} operands (have: ${Object.keys(table).join(', ')})`, file, path);
  }
  return c;
}

export class VariableSpeedPe extends Component implements PassTimedDatapath {
  readonly multipliersPerPe: number;
  private readonly spec: VariableSpeedSpec;
  private readonly macOps = new Map<string, Action>();
  private readonly addOp: Action;
  private readonly multiplyPj: number;
  private readonly accumulatePj: number;
  private layerPrecision: LayerPrecision | undefined;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: VariableSpeedSpec, instances = 1) {
    super(name, ctx, parent, instances);
    if (!(Number.isInteger(spec.multipliersPerPe) && spec.multipliersPerPe >= 1)) die(`multipliers per PE must be an integer >= 1, got ${spec.multipliersPerPe}`);
    for (const [k, v] of Object.entries(spec.cyclesPerMac)) {
      if (!/^\d+x\d+$/.test(k)) die(`cycles-per-MAC key "${k}" must look like "8x4"`, undefined, '/drq/cyclesPerMac');
      if (!(Number.isInteger(v) && v >= 1)) die(`cycles per MAC for ${k} must be an integer >= 1, got ${v}`, undefined, `/drq/cyclesPerMac/${k}`);
    }
    this.spec = spec;
    this.multipliersPerPe = spec.multipliersPerPe;
    this.multiplyPj = ctx.costs.energyPj('int_multiplier', 'multiply', { bits: spec.multiplierBits });
    this.accumulatePj = ctx.costs.energyPj('int_adder', 'add', { bits: spec.accumulatorBits });
    this.addOp = this.action('add', this.accumulatePj);
  }

  /** Multiplier-cycles of one MAC at these widths. */
  multiplierCyclesFor(weightBits: number, activationBits: number): number {
    return multiplierCycles(this.spec.cyclesPerMac, weightBits, activationBits);
  }

  /** PE cycles per MAC at the high (default) widths, all multipliers busy. */
  get cyclesPerMac(): number {
    return this.multiplierCyclesFor(this.spec.weightBits, this.spec.activationBits) / this.multipliersPerPe;
  }

  /** Energy of one MAC at the high (default) widths, for the report's per-level ratios. */
  get macEnergyPj(): number {
    return this.macEnergyPjAt(this.spec.weightBits, this.spec.activationBits);
  }

  /** Energy of one MAC of these widths: partial products, their combination, the accumulation. */
  macEnergyPjAt(weightBits: number, activationBits: number): number {
    const parts = this.multiplierCyclesFor(weightBits, activationBits);
    const productBits = weightBits + activationBits;
    const combinePj =
      parts > 1
        ? (parts - 1) * (this.ctx.costs.energyPj('mux', 'select', { bits: productBits, inputs: this.alignments() }) + this.ctx.costs.energyPj('int_adder', 'add', { bits: productBits }))
        : 0;
    return parts * this.multiplyPj + combinePj + this.accumulatePj;
  }

  /** Distinct offsets a partial product can take: 0, m, 2m, … up to the high widths' span. */
  private alignments(): number {
    const m = this.spec.multiplierBits;
    return Math.max(2, Math.ceil(this.spec.weightBits / m) + Math.ceil(this.spec.activationBits / m) - 1);
  }

  /** Perform `count` MACs at the given widths (charged as `mac_8x8`, `mac_4x4`, …). */
  macAt(count: number, weightBits: number, activationBits: number): void {
    if (count === 0) return;
    const key = `mac_${widthKey(weightBits, activationBits)}`;
    let op = this.macOps.get(key);
    if (!op) {
      op = this.lateAction(key, (pe) => pe.macEnergyPjAt(weightBits, activationBits));
      this.macOps.set(key, op);
    }
    this.charge(op, count);
  }

  /** Set (or clear) the layer whose masks the next pass timings and `mac` calls follow. */
  setLayer(p: LayerPrecision | undefined): void {
    this.layerPrecision = p;
  }

  /** `count` MACs of the current layer, split by its high-precision share (all high without one). */
  mac(count: number): void {
    const p = this.layerPrecision;
    if (!p) return this.macAt(count, this.spec.weightBits, this.spec.activationBits);
    const high = count * p.highMacFraction;
    this.macAt(high, p.high.weightBits, p.high.activationBits);
    this.macAt(count - high, p.low.weightBits, p.low.activationBits);
  }

  get addEnergyPj(): number {
    return this.accumulatePj;
  }

  /** The Eyeriss array's pass-timing hook: the lockstep time of the pass over the layer's masks. */
  passCycles(view: PassView): number {
    const p = this.layerPrecision;
    if (!p) return view.pass.computeCycles;
    return Math.ceil(cachedPassMultiplierCycles(view, p.table, p.cost, p.lockstep) / this.multipliersPerPe);
  }

  add(count: number): void {
    this.charge(this.addOp, count);
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    const productBits = this.spec.weightBits + this.spec.activationBits;
    // Multipliers, one alignment mux + adder per multiplier to combine partial products, the accumulator.
    const perMultiplier =
      c.areaUm2('int_multiplier', { bits: this.spec.multiplierBits }) + c.areaUm2('mux', { bits: productBits, inputs: this.alignments() }) + c.areaUm2('int_adder', { bits: productBits });
    return this.multipliersPerPe * perMultiplier + c.areaUm2('int_adder', { bits: this.spec.accumulatorBits });
  }
}
