/**
 * An outlier-aware comparison point in the spirit of OLAccel (Park, Kim, Yoo, ISCA 2018): the
 * Eyeriss-like hierarchy with PEs of low-precision (4-bit) SIMD lanes plus one outlier-weight MAC
 * each, and a separate path of dedicated high-precision MAC units for outlier activations; the two
 * paths update partial sums in a pipelined way, so the layer takes the longer of the two.
 * Most values are stored at 4 bits; outliers (a configurable fraction, 3% by default after the
 * paper's abstract) are stored sparsely at high precision with a position index.
 * op-count mode: cycles are path throughputs, traffic is compulsory. arch / reference: the Eyeriss
 * mapping and event replay on the same hierarchy as the baselines, each pass's compute time the
 * longer of the dense lanes and the outlier units for the outliers that pass reads
 * (outlier-lanes.ts).
 */
import type { BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode, SchemeSummary } from '../../sim/scheme.ts';
import { derivedFrom, type LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { macs, type Layer } from '../../sim/workload.ts';
import { IntMac } from '../common/int-mac.ts';
import { EyerissAccelerator } from '../eyeriss/accelerator.ts';
import { OnEyerissHierarchy } from '../eyeriss/hierarchy-parts.ts';
import { outlierMask, outlierTapTable } from './outlier-lanes.ts';
import { layerHardware, type TensorWidths } from '../eyeriss/tensor-widths.ts';
import { dramBits } from '../eyeriss/mapping-counts.ts';
import { compulsoryCounts } from '../eyeriss/opcount.ts';
import { OutlierAwarePe, type OutlierLayer } from './outlier-aware-pe.ts';
import { outlierActivationMacsPerInput, expectedWeightOutlierStall, outlierIndicesPerInput } from './outliers.ts';
import { spread, runCount, runInputs, layerPerInput, NetworkRuns, type LayerRuns, type PerInputNames } from '../common/per-input.ts';
import { runPerInput } from '../eyeriss/per-input-runs.ts';
import { fmt } from '../../sim/report.ts';

export interface OlaccelParams {
  lowBits: number;
  outlierBits: number;
  activationOutlierFraction: number;
  weightOutlierFraction: number;
  lanes: number;
  outlierMacUnits: number;
  outlierIndexBits: number;
}

export const OLACCEL_DEFAULTS: OlaccelParams = {
  lowBits: 4,
  outlierBits: 8,
  activationOutlierFraction: 0.03,
  weightOutlierFraction: 0.03,
  lanes: 4,
  outlierMacUnits: 28,
  outlierIndexBits: 8,
};

/** OLAccel's per-input figures: the share of MACs reading an outlier activation, the speedup over the same array with every value at 8 bits. */
const PER_INPUT: PerInputNames = { fraction: 'outlierMacFraction', speedup: 'speedupVsAllHigh' };

export class OlaccelAccelerator extends OnEyerissHierarchy implements Accelerator {
  readonly eyeriss: EyerissAccelerator;
  private readonly networkRuns = new NetworkRuns(PER_INPUT);
  readonly outlierUnits: IntMac;
  readonly params: OlaccelParams;
  private readonly file: string | undefined;

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
  ) {
    super();
    this.file = ctx.archFile;
    const p = (this.params = { ...OLACCEL_DEFAULTS, ...(arch.olaccel as Partial<OlaccelParams> | undefined) });
    const acc = arch.datapath.accumulatorBits ?? 32;
    // The Eyeriss-like hierarchy (DRAM, GLB, NoC, row-stationary array) with outlier-aware PEs.
    this.eyeriss = new EyerissAccelerator(ctx, arch, (name, c, parent, _a, instances) =>
      new OutlierAwarePe(name, c, parent, { lowBits: p.lowBits, outlierBits: p.outlierBits, lanes: p.lanes, accumulatorBits: acc }, instances),
    );
    // Outlier activation × (dense) weight on the dedicated high-precision units.
    this.outlierUnits = new IntMac('outlier_macs', ctx, this.root, {
      weightBits: p.lowBits,
      activationBits: p.outlierBits,
      accumulatorBits: acc,
      instances: p.outlierMacUnits,
    });
  }

  private get pe(): OutlierAwarePe {
    return this.array.pe.datapath as OutlierAwarePe;
  }

  get peakMacsPerCycle(): number {
    return this.array.peCount * this.params.lanes;
  }

  /**
   * Widths of the layer's tensors on every level (the Eyeriss widths hook, both modes): dense
   * values at `lowBits`, the outlier fraction sparse at `outlierBits` + its index, as averages per
   * value; outputs as the next layer's inputs (the same outlier fraction).
   */
  widths(layer: Layer): Partial<TensorWidths> {
    const p = this.params;
    const sparse = p.outlierBits + p.outlierIndexBits;
    const act = p.lowBits + p.activationOutlierFraction * sparse;
    if (layer.kind === 'add' || layer.kind === 'pool') return { inputBits: act, outputBits: act };
    return { weightBits: p.lowBits + p.weightOutlierFraction * sparse, inputBits: act, outputBits: act };
  }

  /** The parameters the run used and the network's per-input spread: the report's `summary`. */
  summary(): SchemeSummary {
    const perInput = this.networkRuns.details();
    const line = this.networkRuns.summaryLine(fmt);
    return { data: { parameters: this.params, ...(perInput ? { perInput } : {}) }, lines: line ? [line] : [] };
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    const p = this.params;
    const dp = this.pe;
    if (layer.kind === 'add' || layer.kind === 'pool') {
      const run = this.eyeriss.runLayer(layer, mode, trace, { widths: this.widths(layer) });
      this.networkRuns.addConstant(run.cycles);
      return run;
    }
    if (!trace) return die(`layer ${layer.name}: the trace has no entry for this layer; the outlier-aware model needs its input activations`);
    const n = macs(layer);
    const act = trace.activations;
    // Outlier activations per trace input (each input's own top fraction: causal), as MACs of one image.
    const perInput = act
      ? derivedFrom(act, `olaccel:${layer.name}:${p.activationOutlierFraction}`, () => outlierActivationMacsPerInput(layer, act, p.activationOutlierFraction))
      : outlierActivationMacsPerInput(layer, act, p.activationOutlierFraction);
    const perImage = n / layer.N;
    const runs = Array.from({ length: runCount(layer.N, perInput.length) }, (_, k) => runInputs(k, layer.N, perInput.length));
    const runShare = runs.map((inputs) => (perImage > 0 ? inputs.reduce((a, i) => a + perInput[i]!, 0) / inputs.length / perImage : 0));
    const actFraction = perInput.length > 0 && perImage > 0 ? perInput.reduce((a, b) => a + b, 0) / perInput.length / perImage : 0;
    const stall = expectedWeightOutlierStall(p.lanes, p.weightOutlierFraction);
    // Expected PE cycles per MAC for the mapper, from the parameters (data-free, so causal): the dense
    // lanes with the stall, or the PE's share of the outlier units at the nominal outlier fraction.
    const cyclesPerMac = Math.max((1 + stall) / p.lanes, (p.activationOutlierFraction * this.array.peCount) / p.outlierMacUnits);
    const widths = this.widths(layer);
    const details = { activationOutlierMacFraction: actFraction, weightOutlierStallPerStep: stall, widths, mappingCyclesPerMac: cyclesPerMac };
    const fc = layer.kind === 'fc' || act!.shape.length === 2;
    const table =
      mode === 'opcount'
        ? undefined
        : derivedFrom(act!, `olaccel-taps:${layer.name}:${p.activationOutlierFraction}`, () =>
            outlierTapTable(layer, outlierMask(fc ? { ...layer, H: 1, W: 1 } : layer, act!.shape[0]!, outlierIndicesPerInput(act!.data, act!.shape[0]!, p.activationOutlierFraction))),
          );
    const outlierLayer: OutlierLayer = {
      ...(table ? { table } : {}),
      activationOutlierMacFraction: actFraction,
      weightOutlierFraction: p.weightOutlierFraction,
      weightStall: stall,
      outlierUnits: this.outlierUnits,
      outlierUnitCount: p.outlierMacUnits,
    };
    dp.setLayer(outlierLayer);
    try {
      if (mode === 'opcount') {
        const run = this.eyeriss.runLayer(layer, mode, trace, { widths, cyclesPerMac });
        return this.opCountCycles(layer, runs, runShare, stall, run, details);
      }
      const r = runPerInput(
        this.eyeriss,
        layer,
        mode,
        trace,
        {
          calibration: { widths, cyclesPerMac },
          mean: { widths },
          // Each run on the PE's dense rate; its pass-timing hook adds the weight stall and the run's outlier path.
          runs: runs.map(() => ({ widths, cyclesPerMac: 1 / p.lanes })),
          // Every value at the outlier (high) precision: one MAC per PE per cycle, 8-bit tensors.
          reference: { widths: this.allHighWidths(), cyclesPerMac: 1 },
          point: (t) => dp.setLayer(t === 'nominal' ? undefined : t === 'energy' ? outlierLayer : { ...outlierLayer, inputOffset: t * layer.N }),
        },
        this.file,
      );
      const recorded = this.record(runs, runShare, r.runCycles, r.referenceCycles, n);
      return {
        cycles: r.cycles,
        utilization: n / (r.cycles * this.peakMacsPerCycle),
        stalls: r.stalls,
        details: { ...r.details, ...details, allHighCycles: r.referenceCycles, perInput: layerPerInput(recorded, PER_INPUT), inputsSimulated: r.runCycles.length },
      };
    } finally {
      dp.setLayer(undefined);
    }
  }

  /** Every tensor at the outlier (high) precision: the input-independent run speedups are measured against. */
  private allHighWidths(): Partial<TensorWidths> {
    const b = this.params.outlierBits;
    return { weightBits: b, inputBits: b, outputBits: b };
  }

  private record(runs: readonly number[][], share: readonly number[], cycles: number[], referenceCycles: number, layerMacs: number): LayerRuns {
    const r: LayerRuns = { cycles, referenceCycles, fraction: share, fractionOf: layerMacs, inputsPerRun: runs[0]?.length ?? 1 };
    this.networkRuns.addLayer(r);
    return r;
  }

  /** Op-count cycles per run: the two paths' throughputs, bounded by the DRAM time of the compulsory traffic. */
  private opCountCycles(layer: Layer, runs: readonly number[][], share: readonly number[], stall: number, run: LayerRun, details: Record<string, unknown>): LayerRun {
    const p = this.params;
    const n = macs(layer);
    const dramCyclesAt = (widths: Partial<TensorWidths>) => this.dram.cyclesFor(dramBits(compulsoryCounts(layer), layerHardware(this.eyeriss.hw, { widths })) / 8);
    const dramCycles = dramCyclesAt(this.widths(layer));
    const denseCycles = Math.ceil((n / (this.array.peCount * p.lanes)) * (1 + stall));
    const outlierCycles = share.map((f) => Math.ceil((f * n) / p.outlierMacUnits));
    const perRun = outlierCycles.map((o) => Math.max(denseCycles, o, dramCycles, 1));
    const allHigh = Math.max(Math.ceil(n / this.array.peCount), dramCyclesAt(this.allHighWidths()), 1);
    const recorded = this.record(runs, share, perRun, allHigh, n);
    const cycles = Math.max(1, Math.ceil(spread(perRun).mean));
    const meanOutlier = spread(outlierCycles).mean;
    return {
      cycles,
      utilization: n / (cycles * this.peakMacsPerCycle),
      stalls: { dram: spread(perRun.map((c, k) => c - Math.max(denseCycles, outlierCycles[k]!))).mean, outlierPath: Math.max(0, meanOutlier - denseCycles) },
      details: { ...run.details, ...details, denseCycles, outlierCycles: Math.ceil(meanOutlier), allHighCycles: allHigh, perInput: layerPerInput(recorded, PER_INPUT), inputsSimulated: perRun.length },
    };
  }
}
