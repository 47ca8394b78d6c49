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
import { OutlierAwarePe } from './outlier-aware-pe.ts';
import { outlierActivationMacs, expectedWeightOutlierStall, outlierIndicesPerInput } from './outliers.ts';

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

export class OlaccelAccelerator extends OnEyerissHierarchy implements Accelerator {
  readonly eyeriss: EyerissAccelerator;
  readonly outlierUnits: IntMac;
  readonly params: OlaccelParams;

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
  ) {
    super();
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

  /** The parameters the run used, defaults included (the paper gives few of them): the report's `summary`. */
  summary(): SchemeSummary {
    return { data: { parameters: this.params }, lines: [] };
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    const p = this.params;
    const dp = this.pe;
    if (layer.kind === 'add' || layer.kind === 'pool') return this.eyeriss.runLayer(layer, mode, trace, { widths: this.widths(layer) });
    if (!trace) return die(`layer ${layer.name}: the trace has no entry for this layer; the outlier-aware model needs its input activations`);
    const n = macs(layer);
    const act = trace.activations;
    const actOutlier = act
      ? derivedFrom(act, `olaccel:${layer.name}:${p.activationOutlierFraction}`, () => outlierActivationMacs(layer, act, p.activationOutlierFraction))
      : outlierActivationMacs(layer, act, p.activationOutlierFraction);
    const stall = expectedWeightOutlierStall(p.lanes, p.weightOutlierFraction);
    const actFraction = n > 0 ? actOutlier / n : 0;
    // Expected PE cycles per MAC: the dense lanes with the stall, or the PE's share of the outlier units.
    const cyclesPerMac = Math.max((1 + stall) / p.lanes, (actFraction * this.array.peCount) / p.outlierMacUnits);
    const profile = { widths: this.widths(layer), cyclesPerMac };
    const details = { activationOutlierMacFraction: actFraction, weightOutlierStallPerStep: stall, widths: profile.widths, mappingCyclesPerMac: cyclesPerMac };
    const fc = layer.kind === 'fc' || act!.shape.length === 2;
    const table =
      mode === 'opcount'
        ? undefined
        : derivedFrom(act!, `olaccel-taps:${layer.name}:${p.activationOutlierFraction}`, () =>
            outlierTapTable(layer, outlierMask(fc ? { ...layer, H: 1, W: 1 } : layer, act!.shape[0]!, outlierIndicesPerInput(act!.data, act!.shape[0]!, p.activationOutlierFraction))),
          );
    dp.setLayer({
      ...(table ? { table } : {}),
      activationOutlierMacFraction: actFraction,
      weightOutlierFraction: p.weightOutlierFraction,
      weightStall: stall,
      outlierUnits: this.outlierUnits,
      outlierUnitCount: p.outlierMacUnits,
    });
    try {
      const run = this.eyeriss.runLayer(layer, mode, trace, profile);
      if (mode === 'opcount') return this.opCountCycles(layer, actOutlier, stall, run, details);
      return { ...run, utilization: n / (run.cycles * this.peakMacsPerCycle), details: { ...run.details, ...details } };
    } finally {
      dp.setLayer(undefined);
    }
  }

  /** Op-count cycles: the two paths' throughputs, bounded by the DRAM time of the compulsory traffic. */
  private opCountCycles(layer: Layer, actOutlier: number, stall: number, run: LayerRun, details: Record<string, unknown>): LayerRun {
    const p = this.params;
    const n = macs(layer);
    const dramCycles = this.dram.cyclesFor(dramBits(compulsoryCounts(layer), layerHardware(this.eyeriss.hw, { widths: this.widths(layer) })) / 8);
    const denseCycles = Math.ceil((n / (this.array.peCount * p.lanes)) * (1 + stall));
    const outlierCycles = Math.ceil(actOutlier / p.outlierMacUnits);
    const compute = Math.max(denseCycles, outlierCycles);
    const cycles = Math.max(compute, dramCycles, 1);
    return {
      cycles,
      utilization: n / (cycles * this.peakMacsPerCycle),
      stalls: { dram: Math.max(0, dramCycles - compute), outlierPath: Math.max(0, outlierCycles - denseCycles) },
      details: { ...run.details, ...details, denseCycles, outlierCycles },
    };
  }
}
