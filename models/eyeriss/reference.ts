/**
 * Reference mode: the same mapping stepped one cycle at a time at PE granularity, to check the
 * architectural replay (tests: cycles within 2 %, access counts equal). Nothing here reuses the
 * replay's closed forms: accesses are counted by enumerating the PEs of every pass (which filter
 * rows each PE holds, which ifmap rows reach it, which psums it hands on), and time advances by
 * single cycles in which every resource moves one cycle's worth of its queue and every working
 * PE performs one MAC. Too slow for big layers by design; the accelerator refuses those.
 */
import type { Layer } from '../../sim/workload.ts';
import { forEachPass, forEachPe, type PassShape, type RsCounts, type RsHardware, type RsMapping } from './mapping.ts';
import type { PassTimeline, Stalls } from './replay.ts';
import { zeroCounts, passTransfers, type HierarchyParts } from './counts.ts';

interface RefPass {
  fetch: number;
  deliverNoc: number;
  deliverGlb: number;
  /** Cycles each working PE needs this pass. */
  peCycles: number[];
  ifmapStream: number;
  psumStream: number;
  glbStream: number;
  writeback: number;
}

export interface ReferenceResult {
  cycles: number;
  stalls: Stalls;
  counts: RsCounts;
}

type Parts = HierarchyParts & { hw: RsHardware };

/** Enumerate a mapped layer's passes PE by PE: per-pass durations and the access counts. */
function mappedPasses(layer: Layer, m: RsMapping, parts: Parts, hook: ((ps: PassShape) => number) | undefined): { passes: RefPass[]; counts: RsCounts } {
  // The mapping was made for the layer's widths (tensor-widths.ts): time and count at those.
  const hw = m.hw;
  const sh = m.shape;
  const c = zeroCounts();
  const passes: RefPass[] = [];
  // What each physical PE's filter spad holds (a key of the filter slice), to see what must be resent.
  const held = new Map<number, string>();
  // GLB contents: ifmap rows kept for the current image block (resident) and the filter slices kept.
  const glbIfmap = new Set<string>();
  const glbFilter = new Set<string>();
  let glbIfmapOwner = '';
  let glbFilterOwner = '';
  const tilesSeen = new Set<string>();
  forEachPass(m, (ps) => {
    const ifmapOwner = `${ps.g}/${ps.n0}`;
    if (ifmapOwner !== glbIfmapOwner) {
      glbIfmap.clear();
      glbIfmapOwner = ifmapOwner;
    }
    const filterOwner = m.params.filterReuse === 'group' ? `${ps.g}` : m.params.filterReuse === 'block' ? `${ps.g}/${ps.m0}` : `${ps.index}`;
    if (filterOwner !== glbFilterOwner) {
      glbFilter.clear();
      glbFilterOwner = filterOwner;
    }
    const tile = `${ps.g}/${ps.n0}/${ps.m0}/${ps.e0}`;
    const firstOfTile = !tilesSeen.has(tile);
    tilesSeen.add(tile);
    const nocFilterKeys = new Set<string>();
    const ifmapKeys = new Set<string>();
    const chains = new Map<string, { len: number; outputs: number }>();
    const peCycles: number[] = [];
    let passMacs = 0;
    let filterWords = 0;
    let ifmapWords = 0;
    let dramIfmap = 0;
    let dramFilter = 0;
    let maxPe = 0;
    forEachPe(m, ps, (pe) => {
      const nLen = pe.n1 - pe.n0;
      const fSlice = (pe.m1 - pe.m0) * (pe.c1 - pe.c0) * sh.S;
      passMacs += pe.macs;
      maxPe = Math.max(maxPe, pe.macs);
      peCycles.push(pe.macs * hw.cyclesPerMac);
      // Filters: resent when this PE holds a different slice; multicast once per distinct slice.
      const fKey = `${ps.g}/${pe.m0}-${pe.m1}/${pe.c0}-${pe.c1}/${pe.filterRow}`;
      const slot = pe.row * hw.cols + pe.col;
      if (held.get(slot) !== fKey) {
        held.set(slot, fKey);
        c.filterSpadWrites += fSlice;
        if (!nocFilterKeys.has(fKey)) {
          nocFilterKeys.add(fKey);
          filterWords += fSlice;
          if (!glbFilter.has(fKey)) {
            glbFilter.add(fKey);
            dramFilter += fSlice;
          }
        }
      }
      // Ifmap rows: each valid row multicast once per channel slice; the spad of every PE that reads it is written.
      if (pe.ifmapRow >= 0 && pe.ifmapRow < sh.H) {
        const words = nLen * (pe.c1 - pe.c0) * sh.W;
        c.ifmapSpadWrites += words;
        const iKey = `${pe.c0}-${pe.c1}/${pe.ifmapRow}`;
        if (!ifmapKeys.has(iKey)) {
          ifmapKeys.add(iKey);
          ifmapWords += words;
          if (!m.params.ifmapResident || !glbIfmap.has(iKey)) {
            glbIfmap.add(iKey);
            dramIfmap += words;
          }
        }
      }
      // Psum chains: one per output row and filter slice, through every PE of every channel set.
      const chKey = `${pe.tSet}/${pe.sSet}/${pe.outputRow}`;
      const ch = chains.get(chKey);
      if (ch) ch.len++;
      else chains.set(chKey, { len: 1, outputs: nLen * (pe.m1 - pe.m0) * sh.Q });
    });
    let psumOut = 0;
    let hops = 0;
    for (const ch of chains.values()) {
      psumOut += ch.outputs;
      hops += ch.outputs * (ch.len - 1);
    }
    const psumIn = firstOfTile ? 0 : psumOut;
    const lastOfTile = ps.dramOutputWords > 0;
    const outWords = lastOfTile ? psumOut : 0;
    if (hook) {
      const t = hook(ps);
      for (let i = 0; i < peCycles.length; i++) peCycles[i] = Math.round((peCycles[i]! * t) / Math.max(1, maxPe * hw.cyclesPerMac));
    }
    c.passes++;
    c.macs += passMacs;
    c.computeCycles += Math.max(0, ...peCycles);
    c.dramIfmapWords += dramIfmap;
    c.dramFilterWords += dramFilter;
    c.dramOutputWords += outWords;
    c.nocFilterWords += filterWords;
    c.nocIfmapWords += ifmapWords;
    c.nocPsumInWords += psumIn;
    c.nocPsumOutWords += psumOut;
    c.neighborPsumWords += hops;
    c.filterSpadReads += passMacs;
    c.ifmapSpadReads += passMacs;
    c.psumSpadReads += passMacs + hops + psumOut;
    c.psumSpadWrites += passMacs + hops + psumIn;
    c.adds += hops + psumIn;
    const t = passTransfers(parts, { dramIfmapWords: dramIfmap, dramFilterWords: dramFilter, filterWords, ifmapWords, psumInWords: psumIn, psumOutWords: psumOut, dramOutputWords: outWords }, hw);
    passes.push({ ...t, peCycles });
  });
  return { passes, counts: c };
}

