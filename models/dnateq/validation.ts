/**
 * DNA-TEQ's published figures next to quantsim's (arXiv 2306.16430, §V): for a network, the
 * average bitwidth, the compression of weights + activations against INT8, and the energy saving
 * against the INT8 linear baseline (eyeriss-int8, op-count mode, the same memory hierarchy); and
 * the energy of one operation at n = 3…7 against one INT8 MAC (the paper's Figure 7 comparison).
 * Nothing here is tuned toward the published numbers; the report explains the differences.
 */
import seedrandom from 'seedrandom';
import { Group } from '../../sim/component.ts';
import { Ledger, breakdownEnergyPj } from '../../sim/ledger.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { loadArch, type Arch } from '../../sim/arch.ts';
import { loadCostTable, type CostTable } from '../../sim/costs.ts';
import { simulate } from '../../sim/simulate.ts';
import { inputCount, weightCount, type Network } from '../../sim/workload.ts';
import type { Trace } from '../../sim/trace.ts';
import { IntMac } from '../common/int-mac.ts';
import { RegisterFile } from '../common/register-file.ts';
import { DnaTeqUnit } from './unit.ts';
import { dnateqSpec } from './spec.ts';
import { quantizeNetwork } from './accelerator.ts';
import type { Candidate, ChoiceProxy } from './search.ts';
import { hasDotProducts } from './operands.ts';
import { maxExponent } from './exponential.ts';

/** The paper's AlexNet figures (§V). Other networks' results are held back for validation. */
export const PUBLISHED_ALEXNET = { averageBits: 5.78, compressionVsInt8: 0.276, energySavingVsInt8: 0.615 } as const;

export interface NetworkValidation {
  network: string;
  traceSource: string;
  traceGenerator: string;
  tauA: number;
  /** Mean of the layers' n (conv/fc layers). */
  averageBits: number;
  /** Bits per stored element, weights and input activations of those layers, sizes as weights. */
  storedBitsPerElement: number;
  /** 1 − stored bits / (8 × elements). */
  compressionVsInt8: number;
  /** 1 − E(dnateq) / E(eyeriss-int8), op-count mode, DRAM included (NaN with an end-to-end proxy). */
  energySavingVsInt8: number;
  /** The same on chip only (DRAM excluded): what the counting datapath itself saves. */
  onChipEnergySavingVsInt8: number;
  bitsPerLayer: Record<string, number>;
  /** The chosen quantizer of each conv/fc layer. */
  choices: Map<string, Candidate>;
}

/** Average bitwidth, compression and energy saving of DNA-TEQ against INT8 on one network and trace. */
export function validateNetwork(network: Network, trace: Trace, arch: Arch = loadArch('dnateq'), baseline: Arch = loadArch('eyeriss-int8'), seed = 1, outputProxy?: ChoiceProxy): NetworkValidation {
  const spec = dnateqSpec(arch.config);
  const { quant, plans } = quantizeNetwork(network, trace, spec, String(Math.floor(seedrandom(`quantsim:${seed}`)() * 2 ** 32)), outputProxy);
  const dot = network.layers.filter(hasDotProducts);
  let stored = 0;
  let elements = 0;
  const bitsPerLayer: Record<string, number> = {};
  for (const l of dot) {
    const p = plans.get(l.name)!;
    bitsPerLayer[l.name] = p.chosen.bits;
    stored += weightCount(l) * (p.chosen.bits + 1) + inputCount(l) * p.inputBits;
    elements += weightCount(l) + inputCount(l);
  }
  // The simulator's DNA-TEQ chooses with the per-layer proxy: with an end-to-end proxy the
  // choices differ, so no energy is reported for them (NaN) rather than one of other choices.
  const energy = (): [number, number] => {
    if (outputProxy) return [Number.NaN, Number.NaN];
    const d = simulate(arch, network, { mode: 'opcount', trace, seed });
    const b = simulate(baseline, network, { mode: 'opcount', seed });
    const onChip = (r: typeof d) => r.totals.energyPj - (r.energyByPartPj.dram ?? 0);
    return [1 - d.totals.energyPj / b.totals.energyPj, 1 - onChip(d) / onChip(b)];
  };
  const [energySaving, onChipSaving] = energy();
  return {
    network: network.name,
    traceSource: trace.source,
    traceGenerator: trace.generator,
    tauA: quant.tauA,
    averageBits: dot.reduce((s, l) => s + bitsPerLayer[l.name]!, 0) / dot.length,
    storedBitsPerElement: stored / elements,
    compressionVsInt8: 1 - stored / (8 * elements),
    energySavingVsInt8: energySaving,
    onChipEnergySavingVsInt8: onChipSaving,
    bitsPerLayer,
    choices: new Map([...plans].map(([name, p]) => [name, p.chosen])),
  };
}

