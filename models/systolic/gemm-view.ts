/**
 * A layer as the GEMM a systolic array computes (SCALE-Sim v2, scalesim/compute/operand_matrix.py):
 * an ofmap-pixels × window ifmap operand times a window × filters filter operand, one GEMM per
 * group. The dataflow decides which two GEMM dimensions are laid out spatially on the array
 * (rows Sr, columns Sc) and which one streams in time (T) (Samajdar et al., SCALE-Sim, ISPASS
 * 2020, Table II):
 *  - ws (weight stationary): Sr = window, Sc = filters, T = ofmap pixels;
 *  - os (output stationary): Sr = ofmap pixels, Sc = filters, T = window;
 *  - is (input stationary):  Sr = window, Sc = ofmap pixels, T = filters.
 */
import type { Layer } from '../../sim/workload.ts';

export type Dataflow = 'ws' | 'os' | 'is';
export const DATAFLOWS: readonly Dataflow[] = ['ws', 'os', 'is'];

export interface GemmView {
  /** Output pixels of one filter: N·P·Q (rows of the ifmap operand). */
  readonly pixels: number;
  /** Convolution window: (C/groups)·R·S (the reduction dimension). */
  readonly window: number;
  /** Filters of one group: M/groups. */
  readonly filters: number;
  /** Independent GEMMs run one after another (grouped and depthwise convolutions). */
  readonly groups: number;
}

export interface SpatialMap {
  /** GEMM extent laid along the array's rows. */
  readonly Sr: number;
  /** GEMM extent laid along the array's columns. */
  readonly Sc: number;
  /** GEMM extent streamed in time through each fold. */
  readonly T: number;
}

export function gemmView(l: Layer): GemmView {
  return { pixels: l.N * l.P * l.Q, window: (l.C / l.groups) * l.R * l.S, filters: l.M / l.groups, groups: l.groups };
}

export function spatialMap(g: GemmView, df: Dataflow): SpatialMap {
  if (df === 'ws') return { Sr: g.window, Sc: g.filters, T: g.pixels };
  if (df === 'os') return { Sr: g.pixels, Sc: g.filters, T: g.window };
  return { Sr: g.window, Sc: g.pixels, T: g.filters };
}
