/**
 * Quantization stage of the DNA-TEQ unit (arXiv 2306.16430, §IV-A): an FP16 activation is
 * compared with the layer's sorted decision boundaries, held in a 256 B multi-banked buffer
 * (worst case 7 bits: 127 FP16 boundaries). Eight comparators, each fed by a 16:1 multiplexer
 * over the banks, compare eight boundaries per cycle; their outputs form a thermometer code and a
 * leading-one encoder turns it into the exponent code. Eight comparators split the remaining
 * interval into nine per cycle, so n bits take ⌈log₉ 2^n⌉ cycles — 1, 2, 2, 2, 3 for n = 3…7,
 * which is the paper's ⌈n/3⌉ (the default of `cyclesPerActivation`).
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { SramBuffer } from '../common/sram-buffer.ts';
import { levelCount } from './exponential.ts';

export interface ComparatorBankSpec {
  /** Boundary buffer size, bytes (paper: 256). */
  bufferBytes: number;
  bufferBanks: number;
  comparators: number;
  /** Inputs of the multiplexer in front of each comparator (paper: 16). */
  muxInputs: number;
  /** Width of activations and boundaries, bits (FP16). */
  valueBits: number;
  /** Cycles per activation at n bits; default ⌈n/3⌉. */
  cyclesPerActivation?: (bits: number) => number;
}

export const DEFAULT_COMPARATOR_BANK: ComparatorBankSpec = {
  bufferBytes: 256,
  bufferBanks: 16,
  comparators: 8,
  muxInputs: 16,
  valueBits: 16,
};

/**
 * The hardware's search, functionally: each cycle the comparators test up to `comparators`
 * evenly spaced boundaries of the remaining interval; the leading one of the thermometer code
 * narrows it. Returns the number of boundaries ≤ |x| (the magnitude code, 0 = zero) and cycles.
 */
export function comparatorSearch(absX: number, bounds: ArrayLike<number>, comparators: number): { index: number; cycles: number } {
  let lo = 0;
  let hi = bounds.length;
  let cycles = 0;
  while (lo < hi) {
    cycles++;
    const span = hi - lo;
    let newLo = lo;
    let newHi = hi;
    // Probe every boundary left, or `comparators` evenly spaced ones splitting the span in k+1.
    const k = Math.min(comparators, span);
    for (let j = 1; j <= k; j++) {
      const probe = span <= comparators ? lo + j - 1 : lo + Math.floor((j * span) / (k + 1));
      if (bounds[probe]! <= absX) newLo = Math.max(newLo, probe + 1);
      else newHi = Math.min(newHi, probe);
    }
    lo = newLo;
    hi = newHi;
  }
  return { index: lo, cycles };
}

export class ComparatorBank extends Component {
  readonly spec: ComparatorBankSpec;
  readonly boundaryBuffer: SramBuffer;
  private readonly compareOp: Action;
  private readonly selectOp: Action;
  private readonly encodeOp: Action;

  constructor(name: string, ctx: BuildContext, parent: Component, spec: ComparatorBankSpec, instances = 1) {
    super(name, ctx, parent, instances);
    this.spec = spec;
    this.boundaryBuffer = new SramBuffer('boundary_buffer', ctx, this, { bytes: spec.bufferBytes, wordBits: spec.valueBits, banks: spec.bufferBanks, instances });
    const c = ctx.costs;
    this.compareOp = this.action('compare', c.energyPj('comparator', 'compare', { bits: spec.valueBits }));
    this.selectOp = this.action('mux_select', c.energyPj('mux', 'select', { bits: spec.valueBits, inputs: spec.muxInputs }));
    this.encodeOp = this.action('leading_one', c.energyPj('leading_one_encoder', 'encode', { inputs: spec.comparators }));
  }

  cyclesPerActivation(bits: number): number {
    return this.spec.cyclesPerActivation ? this.spec.cyclesPerActivation(bits) : Math.ceil(bits / 3);
  }

  /** Load the layer's 2^n − 1 boundaries into every unit's buffer (once per layer). */
  loadBoundaries(bits: number): number {
    const words = levelCount(bits);
    this.boundaryBuffer.write(words * this.instances);
    return words;
  }

  /** Quantize `activations` FP16 values (all units together); returns comparator-bank cycles. */
  quantize(activations: number, bits: number): number {
    const cycles = activations * this.cyclesPerActivation(bits);
    const probes = cycles * this.spec.comparators;
    this.boundaryBuffer.read(probes);
    this.charge(this.selectOp, probes);
    this.charge(this.compareOp, probes);
    this.charge(this.encodeOp, cycles);
    return cycles;
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    const s = this.spec;
    return (
      s.comparators * (c.areaUm2('comparator', { bits: s.valueBits }) + c.areaUm2('mux', { bits: s.valueBits, inputs: s.muxInputs })) +
      c.areaUm2('leading_one_encoder', { inputs: s.comparators })
    );
  }
}
