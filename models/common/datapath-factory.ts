/**
 * How an array builds the arithmetic of its PEs: the plug-in both arrays (the Eyeriss-like
 * row-stationary array and the systolic array) take, so DRQ, LightNN and the FP baselines swap
 * only what computes one product.
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator } from '../../sim/scheme.ts';
import type { MacDatapath } from './datapath.ts';
import { IntMac } from './int-mac.ts';
import { FpMac } from './fp-mac.ts';

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

/**
 * An array that hosts a scheme: builds the accelerator (memory hierarchy + PE array) around the
 * scheme's datapath. The Eyeriss-like and the systolic arrays are both hosts, so a scheme written
 * against this runs on either.
 */
export type ArrayHost = (ctx: BuildContext, arch: ArchConfig, datapath?: DatapathFactory) => Accelerator;
