/**
 * The timing hook of data-dependent datapaths (DRQ's variable-speed PEs), one interface for both
 * arrays. Each array calls the method for its unit of lockstep compute, once per unit, in both of
 * its timed modes, and uses the answer instead of the nominal time:
 *  - the Eyeriss-like array: `passCycles(view)`, a row-stationary pass's compute cycles (view:
 *    models/eyeriss/pe.ts `PassView`; nominal n·p'·q'·S·Q·cyclesPerMac);
 *  - the systolic array: `foldStreamCycles(view)`, the cycles of a fold's streamed part, the fill
 *    and drain skew kept (view: models/systolic/fold-timing.ts `FoldView`; nominal T·cyclesPerMac).
 * A datapath that implements both plugs into either array unchanged. Hooks must be deterministic
 * (use ctx.rng only) and say which PEs move together in the doc of their implementation.
 */
import type { MacDatapath } from './datapath.ts';
import type { PassView } from '../eyeriss/pe.ts';
import type { FoldView } from '../systolic/fold-timing.ts';

export interface TimedDatapath extends MacDatapath {
  passCycles?(view: PassView): number;
  foldStreamCycles?(view: FoldView): number;
}

export type PassTimedDatapath = TimedDatapath & { passCycles(view: PassView): number };
export type FoldTimedDatapath = TimedDatapath & { foldStreamCycles(view: FoldView): number };

export function isPassTimed(d: MacDatapath): d is PassTimedDatapath {
  return typeof (d as TimedDatapath).passCycles === 'function';
}

export function isFoldTimed(d: MacDatapath): d is FoldTimedDatapath {
  return typeof (d as TimedDatapath).foldStreamCycles === 'function';
}
