/**
 * The `operations` evaluation view — the paper's method (arXiv 2306.16430, §V: energy "without
 * assuming any specific architecture by counting the total number of operations"): per layer,
 * operation counts × the cost table's per-operation energy of the DNA-TEQ unit's logic and its
 * on-chip buffers (comparator bank and boundary buffer, exponent adder, array counters, term-4
 * accumulator, post-processing LUT and FP16 units, weight- and activation-code buffers), against
 * an INT8 baseline of MACs (8×8 product, 32-bit accumulation) and the same kind of on-chip buffer
 * accesses (one weight and one activation read per pair, from buffers of the code buffers' size).
 * No DRAM, no global buffer, no NoC, no array, no leakage. The `system` view is the simulator's
 * report (accelerator.ts); both read one cost table and one set of counts (`layerWork`).
 *
 * Zero handling is the same for both designs: with `datapath.skipZeroActivations` false every
 * pair is processed (dense), with true the pairs whose activation is exactly zero are not —
 * `processedPairs` gives both designs the same count.
 */
import { Group } from '../../sim/component.ts';
import { Ledger, breakdownEnergyPj } from '../../sim/ledger.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import type { CostTable } from '../../sim/costs.ts';
import { die } from '../../sim/errors.ts';
import { macs, outputCount, inputCount, type Layer } from '../../sim/workload.ts';
import { IntMac } from '../common/int-mac.ts';
import { RegisterFile } from '../common/register-file.ts';
import { DnaTeqUnit, type UnitSpec, type UnitWork } from './unit.ts';
import type { Candidate, LayerSearch } from './search.ts';
import type { LayerTrace } from '../../sim/trace.ts';
import { zeroActivationFraction } from '../common/zero-gating.ts';
import type { DnaTeqSpec } from './spec.ts';

/** How a layer evaluates terms 2 and 4: precomputed, counted online, or absent (β_a = 0). */
export type OffsetEvaluation = 'offline' | 'online' | 'none';

/**
 * Terms 2 and 4 for one layer. Configured `offline` on a layer whose activations are negative
 * (or whose right operand is an activation, a matmul) is a user error naming the layer.
 */
export function offsetEvaluation(layer: Layer, search: LayerSearch, chosen: Candidate, configured: DnaTeqSpec['offsetTerms'], file?: string): OffsetEvaluation {
  const possible = offlinePossible(layer, search.activationsNonNegative);
  if (configured === 'offline' && !possible) {
    const why = layer.kind === 'matmul' ? 'its right operand is computed at run time, not known offline' : 'its activations are negative on the trace';
    return die(`layer "${layer.name}": dnateq.offsetTerms "offline" needs non-negative activations and weights known offline (${why}); use "online"`, file, '/dnateq/offsetTerms');
  }
  if (chosen.activations.beta === 0) return 'none';
  return possible && configured !== 'online' ? 'offline' : 'online';
}

/** Terms 2 and 4 can be precomputed: activations non-negative, the other operand a weight tensor. */
export function offlinePossible(layer: Layer, activationsNonNegative: boolean): boolean {
  return activationsNonNegative && layer.kind !== 'matmul';
}

/**
 * Pairs a design processes in a layer: every MAC (dense), or those whose activation is non-zero —
 * the Eyeriss-derived designs' rule and fraction (models/common/zero-gating.ts: over MAC pairs,
 * padding taps read zeros), so DNA-TEQ and the INT8 baselines count the same pairs.
 */
export function processedPairs(layer: Layer, trace: LayerTrace | undefined, skipZeroActivations: boolean, file?: string): number {
  return skipZeroActivations ? macs(layer) * (1 - zeroActivationFraction(layer, trace, file)) : macs(layer);
}

/** One layer's work for the whole array, from the chosen candidate's counter statistics on the trace. */
export function layerWork(layer: Layer, trace: LayerTrace | undefined, chosen: Candidate, offset: OffsetEvaluation, skipZeroActivations: boolean, file?: string): UnitWork {
  const st = chosen.stats;
  const outputs = outputCount(layer);
  const pairs = processedPairs(layer, trace, skipZeroActivations, file);
  return {
    bits: chosen.bits,
    // A matmul's right operand is an activation too: the comparator bank quantizes both.
    activations: inputCount(layer) + (layer.kind === 'matmul' ? layer.N * layer.M * (layer.C / layer.groups) : 0),
    outputs,
    pairsWalked: pairs,
    // Each processed pair is one counting step (a dense design spends it on zero codes too).
    updates: pairs,
    entries1: Math.round(outputs * st.nonZeroAc1),
    entriesA: Math.round(outputs * st.nonZeroAcA),
    entriesW: Math.round(outputs * st.nonZeroAcW),
    spills: Math.round(outputs * st.spillsPerOutput),
    offsetTerms: offset === 'online',
    offlineConstants: offset === 'offline' ? outputs : 0,
  };
}

