/**
 * Architectural mode: replay a layer's passes as events on the scheduler. Per pass:
 *   fetch   DRAM → GLB of the tiles the pass needs and the GLB does not hold (DRAM channel);
 *   deliver filters GLB → PE filter spads over the filter NoC (and the GLB port);
 *   compute the PEs run the pass while ifmaps stream in over the ifmap NoC and psums move over
 *           the psum NoC (both limit the pass if slower than the MACs);
 *   write-back outputs GLB → DRAM after the last pass of an output tile (DRAM channel).
 * Double buffering: the fetch for pass k starts when pass k − glbDepth has finished computing (so
 * with glbDepth 2 it overlaps pass k − 1), filter delivery for pass k when pass k − spadDepth has.
 * Transfers are whole requests on `Resource`s, so contention between fetches and write-backs on
 * the DRAM channel turns into stalls. Idle array cycles are attributed to their cause:
 * dram (data not yet in the GLB), noc / glb (delivery or streams slower than compute).
 */
import { Priority, type Resource, type Scheduler } from '../../sim/scheduler.ts';

/** Per-pass durations in cycles, one entry per pass in loop order. */
export interface PassTimeline {
  count: number;
  fetch: Float64Array;
  deliverNoc: Float64Array;
  deliverGlb: Float64Array;
  compute: Float64Array;
  ifmapStream: Float64Array;
  psumStream: Float64Array;
  glbStream: Float64Array;
  writeback: Float64Array;
  glbDepth: number;
  spadDepth: number;
}

export function newTimeline(count: number, glbDepth: number, spadDepth: number): PassTimeline {
  const f = () => new Float64Array(count);
  return {
    count,
    fetch: f(),
    deliverNoc: f(),
    deliverGlb: f(),
    compute: f(),
    ifmapStream: f(),
    psumStream: f(),
    glbStream: f(),
    writeback: f(),
    glbDepth,
    spadDepth,
  };
}

export interface ReplayResources {
  dram: Resource;
  glbPort: Resource;
  filterNet: Resource;
  ifmapNet: Resource;
  psumNet: Resource;
}

export interface Stalls {
  dram: number;
  glb: number;
  noc: number;
}

export interface ReplayResult {
  cycles: number;
  /** Cycles the array spent computing (Σ pass compute cycles). */
  busyCycles: number;
  stalls: Stalls;
}

export function replay(tl: PassTimeline, res: ReplayResources, sched: Scheduler): ReplayResult {
  const K = tl.count;
  const stalls: Stalls = { dram: 0, glb: 0, noc: 0 };
  if (K === 0) return { cycles: 0, busyCycles: 0, stalls };
  const dmaEnd = new Float64Array(K).fill(-1);
  const bEnd = new Float64Array(K).fill(-1);
  const cEnd = new Float64Array(K).fill(-1);
  const bGlbBound = new Uint8Array(K);
  let nextB = 0;
  let nextC = 0;
  let lastWriteback = 0;
  let busy = 0;

  const fetch = (k: number) => {
    const { end } = res.dram.reserve(sched.now, tl.fetch[k]!);
    sched.schedule(
      end,
      () => {
        dmaEnd[k] = end;
        tryDeliver();
        tryCompute();
      },
      Priority.transfer,
    );
  };

  const tryDeliver = () => {
    while (nextB < K && dmaEnd[nextB]! >= 0) {
      const k = nextB;
      const needsSlot = tl.deliverNoc[k]! > 0 && k >= tl.spadDepth;
      if (needsSlot && cEnd[k - tl.spadDepth]! < 0) return;
      const now = sched.now;
      const net = res.filterNet.reserve(now, tl.deliverNoc[k]!);
      const port = res.glbPort.reserve(now, tl.deliverGlb[k]!);
      const end = Math.max(net.end, port.end);
      bGlbBound[k] = port.end > net.end ? 1 : 0;
      nextB++;
      if (end === now) {
        bEnd[k] = now;
      } else {
        sched.schedule(
          end,
          () => {
            bEnd[k] = end;
            tryCompute();
          },
          Priority.transfer,
        );
      }
    }
  };

  const tryCompute = () => {
    if (nextC >= K || bEnd[nextC]! < 0) return;
    const k = nextC;
    if (k > 0 && cEnd[k - 1]! < 0) return;
    nextC++;
    const start = sched.now;
    const prev = k === 0 ? 0 : cEnd[k - 1]!;
    const gap = start - prev;
    if (gap > 0) {
      // Up to the moment the data reached the GLB the pass waited for DRAM; after that, for delivery.
      const dramPart = Math.min(gap, Math.max(0, dmaEnd[k]! - prev));
      stalls.dram += dramPart;
      if (bGlbBound[k]) stalls.glb += gap - dramPart;
      else stalls.noc += gap - dramPart;
    }
    const compute = tl.compute[k]!;
    busy += compute;
    const ifm = res.ifmapNet.reserve(start, tl.ifmapStream[k]!).end;
    const ps = res.psumNet.reserve(start, tl.psumStream[k]!).end;
    const gp = res.glbPort.reserve(start, tl.glbStream[k]!).end;
    const end = Math.max(start + compute, ifm, ps, gp);
    if (end > start + compute) {
      if (gp >= ifm && gp >= ps) stalls.glb += end - start - compute;
      else stalls.noc += end - start - compute;
    }
    sched.schedule(end, () => computed(k, end), Priority.compute);
  };

  const computed = (k: number, end: number) => {
    cEnd[k] = end;
    if (k + tl.glbDepth < K) fetch(k + tl.glbDepth);
    if (tl.writeback[k]! > 0) {
      const wb = tl.writeback[k]!;
      sched.schedule(
        end,
        () => {
          lastWriteback = Math.max(lastWriteback, res.dram.reserve(sched.now, wb).end);
        },
        Priority.writeback,
      );
    }
    tryDeliver();
    tryCompute();
  };

  for (let k = 0; k < Math.min(tl.glbDepth, K); k++) sched.schedule(0, () => fetch(k), Priority.transfer);
  sched.run();
  const lastCompute = cEnd[K - 1]!;
  if (lastCompute < 0) throw new Error('replay: passes left unfinished (dependency cycle)');
  const cycles = Math.max(lastCompute, lastWriteback);
  stalls.dram += cycles - lastCompute;
  return { cycles, busyCycles: busy, stalls };
}
