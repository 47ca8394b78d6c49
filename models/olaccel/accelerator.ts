/**
 * An outlier-aware comparison point in the spirit of OLAccel (Park, Kim, Yoo, ISCA 2018): the
 * Eyeriss-like hierarchy with PEs of low-precision (4-bit) SIMD lanes plus one outlier-weight MAC
 * each, and a separate path of dedicated high-precision MAC units for outlier activations; the two
 * paths update partial sums in a pipelined way, so the layer takes the longer of the two.
 * Most values are stored at 4 bits; outliers (a configurable fraction, 3% by default after the
 * paper's abstract) are stored sparsely at high precision with a position index.
 * Op-count fidelity only: cycles are path throughputs, traffic is compulsory.
 */
import { Group, type BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode } from '../../sim/scheme.ts';
import { derivedFrom, type LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { macs, weightCount, inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import { Dram } from '../common/dram.ts';
import { GlobalBuffer } from '../common/global-buffer.ts';
import { Noc } from '../common/noc.ts';
import { IntMac } from '../common/int-mac.ts';
import { PeArray } from '../eyeriss/pe-array.ts';
import { chargeCompulsoryTraffic } from '../common/compulsory-traffic.ts';
import { OutlierAwarePe } from './outlier-aware-pe.ts';
import { outlierActivationMacs, expectedWeightOutlierStall } from './outliers.ts';

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
  readonly root: Group;
  readonly dram: Dram;
  readonly glb: GlobalBuffer;
  readonly noc: Noc;
  readonly array: PeArray;
  readonly outlierUnits: IntMac;
  readonly params: OlaccelParams;

  constructor(ctx: BuildContext, readonly arch: ArchConfig) {
    const p = (this.params = { ...OLACCEL_DEFAULTS, ...(arch.olaccel as Partial<OlaccelParams> | undefined) });
    const acc = arch.datapath.accumulatorBits ?? 32;
    this.root = new Group(arch.name, ctx);
    this.dram = new Dram('dram', ctx, this.root, arch.dram);
    this.glb = new GlobalBuffer('glb', ctx, this.root, arch.globalBuffer);
    this.noc = new Noc('noc', ctx, this.root, arch.noc ?? {});
    this.array = new PeArray('array', ctx, this.root, arch, (name, c, parent, _a, instances) =>
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

  get peakMacsPerCycle(): number {
    return this.array.peCount * this.params.lanes;
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    if (mode !== 'opcount') return die(`mode "${mode}" is not implemented for scheme "olaccel" (use --mode opcount)`);
    const p = this.params;
    const pe = this.array.pe;
    const dp = pe.datapath as OutlierAwarePe;
    const outputs = outputCount(layer);
    if (layer.kind === 'add' || layer.kind === 'pool') {
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
    const denseCycles = Math.ceil(steps * (1 + expectedWeightOutlierStall(p.lanes, p.weightOutlierFraction)));
    const outlierCycles = Math.ceil(actOutlier / p.outlierMacUnits);
    const compute = Math.max(denseCycles, outlierCycles);
    const cycles = Math.max(compute, dramCycles, 1);
    return {
      cycles,
      utilization: n / (cycles * this.peakMacsPerCycle),
      stalls: { dram: Math.max(0, dramCycles - compute), outlierPath: Math.max(0, outlierCycles - denseCycles) },
      details: { activationOutlierMacFraction: n > 0 ? actOutlier / n : 0, denseCycles, outlierCycles },
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
