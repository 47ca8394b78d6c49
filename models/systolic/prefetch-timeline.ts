/**
 * Memory stalls of a double-buffered array: while fold k computes out of one SRAM half, fold
 * k + 1's operands are prefetched into the other over the one DRAM channel, and fold k − 1's
 * outputs drain from the ofmap SRAM over the same channel. Fold k starts when fold k − 1 is
 * done and its own operands have arrived; a prefetch can start only once the half it fills is
 * free (fold k − 2 done). The first fold waits for its whole prefetch (SCALE-Sim v2's
 * double_buffered_scratchpad_mem.py stalls the array the same way when a read buffer runs dry).
 */
export interface FoldTimes {
  /** Compute cycles of each fold, in order. */
  readonly compute: ArrayLike<number>;
  /** DRAM channel cycles of each fold's prefetch and of its output drain. */
  readonly fetch: ArrayLike<number>;
  readonly drain: ArrayLike<number>;
}

export interface Timeline {
  /** From the first prefetch to the last output written back. */
  readonly cycles: number;
  /** Cycles the array waited on DRAM (cycles − Σ compute). */
  readonly stallCycles: number;
}

export function prefetchTimeline(t: FoldTimes): Timeline {
  const n = t.compute.length;
  let channelFree = 0;
  let prevEnd = 0;
  let prevPrevEnd = 0;
  let busy = 0;
  let pendingDrain = 0;
  for (let k = 0; k < n; k++) {
    const loadStart = Math.max(channelFree, prevPrevEnd);
    const loadEnd = loadStart + t.fetch[k]!;
    channelFree = loadEnd;
    // The previous fold's outputs leave once it is done, after this prefetch on the channel.
    if (k > 0) channelFree = Math.max(channelFree, prevEnd) + pendingDrain;
    const start = Math.max(prevEnd, loadEnd);
    const end = start + t.compute[k]!;
    busy += t.compute[k]!;
    prevPrevEnd = prevEnd;
    prevEnd = end;
    pendingDrain = t.drain[k]!;
  }
  const cycles = n > 0 ? Math.max(channelFree, prevEnd) + pendingDrain : 0;
  return { cycles, stallCycles: cycles - busy };
}
