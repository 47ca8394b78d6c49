/**
 * DRQ accelerator (Song et al., ISCA 2020): the Eyeriss-like hierarchy (DRAM, global buffer,
 * NoC, PE array on the row-stationary mapping) with variable-speed mixed-precision PEs, the
 * sensitive-region predictor, and the region masks moved alongside the feature maps.
 *
 * Per layer the mask comes from the trace (sensitivity.ts), the MACs split by the precision of
 * the input value they read (region-macs.ts), and every tensor is stored and moved at its real
 * width through the hierarchy's widths hook (layer-widths.ts), the same in both modes:
 *  - opcount: the compulsory counts at those widths (as Eyeriss's op-count mode); cycles are the
 *    multiplier-cycles over all multipliers (perfect balance), bounded by DRAM time;
 *  - arch / reference: the Eyeriss mapping, searched with the expected cycles per MAC of the
 *    layer's precision mix (from the calibration inputs), and the event replay with each pass's
 *    compute time from the masks under the lockstep rule (mixed-precision-array.ts).
 * Every trace input is simulated on its own (per-input.ts): one op-count figure or one replay per
 * input; the layer reports the mean and the spread. Both modes charge the predictor (one filter +
 * compare per input value) and the MACs at their widths.
 */
import type { BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode, SchemeSummary } from '../../sim/scheme.ts';
import { fmt } from '../../sim/report.ts';
import { derivedFrom, type LayerTrace, type Trace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { macs, inputCount, type Layer, type Network } from '../../sim/workload.ts';
import { EyerissAccelerator } from '../eyeriss/accelerator.ts';
import { OnEyerissHierarchy } from '../eyeriss/hierarchy-parts.ts';
import { layerHardware, type LayerProfile } from '../eyeriss/tensor-widths.ts';
import { dramBits } from '../eyeriss/mapping-counts.ts';
import { compulsoryCounts } from '../eyeriss/opcount.ts';
import { SensitiveTapTable, type PrecisionCosts } from './mixed-precision-array.ts';
import { variableSpeedPes, type LayerPrecision, type VariableSpeedPe } from './variable-speed-pe.ts';
import { SensitivityDetector } from './sensitivity-detector.ts';
import { lowPrecisionValueFraction, isCausal, perInputSensitiveFractions, type RegionMask } from './sensitivity.ts';
import { splitMacs, highMacsPerInput } from './region-macs.ts';
import { inputWidths, regionMaskOf, outputWidthsOf, drqTensorWidths, elementwiseWidths, type InputWidths } from './layer-widths.ts';
import { spread, runCount, runInputs, layerPerInput, NetworkRuns, type LayerRuns, type PerInputNames } from '../common/per-input.ts';
import { runPerInput } from '../eyeriss/per-input-runs.ts';
import { drqParams, type DrqParams } from './params.ts';

/** DRQ's per-input figures: the sensitive share of regions, the speedup over the same array with every value at 8 bits. */
const PER_INPUT: PerInputNames = { fraction: 'sensitiveFraction', speedup: 'speedupVsAllHigh' };

const NON_CAUSAL_NOTE =
  'non-causal predictor: the threshold is taken over the whole trace batch (thresholdMode relative/fraction without drq.calibration), which hardware streaming one input cannot know';

/** What one layer's runs need: per-run inputs, widths and MAC split. */
interface LayerPlan {
  readonly runs: { inputs: number[]; highMacs: number; sensitiveFraction: number }[];
  readonly regions: number;
  /** Profiles: over all trace inputs (energy), over the calibration inputs (mapping), per run (timing). */
  readonly mean: LayerProfile;
  readonly calibration: LayerProfile;
  profileOf(inputs: readonly number[]): LayerProfile;
}

export class DrqAccelerator extends OnEyerissHierarchy implements Accelerator {
  readonly eyeriss: EyerissAccelerator;
  readonly detector: SensitivityDetector;
  readonly params: DrqParams;
  private readonly cost: PrecisionCosts;
  private readonly networkRuns = new NetworkRuns(PER_INPUT);
  private network: Network | undefined;
  private trace: Trace | undefined;

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
    readonly file = ctx.archFile,
  ) {
    super();
    this.params = drqParams(arch, file);
    const p = this.params;
    this.eyeriss = new EyerissAccelerator(ctx, arch, variableSpeedPes(p));
    this.detector = new SensitivityDetector('detector', ctx, this.eyeriss.root, p.high.activationBits, p.filterSize);
    const pe = this.pe;
    this.cost = {
      high: pe.multiplierCyclesFor(p.high.weightBits, p.high.activationBits),
      low: pe.multiplierCyclesFor(p.low.weightBits, p.low.activationBits),
    };
  }

  get pe(): VariableSpeedPe {
    return this.eyeriss.array.pe.datapath as VariableSpeedPe;
  }

  get peakMacsPerCycle(): number {
    return (this.array.peCount * this.params.multipliersPerPe) / this.cost.low;
  }

  /** Network totals per input (arch and op-count), the parameters and the causality note: the report's `summary`. */
  summary(): SchemeSummary {
    const perInput = this.networkRuns.details();
    const causal = isCausal(this.params);
    const line = this.networkRuns.summaryLine(fmt);
    const lines: string[] = line ? [line] : [];
    if (!causal) lines.push(`note: ${NON_CAUSAL_NOTE}`);
    return {
      // Every parameter the run used, defaults included (most are not given by the paper).
      data: { parameters: this.params, ...(perInput ? { perInput } : {}), causal, ...(causal ? {} : { note: NON_CAUSAL_NOTE }) },
      lines,
    };
  }

  prepare(network: Network, trace?: Trace): void {
    this.network = network;
    this.trace = trace;
  }

  /** The layer's region mask, once per layer trace and parameters (and on disk: layer-widths.ts). */
  private maskOf(layer: Layer, trace: LayerTrace | undefined): RegionMask {
    return regionMaskOf(layer, trace, this.params, this.file);
  }

  /** Widths the layer's output is written at: its next reader's inputs (layer-widths.ts). */
  private outputWidths(layer: Layer, traceInputs: number): InputWidths {
    return outputWidthsOf(this.network, this.trace, layer, traceInputs, this.params, this.file);
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    const p = this.params;
    if (layer.kind === 'add' || layer.kind === 'pool') {
      const run = this.eyeriss.runLayer(layer, mode, trace, { widths: elementwiseWidths(this.outputWidths(layer, 1), p) });
      this.networkRuns.addConstant(run.cycles);
      return run;
    }
    if (!trace) return die(`layer ${layer.name}: the trace has no entry for this layer; DRQ needs its input activations`);
    const mask = this.maskOf(layer, trace);
    const split = splitMacs(layer, mask);
    const n = macs(layer);
    const lowValues = lowPrecisionValueFraction(mask);
    this.detector.detect(inputCount(layer));
    const causal = isCausal(p);
    const plan = this.planOf(layer, mask);
    const w = plan.mean.widths!;
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
      // Mean widths over the trace (bits per value) the layer's tensors are stored and moved at.
      activationBits: w.inputBits,
      widths: w,
      mappingCyclesPerMac: plan.calibration.cyclesPerMac,
      weightBits: p.high.weightBits,
    };
    const pe = this.pe;
    const precision: LayerPrecision = {
      // Per input tensor and parameters, like the mask: the table also carries the pass-time memo.
      table: derivedFrom(trace, `drq-taps:${layer.name}:${JSON.stringify(p)}`, () => new SensitiveTapTable(layer, mask)),
      cost: this.cost,
      lockstep: p.lockstep,
      inputOffset: 0,
      highMacFraction: n > 0 ? split.highMacs / n : 0,
      high: p.high,
      low: p.low,
    };
    pe.setLayer(precision);
    try {
      if (mode === 'opcount') return this.runOpCount(layer, trace, plan, details);
      return this.runTimed(layer, mode, trace, plan, precision, details);
    } finally {
      pe.setLayer(undefined);
    }
  }

  /** Runs covering every trace input once, with their MAC splits and the layer's width profiles. */
  private planOf(layer: Layer, mask: RegionMask): LayerPlan {
    const p = this.params;
    const count = runCount(layer.N, mask.N);
    const perInputHigh = highMacsPerInput(layer, mask);
    const perInputFraction = perInputSensitiveFractions(mask);
    const regions = mask.policy === 'regions' ? (mask.mask.length / mask.N) * layer.N : 0;
    const runs = Array.from({ length: count }, (_, k) => {
      const inputs = runInputs(k, layer.N, mask.N);
      const f = inputs.reduce((a, i) => a + perInputFraction[i]!, 0) / inputs.length;
      return { inputs, highMacs: inputs.reduce((a, i) => a + perInputHigh[i]!, 0), sensitiveFraction: f };
    });
    const input = inputWidths(mask, p);
    const output = this.outputWidths(layer, mask.N);
    const perImageMacs = macs(layer) / layer.N;
    const profileOf = (inputs: readonly number[]): LayerProfile => {
      const hf = perImageMacs > 0 ? inputs.reduce((a, i) => a + perInputHigh[i]!, 0) / inputs.length / perImageMacs : 1;
      const widths = drqTensorWidths(input, output, inputs, p, this.eyeriss.hw.psumBits);
      // Expected PE cycles per MAC of this precision mix: what the mapper scores candidates with.
      return { widths, cyclesPerMac: (hf * this.cost.high + (1 - hf) * this.cost.low) / p.multipliersPerPe };
    };
    const all = Array.from({ length: mask.N }, (_, i) => i);
    // Causal: the mapping is chosen from the calibration inputs, as the threshold is.
    const cal = p.calibration ? all.slice(0, Math.max(1, Math.min(mask.N, p.calibration.inputs))) : all;
    return { runs, regions, mean: profileOf(all), calibration: profileOf(cal), profileOf };
  }

  /** The layer's runs as figures for the per-input report and the network totals. */
  private recordRuns(plan: LayerPlan, cycles: number[], referenceCycles: number): LayerRuns {
    const r: LayerRuns = {
      cycles,
      referenceCycles,
      fraction: plan.runs.map((x) => x.sensitiveFraction).slice(0, cycles.length),
      fractionOf: plan.regions,
      inputsPerRun: plan.runs[0]?.inputs.length ?? 1,
    };
    this.networkRuns.addLayer(r);
    return r;
  }

  /**
   * Arch and reference mode: the mapping from the calibration mix, one timed run per input at its
   * own widths and masks, the all-high run, energy at the mean widths (models/eyeriss/per-input-runs.ts).
   */
  private runTimed(layer: Layer, mode: 'arch' | 'reference', trace: LayerTrace, plan: LayerPlan, precision: LayerPrecision, details: Record<string, unknown>): LayerRun {
    const p = this.params;
    const n = macs(layer);
    const r = runPerInput(
      this.eyeriss,
      layer,
      mode,
      trace,
      {
        calibration: plan.calibration,
        mean: plan.mean,
        runs: plan.runs.map((run) => plan.profileOf(run.inputs)),
        // The same array with every value at high precision: nominal pass times, 8-bit inputs, no mask.
        reference: { widths: { inputBits: p.high.activationBits, inputMetaBits: 0 }, cyclesPerMac: this.cost.high / p.multipliersPerPe },
        point: (t) => this.pe.setLayer(t === 'nominal' ? undefined : t === 'energy' ? precision : { ...precision, inputOffset: t * layer.N }),
      },
      this.file,
    );
    const runs = this.recordRuns(plan, r.runCycles, r.referenceCycles);
    return {
      cycles: r.cycles,
      // Utilization against DRQ's peak (every multiplier on 4×4 MACs), not the 8×8 nominal rate.
      utilization: n / (r.cycles * this.peakMacsPerCycle),
      stalls: r.stalls,
      details: { ...r.details, ...details, allHighCycles: r.referenceCycles, perInput: layerPerInput(runs, PER_INPUT), inputsSimulated: runs.cycles.length },
    };
  }

  /** Op-count mode: compulsory counts at the mean widths; per run its MAC split on balanced multipliers, bounded by its DRAM time. */
  private runOpCount(layer: Layer, trace: LayerTrace, plan: LayerPlan, details: Record<string, unknown>): LayerRun {
    const p = this.params;
    const n = macs(layer);
    this.eyeriss.runLayer(layer, 'opcount', trace, plan.mean);
    const counts = compulsoryCounts(layer);
    const lanes = this.array.peCount * p.multipliersPerPe;
    const dramOf = (profile: LayerProfile) => this.dram.cyclesFor(dramBits(counts, layerHardware(this.eyeriss.hw, profile)) / 8);
    const computes = plan.runs.map((r) => Math.ceil((r.highMacs * this.cost.high + (n - r.highMacs) * this.cost.low) / lanes));
    const drams = plan.runs.map((r) => dramOf(plan.profileOf(r.inputs)));
    const cyclesPerRun = computes.map((c, k) => Math.max(c, drams[k]!, 1));
    const allHighCycles = Math.max(Math.ceil((n * this.cost.high) / lanes), dramOf({ widths: { inputBits: p.high.activationBits, inputMetaBits: 0 } }), 1);
    const runs = this.recordRuns(plan, cyclesPerRun, allHighCycles);
    const cycles = Math.max(1, Math.ceil(spread(cyclesPerRun).mean));
    return {
      cycles,
      utilization: n / (cycles * this.peakMacsPerCycle),
      stalls: { dram: spread(cyclesPerRun.map((c, k) => c - computes[k]!)).mean },
      details: { ...details, allHighCycles, perInput: layerPerInput(runs, PER_INPUT), inputsSimulated: runs.cycles.length },
    };
  }
}
