/**
 * DRQ (Song et al., ISCA 2020) on the systolic array: the array, SRAMs and DRAM of
 * accelerator.ts with DRQ's variable-speed PEs and sensitivity predictor. Per layer the region
 * mask comes from the trace (models/drq/sensitivity.ts), MACs split by the precision of the input
 * value they read (models/drq/region-macs.ts), each fold takes as long as its slowest row or PE
 * (models/drq/fold-multiplier-cycles.ts, through the PE's fold-timing hook), and the mask bits
 * travel with the feature map through DRAM. The PE is DRQ's own VariableSpeedPe, unchanged.
 */
import type { BuildContext, Group } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode } from '../../sim/scheme.ts';
import { derivedFrom, type LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { inputCount, macs, type Layer } from '../../sim/workload.ts';
import { drqParams, type DrqParams } from '../drq/params.ts';
import { SensitivityDetector } from '../drq/sensitivity-detector.ts';
import { lowPrecisionValueFraction } from '../drq/sensitivity.ts';
import { cachedRegionMask } from '../drq/region-mask-cache.ts';
import { splitMacs } from '../drq/region-macs.ts';
import type { PrecisionCosts } from '../drq/mixed-precision-array.ts';
import { SystolicAccelerator } from './accelerator.ts';
import { variableSpeedPes, type VariableSpeedPe } from '../drq/variable-speed-pe.ts';
import { FoldCostTable } from '../drq/fold-multiplier-cycles.ts';

export class SystolicDrqAccelerator implements Accelerator {
  readonly inner: SystolicAccelerator;
  readonly detector: SensitivityDetector;
  readonly params: DrqParams;
  private readonly cost: PrecisionCosts;
  private readonly file: string | undefined;

  constructor(ctx: BuildContext, arch: ArchConfig) {
    this.file = ctx.archFile;
    this.params = drqParams(arch, this.file);
    const p = this.params;
    this.inner = new SystolicAccelerator(ctx, arch, variableSpeedPes(p));
    this.detector = new SensitivityDetector('detector', ctx, this.inner.root, p.high.activationBits, p.filterSize);
    this.cost = { high: this.pe.multiplierCyclesFor(p.high.weightBits, p.high.activationBits), low: this.pe.multiplierCyclesFor(p.low.weightBits, p.low.activationBits) };
  }

  get root(): Group {
    return this.inner.root;
  }

  get pe(): VariableSpeedPe {
    return this.inner.array.pe.datapath as VariableSpeedPe;
  }

  get peakMacsPerCycle(): number {
    return (this.inner.array.peCount * this.params.multipliersPerPe) / this.cost.low;
  }

  energyPerAccess() {
    return this.inner.energyPerAccess();
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    if (layer.kind === 'add' || layer.kind === 'pool') return this.inner.runLayer(layer, mode, trace);
    if (!trace) return die(`layer ${layer.name}: the trace has no entry for this layer; DRQ needs its input activations`);
    const p = this.params;
    const key = `drq:${layer.name}:${JSON.stringify(p)}`;
    const mask = cachedRegionMask(layer, trace, p, { file: this.file, path: '/drq' });
    const split = splitMacs(layer, mask);
    const n = macs(layer);
    const lowValues = lowPrecisionValueFraction(mask);
    const maskBits = mask.policy === 'regions' ? (mask.mask.length * layer.N * p.maskBitsPerRegion) / mask.N : 0;
    this.detector.detect(inputCount(layer));
    const costs = derivedFrom(trace, `systolic-${key}`, () => new FoldCostTable(layer, mask, this.cost));
    this.pe.setFoldLayer({ costs, highMacFraction: n > 0 ? split.highMacs / n : 0, high: p.high, low: p.low });
    try {
      const run = this.inner.runLayer(layer, mode, trace);
      // Mask bits: written with the feature map, read back with it (DRAM and the ifmap SRAM).
      this.inner.dram.write(maskBits);
      this.inner.dram.read(maskBits);
      const maskCycles = this.inner.params.memoryStalls || mode === 'opcount' ? this.inner.dram.cyclesFor((2 * maskBits) / 8) : 0;
      // Op-count mode: multiplier-cycles spread over every multiplier (perfect balance), or DRAM time.
      const lanes = this.inner.array.peCount * p.multipliersPerPe;
      const cycles =
        mode === 'opcount'
          ? Math.max(1, Math.ceil((split.highMacs * this.cost.high + split.lowMacs * this.cost.low) / lanes), (run.details!.dramCycles as number) + maskCycles)
          : run.cycles + maskCycles;
      return {
        ...run,
        cycles,
        stalls: { dram: (run.stalls?.dram ?? 0) + (mode === 'opcount' ? 0 : maskCycles) },
        utilization: n / (cycles * this.peakMacsPerCycle),
        details: { ...run.details, sensitiveFraction: mask.sensitiveFraction, lowPrecisionValueFraction: lowValues, highPrecisionMacFraction: n > 0 ? split.highMacs / n : 0, policy: mask.policy },
      };
    } finally {
      this.pe.setFoldLayer(undefined);
    }
  }
}
