/**
 * DRQ accelerator (Song et al., ISCA 2020): the Eyeriss-like hierarchy (DRAM, global buffer,
 * NoC, PE array on the row-stationary mapping) with variable-speed mixed-precision PEs, the
 * sensitive-region predictor, and the region masks moved alongside the feature maps.
 *
 * Per layer the mask comes from the trace (sensitivity.ts) and the MACs split by the precision of
 * the input value they read (region-macs.ts).
 *  - opcount: total multiplier-cycles over all multipliers (perfect balance), bounded by DRAM
 *    time; compulsory traffic with input values at the precision of their region, weights and
 *    outputs at the high width, one mask bit per region.
 *  - arch / reference: the Eyeriss mapping and event replay, with each pass's compute time from
 *    the masks under the lockstep rule (mixed-precision-array.ts); traffic as Eyeriss counts it
 *    (values in 8-bit containers) plus the mask bits.
 * Both charge the predictor (one filter + compare per input value) and the MACs at their widths.
 */
import type { BuildContext, Group } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode } from '../../sim/scheme.ts';
import { derivedFrom, type LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { macs, weightCount, inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import type { Dram } from '../common/dram.ts';
import type { GlobalBuffer } from '../common/global-buffer.ts';
import type { Noc } from '../common/noc.ts';
import type { PeArray } from '../eyeriss/pe-array.ts';
import type { DatapathFactory } from '../eyeriss/pe.ts';
import { EyerissAccelerator } from '../eyeriss/accelerator.ts';
import { chargeCompulsoryTraffic } from '../common/compulsory-traffic.ts';
import { SensitiveTapTable, type PrecisionCosts } from './mixed-precision-array.ts';
import { VariableSpeedPe, type LayerPrecision } from './variable-speed-pe.ts';
import { SensitivityDetector } from './sensitivity-detector.ts';
import { sensitivityMask, lowPrecisionValueFraction, isCausal, perInputSensitiveFractions, type RegionMask } from './sensitivity.ts';
import { splitMacs, highMacsPerInput } from './region-macs.ts';
import { replay } from '../eyeriss/replay.ts';
import { spread, runCount, runInputs, layerPerInput, NetworkRuns } from './per-input.ts';
import { drqParams, type DrqParams } from './params.ts';

const NON_CAUSAL_NOTE =
  'non-causal predictor: the threshold is taken over the whole trace batch (thresholdMode relative/fraction without drq.calibration), which hardware streaming one input cannot know';

/** Mean stall cycles per cause over runs. */
function meanStalls(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of all) for (const [k, v] of Object.entries(s)) out[k] = (out[k] ?? 0) + v / all.length;
  return out;
}

export class DrqAccelerator implements Accelerator {
  readonly eyeriss: EyerissAccelerator;
  readonly detector: SensitivityDetector;
  readonly params: DrqParams;
  private readonly cost: PrecisionCosts;
  private readonly scheduler: BuildContext['scheduler'];
  private readonly networkRuns = new NetworkRuns();

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
    readonly file = ctx.archFile,
  ) {
    this.params = drqParams(arch, file);
    this.scheduler = ctx.scheduler;
    const p = this.params;
    const factory: DatapathFactory = (name, c, parent, a, instances) =>
      new VariableSpeedPe(
        name,
        c,
        parent,
        {
          multiplierBits: p.multiplierBits,
          multipliersPerPe: p.multipliersPerPe,
          cyclesPerMac: p.cyclesPerMac,
          weightBits: p.high.weightBits,
          activationBits: p.high.activationBits,
          accumulatorBits: a.datapath.accumulatorBits ?? 32,
        },
        instances,
      );
    this.eyeriss = new EyerissAccelerator(ctx, arch, factory);
    this.detector = new SensitivityDetector('detector', ctx, this.eyeriss.root, p.high.activationBits, p.filterSize);
    const pe = this.pe;
    this.cost = {
      high: pe.multiplierCyclesFor(p.high.weightBits, p.high.activationBits),
      low: pe.multiplierCyclesFor(p.low.weightBits, p.low.activationBits),
    };
  }

  get root(): Group {
    return this.eyeriss.root;
  }
  get dram(): Dram {
    return this.eyeriss.dram;
  }
  get glb(): GlobalBuffer {
    return this.eyeriss.glb;
  }
  get noc(): Noc {
    return this.eyeriss.noc;
  }
  get array(): PeArray {
    return this.eyeriss.array;
  }
  get pe(): VariableSpeedPe {
    return this.eyeriss.array.pe.datapath as VariableSpeedPe;
  }

  get peakMacsPerCycle(): number {
    return (this.array.peCount * this.params.multipliersPerPe) / this.cost.low;
  }

  /** Network totals per input (arch and op-count): reported under the report's `details`. */
  networkDetails(): Record<string, unknown> {
    const perInput = this.networkRuns.details();
    const causal = isCausal(this.params);
    return {
      ...(perInput ? { perInput } : {}),
      causal,
      ...(causal ? {} : { note: NON_CAUSAL_NOTE }),
    };
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    if (layer.kind === 'add' || layer.kind === 'pool') {
      const run = mode !== 'opcount' ? this.eyeriss.runLayer(layer, mode) : this.runElementwise(layer);
      this.networkRuns.addConstant(run.cycles);
      return run;
    }
    if (!trace) return die(`layer ${layer.name}: the trace has no entry for this layer; DRQ needs its input activations`);
    const p = this.params;
    const act = trace.activations;
    const computeMask = () => sensitivityMask(layer, act, p, { file: this.file, path: '/drq' });
    const mask = act ? derivedFrom(act, `drq:${layer.name}:${JSON.stringify(p)}`, computeMask) : computeMask();
    const split = splitMacs(layer, mask);
    const n = macs(layer);
    const lowValues = lowPrecisionValueFraction(mask);
    const maskBits = mask.policy === 'regions' ? (mask.mask.length * layer.N * p.maskBitsPerRegion) / mask.N : 0;
    this.detector.detect(inputCount(layer));
    const causal = isCausal(p);
    const details: Record<string, unknown> = {
      sensitiveFraction: mask.sensitiveFraction,
      lowPrecisionValueFraction: lowValues,
      highPrecisionMacFraction: n > 0 ? split.highMacs / n : 0,
      thresholdUsed: mask.thresholdUsed,
      // Where the threshold comes from: calibration inputs (causal), a constant, or the batch (not causal).
      threshold: p.calibration ? { calibration: p.calibration } : { mode: p.thresholdMode, value: p.threshold },
      causal,
      ...(causal ? {} : { note: NON_CAUSAL_NOTE }),
      policy: mask.policy,
      regions: mask.mask.length,
      lockstep: p.lockstep,
      // Mean activation width over the layer's input values (regions at low or high precision).
      activationBits: lowValues * p.low.activationBits + (1 - lowValues) * p.high.activationBits,
      weightBits: p.high.weightBits,
    };
    const runs = this.runsOf(layer, mask);
    if (mode === 'opcount') return this.runOpCount(layer, split, runs, lowValues, maskBits, details);

    const pe = this.pe;
    const precision: LayerPrecision = {
      // Per input tensor and parameters, like the mask: the table also carries the pass-time memo.
      table: act ? derivedFrom(act, `drq-taps:${layer.name}:${JSON.stringify(p)}`, () => new SensitiveTapTable(layer, mask)) : new SensitiveTapTable(layer, mask),
      cost: this.cost,
      lockstep: p.lockstep,
      inputOffset: 0,
      highMacFraction: n > 0 ? split.highMacs / n : 0,
      high: p.high,
      low: p.low,
    };
    pe.setLayer(precision);
    try {
      const run = this.eyeriss.runLayer(layer, mode);
      this.chargeMask(maskBits);
      // Reference mode replays input 0 only (it is for small validation layers); arch replays every input.
      const count = mode === 'arch' ? runs.count : 1;
      const replays = [{ cycles: run.cycles, stalls: run.stalls ?? {} }];
      for (let k = 1; k < count; k++) {
        pe.setLayer({ ...precision, inputOffset: k * layer.N });
        replays.push(this.replayCycles(layer));
      }
      pe.setLayer(undefined);
      const allHighCycles = this.replayCycles(layer).cycles;
      const layerRuns = { ...runs, cycles: replays.map((r) => r.cycles).slice(0, count), sensitiveFraction: runs.sensitiveFraction.slice(0, count), sensitiveRegions: runs.sensitiveRegions.slice(0, count), allHighCycles };
      this.networkRuns.addLayer(layerRuns);
      const cycles = Math.max(1, Math.ceil(spread(layerRuns.cycles).mean));
      const stalls = meanStalls(replays.map((r) => r.stalls));
      // Utilization against DRQ's peak (every multiplier on 4×4 MACs), not the 8×8 nominal rate.
      return {
        cycles,
        utilization: n / (cycles * this.peakMacsPerCycle),
        stalls,
        details: { ...run.details, ...details, allHighCycles, perInput: layerPerInput(layerRuns), inputsSimulated: count },
      };
    } finally {
      pe.setLayer(undefined);
    }
  }

  /** Cycles and stalls of one replay of the mapped layer under the PE's current precision (no energy charged). */
  private replayCycles(layer: Layer): { cycles: number; stalls: Record<string, number> } {
    const m = this.eyeriss.mapLayer(layer);
    this.scheduler.reset();
    const { timeline } = this.eyeriss.timeline(layer, m);
    const r = replay(timeline, this.eyeriss.replayResources(), this.scheduler);
    return { cycles: Math.max(1, r.cycles), stalls: { ...r.stalls } };
  }

  /** The runs that cover every trace input once: high MACs and sensitive regions per run. */
  private runsOf(layer: Layer, mask: RegionMask): { count: number; highMacs: number[]; sensitiveFraction: number[]; sensitiveRegions: number[]; regions: number } {
    const count = runCount(layer.N, mask.N);
    const perInputHigh = highMacsPerInput(layer, mask);
    const perInputFraction = perInputSensitiveFractions(mask);
    const regionsPerInput = mask.mask.length / mask.N;
    const regions = mask.policy === 'regions' ? regionsPerInput * layer.N : 0;
    const highMacs: number[] = [];
    const sensitiveFraction: number[] = [];
    const sensitiveRegions: number[] = [];
    for (let k = 0; k < count; k++) {
      const inputs = runInputs(k, layer.N, mask.N);
      highMacs.push(inputs.reduce((a, i) => a + perInputHigh[i]!, 0));
      const f = inputs.reduce((a, i) => a + perInputFraction[i]!, 0) / inputs.length;
      sensitiveFraction.push(f);
      sensitiveRegions.push(mask.policy === 'regions' ? f * regions : 0);
    }
    return { count, highMacs, sensitiveFraction, sensitiveRegions, regions };
  }

  private runOpCount(
    layer: Layer,
    split: { highMacs: number; lowMacs: number },
    runs: ReturnType<DrqAccelerator['runsOf']>,
    lowValues: number,
    maskBits: number,
    details: Record<string, unknown>,
  ): LayerRun {
    const p = this.params;
    const n = macs(layer);
    const pe = this.array.pe;
    this.pe.macAt(split.highMacs, p.high.weightBits, p.high.activationBits);
    this.pe.macAt(split.lowMacs, p.low.weightBits, p.low.activationBits);
    // Per MAC: one filter and one ifmap operand read, one psum read-modify-write (Eyeriss §IV).
    pe.filterSpad.read(n);
    pe.ifmapSpad.read(n);
    pe.psumSpad.read(n);
    pe.psumSpad.write(n);
    const inputBits = inputCount(layer) * (lowValues * p.low.activationBits + (1 - lowValues) * p.high.activationBits);
    const dramCycles = this.chargeTraffic(layer, inputBits) + this.chargeMask(maskBits);
    const lanes = this.array.peCount * p.multipliersPerPe;
    // Each run: its own inputs' MAC split on perfectly balanced multipliers, bounded by DRAM time.
    const runCycles = runs.highMacs.map((high) => Math.max(Math.ceil((high * this.cost.high + (n - high) * this.cost.low) / lanes), dramCycles, 1));
    const allHighCycles = Math.max(Math.ceil((n * this.cost.high) / lanes), dramCycles, 1);
    const layerRuns = { ...runs, cycles: runCycles, allHighCycles };
    this.networkRuns.addLayer(layerRuns);
    const cycles = Math.max(1, Math.ceil(spread(runCycles).mean));
    const computeCycles = Math.ceil((split.highMacs * this.cost.high + split.lowMacs * this.cost.low) / lanes);
    return {
      cycles,
      utilization: n / (cycles * this.peakMacsPerCycle),
      stalls: { dram: Math.max(0, cycles - Math.min(cycles, computeCycles)) },
      details: { ...details, allHighCycles, perInput: layerPerInput(layerRuns), inputsSimulated: runs.count },
    };
  }

  /** Mask bits: written with the feature map, read back through the buffer to the PEs. */
  private chargeMask(maskBits: number): number {
    if (maskBits === 0) return 0;
    this.dram.write(maskBits);
    this.dram.read(maskBits);
    const words = Math.ceil(maskBits / this.glb.wordBits);
    this.glb.write(words);
    this.glb.read(words);
    this.noc.deliver(1, maskBits);
    return this.dram.cyclesFor((2 * maskBits) / 8);
  }

  /** Compulsory traffic of one layer (op-count mode); returns the DRAM cycles it needs. */
  private chargeTraffic(layer: Layer, inputBits: number): number {
    const p = this.params;
    const psumBits = this.arch.datapath.psumBits ?? this.arch.datapath.accumulatorBits ?? 32;
    const outputs = outputCount(layer);
    return chargeCompulsoryTraffic(this, { weightBits: weightCount(layer) * p.high.weightBits, inputBits, outputBits: outputs * p.high.activationBits, outputs, psumBits });
  }

  /** Pooling and residual adds (op-count mode): accumulator adds at the high width, no mask. */
  private runElementwise(layer: Layer): LayerRun {
    const outputs = outputCount(layer);
    const adds = layer.kind === 'pool' ? outputs * layer.R * layer.S : outputs;
    this.pe.add(adds);
    const dramCycles = this.chargeTraffic(layer, inputCount(layer) * this.params.high.activationBits);
    const computeCycles = Math.ceil(adds / this.array.peCount);
    const cycles = Math.max(computeCycles, dramCycles, 1);
    return { cycles, utilization: 0, stalls: { dram: Math.max(0, dramCycles - computeCycles) } };
  }
}
