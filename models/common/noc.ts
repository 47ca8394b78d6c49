/**
 * On-chip network from the global buffer to the PEs: energy per bit per mm of wire driven
 * (Borkar & Chien, CACM 2011) and a bandwidth resource. A multicast delivers one word to many
 * PEs over a shared bus, so its energy grows with the bus length it drives, not with the
 * number of receivers (Eyeriss ISCA 2016 §V-B multicast). Wires are routed over logic: no area.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { Resource } from '../../sim/scheduler.ts';

export interface NocSpec {
  bitsPerCycle?: number;
  /** Wire length from the buffer to the farthest PE of a multicast group, mm. */
  hopMm?: number;
}

export class Noc extends Component {
  readonly link: Resource;
  readonly bitsPerCycle: number;
  readonly hopMm: number;
  private readonly bitMm: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: NocSpec) {
    super(name, ctx, parent);
    this.bitsPerCycle = spec.bitsPerCycle ?? 64;
    this.hopMm = spec.hopMm ?? 1;
    this.link = new Resource(`${this.path}.link`);
    this.bitMm = this.action('bit_mm', ctx.costs.energyPj('wire', 'transfer', { bits: 1, mm: 1 }));
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
