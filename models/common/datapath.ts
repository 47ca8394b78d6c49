/**
 * The arithmetic inside a PE, as a plug-in: the array and its mapping are shared by the
 * Eyeriss-like baseline, DRQ and LightNN, which differ only in what computes one product.
 */
import { Component, type Action } from '../../sim/component.ts';

export interface MacDatapath extends Component {
  /** Perform `count` multiply-accumulates at the configured operand widths. */
  mac(count: number): void;
  /** Perform `count` plain additions/comparisons on the accumulator path (residual adds, pooling). */
  add(count: number): void;
  /** Energy of one MAC (pJ), for reports of per-level ratios. */
  readonly macEnergyPj?: number;
  /** Energy of one `add` (pJ), for mappers that rank mappings by energy. */
  readonly addEnergyPj?: number;
  /** Cycles one PE needs for one MAC (1 for a full-width datapath). */
  readonly cyclesPerMac: number;
}

/** A one-MAC-per-cycle unit with a `mac` and an `add` action (integer and FP MACs). */
export abstract class MacUnit extends Component implements MacDatapath {
  readonly cyclesPerMac: number = 1;
  protected abstract readonly macOp: Action;
  protected abstract readonly addOp: Action;

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
}