export interface OpEnergyOptions {
  /** Pairs per output of the reference dot product (default 1152 = 3×3×128). */
  dotLength?: number;
  /** Pairs each quantized activation takes part in (default 64: one comparator pass amortized). */
  activationReuse?: number;
  /** Whether β_a terms (AC2 and the term-4 accumulator) run online (default true). */
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
  /** One INT8 MAC with the scratchpad accesses the Eyeriss PE makes per MAC (ifmap, filter, psum read + write). */
  int8PeOpPj: number;
  ratioToInt8Pe: number;
}

/**
 * Energy of one DNA-TEQ operation at n = 3…7 vs one INT8 MAC (Figure 7 comparison): a reference
 * output of `dotLength` non-zero pairs whose counters end with every entry they can hold
 * non-zero (the worst case the paper's LUT argument is about), the comparator pass amortized
 * over `activationReuse` pairs, leakage left out. Charged through the unit's own components.
 */
export function opEnergyByBits(costs: CostTable = loadCostTable(loadArch('dnateq').costsFile), options: OpEnergyOptions = {}): OpEnergyRow[] {
  const K = options.dotLength ?? 1152;
  const reuse = options.activationReuse ?? 64;
  const offsetTerms = options.offsetTerms ?? true;
  const spec = dnateqSpec(loadArch('dnateq').config).unit;
  const rows: OpEnergyRow[] = [];
  for (let bits = 3; bits <= 7; bits++) {
    const ledger = new Ledger();
    const ctx = { costs, ledger, scheduler: new Scheduler(), clockMHz: 200, rng: () => 0.5 };
    const root = new Group('unit_test', ctx);
    const unit = new DnaTeqUnit('unit', ctx, root, spec, 1);
    const weights = new RegisterFile('weight_codes', ctx, unit, 224, 8);
    const acts = new RegisterFile('activation_codes', ctx, unit, 12, 8);
    const E = maxExponent(bits);
    const part = (fn: () => void) => {
      const before = breakdownEnergyPj(ledger.snapshot());
      fn();
      return breakdownEnergyPj(ledger.snapshot()) - before;
    };
    const quantize = part(() => unit.comparatorBank.quantize(K / reuse, bits));
    const count = part(() => {
      unit.counting.count({ bits, updates: K, entries1: Math.min(K, 4 * E + 1), entriesA: Math.min(K, 2 * E + 1), entriesW: Math.min(K, 2 * E + 1), spills: 0, offsetTerms });
      weights.read(K);
      acts.read(K);
    });
    const entries = Math.min(K, 4 * E + 1) + Math.min(K, 2 * E + 1) + (offsetTerms ? Math.min(K, 2 * E + 1) : 0);
    const post = part(() => unit.postProcessing.process(1, entries, offsetTerms ? 4 : 2));
    const macLedger = new Ledger();
    const macCtx = { ...ctx, ledger: macLedger };
    new IntMac('mac', macCtx, undefined, { weightBits: 8, activationBits: 8, accumulatorBits: 32 }).mac(1);
    const int8MacPj = breakdownEnergyPj(macLedger.snapshot());
    // Eyeriss PE scratchpads at INT8 (JSSC 2017 sizes): 12 ifmap, 224 filter entries of 8 bits, 24 psums of 32 bits.
    const peLedger = new Ledger();
    const peCtx = { ...ctx, ledger: peLedger };
    new RegisterFile('ifmap', peCtx, undefined, 12, 8).read(1);
    new RegisterFile('filter', peCtx, undefined, 224, 8).read(1);
    const psum = new RegisterFile('psum', peCtx, undefined, 24, 32);
    psum.read(1);
    psum.write(1);
    const int8PeOpPj = int8MacPj + breakdownEnergyPj(peLedger.snapshot());
    const totalPj = (quantize + count + post) / K;
    rows.push({ bits, quantizePj: quantize / K, countPj: count / K, postprocessPj: post / K, totalPj, int8MacPj, ratioToInt8: totalPj / int8MacPj, int8PeOpPj, ratioToInt8Pe: totalPj / int8PeOpPj });
  }
  return rows;
}
