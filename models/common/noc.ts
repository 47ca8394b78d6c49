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
import { psumBitsOf, type ArchConfig } from '../../sim/arch.ts';

/**
 * The psum network's width when the config does not give `noc.psumBitsPerCycle` (docs/eyeriss.md,
 * "Psum link"): the most psums the array can exchange with the GLB per cycle at full rate. A PE
 * finishes at most one output psum per q·S ≥ 1 MACs (when every PE ends its own chain: 1×1
 * filters, sets stacked in a column) and fetches at most one back, so the array needs at most
 * 2 · rows · cols psums per cycle per MAC a PE completes per cycle. Sized in psums, so every
 * datapath moves the same psums per cycle whatever its accumulator width; with it the psum
 * stream never exceeds the compute time of a pass.
 */
export function psumLinkBitsPerCycle(arch: ArchConfig, peakMacsPerPePerCycle = 1): number {
  return arch.noc?.psumBitsPerCycle ?? Math.ceil(2 * arch.array.rows * arch.array.cols * psumBitsOf(arch.datapath) * peakMacsPerPePerCycle);
}

export interface NocSpec {
  /** Width of the filter and ifmap networks, bits per cycle (narrow values packed: 8 INT8 values on 64 bits). */
  bitsPerCycle?: number;
  /** Width of the psum network, bits per cycle (default: `bitsPerCycle`; the Eyeriss-like array derives its own, psumLinkBitsPerCycle). */
  psumBitsPerCycle?: number;
  /** Wire length from the buffer to the farthest PE of a multicast group, mm. */
  hopMm?: number;
  /** Wire length between neighbouring PEs (one PE pitch), mm. */
  neighborMm?: number;
}

export class Noc extends Component {
  readonly link: Resource;
  readonly bitsPerCycle: number;
  private psumLinkBits: number;
  readonly hopMm: number;
  readonly neighborMm: number;
  readonly nets: { readonly filter: Resource; readonly ifmap: Resource; readonly psum: Resource };
  private readonly bitMm: Action;
  private readonly neighborBitMm: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: NocSpec) {
    super(name, ctx, parent);
    this.bitsPerCycle = spec.bitsPerCycle ?? 64;
    this.psumLinkBits = spec.psumBitsPerCycle ?? this.bitsPerCycle;
    this.hopMm = spec.hopMm ?? 1;
    this.neighborMm = spec.neighborMm ?? 0.25;
    this.link = new Resource(`${this.path}.link`);
    this.nets = { filter: new Resource(`${this.path}.filter`), ifmap: new Resource(`${this.path}.ifmap`), psum: new Resource(`${this.path}.psum`) };
    const bitMmPj = ctx.costs.energyPj('wire', 'transfer', { bits: 1, mm: 1 });
    this.bitMm = this.action('bit_mm', bitMmPj);
    this.neighborBitMm = this.action('neighbor_bit_mm', bitMmPj);
  }

  override hardwareSpec(): Readonly<Record<string, number | string | boolean>> {
    return { bitsPerCycle: this.bitsPerCycle, psumBitsPerCycle: this.psumBitsPerCycle, hopMm: this.hopMm, neighborMm: this.neighborMm };
  }

  /** Width of the psum network, bits per cycle. */
  get psumBitsPerCycle(): number {
    return this.psumLinkBits;
  }

  /** Size the psum network once the PE datapath (and so its peak rate) is known: psumLinkBitsPerCycle. */
  setPsumBitsPerCycle(bits: number): void {
    if (!(Number.isInteger(bits) && bits >= 1)) throw new Error(`${this.path}: psum link must be an integer >= 1 bit per cycle, got ${bits}`);
    this.psumLinkBits = bits;
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

  /** Cycles the filter or ifmap network needs for `bits` (values packed back to back). */
  cyclesFor(bits: number): number {
    return Math.ceil(bits / this.bitsPerCycle);
  }

  /** Cycles the psum network needs for `bits`. */
  psumCyclesFor(bits: number): number {
    return Math.ceil(bits / this.psumBitsPerCycle);
  }

  protected unitAreaUm2(): number {
    return 0;
  }
}