/** A lone DNA-TEQ unit with its code buffers on a fresh ledger (no array, no memory hierarchy). */
export function operationsUnit(costs: CostTable, unitSpec: UnitSpec, weightEntries: number, activationEntries: number) {
  const ledger = new Ledger();
  const ctx = { costs, ledger, scheduler: new Scheduler(), clockMHz: 200, rng: () => 0.5 };
  const root = new Group('operations', ctx);
  const unit = new DnaTeqUnit('unit', ctx, root, unitSpec, 1);
  const weightCodes = new RegisterFile('weight_codes', ctx, unit, weightEntries, 8);
  const activationCodes = new RegisterFile('activation_codes', ctx, unit, activationEntries, 8);
  /** Energy charged while `fn` runs, pJ. */
  const part = (fn: () => void): number => {
    const before = breakdownEnergyPj(ledger.snapshot());
    fn();
    return breakdownEnergyPj(ledger.snapshot()) - before;
  };
  return { unit, weightCodes, activationCodes, part };
}

/** The INT8 baseline of the operations view: one MAC per pair and the operand reads. */
export function int8OperationsUnit(costs: CostTable, weightEntries: number, activationEntries: number) {
  const ledger = new Ledger();
  const ctx = { costs, ledger, scheduler: new Scheduler(), clockMHz: 200, rng: () => 0.5 };
  const mac = new IntMac('int8_mac', ctx, undefined, { weightBits: 8, activationBits: 8, accumulatorBits: 32 });
  const weights = new RegisterFile('weights', ctx, undefined, weightEntries, 8);
  const activations = new RegisterFile('activations', ctx, undefined, activationEntries, 8);
  return {
    /** Energy of `pairs` products + accumulations and their operand reads, pJ, split. */
    run(pairs: number): { macPj: number; buffersPj: number } {
      const before = breakdownEnergyPj(ledger.snapshot());
      mac.mac(pairs);
      const macPj = breakdownEnergyPj(ledger.snapshot()) - before;
      weights.read(pairs);
      activations.read(pairs);
      return { macPj, buffersPj: breakdownEnergyPj(ledger.snapshot()) - before - macPj };
    },
  };
}

export interface OperationsLayer {
  layer: string;
  pairs: number;
  dnateqPj: number;
  int8Pj: number;
  /** DNA-TEQ by stage: per-layer set-up (boundaries, LUT, bank gating), quantize (comparator bank), count (+ code buffers), post-process. */
  dnateqByStagePj: { setup: number; quantize: number; count: number; postprocess: number };
  int8ByPartPj: { mac: number; buffers: number };
}

/** The operations view of one layer: DNA-TEQ's unit work against INT8 MACs on the same pairs. */
export function operationsLayer(layer: Layer, work: UnitWork, costs: CostTable, spec: DnaTeqSpec): OperationsLayer {
  const u = operationsUnit(costs, spec.unit, spec.weightBufferEntries, spec.activationBufferEntries);
  const setup = u.part(() => u.unit.configure(work.bits, work.offsetTerms));
  const quantize = u.part(() => u.unit.comparatorBank.quantize(work.activations, work.bits));
  const count = u.part(() => {
    u.unit.counting.count(work);
    u.weightCodes.read(work.pairsWalked);
    u.activationCodes.read(work.pairsWalked);
  });
  const postprocess = u.part(() => u.unit.postProcess(work));
  const int8 = int8OperationsUnit(costs, spec.weightBufferEntries, spec.activationBufferEntries).run(work.pairsWalked);
  return {
    layer: layer.name,
    pairs: work.pairsWalked,
    dnateqPj: setup + quantize + count + postprocess,
    int8Pj: int8.macPj + int8.buffersPj,
    dnateqByStagePj: { setup, quantize, count, postprocess },
    int8ByPartPj: { mac: int8.macPj, buffers: int8.buffersPj },
  };
}
