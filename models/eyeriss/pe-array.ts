/**
 * The PE array (Eyeriss: 12 rows × 14 columns). One replicated PE component; the mapping
 * decides how many PEs a layer keeps busy.
 */
import { Group, type BuildContext, type Component } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import { ProcessingElement, type DatapathFactory } from './pe.ts';

export class PeArray extends Group {
  readonly rows: number;
  readonly cols: number;
  readonly pe: ProcessingElement;

  constructor(name: string, ctx: BuildContext, parent: Component, arch: ArchConfig, datapath: DatapathFactory) {
    super(name, ctx, parent);
    this.rows = arch.array.rows;
    this.cols = arch.array.cols;
    this.pe = new ProcessingElement('pe', ctx, this, arch, this.rows * this.cols, datapath);
  }

  override hardwareSpec(): Readonly<Record<string, number | string | boolean>> {
    return { rows: this.rows, cols: this.cols, pes: this.peCount };
  }

  get peCount(): number {
    return this.rows * this.cols;
  }
}
