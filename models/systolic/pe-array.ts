/**
 * The rows × cols systolic PE array. Each PE holds one register per operand (ifmap, filter,
 * partial sum): the stationary operand stays in its register for a fold, the other two move one
 * PE per cycle (right for ifmaps, down for partial sums in ws; Kung & Leiserson 1979; Jouppi et
 * al., ISCA 2017 §2). The arithmetic is a plug-in (DatapathFactory), as on the Eyeriss-like array.
 */
import { Group, type BuildContext, type Component } from '../../sim/component.ts';
import { psumBitsOf, type ArchConfig } from '../../sim/arch.ts';
import { RegisterFile } from '../common/register-file.ts';
import type { MacDatapath } from '../common/datapath.ts';
import type { DatapathFactory } from '../common/datapath-factory.ts';

export class SystolicPe extends Group {
  readonly ifmapReg: RegisterFile;
  readonly filterReg: RegisterFile;
  readonly psumReg: RegisterFile;
  readonly datapath: MacDatapath;

  constructor(name: string, ctx: BuildContext, parent: Component, arch: ArchConfig, instances: number, datapath: DatapathFactory) {
    super(name, ctx, parent, instances);
    const d = arch.datapath;
    this.ifmapReg = new RegisterFile('ifmap_reg', ctx, this, 1, d.activationBits, instances);
    this.filterReg = new RegisterFile('filter_reg', ctx, this, 1, d.weightBits, instances);
    this.psumReg = new RegisterFile('psum_reg', ctx, this, 1, psumBitsOf(d), instances);
    this.datapath = datapath('mac', ctx, this, arch, instances);
  }
}

export class SystolicArray extends Group {
  readonly rows: number;
  readonly cols: number;
  readonly pe: SystolicPe;

  constructor(
    name: string,
    ctx: BuildContext,
    parent: Component,
    arch: ArchConfig,
    datapath: DatapathFactory,
    readonly dataflow: string,
  ) {
    super(name, ctx, parent);
    this.rows = arch.array.rows;
    this.cols = arch.array.cols;
    this.pe = new SystolicPe('pe', ctx, this, arch, this.rows * this.cols, datapath);
  }

  override hardwareSpec(): Readonly<Record<string, number | string | boolean>> {
    return { rows: this.rows, cols: this.cols, pes: this.peCount, dataflow: this.dataflow };
  }

  get peCount(): number {
    return this.rows * this.cols;
  }
}
