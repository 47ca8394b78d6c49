/**
 * What a fold gives a data-dependent datapath's `foldStreamCycles` hook (models/common/
 * timed-datapath.ts, the interface the Eyeriss-like array's `passCycles` belongs to): the layer,
 * its fold schedule and the fold (which GEMM rows and columns it holds). The array keeps the
 * fold's fill and drain skew and replaces the T streamed cycles by the hook's answer.
 *
 * What moves together: the PEs of one array row see the same streamed operand (ws, os: the ifmap
 * values flow along rows), so a row's time is the sum over its stream; in is every PE holds its
 * own input and streams all filters past it. All rows advance in lockstep (one systolic clock):
 * the fold takes its slowest row (ws, os) or its slowest PE times T (is).
 */
import type { Layer } from '../../sim/workload.ts';
import type { FoldTimedDatapath } from '../common/timed-datapath.ts';
import { forEachFold, type Fold, type FoldSchedule } from './fold-schedule.ts';

export interface FoldView {
  readonly layer: Layer;
  readonly schedule: FoldSchedule;
  readonly fold: Readonly<Fold>;
}

/** Each fold's compute cycles under the hook: skew + streamed cycles. */
export function foldComputeCycles(dp: FoldTimedDatapath, layer: Layer, s: FoldSchedule): number[] {
  const out = new Array<number>(s.folds);
  forEachFold(s, (fold) => {
    out[fold.index] = s.skewCycles + dp.foldStreamCycles({ layer, schedule: s, fold });
  });
  return out;
}
