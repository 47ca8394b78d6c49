/**
 * DRQ accelerator (Song et al., ISCA 2020): the Eyeriss-like hierarchy (DRAM, global buffer,
 * NoC, PE array) with variable-speed mixed-precision PEs, the sensitive-region predictor, and the
 * region masks moved alongside the feature maps.
 *
 * Per layer: the mask comes from the trace (sensitivity.ts); MACs split by the precision of the
 * input value they read (region-macs.ts) set the datapath energy; cycles are the ideal
 * (op-count mode: total multiplier-cycles over all multipliers) or the lockstep replay
 * (arch mode: mixed-precision-array.ts), bounded below by DRAM time.
 * Traffic is compulsory (every tensor crosses each level once, as in the Eyeriss op-count mode):
 * input values at the precision of their region, weights at the high width (the low-precision
 * path uses their top bits), outputs at the high width, plus one mask bit per region.
 */
import { Group, type BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode } from '../../sim/scheme.ts';
import type { LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { macs, weightCount, inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import { Dram } from '../common/dram.ts';
import { GlobalBuffer } from '../common/global-buffer.ts';
import { Noc } from '../common/noc.ts';
import type { DatapathFactory } from '../eyeriss/pe.ts';
import { MixedPrecisionArray, type PrecisionCosts } from './mixed-precision-array.ts';
import { VariableSpeedPe } from './variable-speed-pe.ts';
import { SensitivityDetector } from './sensitivity-detector.ts';
import { sensitivityMask, lowPrecisionValueFraction } from './sensitivity.ts';
import { splitMacs } from './region-macs.ts';
import { drqParams, type DrqParams } from './params.ts';

export class DrqAccelerator implements Accelerator {
  readonly root: Group;
  readonly dram: Dram;
  readonly glb: GlobalBuffer;
  readonly noc: Noc;
  readonly array: MixedPrecisionArray;
  readonly detector: SensitivityDetector;
  readonly params: DrqParams;
  private readonly cost: PrecisionCosts;

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
    readonly file?: string,
  ) {
    this.params = drqParams(arch, file);
    const p = this.params;
    this.root = new Group(arch.name, ctx);
    this.dram = new Dram('dram', ctx, this.root, arch.dram);
    this.glb = new GlobalBuffer('glb', ctx, this.root, arch.globalBuffer);
    this.noc = new Noc('noc', ctx, this.root, arch.noc ?? {});
    const factory: DatapathFactory = (name, c, parent, a, instances) =>
      new VariableSpeedPe(name, c, parent, {
        multiplierBits: p.multiplierBits,
        multipliersPerPe: p.multipliersPerPe,
        cyclesPerMac: p.cyclesPerMac,
        weightBits: p.high.weightBits,
        activationBits: p.high.activationBits,
        accumulatorBits: a.datapath.accumulatorBits ?? 32,
      }, instances);
    this.array = new MixedPrecisionArray('array', ctx, this.root, arch, factory);
    this.detector = new SensitivityDetector('detector', ctx, this.root, p.high.activationBits, p.filterSize);
    const pe = this.array.variableSpeedPe;
    this.cost = {
      high: pe.multiplierCyclesFor(p.high.weightBits, p.high.activationBits),
      low: pe.multiplierCyclesFor(p.low.weightBits, p.low.activationBits),
    };
  }

  get peakMacsPerCycle(): number {
    return (this.array.peCount * this.params.multipliersPerPe) / this.cost.low;
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    if (mode === 'reference') return die(`mode "reference" is not implemented for scheme "drq" (use --mode arch or opcount)`);
    if (layer.kind === 'add' || layer.kind === 'pool') return this.runElementwise(layer);
    if (!trace) return die(`layer ${layer.name}: the trace has no entry for this layer; DRQ needs its input activations`);
    const p = this.params;
    const mask = sensitivityMask(layer, trace.activations, p, { file: this.file, path: '/drq' });
    const split = splitMacs(layer, mask);
    const pe = this.array.pe;
    const vs = this.array.variableSpeedPe;
    vs.macAt(split.highMacs, p.high.weightBits, p.high.activationBits);
    vs.macAt(split.lowMacs, p.low.weightBits, p.low.activationBits);
    const n = macs(layer);
    // Per MAC: one filter and one ifmap operand read, one psum read-modify-write (Eyeriss §IV).
    pe.filterSpad.read(n);
    pe.ifmapSpad.read(n);
    pe.psumSpad.read(n);
    pe.psumSpad.write(n);

    const inputs = inputCount(layer);
    this.detector.detect(inputs);
    const lowValues = lowPrecisionValueFraction(mask);
    const inputBits = inputs * (lowValues * p.low.activationBits + (1 - lowValues) * p.high.activationBits);
    const maskBits = mask.policy === 'regions' ? (mask.mask.length * layer.N * p.maskBitsPerRegion) / mask.N : 0;
    const dramCycles = this.chargeTraffic(layer, inputBits, maskBits);

    const lanes = p.multipliersPerPe;
    const multiplierCycles = split.highMacs * this.cost.high + split.lowMacs * this.cost.low;
    let computeCycles: number;
    let baselineCycles: number;
    const details: Record<string, unknown> = {
      sensitiveFraction: mask.sensitiveFraction,
      lowPrecisionValueFraction: lowValues,
      highPrecisionMacFraction: n > 0 ? split.highMacs / n : 0,
      thresholdUsed: mask.thresholdUsed,
      policy: mask.policy,
      regions: mask.mask.length,
    };
    if (mode === 'opcount') {
      computeCycles = Math.ceil(multiplierCycles / (this.array.peCount * lanes));
      baselineCycles = Math.ceil((n * this.cost.high) / (this.array.peCount * lanes));
    } else {
      const t = this.array.replay(layer, mask, this.cost, p.lockstep);
      computeCycles = Math.ceil(t.multiplierCycles / lanes);
      baselineCycles = Math.ceil(t.allHighMultiplierCycles / lanes);
      details.mapping = t.mapping;
      details.slowStepFraction = t.steps > 0 ? t.slowSteps / t.steps : 0;
    }
    details.allHighCycles = Math.max(baselineCycles, dramCycles, 1);
    const cycles = Math.max(computeCycles, dramCycles, 1);
    return {
      cycles,
      utilization: n / (cycles * this.peakMacsPerCycle),
      stalls: { dram: Math.max(0, dramCycles - computeCycles) },
      details,
    };
  }

  /** Compulsory traffic of one layer; returns the DRAM cycles it needs. */
  private chargeTraffic(layer: Layer, inputBits: number, maskBits: number): number {
    const p = this.params;
    const psumBits = this.arch.datapath.psumBits ?? this.arch.datapath.accumulatorBits ?? 32;
    const weightBits = weightCount(layer) * p.high.weightBits;
    const outputs = outputCount(layer);
    const outputBits = outputs * p.high.activationBits;
    const wordsOf = (bits: number) => Math.ceil(bits / this.glb.wordBits);
    this.dram.read(weightBits + inputBits + maskBits);
    this.dram.write(outputBits);
    this.glb.write(wordsOf(weightBits + inputBits + maskBits) + wordsOf(outputs * psumBits));
    this.glb.read(wordsOf(weightBits + inputBits + maskBits) + wordsOf(outputBits));
    this.noc.deliver(1, weightBits + inputBits + maskBits);
    this.noc.deliver(outputs, psumBits);
    return this.dram.cyclesFor((weightBits + inputBits + maskBits + outputBits) / 8);
  }

  /** Pooling and residual adds: accumulator adds at the high width, no mask. */
  private runElementwise(layer: Layer): LayerRun {
    const outputs = outputCount(layer);
    const adds = layer.kind === 'pool' ? outputs * layer.R * layer.S : outputs;
    this.array.pe.datapath.add(adds);
    const dramCycles = this.chargeTraffic(layer, inputCount(layer) * this.params.high.activationBits, 0);
    const computeCycles = Math.ceil(adds / this.array.peCount);
    const cycles = Math.max(computeCycles, dramCycles, 1);
    return { cycles, utilization: 0, stalls: { dram: Math.max(0, dramCycles - computeCycles) } };
  }
}
