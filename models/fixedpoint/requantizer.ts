/**
 * What a requantizer is built from, as a parts list of cost-table entries: one place turns the
 * list into per-operation energy and area, so the two requantizers (and their ratio) are
 * computed from the table the same way. A requantizer runs once per output element (or per
 * module output) leaving the array; `units` of them work in parallel, one output each per cycle.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import type { CostTable } from '../../sim/costs.ts';
import { die } from '../../sim/errors.ts';

export interface RequantizerSpec {
  /** Width of the accumulator value that comes in. */
  accumulatorBits: number;
  /** Width of the quantized value that goes out. */
  outputBits: number;
  /** Width of the real scale as a fixed-point integer (scale-multiply only). */
  scaleBits?: number;
  /** Requantizers working in parallel (default one per array column). */
  units?: number;
}

export interface RequantizerPart {
  /** Role in the block (`shifter`, `round_clip`, `scale_multiplier`, …). */
  role: string;
  cls: string;
  action: string;
  args: Record<string, number>;
  /** Copies per requantizer, all active on every operation. */
  count: number;
}

export interface PartCost extends RequantizerPart {
  energyPj: number;
  areaUm2: number;
}

export interface RequantizerCost {
  energyPj: number;
  areaUm2: number;
  parts: PartCost[];
}

/** Per-operation energy and per-unit area of a parts list, from the cost table. */
export function partsCost(costs: CostTable, parts: readonly RequantizerPart[]): RequantizerCost {
  const rows = parts.map((p) => ({
    ...p,
    energyPj: p.count * costs.energyPj(p.cls, p.action, p.args),
    areaUm2: p.count * costs.areaUm2(p.cls, p.args),
  }));
  return { energyPj: rows.reduce((s, r) => s + r.energyPj, 0), areaUm2: rows.reduce((s, r) => s + r.areaUm2, 0), parts: rows };
}

export function checkRequantizerSpec(spec: RequantizerSpec): void {
  const bits = (v: number | undefined, name: string, lo: number, hi: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= lo && v <= hi)) die(`requantizer ${name} must be an integer in ${lo}..${hi}, got ${v}`, undefined, `/requantizer/${name}`);
  };
  bits(spec.accumulatorBits, 'accumulatorBits', 2, 64);
  bits(spec.outputBits, 'outputBits', 2, 32);
  bits(spec.scaleBits, 'scaleBits', 2, 32);
  bits(spec.units, 'units', 1, 65536);
  if (spec.outputBits > spec.accumulatorBits) {
    die(`requantizer output (${spec.outputBits} bits) is wider than its input accumulator (${spec.accumulatorBits} bits)`, undefined, '/requantizer/outputBits');
  }
}

export abstract class Requantizer extends Component {
  readonly units: number;
  readonly perOp: RequantizerCost;
  private readonly op: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: RequantizerSpec, parts: readonly RequantizerPart[]) {
    checkRequantizerSpec(spec);
    const units = spec.units ?? 1;
    super(name, ctx, parent, units);
    this.units = units;
    this.perOp = partsCost(ctx.costs, parts);
    this.op = this.action('requantize', this.perOp.energyPj);
  }

  /** Requantize `count` values. */
  requantize(count: number): void {
    this.charge(this.op, count);
  }

  /** Cycles the units need for `count` values (pipelined, one per unit per cycle). */
  cyclesFor(count: number): number {
    return Math.ceil(count / this.units);
  }

  protected unitAreaUm2(): number {
    return this.perOp.areaUm2;
  }
}

/** Rounding and saturation shared by both requantizers: the `bits`-wide kept value plus its
 * rounding bit (the last bit shifted out), saturated to the output width (synthesized block
 * scripts/costs/verilog/round_clip32.v). */
export function roundClipPart(bits: number, spec: RequantizerSpec): RequantizerPart {
  return { role: 'round_clip', cls: 'round_clip', action: 'round_clip', args: { bits, outputBits: spec.outputBits }, count: 1 };
}
