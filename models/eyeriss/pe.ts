/**
 * Row-stationary processing element (Eyeriss, JSSC 2017 §III-C): ifmap, filter and psum
 * scratchpads and a MAC datapath. The datapath is a plug-in so that DRQ and LightNN reuse the
 * PE with their own arithmetic.
 */
import { Group, type BuildContext, type Component } from '../../sim/component.ts';
import { psumBitsOf, type ArchConfig } from '../../sim/arch.ts';
import { RegisterFile } from '../common/register-file.ts';
import type { MacDatapath } from '../common/datapath.ts';
import type { DatapathFactory } from '../common/datapath-factory.ts';
import type { Layer } from '../../sim/workload.ts';
import type { PassShape, PeWork, RsMapping } from './mapping.ts';

export { standardDatapath, type DatapathFactory } from '../common/datapath-factory.ts';
export { isPassTimed, type PassTimedDatapath } from '../common/timed-datapath.ts';

/** Eyeriss chip defaults (JSSC 2017 Table I), in entries of the datapath's width. */
export const EYERISS_SPADS = { ifmapSpadEntries: 12, filterSpadEntries: 224, psumSpadEntries: 24 } as const;

export class ProcessingElement extends Group {
  readonly ifmapSpad: RegisterFile;
  readonly filterSpad: RegisterFile;
  readonly psumSpad: RegisterFile;
  readonly datapath: MacDatapath;

  constructor(name: string, ctx: BuildContext, parent: Component, arch: ArchConfig, instances: number, datapath: DatapathFactory) {
    super(name, ctx, parent, instances);
    const pe = { ...EYERISS_SPADS, ...arch.pe };
    const d = arch.datapath;
    const psumBits = psumBitsOf(d);
    this.ifmapSpad = new RegisterFile('ifmap_spad', ctx, this, pe.ifmapSpadEntries, d.activationBits, instances);
    this.filterSpad = new RegisterFile('filter_spad', ctx, this, pe.filterSpadEntries, d.weightBits, instances);
    this.psumSpad = new RegisterFile('psum_spad', ctx, this, pe.psumSpadEntries, psumBits, instances);
    this.datapath = datapath('mac', ctx, this, arch, instances);
  }
}

/**
 * What a pass gives a data-dependent datapath's `passCycles` hook (models/common/timed-datapath.ts),
 * which the array calls once per pass, in loop order, in both `arch` and `reference` mode,
 * and uses the result as the pass's compute cycles instead of n·p'·q'·S·Q·cyclesPerMac.
 *
 * What a pass gives the datapath (see models/eyeriss/mapping.ts):
 *  - `pass`: the blocks the pass covers (group `g`, images `n0…`, filters `m0…`, channels
 *    `c0…`, output rows `e0…`, filter rows `r0…`) and the nominal `computeCycles`;
 *  - `pes(visit)`: every working PE with its physical `row`/`col`, its set indices and the
 *    tensor slices it multiplies (`ifmapRow`, `filterRow`, `outputRow`, `n0..n1`, `m0..m1`,
 *    `c0..c1`; ifmap columns are w = x·strideW + s·dilationW − padW for output column x, tap s).
 * Which PEs move together: all PEs of the array advance in lockstep per pass on the Eyeriss chip
 * (one controller), so the default pass time is that of the busiest PE. A datapath that models
 * finer groups (PEs of one physical row share the filter multicast, PEs of one column share a
 * psum chain) computes per-PE cycles from the operand precisions it looks up in its own
 * quantized trace, takes the max within each group, and returns the pass time it implies.
 * `layer` is the layer being replayed. The hook must be deterministic (use ctx.rng only).
 */
export interface PassView {
  readonly layer: Layer;
  readonly mapping: RsMapping;
  readonly pass: Readonly<PassShape>;
  pes(visit: (pe: Readonly<PeWork>) => void): void;
}
