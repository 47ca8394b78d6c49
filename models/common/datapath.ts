/**
 * The arithmetic inside a PE, as a plug-in: the array and its mapping are shared by the
 * Eyeriss-like baseline, DRQ and LightNN, which differ only in what computes one product.
 */
import type { Component } from '../../sim/component.ts';

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
