/**
 * Off-chip DRAM: energy per bit moved (cost class `dram_<technology>`: DDR3, LPDDR4 or HBM2) and
 * a channel of `bytesPerCycle` at the accelerator clock, modelled as a scheduler resource.
 * Off-chip: contributes no chip area.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { Resource } from '../../sim/scheduler.ts';
import { DEFAULT_DRAM_TECHNOLOGY, type DramTechnology } from '../../sim/arch.ts';

export interface DramSpec {
  bytesPerCycle: number;
  latencyCycles?: number;
  technology?: DramTechnology;
}

export class Dram extends Component {
  readonly channel: Resource;
  readonly bytesPerCycle: number;
  readonly latencyCycles: number;
  private readonly readBit: Action;
  private readonly writeBit: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: DramSpec) {
    super(name, ctx, parent);
    this.bytesPerCycle = spec.bytesPerCycle;
    this.latencyCycles = spec.latencyCycles ?? 0;
    this.channel = new Resource(`${this.path}.channel`);
    const cls = `dram_${spec.technology ?? DEFAULT_DRAM_TECHNOLOGY}`;
    this.readBit = this.action('read_bit', ctx.costs.energyPj(cls, 'read', { bits: 1 }));
    this.writeBit = this.action('write_bit', ctx.costs.energyPj(cls, 'write', { bits: 1 }));
  }

  override hardwareSpec(): Readonly<Record<string, number | string | boolean>> {
    return { bytesPerCycle: this.bytesPerCycle, latencyCycles: this.latencyCycles, readPjPerBit: Number(this.readBit.energyPj.toPrecision(4)) };
  }

  /** Energy of moving one bit (read), pJ. */
  get readBitEnergyPj(): number {
    return this.readBit.energyPj;
  }

  read(bits: number): void {
    this.charge(this.readBit, bits);
  }

  write(bits: number): void {
    this.charge(this.writeBit, bits);
  }

  /** Cycles the channel needs for `bytes` (latency excluded). */
  cyclesFor(bytes: number): number {
    return Math.ceil(bytes / this.bytesPerCycle);
  }

  protected unitAreaUm2(): number {
    return 0;
  }

  protected override unitLeakageUw(): number {
    return 0;
  }
}
