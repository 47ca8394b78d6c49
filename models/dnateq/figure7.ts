/**
 * DNA-TEQ's per-operation energy against INT8 (arXiv 2306.16430, Figure 7), two ways:
 *  - `countingStepByBits`: what Figure 7 compares — "a single counting step" against "an INT8 MAC
 *    operation, that is, the product and accumulation": the exponent adder and the array-counter
 *    updates of one pair (AC1 and AC3; AC2 and the term-4 accumulator too with terms 2 and 4
 *    online) vs one 8×8 product + 32-bit accumulation. Logic and counter SRAM only, no operand reads.
 *  - `opEnergyByBits`: the whole per-pair cost in a layer, quantization and post-processing
 *    included, against an INT8 MAC with the same operand-buffer reads (the operations view's
 *    baseline).
 * Each ratio comes with the range it takes when every estimated cost entry it depends on moves
 * ×2 and ÷2 (`estimateRange`): the estimated classes are found by recording the lookups.
 */
import { loadArch } from '../../sim/arch.ts';
import { loadCostTable, type CostTable } from '../../sim/costs.ts';
import { Ledger, breakdownEnergyPj } from '../../sim/ledger.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { IntMac } from '../common/int-mac.ts';
import { maxExponent } from './exponential.ts';
import { dnateqSpec } from './spec.ts';
import { int8OperationsUnit, operationsUnit } from './operations.ts';

const defaultCosts = () => loadCostTable(loadArch('dnateq').costsFile);
const unitSpec = () => dnateqSpec(loadArch('dnateq').config);

/**
 * A view of a cost table that records the classes whose looked-up entries are estimates, so a
 * sensitivity range can move exactly those.
 */
export function recordingCosts(costs: CostTable): { costs: CostTable; estimated: Set<string> } {
  const estimated = new Set<string>();
  const view = Object.create(costs) as CostTable;
  view.energyPj = (cls, action, args = {}) => {
    if (costs.resolve(cls, { kind: 'energy', action }, args).estimate) estimated.add(cls);
    return costs.energyPj(cls, action, args);
  };
  return { costs: view, estimated };
}

/**
 * min and max of `ratio(costs)` over every combination of ×2 / ÷2 on the estimated classes it
 * reads (the energy is linear in each entry, so the extremes are at the corners). Class level:
 * a class's every entry moves together.
 */
export function estimateRange(costs: CostTable, ratio: (c: CostTable) => number): { value: number; low: number; high: number; estimated: string[] } {
  const rec = recordingCosts(costs);
  const value = ratio(rec.costs);
  // Components resolve every action they have when built: keep the classes the ratio depends on.
  const estimated = [...rec.estimated].sort().filter((cls) => Math.abs(ratio(costs.with({ energyScale: { [cls]: 2 } })) - value) > 1e-12 * Math.abs(value));
  let low = value;
  let high = value;
  for (let mask = 0; mask < 2 ** estimated.length; mask++) {
    const energyScale = Object.fromEntries(estimated.map((cls, i) => [cls, mask & (1 << i) ? 2 : 0.5]));
    const r = ratio(costs.with({ energyScale }));
    low = Math.min(low, r);
    high = Math.max(high, r);
  }
  return { value, low, high, estimated };
}

function int8MacPj(costs: CostTable): number {
  const ledger = new Ledger();
  new IntMac('mac', { costs, ledger, scheduler: new Scheduler(), clockMHz: 200, rng: () => 0.5 }, undefined, { weightBits: 8, activationBits: 8, accumulatorBits: 32 }).mac(1);
  return breakdownEnergyPj(ledger.snapshot());
}

export interface CountingStepRow {
  bits: number;
  countingStepPj: number;
  int8MacPj: number;
  ratio: number;
  /** The ratio with every estimated entry it reads ×/÷2, and those classes. */
  ratioLow: number;
  ratioHigh: number;
  estimated: string[];
}

