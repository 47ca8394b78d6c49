/**
 * The DNA-TEQ unit (arXiv 2306.16430, Fig. 4): quantization (comparator bank) → counting (array
 * counters) → post-processing (FP16 LUT), a three-stage pipeline. Replicated `instances` times
 * in the array; a layer's work is split evenly over the units, so one unit's pipeline is replayed
 * on the event scheduler and the energy of all units is charged as counts.
 *
 * Replay: the unit's share of the layer is cut into batches; each batch passes the stages in
 * order, each stage a scheduler resource, so a stage starts a batch when both the batch has left
 * the previous stage and the stage is free. Throughput is set by the slowest stage; the others
 * idle, which the per-stage occupancy shows.
 */
import { Group, type BuildContext, type Component } from '../../sim/component.ts';
import { Resource, Priority } from '../../sim/scheduler.ts';
import { ComparatorBank, type ComparatorBankSpec } from './comparator-bank.ts';
import { CountingStage, type CountingStageSpec, type CountingWork } from './counting-stage.ts';
import { PostProcessingLut, type PostProcessingSpec } from './post-processing-lut.ts';

export interface UnitSpec {
  comparatorBank: ComparatorBankSpec;
  counting: CountingStageSpec;
  postProcessing: PostProcessingSpec;
  /** Counter updates per cycle (one adder per array counter). */
  updatesPerCycle: number;
  /** Batches a layer's share is cut into for the pipeline replay (more = finer overlap). */
  pipelineBatches: number;
}

/** One layer's work for the whole array. */
export interface UnitWork extends CountingWork {
  /** FP16 activations the comparator banks quantize. */
  activations: number;
  outputs: number;
  /** Pairs the controller walks: every pair (dense), or those with a non-zero activation (skipZeroActivations). */
  pairsWalked: number;
  /** Per-output constants of terms 2 and 4 precomputed offline (one read + one FP16 add each). */
  offlineConstants: number;
}

export type StageName = 'quantize' | 'count' | 'postprocess';
export const STAGES: readonly StageName[] = ['quantize', 'count', 'postprocess'];

export interface PipelineResult {
  /** Cycles from the first batch entering to the last leaving. */
  cycles: number;
  /** Busy cycles per stage (per unit). */
  busy: Record<StageName, number>;
  /** Busy / total per stage. */
  occupancy: Record<StageName, number>;
  bottleneck: StageName;
}

export class DnaTeqUnit extends Group {
  readonly comparatorBank: ComparatorBank;
  readonly counting: CountingStage;
  readonly postProcessing: PostProcessingLut;

  constructor(name: string, ctx: BuildContext, parent: Component, readonly spec: UnitSpec, instances: number) {
    super(name, ctx, parent, instances);
    this.comparatorBank = new ComparatorBank('comparator_bank', ctx, this, spec.comparatorBank, instances);
    this.counting = new CountingStage('counting', ctx, this, spec.counting, instances);
    this.postProcessing = new PostProcessingLut('post_processing', ctx, this, spec.postProcessing, instances);
  }

  /** Per-layer set-up: boundaries, LUT and bank power gating; returns active banks of AC1..AC3. */
  configure(bits: number, offsetTerms: boolean): [number, number, number] {
    this.comparatorBank.loadBoundaries(bits);
    this.postProcessing.loadTable(bits);
    return this.counting.configure(bits, offsetTerms);
  }

  /** Charge the layer's operations and return each stage's cycles for one unit's share. */
  perform(w: UnitWork): Record<StageName, number> {
    const units = this.instances;
    const quantizeCycles = this.comparatorBank.quantize(w.activations, w.bits);
    this.counting.count(w);
    const perOutput = this.postProcess(w);
    return {
      quantize: Math.ceil(quantizeCycles / units),
      count: Math.ceil(w.pairsWalked / (units * this.spec.updatesPerCycle)),
      postprocess: Math.ceil(w.outputs / units) * perOutput,
    };
  }

  /** Post-processing of the layer's outputs; returns FP16-unit cycles per output. */
  postProcess(w: UnitWork): number {
    const terms = w.offsetTerms ? 4 : 2;
    const entries = w.entries1 + w.entriesA + (w.offsetTerms ? w.entriesW : 0) + w.spills;
    return this.postProcessing.process(w.outputs, entries, terms, w.offlineConstants);
  }

  /**
   * Replay one unit's share as a pipeline on the scheduler. `loadCycles` is the time to bring
   * the share's operands in (a fourth stage in front, the DRAM channel).
   */
  replay(stageCycles: Record<StageName, number>, loadCycles: number): PipelineResult {
    const sched = this.ctx.scheduler;
    const batches = Math.max(1, Math.min(this.spec.pipelineBatches, Math.max(...STAGES.map((s) => stageCycles[s]))));
    const resources = [new Resource('load'), ...STAGES.map((s) => new Resource(s))];
    const per = [loadCycles, ...STAGES.map((s) => stageCycles[s])].map((c) => c / batches);
    let end = 0;
    const enter = (stage: number, batch: number, ready: number) => {
      const { end: done } = resources[stage]!.reserve(ready, per[stage]!);
      sched.schedule(done, (now) => {
        if (stage + 1 < resources.length) enter(stage + 1, batch, now);
        else end = Math.max(end, now);
      }, Priority.compute);
    };
    const start = sched.now;
    for (let b = 0; b < batches; b++) sched.schedule(start, (now) => enter(0, b, now), Priority.transfer);
    sched.run();
    const cycles = Math.max(1, Math.ceil(end - start));
    const busy = {} as Record<StageName, number>;
    const occupancy = {} as Record<StageName, number>;
    STAGES.forEach((s, i) => {
      busy[s] = stageCycles[s];
      occupancy[s] = Math.min(1, resources[i + 1]!.busyCycles / cycles);
    });
    const bottleneck = STAGES.reduce((a, b) => (stageCycles[b] > stageCycles[a] ? b : a));
    return { cycles, busy, occupancy, bottleneck };
  }
}
