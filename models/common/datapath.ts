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
  /**
   * MACs one PE can complete per cycle at its fastest (data-dependent datapaths: the lowest
   * precision); sizes the default psum link. Default 1 / cyclesPerMac.
   */
  readonly peakMacsPerCycle?: number;
}

/**
 * A datapath whose MAC is one product plus one accumulation, each a fixed energy per op.
 * Subclasses resolve the two energies from the cost table and call `setEnergies` once.
 */
export abstract class ProductAccumulateDatapath extends Component implements MacDatapath {
  readonly cyclesPerMac: number = 1;
  private macOp: Action | undefined;
  private addOp: Action | undefined;

  protected setEnergies(productPj: number, accumulatePj: number): void {
    this.macOp = this.action('mac', productPj + accumulatePj);
    this.addOp = this.action('add', accumulatePj);
  }

  get macEnergyPj(): number {
    return this.macOp!.energyPj;
  }

  get addEnergyPj(): number {
    return this.addOp!.energyPj;
  }

  mac(count: number): void {
    this.charge(this.macOp!, count);
  }

  add(count: number): void {
    this.charge(this.addOp!, count);
  }
}
