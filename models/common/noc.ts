/**
 * On-chip network from the global buffer to the PEs: energy per bit per mm of wire driven
 * (Borkar & Chien, CACM 2011) and a bandwidth resource. A multicast delivers one word to many
 * PEs over a shared bus, so its energy grows with the bus length it drives, not with the
 * number of receivers (Eyeriss ISCA 2016 §V-B multicast). Wires are routed over logic: no area.
 * Eyeriss has separate networks for filters, ifmaps and psums (JSSC 2017 §V): `nets` are their
 * bandwidth resources; `link` is the shared one for models that use a single bus. Psums handed
 * between neighbouring PEs travel one PE pitch (`neighborMm`).
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { Resource } from '../../sim/scheduler.ts';

export interface NocSpec {
  bitsPerCycle?: number;
  /** Wire length from the buffer to the farthest PE of a multicast group, mm. */
  hopMm?: number;
  /** Wire length between neighbouring PEs (one PE pitch), mm. */
  neighborMm?: number;
}

export class Noc extends Component {
  readonly link: Resource;
  readonly bitsPerCycle: number;
  readonly hopMm: number;
  readonly neighborMm: number;
  readonly nets: { readonly filter: Resource; readonly ifmap: Resource; readonly psum: Resource };
  private readonly bitMm: Action;
  private readonly neighborBitMm: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: NocSpec) {
    super(name, ctx, parent);
    this.bitsPerCycle = spec.bitsPerCycle ?? 64;
    this.hopMm = spec.hopMm ?? 1;
    this.neighborMm = spec.neighborMm ?? 0.25;
    this.link = new Resource(`${this.path}.link`);
    this.nets = { filter: new Resource(`${this.path}.filter`), ifmap: new Resource(`${this.path}.ifmap`), psum: new Resource(`${this.path}.psum`) };
    const bitMmPj = ctx.costs.energyPj('wire', 'transfer', { bits: 1, mm: 1 });
    this.bitMm = this.action('bit_mm', bitMmPj);
    this.neighborBitMm = this.action('neighbor_bit_mm', bitMmPj);
  }

  override hardwareSpec(): Readonly<Record<string, number | string | boolean>> {
    return { bitsPerCycle: this.bitsPerCycle, hopMm: this.hopMm, neighborMm: this.neighborMm };
  }

  /** Energy of delivering one bit from the buffer (multicast or unicast), pJ. */
  get bitEnergyPj(): number {
    return this.bitMm.energyPj * this.hopMm;
  }

  /** Energy of handing one bit to a neighbouring PE, pJ. */
  get neighborBitEnergyPj(): number {
    return this.neighborBitMm.energyPj * this.neighborMm;
  }

  /** Hand `words` of `bits` each from a PE to its neighbour (psum accumulation chains). */
  neighbor(words: number, bits: number): void {
    this.charge(this.neighborBitMm, words * bits * this.neighborMm);
  }

  /** Zero the bandwidth resources (between independent replays). */
  resetResources(): void {
    this.link.reset();
    this.nets.filter.reset();
    this.nets.ifmap.reset();
    this.nets.psum.reset();
  }

  /** Deliver `words` of `bits` each over one bus of `hopMm` (multicast or unicast alike). */
  deliver(words: number, bits: number): void {
    this.charge(this.bitMm, words * bits * this.hopMm);
  }

  cyclesFor(bits: number): number {
    return Math.ceil(bits / this.bitsPerCycle);
  }

  protected unitAreaUm2(): number {
    return 0;
  }
}
