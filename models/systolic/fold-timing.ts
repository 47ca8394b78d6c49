/**
 * The fold-timing hook of the systolic array, its counterpart of the Eyeriss array's per-pass
 * `PassTimedDatapath.passCycles`: a datapath whose speed depends on the data (DRQ's variable-speed
 * PEs) says how long each fold's streamed part takes. The array keeps the fold's fill and drain
 * skew and replaces the T streamed cycles by the hook's answer.
 *
 * What moves together: the PEs of one array row see the same streamed operand (ws, os: the ifmap
 * values flow along rows), so a row's time is the sum over its stream; in is every PE holds its
 * own input and streams all filters past it. All rows advance in lockstep (one systolic clock):
 * the fold takes its slowest row (ws, os) or its slowest PE times T (is).
 */
import type { Layer } from '../../sim/workload.ts';
import type { MacDatapath } from '../common/datapath.ts';
import { forEachFold, type Fold, type FoldSchedule } from './fold-schedule.ts';

export interface FoldView {
  readonly layer: Layer;
  readonly schedule: FoldSchedule;
  readonly fold: Readonly<Fold>;
}

export interface FoldTimedDatapath extends MacDatapath {
  /** Cycles of the fold's streamed part (nominal: schedule.map.T · cyclesPerMac). Deterministic. */
  foldStreamCycles(view: FoldView): number;
}

export function isFoldTimed(d: MacDatapath): d is FoldTimedDatapath {
  return typeof (d as Partial<FoldTimedDatapath>).foldStreamCycles === 'function';
}

/** Each fold's compute cycles under the hook: skew + streamed cycles. */
export function foldComputeCycles(dp: FoldTimedDatapath, layer: Layer, s: FoldSchedule): number[] {
  const out = new Array<number>(s.folds);
  forEachFold(s, (fold) => {
    out[fold.index] = s.skewCycles + dp.foldStreamCycles({ layer, schedule: s, fold });
  });
  return out;
}