/** Tiles of an elementwise layer: each PE takes an equal share of the tile's operations. */
function elementwisePasses(tl: PassTimeline, tileOps: Float64Array, peCount: number): RefPass[] {
  const out: RefPass[] = [];
  for (let k = 0; k < tl.count; k++) {
    const ops = tileOps[k]!;
    const base = Math.floor(ops / peCount);
    const extra = ops % peCount;
    const peCycles: number[] = [];
    for (let i = 0; i < peCount; i++) if (base + (i < extra ? 1 : 0) > 0) peCycles.push(base + (i < extra ? 1 : 0));
    out.push({
      fetch: tl.fetch[k]!,
      deliverNoc: tl.deliverNoc[k]!,
      deliverGlb: tl.deliverGlb[k]!,
      peCycles,
      ifmapStream: tl.ifmapStream[k]!,
      psumStream: tl.psumStream[k]!,
      glbStream: tl.glbStream[k]!,
      writeback: tl.writeback[k]!,
    });
  }
  return out;
}

/** A first-come first-served queue of requests, each needing a number of cycles of one resource. */
class CycleQueue {
  private readonly left: number[] = [];
  private readonly done: ((t: number) => void)[] = [];
  private head = 0;

  /** Enqueue at cycle `t`; a zero-length request completes at once. */
  push(t: number, cycles: number, done: (t: number) => void): void {
    if (cycles <= 0 && this.head === this.left.length) return done(t);
    this.left.push(cycles);
    this.done.push(done);
  }

  get busy(): boolean {
    return this.head < this.left.length;
  }

  /** Serve one cycle (cycle `t`); a request finishing now completes at t + 1. */
  step(t: number): void {
    while (this.head < this.left.length) {
      if (this.left[this.head]! <= 0) {
        this.done[this.head++]!(t);
        continue;
      }
      if (--this.left[this.head]! === 0) this.done[this.head++]!(t + 1);
      return;
    }
  }
}

