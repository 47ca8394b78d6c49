/**
 * Row-stationary processing element (Eyeriss, JSSC 2017 §III-C): ifmap, filter and psum
 * scratchpads and a MAC datapath. The datapath is a plug-in so that DRQ and LightNN reuse the
 * PE with their own arithmetic.
 */
import { Group, type BuildContext, type Component } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import { RegisterFile } from '../common/register-file.ts';
import type { MacDatapath } from '../common/datapath.ts';
import { IntMac } from '../common/int-mac.ts';
import { FpMac } from '../common/fp-mac.ts';

export type DatapathFactory = (name: string, ctx: BuildContext, parent: Component, arch: ArchConfig, instances: number) => MacDatapath;

/** The default datapath: integer MAC or FP MAC as `datapath.arithmetic` says. */
export const standardDatapath: DatapathFactory = (name, ctx, parent, arch, instances) => {
  const d = arch.datapath;
  if (d.arithmetic === 'fp16' || d.arithmetic === 'fp32') return new FpMac(name, ctx, parent, d.arithmetic, instances);
  return new IntMac(name, ctx, parent, {
    weightBits: d.weightBits,
    activationBits: d.activationBits,
    accumulatorBits: d.accumulatorBits ?? 32,
    instances,
  });
};

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
    const psumBits = d.psumBits ?? d.accumulatorBits ?? 32;
    this.ifmapSpad = new RegisterFile('ifmap_spad', ctx, this, pe.ifmapSpadEntries, d.activationBits, instances);
    this.filterSpad = new RegisterFile('filter_spad', ctx, this, pe.filterSpadEntries, d.weightBits, instances);
    this.psumSpad = new RegisterFile('psum_spad', ctx, this, pe.psumSpadEntries, psumBits, instances);
    this.datapath = datapath('mac', ctx, this, arch, instances);
  }
}