/** One counting step vs one INT8 product + accumulation, n = 3…7 (Figure 7's comparison). */
export function countingStepByBits(costs: CostTable = defaultCosts(), offsetTermsOnline = false): CountingStepRow[] {
  const spec = unitSpec();
  const step = (c: CostTable, bits: number) => {
    const u = operationsUnit(c, spec.unit, spec.weightBufferEntries, spec.activationBufferEntries);
    u.unit.counting.configure(bits, offsetTermsOnline);
    return u.part(() => u.unit.counting.count({ bits, updates: 1, entries1: 0, entriesA: 0, entriesW: 0, spills: 0, offsetTerms: offsetTermsOnline }));
  };
  const rows: CountingStepRow[] = [];
  for (let bits = 3; bits <= 7; bits++) {
    const r = estimateRange(costs, (c) => step(c, bits) / int8MacPj(c));
    rows.push({ bits, countingStepPj: step(costs, bits), int8MacPj: int8MacPj(costs), ratio: r.value, ratioLow: r.low, ratioHigh: r.high, estimated: r.estimated });
  }
  return rows;
}

export interface OpEnergyOptions {
  /** Pairs per output of the reference dot product (default 1152 = 3×3×128). */
  dotLength?: number;
  /** Pairs each quantized activation takes part in (default 64: one comparator pass amortized). */
  activationReuse?: number;
  /** Whether terms 2 and 4 run online (AC2 and the term-4 accumulator; default false: offline). */
  offsetTerms?: boolean;
}

export interface OpEnergyRow {
  bits: number;
  /** Per operation (one weight × activation pair), pJ, by stage. */
  quantizePj: number;
  countPj: number;
  postprocessPj: number;
  totalPj: number;
  /** One INT8 MAC (8×8 multiply, 32-bit accumulate) of the same cost table. */
  int8MacPj: number;
  ratioToInt8: number;
  /** One INT8 MAC with its two operand reads from buffers of the code buffers' size (the operations view's baseline). */
  int8OpPj: number;
  ratioToInt8Op: number;
  ratioToInt8OpLow: number;
  ratioToInt8OpHigh: number;
  estimated: string[];
}

/**
 * Per-pair energy of a DNA-TEQ layer at n = 3…7 with quantization and post-processing: a
 * reference output of `dotLength` pairs whose counters end with every entry they can hold
 * non-zero (the worst case the paper's LUT argument is about), the comparator pass amortized
 * over `activationReuse` pairs, leakage left out. Charged through the unit's own components.
 */
export function opEnergyByBits(costs: CostTable = defaultCosts(), options: OpEnergyOptions = {}): OpEnergyRow[] {
  const K = options.dotLength ?? 1152;
  const reuse = options.activationReuse ?? 64;
  const online = options.offsetTerms ?? false;
  const spec = unitSpec();
  const perPair = (c: CostTable, bits: number) => {
    const u = operationsUnit(c, spec.unit, spec.weightBufferEntries, spec.activationBufferEntries);
    const E = maxExponent(bits);
    const quantize = u.part(() => u.unit.comparatorBank.quantize(K / reuse, bits));
    const entries1 = Math.min(K, 4 * E + 1);
    const entriesA = Math.min(K, 2 * E + 1);
    const entriesW = online ? Math.min(K, 2 * E + 1) : 0;
    const work = { bits, activations: K / reuse, outputs: 1, pairsWalked: K, updates: K, entries1, entriesA, entriesW, spills: 0, offsetTerms: online, offlineConstants: online ? 0 : 1 };
    const count = u.part(() => {
      u.unit.counting.count(work);
      u.weightCodes.read(K);
      u.activationCodes.read(K);
    });
    const post = u.part(() => u.unit.postProcess(work));
    const int8 = int8OperationsUnit(c, spec.weightBufferEntries, spec.activationBufferEntries).run(1);
    return { quantize: quantize / K, count: count / K, post: post / K, int8Op: int8.macPj + int8.buffersPj };
  };
  const rows: OpEnergyRow[] = [];
  for (let bits = 3; bits <= 7; bits++) {
    const p = perPair(costs, bits);
    const totalPj = p.quantize + p.count + p.post;
    const mac = int8MacPj(costs);
    const r = estimateRange(costs, (c) => {
      const q = perPair(c, bits);
      return (q.quantize + q.count + q.post) / q.int8Op;
    });
    rows.push({ bits, quantizePj: p.quantize, countPj: p.count, postprocessPj: p.post, totalPj, int8MacPj: mac, ratioToInt8: totalPj / mac, int8OpPj: p.int8Op, ratioToInt8Op: r.value, ratioToInt8OpLow: r.low, ratioToInt8OpHigh: r.high, estimated: r.estimated });
  }
  return rows;
}
