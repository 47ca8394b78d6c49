/**
 * An array of DNA-TEQ units behind the common memory hierarchy (DRAM, global buffer, NoC from
 * models/common), so it can be set against eyeriss-int8 at equal area or equal throughput
 * (`dnateq.units`). Before the layers run, `prepare` runs the offline search on the trace
 * (cached per trace tensor and parameters) and fixes each layer's n, b, α, β.
 *
 * This is the `system` evaluation view (the whole architecture: DRAM, GLB, NoC, leakage); the
 * `operations` view (operations.ts, the paper's method) is computed from the same counts and
 * cost table for every layer and reported beside it (`summary`). Both modes charge the same
 * operation counts (they are what the trace says the unit does):
 *  - opcount: counts × cost table; cycles = max(work / units, DRAM bytes / bandwidth).
 *  - arch: the same counts, and the unit pipeline replayed on the event scheduler with the DRAM
 *    channel as a stage in front, so cycles include pipeline fill and the slowest stage.
 * Storage: weights are (n+1)-bit codes (sign apart); activations are n-bit codes (+1 sign bit
 * unless non-negative), written back by the producing layer at the consuming layer's bitwidth.
 */
import { Group, type BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode, SchemeSummary } from '../../sim/scheme.ts';
import type { LayerTrace, Trace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { inputCount, outputCount, weightCount, type Layer, type Network } from '../../sim/workload.ts';
import { Dram } from '../common/dram.ts';
import { GlobalBuffer } from '../common/global-buffer.ts';
import { Noc } from '../common/noc.ts';
import { RegisterFile } from '../common/register-file.ts';
import { DnaTeqUnit } from './unit.ts';
import { layerWork, offsetEvaluation, operationsLayer, type OffsetEvaluation } from './operations.ts';
import { hasDotProducts } from './operands.ts';
import { searchLayer, sweepTau, type ChoiceProxy, type Candidate, type LayerSearch, type NetworkQuantization, type SearchParams } from './search.ts';
import { checkBitsAndBase } from './exponential.ts';
import { dnateqSpec, type DnaTeqSpec } from './spec.ts';
import { diskCached } from '../../sim/disk-cache.ts';

/** What the search decided for one layer, plus what the memory model needs. */
export interface LayerPlan {
  readonly search: LayerSearch;
  readonly chosen: Candidate;
  readonly tauA: number;
  readonly tauW: number;
  /** Bits of this layer's input activations as stored (code + sign bit if signed). */
  readonly inputBits: number;
  /** Bits of its outputs as stored: the consuming layer's input bits, FP16 for the last layer. */
  readonly outputBits: number;
  /** How terms 2 and 4 are evaluated on this layer. */
  readonly offset: OffsetEvaluation;
}

const searchCache = new WeakMap<LayerTrace, Map<string, LayerSearch>>();

/** The files whose code decides a search result (part of the disk cache's key). */
const SEARCH_SOURCES = ['models/dnateq/search.ts', 'models/dnateq/exponential.ts', 'models/dnateq/dot-product.ts', 'models/dnateq/operands.ts', 'models/dnateq/operations.ts', 'traces/fit.ts'];

/** Per-layer search, cached on the trace tensor object and the parameters, and on disk (sim/disk-cache.ts) for the next process. */
export function cachedSearch(layer: Layer, trace: LayerTrace | undefined, sp: SearchParams, seed: string, file?: string): LayerSearch {
  if (!trace) return searchLayer(layer, trace, sp, seed, file);
  // The τ sweep's parameters do not change a layer's candidates: leave them out of the key, so a
  // sweep over the budget or thresholds reuses the searches.
  const { tauStart, tauStep, tauMax, tauWeightScale, firstLayerTauFactor, proxyBudget, tauA, ...perLayer } = sp;
  const key = JSON.stringify([layer, perLayer, seed]);
  let byKey = searchCache.get(trace);
  if (!byKey) searchCache.set(trace, (byKey = new Map()));
  let s = byKey.get(key);
  if (!s) {
    const disk = { code: SEARCH_SOURCES, key: [key, trace.layer], tensors: [{ layer: trace, role: 'weights' as const }, { layer: trace, role: 'activations' as const }] };
    byKey.set(key, (s = diskCached('dnateq', disk, () => searchLayer(layer, trace, sp, seed, file))));
  }
  return s;
}

/** Steps 1–4 over a network: per-layer searches, then the τ_a sweep (or τ_a given, or the forced bitwidth). */
export function quantizeNetwork(network: Network, trace: Trace, spec: DnaTeqSpec, seed: string, outputProxy?: ChoiceProxy, file?: string): { quant: NetworkQuantization; plans: Map<string, LayerPlan> } {
  for (const name of trace.layers.keys()) {
    if (!network.layers.some((l) => l.name === name)) die(`trace has layer "${name}" that network "${network.name}" does not have (trace/layer mismatch)`, trace.dir);
  }
  const dot = network.layers.filter(hasDotProducts);
  const searches = dot.map((l) => cachedSearch(l, trace.layers.get(l.name), spec.search, seed, trace.dir));
  // The sweep measures each layer as it will be evaluated (offline terms carry their error).
  const offline = searches.map((s) => s.offline);
  let quant = sweepTau(searches, spec.search, outputProxy, offline);
  if (spec.bits !== undefined) {
    checkBitsAndBase(spec.bits, spec.search.fixedBase ?? 2, 'dnateq.bits');
    const n = spec.bits;
    quant = { ...quant, layers: quant.layers.map((c) => ({ ...c, chosen: c.search.candidates[n - 3]! })) };
  }
  const plans = new Map<string, LayerPlan>();
  const codeBits = (c: LayerPlan['chosen'], nonNeg: boolean) => c.bits + (nonNeg ? 0 : 1);
  quant.layers.forEach((c, i) => {
    const next = quant.layers[i + 1];
    plans.set(dot[i]!.name, {
      search: c.search,
      chosen: c.chosen,
      tauA: c.tauA,
      tauW: c.tauW,
      inputBits: codeBits(c.chosen, c.search.activationsNonNegative),
      outputBits: next ? codeBits(next.chosen, next.search.activationsNonNegative) : 16,
      offset: offsetEvaluation(dot[i]!, c.search, c.chosen, spec.offsetTerms, file),
    });
  });
  return { quant, plans };
}

/** Storage of the dot-product layers' weights and input activations: average bits and both compressions vs INT8. */
export interface Storage {
  /** Mean of the layers' n. */
  averageBits: number;
  /** 1 − n̄/8, n̄ the exponent bits per stored element (element-weighted): the paper's compression (sign bit not counted). */
  compressionExponentBits: number;
  /** 1 − stored bits / (8 × elements), with the sign bit (weights n + 1; activations n, + 1 if signed). */
  compressionStoredBits: number;
  storedBitsPerElement: number;
}

export function storage(network: Network, plans: ReadonlyMap<string, LayerPlan>): Storage {
  let stored = 0;
  let exponent = 0;
  let elements = 0;
  let bits = 0;
  let layers = 0;
  for (const l of network.layers) {
    const p = plans.get(l.name);
    if (!p) continue;
    const e = weightCount(l) + inputCount(l);
    stored += weightCount(l) * (p.chosen.bits + 1) + inputCount(l) * p.inputBits;
    exponent += e * p.chosen.bits;
    elements += e;
    bits += p.chosen.bits;
    layers++;
  }
  return { averageBits: bits / layers, compressionExponentBits: 1 - exponent / (8 * elements), compressionStoredBits: 1 - stored / (8 * elements), storedBitsPerElement: stored / elements };
}

export class DnaTeqAccelerator implements Accelerator {
  readonly root: Group;
  readonly dram: Dram;
  readonly glb: GlobalBuffer;
  readonly noc: Noc;
  readonly units: DnaTeqUnit;
  readonly weightBuffer: RegisterFile;
  readonly activationBuffer: RegisterFile;
  readonly spec: DnaTeqSpec;
  private readonly seed: string;
  private readonly file: string | undefined;
  private network: Network | undefined;
  private plans = new Map<string, LayerPlan>();
  private quant: NetworkQuantization | undefined;
  private readonly ops = { dnateqPj: 0, int8Pj: 0, layers: 0 };
  private readonly costs: BuildContext['costs'];

  constructor(ctx: BuildContext, readonly arch: ArchConfig) {
    this.spec = dnateqSpec(arch);
    this.costs = ctx.costs;
    this.file = ctx.archFile;
    const u = this.spec.units;
    this.root = new Group(arch.name, ctx);
    this.dram = new Dram('dram', ctx, this.root, arch.dram);
    this.glb = new GlobalBuffer('glb', ctx, this.root, arch.globalBuffer);
    this.noc = new Noc('noc', ctx, this.root, arch.noc ?? {});
    this.units = new DnaTeqUnit('unit', ctx, this.root, this.spec.unit, u);
    // Operand codes held next to each unit (8-bit words: the widest code plus its sign).
    this.weightBuffer = new RegisterFile('weight_codes', ctx, this.units, this.spec.weightBufferEntries, 8, u);
    this.activationBuffer = new RegisterFile('activation_codes', ctx, this.units, this.spec.activationBufferEntries, 8, u);
    // One draw from the run's generator seeds the per-layer output sampling, so results do not
    // depend on layer order and the search cache can key on it.
    this.seed = String(Math.floor(ctx.rng() * 2 ** 32));
  }

  get peakMacsPerCycle(): number {
    return this.spec.units * this.spec.unit.updatesPerCycle;
  }

  /** Network-wide search before the layers run (simulate() calls this once). */
  prepare(network: Network, trace?: Trace): void {
    if (!trace) die(`scheme "dnateq" needs a trace: the bitwidths, bases and counter activity come from tensor values`);
    this.network = network;
    const { quant, plans } = quantizeNetwork(network, trace, this.spec, this.seed, undefined, this.file);
    this.quant = quant;
    this.plans = plans;
  }

  /** The search result of the last prepare (for reports and the quantize command). */
  get quantization(): NetworkQuantization | undefined {
    return this.quant;
  }

  /**
   * Both evaluation views named: the report's totals are the `system` view; `operations` (the
   * paper's method) is the sum of the layers' operation energies against the INT8 MAC baseline.
   */
  summary(): SchemeSummary {
    const q = this.quant!;
    const st = storage(this.network!, this.plans);
    const plans = [...this.plans.values()];
    const offline = plans.filter((p) => p.offset === 'offline');
    const worst = offline.reduce((m, p) => Math.max(m, p.chosen.offlineRelError), 0);
    const saving = 1 - this.ops.dnateqPj / this.ops.int8Pj;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const data = {
      views: {
        system: 'the report totals: the whole architecture (DRAM, global buffer, NoC, array, leakage)',
        operations: { dnateqEnergyPj: this.ops.dnateqPj, int8EnergyPj: this.ops.int8Pj, energySavingVsInt8: saving, layers: this.ops.layers },
      },
      tauA: { value: q.tauA, given: q.tauAGiven, proxy: q.proxy, proxyBudget: this.spec.search.proxyBudget, overBudget: q.overBudget },
      averageBits: st.averageBits,
      compressionExponentBits: st.compressionExponentBits,
      compressionStoredBits: st.compressionStoredBits,
      offsetTerms: { configured: this.spec.offsetTerms ?? 'offline where possible', offlineLayers: offline.length, onlineLayers: plans.filter((p) => p.offset === 'online').length, worstOfflineRelError: worst },
      skipZeroActivations: this.spec.skipZeroActivations,
    };
    const lines = [
      `DNA-TEQ — view system: the totals above (DRAM, GLB, NoC, array, leakage); view operations (the paper's method, unit logic + on-chip buffers, no DRAM/array): ${(this.ops.dnateqPj / 1e6).toPrecision(4)} µJ vs INT8 MACs + operand buffers ${(this.ops.int8Pj / 1e6).toPrecision(4)} µJ (saving ${pct(saving)})`,
      `τ_a ${q.tauA} (${q.tauAGiven ? 'given' : `τ sweep, proxy ${q.proxy.toPrecision(3)} ${q.overBudget ? '> budget' : '≤ budget'} ${this.spec.search.proxyBudget}${q.overBudget ? ' already at the first step' : ''}`}); average bits ${st.averageBits.toFixed(2)}; compressionExponentBits ${pct(st.compressionExponentBits)} (1 − n̄/8); compressionStoredBits ${pct(st.compressionStoredBits)} (with the sign bit)`,
      `terms 2 and 4: offline on ${offline.length} layers (worst error vs online ${worst.toPrecision(3)}), online on ${data.offsetTerms.onlineLayers}; skipZeroActivations ${this.spec.skipZeroActivations}`,
    ];
    return { data, lines };
  }

  planFor(layer: string): LayerPlan | undefined {
    return this.plans.get(layer);
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    if (mode === 'reference') die('scheme "dnateq" supports modes opcount and arch, not "reference"');
    if (!this.network) die(`scheme "dnateq": prepare() was not called with the network and trace`);
    if (!hasDotProducts(layer)) return this.runElementwise(layer, mode);
    const plan = this.plans.get(layer.name);
    if (!plan || !trace) return die(`layer "${layer.name}": the trace has no entry for this layer (trace/layer mismatch)`);
    const c = plan.chosen;
    const outputs = outputCount(layer);
    const work = layerWork(layer, trace, c, plan.offset, this.spec.skipZeroActivations, this.file);
    const offsetTerms = work.offsetTerms;
    const ops = operationsLayer(layer, work, this.costs, this.spec);
    this.ops.dnateqPj += ops.dnateqPj;
    this.ops.int8Pj += ops.int8Pj;
    this.ops.layers++;
    const activeBanks = this.units.configure(c.bits, offsetTerms);
    const stageCycles = this.units.perform(work);
    // Operand codes: one weight code and one activation code read per pair walked.
    this.weightBuffer.read(work.pairsWalked);
    this.activationBuffer.read(work.pairsWalked);
    const weightBits = weightCount(layer) * (c.bits + 1);
    const inputBits = inputCount(layer) * plan.inputBits;
    const outputBits = outputs * plan.outputBits;
    const dramCycles = this.traffic(weightBits, inputBits, outputBits, outputs * 16);
    const details: Record<string, unknown> = {
      bits: c.bits,
      base: c.weights.base,
      weights: { alpha: c.weights.alpha, beta: c.weights.beta, rmae: c.rmaeW, rss: plan.search.rssW },
      // zeroCode false: terms 2 and 4 offline, so zero activations take the lowest level.
      activations: { alpha: c.activations.alpha, beta: c.activations.beta, rmae: c.rmaeA, rss: plan.search.rssA, zeroCode: c.activations.zeroCode !== false },
      startsWith: plan.search.startsWith,
      tauA: plan.tauA,
      tauW: plan.tauW,
      outputRelError: c.outputRelError,
      activeBanks: { ac1: activeBanks[0], ac2: activeBanks[1], ac3: activeBanks[2] },
      offsetTermsOnline: offsetTerms,
      // Terms 2 and 4: how they are evaluated, and the error offline evaluation introduces on the
      // trace (relative RMS vs online over the sampled outputs; null where offline is impossible).
      offsetTerms: plan.offset,
      offlineRelError: Number.isFinite(c.offlineRelError) ? c.offlineRelError : null,
      skipZeroActivations: this.spec.skipZeroActivations,
      pairsProcessed: work.pairsWalked,
      views: { operations: { energyPj: ops.dnateqPj, int8EnergyPj: ops.int8Pj, byStagePj: ops.dnateqByStagePj, int8ByPartPj: ops.int8ByPartPj } },
      storedBits: { weights: c.bits + 1, inputs: plan.inputBits, outputs: plan.outputBits },
      // Stored widths per tensor, the figure reports' precision maps read.
      weightBits: c.bits + 1,
      activationBits: plan.inputBits,
    };
    const macs = outputs * (layer.C / layer.groups) * layer.R * layer.S;
    if (mode === 'opcount') {
      const compute = Math.max(stageCycles.quantize, stageCycles.count, stageCycles.postprocess);
      const cycles = Math.max(compute, dramCycles, 1);
      return { cycles, utilization: Math.min(1, macs / (cycles * this.peakMacsPerCycle)), stalls: { dram: Math.max(0, dramCycles - compute) }, details };
    }
    const pipe = this.units.replay(stageCycles, Math.ceil(dramCycles));
    const compute = Math.max(stageCycles.quantize, stageCycles.count, stageCycles.postprocess);
    return {
      cycles: pipe.cycles,
      utilization: Math.min(1, macs / (pipe.cycles * this.peakMacsPerCycle)),
      stalls: { dram: Math.max(0, dramCycles - compute), pipeline: Math.max(0, pipe.cycles - Math.max(compute, dramCycles)) },
      details: { ...details, stageCycles: pipe.busy, occupancy: pipe.occupancy, bottleneck: pipe.bottleneck },
    };
  }

  /** Compulsory traffic through DRAM, global buffer and NoC (as linear op-count does for INT8). */
  private traffic(weightBits: number, inputBits: number, outputBits: number, outputFp16Bits: number): number {
    const glbWords = (bits: number) => Math.ceil(bits / this.glb.wordBits);
    this.dram.read(weightBits + inputBits);
    this.dram.write(outputBits);
    // Post-processing writes FP16 outputs to the buffer; they leave it as codes.
    this.glb.write(glbWords(weightBits + inputBits) + glbWords(outputFp16Bits));
    this.glb.read(glbWords(weightBits + inputBits) + glbWords(outputBits));
    this.noc.deliver(1, weightBits + inputBits + outputFp16Bits);
    return this.dram.cyclesFor((weightBits + inputBits + outputBits) / 8);
  }

  /** Pooling and residual adds: FP16 adds/compares in the post-processing units. */
  private runElementwise(layer: Layer, mode: Mode): LayerRun {
    const outputs = outputCount(layer);
    const ops = layer.kind === 'pool' ? outputs * layer.R * layer.S : outputs;
    this.units.postProcessing.add(ops);
    const bits = this.bitsAround(layer);
    const dramCycles = this.traffic(0, inputCount(layer) * bits, outputs * bits, outputs * 16);
    const compute = Math.ceil(ops / (this.spec.units * this.spec.unit.postProcessing.fpUnits));
    const cycles = Math.max(compute, dramCycles, 1);
    return { cycles, utilization: 0, stalls: { dram: Math.max(0, dramCycles - compute) }, ...(mode === 'arch' ? { details: { storedBits: bits } } : {}) };
  }

  /** Stored bits of the activations around a pool/add: those of the next dot-product layer's input. */
  private bitsAround(layer: Layer): number {
    const layers = this.network!.layers;
    for (let i = layers.indexOf(layer) + 1; i < layers.length; i++) {
      const p = this.plans.get(layers[i]!.name);
      if (p) return p.inputBits;
    }
    return 16;
  }
}
