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
import type { Group, BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode } from '../../sim/scheme.ts';
import { derivedFrom, type LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { macs, weightCount, inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import type { Dram } from '../common/dram.ts';
import type { GlobalBuffer } from '../common/global-buffer.ts';
import type { Noc } from '../common/noc.ts';
import { IntMac } from '../common/int-mac.ts';
import type { PeArray } from '../eyeriss/pe-array.ts';
import { EyerissAccelerator } from '../eyeriss/accelerator.ts';
import { outlierMask, outlierTapTable } from './outlier-lanes.ts';
import { chargeCompulsoryTraffic } from '../common/compulsory-traffic.ts';
import { OutlierAwarePe } from './outlier-aware-pe.ts';
import { outlierActivationMacs, expectedWeightOutlierStall, outlierIndices } from './outliers.ts';

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

export class OlaccelAccelerator implements Accelerator {
  readonly eyeriss: EyerissAccelerator;
  readonly outlierUnits: IntMac;
  readonly params: OlaccelParams;

  constructor(ctx: BuildContext, readonly arch: ArchConfig) {
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
  private get pe(): OutlierAwarePe {
    return this.array.pe.datapath as OutlierAwarePe;
  }

  get peakMacsPerCycle(): number {
    return this.array.peCount * this.params.lanes;
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    const p = this.params;
    const dp = this.pe;
    if (layer.kind === 'add' || layer.kind === 'pool') {
      if (mode !== 'opcount') return this.eyeriss.runLayer(layer, mode);
      const outputs = outputCount(layer);
      const adds = layer.kind === 'pool' ? outputs * layer.R * layer.S : outputs;
      dp.add(adds);
      const dramCycles = this.chargeTraffic(layer);
      const cycles = Math.max(Math.ceil(adds / this.array.peCount), dramCycles, 1);
      return { cycles, utilization: 0 };
    }
    if (!trace) return die(`layer ${layer.name}: the trace has no entry for this layer; the outlier-aware model needs its input activations`);
    const n = macs(layer);
    const act = trace.activations;
    const actOutlier = act
      ? derivedFrom(act, `olaccel:${layer.name}:${p.activationOutlierFraction}`, () => outlierActivationMacs(layer, act, p.activationOutlierFraction))
      : outlierActivationMacs(layer, act, p.activationOutlierFraction);
    const stall = expectedWeightOutlierStall(p.lanes, p.weightOutlierFraction);
    const details = { activationOutlierMacFraction: n > 0 ? actOutlier / n : 0, weightOutlierStallPerStep: stall };
    if (mode === 'opcount') return this.runOpCount(layer, actOutlier, stall, details);
    const fc = layer.kind === 'fc' || act!.shape.length === 2;
    const table = derivedFrom(act!, `olaccel-taps:${layer.name}:${p.activationOutlierFraction}`, () =>
      outlierTapTable(layer, outlierMask(fc ? { ...layer, H: 1, W: 1 } : layer, act!.shape[0]!, outlierIndices(act!.data, p.activationOutlierFraction))),
    );
    dp.setLayer({
      table,
      activationOutlierMacFraction: details.activationOutlierMacFraction,
      weightOutlierFraction: p.weightOutlierFraction,
      weightStall: stall,
      outlierUnits: this.outlierUnits,
      outlierUnitCount: p.outlierMacUnits,
    });
    try {
      const run = this.eyeriss.runLayer(layer, mode);
      return { ...run, utilization: n / (run.cycles * this.peakMacsPerCycle), details: { ...run.details, ...details } };
    } finally {
      dp.setLayer(undefined);
    }
  }

  private runOpCount(layer: Layer, actOutlier: number, stall: number, details: Record<string, unknown>): LayerRun {
    const p = this.params;
    const pe = this.array.pe;
    const dp = this.pe;
    const n = macs(layer);
    const weightOutlier = (n - actOutlier) * p.weightOutlierFraction;
    dp.mac(n - actOutlier - weightOutlier);
    dp.weightOutlierMac(weightOutlier);
    this.outlierUnits.mac(actOutlier);
    pe.filterSpad.read(n);
    pe.ifmapSpad.read(n);
    pe.psumSpad.read(n);
    pe.psumSpad.write(n);
    const dramCycles = this.chargeTraffic(layer);
    const steps = n / (this.array.peCount * p.lanes);
    const denseCycles = Math.ceil(steps * (1 + stall));
    const outlierCycles = Math.ceil(actOutlier / p.outlierMacUnits);
    const compute = Math.max(denseCycles, outlierCycles);
    const cycles = Math.max(compute, dramCycles, 1);
    return {
      cycles,
      utilization: n / (cycles * this.peakMacsPerCycle),
      stalls: { dram: Math.max(0, dramCycles - compute), outlierPath: Math.max(0, outlierCycles - denseCycles) },
      details: { ...details, denseCycles, outlierCycles },
    };
  }

  /** Compulsory traffic: dense values at low width, outliers sparse at high width + index. */
  private chargeTraffic(layer: Layer): number {
    const p = this.params;
    const psumBits = this.arch.datapath.psumBits ?? this.arch.datapath.accumulatorBits ?? 32;
    const sparse = p.outlierBits + p.outlierIndexBits;
    const tensorBits = (count: number, f: number) => count * p.lowBits + Math.round(count * f) * sparse;
    const outputs = outputCount(layer);
    return chargeCompulsoryTraffic(this, {
      weightBits: tensorBits(weightCount(layer), p.weightOutlierFraction),
      inputBits: tensorBits(inputCount(layer), p.activationOutlierFraction),
      outputBits: tensorBits(outputs, p.activationOutlierFraction),
      outputs,
      psumBits,
    });
  }
}
