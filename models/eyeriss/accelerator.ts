/**
 * Eyeriss-like chip (Chen et al., ISCA 2016 / JSSC 2017): DRAM, a global buffer, a multicast
 * NoC and the PE array. Op-count mode is fidelity level 1; the architectural replay builds on
 * the same component tree.
 */
import { Group, type BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode } from '../../sim/scheme.ts';
import type { Layer } from '../../sim/workload.ts';
import { die } from '../../sim/errors.ts';
import { Dram } from '../common/dram.ts';
import { GlobalBuffer } from '../common/global-buffer.ts';
import { Noc } from '../common/noc.ts';
import { PeArray } from './pe-array.ts';
import { standardDatapath, type DatapathFactory } from './pe.ts';
import { linearOpCount } from './opcount.ts';

export class EyerissAccelerator implements Accelerator {
  readonly root: Group;
  readonly dram: Dram;
  readonly glb: GlobalBuffer;
  readonly noc: Noc;
  readonly array: PeArray;

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
    datapath: DatapathFactory = standardDatapath,
  ) {
    this.root = new Group(arch.name, ctx);
    this.dram = new Dram('dram', ctx, this.root, arch.dram);
    this.glb = new GlobalBuffer('glb', ctx, this.root, arch.globalBuffer);
    this.noc = new Noc('noc', ctx, this.root, arch.noc ?? {});
    this.array = new PeArray('array', ctx, this.root, arch, datapath);
  }

  get peakMacsPerCycle(): number {
    return this.array.peCount / this.array.pe.datapath.cyclesPerMac;
  }

  runLayer(layer: Layer, mode: Mode): LayerRun {
    if (mode === 'opcount') return linearOpCount(this, layer, this.arch);
    return die(`mode "${mode}" is not implemented yet for scheme "${this.arch.scheme}" (use --mode opcount)`);
  }
}
