/**
 * What a scheme (models/<scheme>/) provides to the engine. The engine calls these through the
 * registry and never names a scheme.
 */
import type { ArchConfig } from './arch.ts';
import type { BuildContext, Component } from './component.ts';
import type { Layer } from './workload.ts';

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
  runLayer(layer: Layer, mode: Mode): LayerRun;
}

export interface Scheme {
  readonly name: string;
  readonly description: string;
  readonly modes: readonly Mode[];
  build(ctx: BuildContext, arch: ArchConfig): Accelerator;
}
