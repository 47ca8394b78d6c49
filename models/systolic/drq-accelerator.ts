/**
 * DRQ (Song et al., ISCA 2020) on the systolic array: the array, SRAMs and DRAM of
 * accelerator.ts with DRQ's variable-speed PEs and sensitivity predictor. Per layer the region
 * mask comes from the trace (models/drq/sensitivity.ts), MACs split by the precision of the input
 * value they read (models/drq/region-macs.ts), each fold takes as long as its slowest row or PE
 * (models/drq/fold-multiplier-cycles.ts, through the PE's fold-timing hook), and every tensor is
 * stored and moved at its real width through the array's widths hook, by the rules DRQ on the
 * Eyeriss-like array uses (models/drq/layer-widths.ts): inputs at region precision plus one mask bit
 * per region at DRAM and in the ifmap SRAM, outputs at the precision (and with the mask) of the
 * next layer's input. The PE is DRQ's own VariableSpeedPe, unchanged.
 */
import type { BuildContext, Group } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode } from '../../sim/scheme.ts';
import { derivedFrom, type LayerTrace, type Trace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { inputCount, macs, type Layer, type Network } from '../../sim/workload.ts';
import { drqParams, type DrqParams } from '../drq/params.ts';
import { SensitivityDetector } from '../drq/sensitivity-detector.ts';
import { lowPrecisionValueFraction } from '../drq/sensitivity.ts';
import { inputWidths, regionMaskOf, outputWidthsOf, drqTensorWidths, elementwiseWidths, type InputWidths } from '../drq/layer-widths.ts';
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
  private network: Network | undefined;
  private trace: Trace | undefined;

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

  prepare(network: Network, trace?: Trace): void {
    this.network = network;
    this.trace = trace;
  }

  /** Widths the layer's output is written at: its next reader's inputs (models/drq/layer-widths.ts). */
  private outputWidths(layer: Layer, traceInputs: number): InputWidths {
    return outputWidthsOf(this.network, this.trace, layer, traceInputs, this.params, this.file);
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    const p = this.params;
    if (layer.kind === 'add' || layer.kind === 'pool') return this.inner.runLayer(layer, mode, trace, { widths: elementwiseWidths(this.outputWidths(layer, 1), p) });
    if (!trace) return die(`layer ${layer.name}: the trace has no entry for this layer; DRQ needs its input activations`);
    const act = trace.activations;
    const mask = regionMaskOf(layer, act, p, this.file);
    const split = splitMacs(layer, mask);
    const n = macs(layer);
    const lowValues = lowPrecisionValueFraction(mask);
    this.detector.detect(inputCount(layer));
    // Every tensor stored and moved at its real width, as DRQ on the Eyeriss-like array: inputs at
    // their regions' precision with the mask, outputs at the next layer's (layer-widths.ts).
    const all = Array.from({ length: mask.N }, (_, i) => i);
    const widths = drqTensorWidths(inputWidths(mask, p), this.outputWidths(layer, mask.N), all, p, this.inner.widths().psumBits);
    const key = `drq:${layer.name}:${JSON.stringify(p)}`;
    const costs = act ? derivedFrom(act, `systolic-${key}`, () => new FoldCostTable(layer, mask, this.cost)) : new FoldCostTable(layer, mask, this.cost);
    this.pe.setFoldLayer({ costs, highMacFraction: n > 0 ? split.highMacs / n : 0, high: p.high, low: p.low });
    try {
      const run = this.inner.runLayer(layer, mode, trace, { widths });
      // Op-count mode: multiplier-cycles spread over every multiplier (perfect balance), or DRAM time.
      const lanes = this.inner.array.peCount * p.multipliersPerPe;
      const cycles = mode === 'opcount' ? Math.max(1, Math.ceil((split.highMacs * this.cost.high + split.lowMacs * this.cost.low) / lanes), run.details!.dramCycles as number) : run.cycles;
      return {
        ...run,
        cycles,
        utilization: n / (cycles * this.peakMacsPerCycle),
        details: {
          ...run.details,
          sensitiveFraction: mask.sensitiveFraction,
          lowPrecisionValueFraction: lowValues,
          highPrecisionMacFraction: n > 0 ? split.highMacs / n : 0,
          policy: mask.policy,
          // Mean widths over the trace (bits per value) the layer's tensors are stored and moved at.
          activationBits: widths.inputBits,
          widths,
        },
      };
    } finally {
      this.pe.setFoldLayer(undefined);
    }
  }
}