function stepPasses(passes: RefPass[], glbDepth: number, spadDepth: number): { cycles: number; stalls: Stalls } {
  const K = passes.length;
  const stalls: Stalls = { dram: 0, glb: 0, noc: 0 };
  if (K === 0) return { cycles: 0, stalls };
  const INF = Number.POSITIVE_INFINITY;
  const fetchDone = new Array<number>(K).fill(INF);
  const netDone = new Array<number>(K).fill(INF);
  const portDone = new Array<number>(K).fill(INF);
  const cDone = new Array<number>(K).fill(INF);
  const dram = new CycleQueue();
  const port = new CycleQueue();
  const filterNet = new CycleQueue();
  const ifmapNet = new CycleQueue();
  const psumNet = new CycleQueue();
  let nextFetch = 0;
  let nextB = 0;
  let nextC = 0;
  let computing = -1;
  let pes: number[] = [];
  let streamsLeft = 0;
  let peDoneAt = 0;
  let lastWriteback = 0;
  const wbQueue: number[] = [];
  let t = 0;
  for (;;) {
    // Issue what became possible at cycle t: fetches first, then write-backs (as the replay's priorities).
    while (nextFetch < K && (nextFetch < glbDepth || cDone[nextFetch - glbDepth]! <= t)) {
      const k = nextFetch++;
      dram.push(t, passes[k]!.fetch, (at) => (fetchDone[k] = at));
    }
    while (wbQueue.length > 0) {
      const k = wbQueue.shift()!;
      dram.push(t, passes[k]!.writeback, (at) => (lastWriteback = Math.max(lastWriteback, at)));
    }
    while (nextB < K && fetchDone[nextB]! <= t) {
      const k = nextB;
      if (passes[k]!.deliverNoc > 0 && k >= spadDepth && cDone[k - spadDepth]! > t) break;
      nextB++;
      filterNet.push(t, passes[k]!.deliverNoc, (at) => (netDone[k] = at));
      port.push(t, passes[k]!.deliverGlb, (at) => (portDone[k] = at));
    }
    if (computing < 0 && nextC < K && Math.max(netDone[nextC]!, portDone[nextC]!) <= t && (nextC === 0 || cDone[nextC - 1]! <= t)) {
      const k = nextC++;
      computing = k;
      pes = passes[k]!.peCycles.slice();
      peDoneAt = t;
      streamsLeft = 3;
      const streamDone = () => streamsLeft--;
      ifmapNet.push(t, passes[k]!.ifmapStream, streamDone);
      psumNet.push(t, passes[k]!.psumStream, streamDone);
      port.push(t, passes[k]!.glbStream, streamDone);
    }
    if (computing < 0 && nextC >= K && !dram.busy) break;
    // Attribute this cycle when no PE works.
    const peWorking = computing >= 0 && pes.length > 0;
    if (!peWorking) {
      if (computing >= 0) {
        if (port.busy && !ifmapNet.busy && !psumNet.busy) stalls.glb++;
        else stalls.noc++;
      } else if (nextC >= K || fetchDone[nextC]! > t) stalls.dram++;
      else if (netDone[nextC]! <= t) stalls.glb++;
      else stalls.noc++;
    }
    // Serve one cycle everywhere.
    dram.step(t);
    filterNet.step(t);
    ifmapNet.step(t);
    psumNet.step(t);
    port.step(t);
    if (computing >= 0) {
      if (pes.length > 0) {
        let w = 0;
        for (let i = 0; i < pes.length; i++) {
          const rem = pes[i]! - 1;
          if (rem > 0) pes[w++] = rem;
        }
        pes.length = w;
        if (w === 0) peDoneAt = t + 1;
      }
      if (pes.length === 0 && streamsLeft === 0) {
        const k = computing;
        cDone[k] = Math.max(peDoneAt, t + 1);
        if (passes[k]!.writeback > 0) wbQueue.push(k);
        computing = -1;
      }
    }
    t++;
  }
  return { cycles: Math.max(cDone[K - 1]!, lastWriteback), stalls };
}

/**
 * Step a layer cycle by cycle. Mapped layers (`m` given) are enumerated PE by PE; elementwise
 * layers bring their tiles (`tl`, `tileOps`).
 */
export function referenceRun(
  layer: Layer,
  m: RsMapping | undefined,
  parts: Parts,
  hook: ((ps: PassShape) => number) | undefined,
  elementwise?: { tl: PassTimeline; tileOps: Float64Array; counts: RsCounts },
): ReferenceResult {
  if (m) {
    const { passes, counts } = mappedPasses(layer, m, parts, hook);
    return { ...stepPasses(passes, m.params.glbDepth, m.params.spadDepth), counts };
  }
  if (!elementwise) throw new Error('referenceRun: give a mapping or an elementwise plan');
  const passes = elementwisePasses(elementwise.tl, elementwise.tileOps, parts.array.peCount);
  return { ...stepPasses(passes, elementwise.tl.glbDepth, elementwise.tl.spadDepth), counts: elementwise.counts };
}
