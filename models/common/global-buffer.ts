/**
 * On-chip global buffer: a banked SRAM with a port of limited bandwidth. The port is a
 * scheduler resource, so transfers that collide on it stall instead of overlapping for free.
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import { Resource } from '../../sim/scheduler.ts';
import { SramBuffer } from './sram-buffer.ts';

export interface GlobalBufferSpec {
  kib: number;
  banks?: number;
  wordBits?: number;
  bytesPerCycle?: number;
}

export class GlobalBuffer extends SramBuffer {
  readonly port: Resource;
  readonly bytesPerCycle: number;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: GlobalBufferSpec) {
    const wordBits = spec.wordBits ?? 64;
    super(name, ctx, parent, { bytes: spec.kib * 1024, wordBits, banks: spec.banks ?? 1 });
    // Default: one word per bank per cycle.
    this.bytesPerCycle = spec.bytesPerCycle ?? (this.banks * wordBits) / 8;
    this.port = new Resource(`${this.path}.port`);
  }

  override hardwareSpec(): Readonly<Record<string, number | string | boolean>> {
    return { ...super.hardwareSpec(), kib: this.bytes / 1024, bytesPerCycle: this.bytesPerCycle };
  }

  /** Cycles the port needs to move `bytes`. */
  cyclesFor(bytes: number): number {
    return Math.ceil(bytes / this.bytesPerCycle);
  }
}
