/**
 * Counting stage of the DNA-TEQ unit (arXiv 2306.16430, §IV-B): a controller, an exponent adder
 * (ea + ew), an accumulator for term 4 and three array counters — AC1 for exponent sums (term 1),
 * AC2 for weight exponents (term 2) and AC3 for activation exponents (term 3), as in the paper's
 * CONV3 example where, with terms 2 and 4 computed offline, AC1 and AC3 are the active counters.
 * The sign s = s_a XOR s_w decides increment or decrement. Every pair the controller walks is
 * one counting step (a dense design spends it on zero codes too; see operations.ts).
 */
import { Component, Group, type Action, type BuildContext } from '../../sim/component.ts';
import { ArrayCounter } from './array-counter.ts';

export interface CountingStageSpec {
  counterBits: number;
  /** Width of the term-4 accumulator, bits. */
  accumulatorBits: number;
}

export const DEFAULT_COUNTING: CountingStageSpec = { counterBits: 8, accumulatorBits: 16 };

/** Exponent adder (n+1-bit signed sum) and the term-4 accumulator: two small integer adders. */
class ExponentAdder extends Component {
  private readonly addOp: Action;
  constructor(name: string, ctx: BuildContext, parent: Component, readonly bits: number, instances: number) {
    super(name, ctx, parent, instances);
    this.addOp = this.action('add', ctx.costs.energyPj('int_adder', 'add', { bits }));
  }
  add(count: number): void {
    this.charge(this.addOp, count);
  }
  protected unitAreaUm2(): number {
    return this.ctx.costs.areaUm2('int_adder', { bits: this.bits });
  }
}

export interface CountingWork {
  bits: number;
  /** Counting steps (pairs walked), in total. */
  updates: number;
  /** Non-zero entries drained per counter, in total, and spills per counter. */
  entries1: number;
  entriesA: number;
  entriesW: number;
  /** Counter updates that spilled an entry first (charged as one extra read). */
  spills: number;
  /** Whether terms 2 and 4 (β_a) are counted online (AC2 + the term-4 accumulator). */
  offsetTerms: boolean;
}

export class CountingStage extends Group {
  readonly ac1: ArrayCounter;
  /** AC3: indexed by the activation exponent (term 3, α_a β_w). */
  readonly acA: ArrayCounter;
  /** AC2: indexed by the weight exponent (term 2, β_a α_w); gated when term 2 is offline or β_a = 0. */
  readonly acW: ArrayCounter;
  private readonly exponentAdder: ExponentAdder;
  private readonly accumulator: ExponentAdder;

  constructor(name: string, ctx: BuildContext, parent: Component, spec: CountingStageSpec, instances: number) {
    super(name, ctx, parent, instances);
    // Exponent codes of 7 bits sum to 8 bits (§IV-B: AC1 indexes the 253 sums).
    this.exponentAdder = new ExponentAdder('exponent_adder', ctx, this, 8, instances);
    this.accumulator = new ExponentAdder('term4_accumulator', ctx, this, spec.accumulatorBits, instances);
    this.ac1 = new ArrayCounter('ac1', ctx, this, { banks: 16, entriesPerBank: 16, counterBits: spec.counterBits, indexes: 'sum' }, instances);
    this.acA = new ArrayCounter('ac3', ctx, this, { banks: 16, entriesPerBank: 8, counterBits: spec.counterBits, indexes: 'single' }, instances);
    this.acW = new ArrayCounter('ac2', ctx, this, { banks: 16, entriesPerBank: 8, counterBits: spec.counterBits, indexes: 'single' }, instances);
  }

  /** Power-gate for a layer; returns the active banks of AC1, AC2, AC3. */
  configure(bits: number, offsetTerms: boolean): [number, number, number] {
    return [this.ac1.configure(bits), this.acW.configure(bits, offsetTerms), this.acA.configure(bits)];
  }

  count(w: CountingWork): void {
    this.exponentAdder.add(w.updates);
    this.ac1.update(w.updates, w.spills);
    this.acA.update(w.updates);
    this.ac1.drain(w.entries1);
    this.acA.drain(w.entriesA);
    if (w.offsetTerms) {
      this.acW.update(w.updates);
      this.acW.drain(w.entriesW);
      this.accumulator.add(w.updates);
    }
  }
}
