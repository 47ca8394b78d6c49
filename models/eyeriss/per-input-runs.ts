/**
 * A data-dependent design's mapped layer on the Eyeriss-like hierarchy with every trace input
 * simulated on its own, in arch and reference mode alike (DRQ, the OLAccel-style point):
 *  1. one mapping, chosen offline from the calibration profile with nominal pass times at its
 *     expected cycles per MAC (causal: no input's own data steers it; the precision floor applies);
 *  2. one timed run per input (or per layer batch of inputs) on that mapping, each at its own
 *     widths with the datapath's pass-timing hook pointed at its inputs;
 *  3. the input-independent reference run on the same mapping (every value at high precision);
 *  4. energy charged once, at the mean widths over all inputs, so cycles and energy cover the same inputs.
 * The layer's cycles are the mean over runs (rounded up), its stalls the mean per cause.
 */
import type { LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import type { Layer } from '../../sim/workload.ts';
import type { EyerissAccelerator } from './accelerator.ts';
import { chargeCounts } from './counts.ts';
import { describeMapping, type RsMapping } from './mapping.ts';
import { layerHardware, type LayerProfile } from './tensor-widths.ts';
import { loopNest, tensorStats } from './tensor-stats.ts';
import { zeroActivationFraction } from '../common/zero-gating.ts';

/** Where the datapath's pass-timing hook should look: run k's inputs, nothing (nominal times), or the whole trace (energy). */
export type HookTarget = number | 'nominal' | 'energy';

export interface PerInputPlan {
  /** The profile the mapping is chosen with (the calibration inputs' widths and expected speed). */
  readonly calibration: LayerProfile;
  /** The profile energy is charged at (the mean over every input). */
  readonly mean: LayerProfile;
  /** Per run: its widths and expected speed. */
  readonly runs: readonly LayerProfile[];
  /** The input-independent reference run's profile (timed with nominal pass times). */
  readonly reference: LayerProfile;
  /** Point the datapath's hook at a run, at nothing, or at the whole trace. */
  point(target: HookTarget): void;
}

export interface PerInputResult {
  readonly mapping: RsMapping;
  readonly cycles: number;
  readonly runCycles: number[];
  readonly referenceCycles: number;
  readonly stalls: Record<string, number>;
  /** The hierarchy's layer details (mapping, loop nest, tensors, GLB banks, psum link). */
  readonly details: Record<string, unknown>;
}

/** Mean stall cycles per cause over runs. */
function meanStalls(all: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of all) for (const [k, v] of Object.entries(s)) out[k] = (out[k] ?? 0) + v / all.length;
  return out;
}

export function runPerInput(ey: EyerissAccelerator, layer: Layer, mode: 'arch' | 'reference', trace: LayerTrace, plan: PerInputPlan, file: string | undefined): PerInputResult {
  plan.point('nominal');
  const m = ey.chooseMapping(layer, layerHardware(ey.hw, plan.calibration), true);
  if (mode === 'arch' && m.counts.passes > ey.options.maxPasses) {
    die(`layer "${layer.name}" needs ${m.counts.passes} passes, more than --mode arch replays (limit ${ey.options.maxPasses}); use --mode opcount or raise eyeriss.maxPasses`, file, '/eyeriss/maxPasses');
  }
  const banks = ey.gateBanks(m);
  const at = (p: LayerProfile): RsMapping => ({ ...m, hw: layerHardware(ey.hw, p) });
  const runs = plan.runs.map((p, k) => {
    plan.point(k);
    return ey.timeMapping(layer, at(p), mode);
  });
  plan.point('nominal');
  const referenceCycles = ey.timeMapping(layer, at(plan.reference), mode).cycles;
  plan.point('energy');
  const zeros = ey.arch.datapath.skipZeroActivations ? zeroActivationFraction(layer, trace, file) : 0;
  const counts = runs[0]!.counts;
  const meanHw = layerHardware(ey.hw, plan.mean);
  chargeCounts(ey, counts, meanHw, zeros);
  const runCycles = runs.map((r) => r.cycles);
  return {
    mapping: m,
    cycles: Math.max(1, Math.ceil(runCycles.reduce((a, b) => a + b, 0) / runCycles.length)),
    runCycles,
    referenceCycles,
    stalls: meanStalls(runs.map((r) => r.stalls)),
    details: {
      mapping: describeMapping(m),
      loopNest: loopNest(m),
      tensors: tensorStats(counts, meanHw),
      glbActiveBanks: banks,
      psumLinkBitsPerCycle: m.hw.psumNocBitsPerCycle,
      ...(ey.arch.datapath.skipZeroActivations ? { zeroActivationFraction: zeros } : {}),
      ...(mode === 'reference' ? { mode: 'reference' } : {}),
    },
  };
}
