/**
 * What a scheme (models/<scheme>/) provides to the engine. The engine calls these through the
 * registry and never names a scheme.
 */
import type { ArchConfig } from './arch.ts';
import type { BuildContext, Component } from './component.ts';
import type { Layer } from './workload.ts';
import type { LayerTrace } from './trace.ts';

export type Mode = 'opcount' | 'arch' | 'reference';
export const MODES: readonly Mode[] = ['opcount', 'arch', 'reference'];

/** What one layer's replay returns besides the ledger's counts. */
export interface LayerRun {
  cycles: number;
  /** Fraction of MAC slots doing useful work, 0..1. */
  utilization: number;
  /** Stall cycles by cause (dram, glb, noc, …). */
  stalls?: Record<string, number>;
  /** The mapping or parameters chosen for this layer (reported as-is). */
  details?: Record<string, unknown>;
}

/** A built accelerator: its component tree and how it runs a layer. */
export interface Accelerator {
  readonly root: Component;
  /** Peak MACs per cycle of the whole design (for the ideal bound). */
  readonly peakMacsPerCycle: number;
  /**
   * Replay one layer. `trace` holds the layer's tensors when the run has a trace; schemes whose
   * hardware depends on the data (DNA-TEQ bitwidths, DRQ regions, LightNN weights) must refuse
   * to run without one rather than assume a distribution.
   */
  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun;
  /**
   * Energy of one access at each level of the memory hierarchy and of one MAC (pJ), for the
   * report's per-level ratios (Eyeriss ISCA 2016: DRAM ≫ GLB > NoC > RF ≈ MAC). Optional.
   */
  energyPerAccess?(): EnergyPerAccess;
}

export interface EnergyPerAccess {
  /** What one access moves (e.g. "one 16-bit word"). */
  unit: string;
  /** Level → pJ per access; must include "mac". */
  pj: Record<string, number>;
}

export interface Scheme {
  readonly name: string;
  readonly description: string;
  readonly modes: readonly Mode[];
  /** True when results depend on tensor values: the run needs a trace. */
  readonly needsTrace?: boolean;
  build(ctx: BuildContext, arch: ArchConfig): Accelerator;
}
