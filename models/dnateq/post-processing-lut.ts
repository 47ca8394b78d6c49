/**
 * Post-processing stage of the DNA-TEQ unit (arXiv 2306.16430, §IV-C): an FP16 table of the
 * layer's base powers b^k (k = −2E…2E, loaded per layer), FP16 multipliers and adders. Per output:
 * one multiply-accumulate per non-zero counter entry (count × b^k), one per spilled entry, one
 * coefficient multiply per term (α_a α_w, β_a α_w, α_a β_w, β_a β_w) and the adds between terms;
 * with terms 2 and 4 offline, one precomputed constant per output read and added instead.
 * Its work grows with the table (≈ 2^(n+1) entries), which is why 7-bit layers cost more per
 * operation than an INT8 MAC.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { SramBuffer } from '../common/sram-buffer.ts';
import { maxExponent } from './exponential.ts';

export interface PostProcessingSpec {
  /** Table size, bytes (255 FP16 powers for 7 bits → 512 B). */
  lutBytes: number;
  /** FP16 multiply-accumulate units working in parallel. */
  fpUnits: number;
}

export const DEFAULT_POST_PROCESSING: PostProcessingSpec = { lutBytes: 512, fpUnits: 2 };

export class PostProcessingLut extends Component {
  readonly spec: PostProcessingSpec;
  readonly lut: SramBuffer;
  private readonly mulOp: Action;
  private readonly addOp: Action;

  constructor(name: string, ctx: BuildContext, parent: Component, spec: PostProcessingSpec, instances = 1) {
    super(name, ctx, parent, instances);
    this.spec = spec;
    this.lut = new SramBuffer('lut', ctx, this, { bytes: spec.lutBytes, wordBits: 16, banks: 1, instances });
    this.mulOp = this.action('fp16_multiply', ctx.costs.energyPj('fp_multiplier', 'multiply', { format: 'fp16' }));
    this.addOp = this.action('fp16_add', ctx.costs.energyPj('fp_adder', 'add', { format: 'fp16' }));
  }

  /** Powers of b a layer at n bits needs: exponent sums −2E…2E. */
  static entriesFor(bits: number): number {
    return 4 * maxExponent(bits) + 1;
  }

  /** Load the layer's table into every unit (once per layer). */
  loadTable(bits: number): void {
    this.lut.write(PostProcessingLut.entriesFor(bits) * this.instances);
  }

  /**
   * Post-process `outputs` outputs with `entries` non-zero counter entries (spills included)
   * in total and `terms` terms per output; `constants` precomputed per-output constants (terms
   * 2 and 4 offline, read from the table's buffer and added). Returns the FP16-unit cycles per
   * output on average.
   */
  process(outputs: number, entries: number, terms: number, constants = 0): number {
    this.lut.read(entries + constants);
    this.charge(this.mulOp, entries + terms * outputs);
    this.charge(this.addOp, entries + (terms - 1) * outputs + constants);
    const opsPerOutput = outputs > 0 ? (entries + terms * outputs + constants) / outputs : 0;
    return Math.ceil(opsPerOutput / this.spec.fpUnits);
  }

  /** FP16 additions outside dot products (pooling, residual adds). */
  add(count: number): void {
    this.charge(this.addOp, count);
  }

  protected unitAreaUm2(): number {
    const c = this.ctx.costs;
    return this.spec.fpUnits * (c.areaUm2('fp_multiplier', { format: 'fp16' }) + c.areaUm2('fp_adder', { format: 'fp16' }));
  }
}
