/**
 * An integer Eyeriss-like array whose outputs leave through requantizers: the array, buffers and
 * mapping are the baseline's; once per module output element (models/fixedpoint/module-grouping.ts)
 * the accumulator is requantized to the activation width. The requantizers are pipelined beside
 * the array (one per column by default, where Eyeriss's psums leave the array), so a layer takes
 * max(array cycles, requantizer cycles).
 */
import type { BuildContext, Group } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode } from '../../sim/scheme.ts';
import type { LayerTrace } from '../../sim/trace.ts';
import { outputCount, type Layer } from '../../sim/workload.ts';
import { die } from '../../sim/errors.ts';
import { EyerissAccelerator } from '../eyeriss/accelerator.ts';
import type { ArrayHost } from '../common/datapath-factory.ts';
import type { Requantizer, RequantizerSpec } from './requantizer.ts';
import { quantizationPoints } from './module-grouping.ts';

export type RequantizerFactory = (ctx: BuildContext, root: Group, spec: RequantizerSpec) => Requantizer;
/** Per-layer quantization parameters from the trace, reported as layer details (no cost effect). */
export type TraceInspector = (layer: Layer, trace: LayerTrace) => Record<string, unknown>;

/** The `requantizer` section of an arch config, with widths from the datapath. */
export function requantizerSpec(arch: ArchConfig): RequantizerSpec {
  const d = arch.datapath;
  if ((d.arithmetic ?? 'int') !== 'int') die(`arch "${arch.name}": a requantizing scheme needs an integer datapath ("arithmetic": "int")`, undefined, '/datapath/arithmetic');
  const section = (arch.requantizer ?? {}) as { units?: number; scaleBits?: number };
  return {
    accumulatorBits: d.accumulatorBits ?? 32,
    outputBits: d.activationBits,
    units: section.units ?? arch.array.cols,
    ...(section.scaleBits !== undefined ? { scaleBits: section.scaleBits } : {}),
  };
}

export class RequantizingAccelerator implements Accelerator {
  private readonly inner: Accelerator;
  readonly requantizer: Requantizer;

  constructor(
    ctx: BuildContext,
    arch: ArchConfig,
    makeRequantizer: RequantizerFactory,
    private readonly inspect?: TraceInspector,
    host: ArrayHost = (c, a) => new EyerissAccelerator(c, a),
  ) {
    const spec = requantizerSpec(arch);
    this.inner = host(ctx, arch);
    this.requantizer = makeRequantizer(ctx, this.inner.root as Group, spec);
  }

  get root() {
    return this.inner.root;
  }

  get peakMacsPerCycle(): number {
    return this.inner.peakMacsPerCycle;
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    const run = this.inner.runLayer(layer, mode, trace);
    const requantized = quantizationPoints(layer).perModule * outputCount(layer);
    this.requantizer.requantize(requantized);
    const requantCycles = this.requantizer.cyclesFor(requantized);
    const cycles = Math.max(run.cycles, requantCycles);
    return {
      ...run,
      cycles,
      utilization: (run.utilization * run.cycles) / cycles,
      stalls: { ...run.stalls, requantizer: cycles - run.cycles },
      details: { ...run.details, requantized, ...(trace && this.inspect ? this.inspect(layer, trace) : {}) },
    };
  }
}
