/**
 * Add and pool layers on the array's accumulator adders: no weights, no MACs. Outputs are cut
 * into tiles that fit half the GLB (double-buffered); each PE takes an equal share of a tile's
 * operations (one add or compare per cycle, Eyeriss PEs' accumulator path), inputs arrive over
 * the ifmap NoC and results leave over the psum NoC. Pool: R·S compares per output, each input
 * crosses each level once (the sliding window lives in the ifmap spad, as a conv row would).
 */
import { inputCount, outputCount, type Layer } from '../../sim/workload.ts';
import type { RsCounts, RsHardware } from './mapping.ts';
import { newTimeline, type PassTimeline } from './replay.ts';
import { zeroCounts, passTransfers, type HierarchyParts, type PassTransfers } from './counts.ts';
import { inputValueBits } from './mapping-counts.ts';

export interface ElementwisePlan {
  timeline: PassTimeline;
  counts: RsCounts;
  /** Per tile: operations (adds or compares) spread over the PEs. */
  tileOps: Float64Array;
  details: Record<string, unknown>;
}

export function elementwiseTimeline(layer: Layer, parts: HierarchyParts & { hw: RsHardware }): ElementwisePlan {
  const { array, hw } = parts;
  const inputs = inputCount(layer);
  const outputs = outputCount(layer);
  const opsPerOutput = layer.kind === 'pool' ? layer.R * layer.S : 1;
  const bitsPerOutput = (inputs / outputs) * inputValueBits(hw) + hw.psumBits;
  const tileOutputs = Math.max(1, Math.floor(hw.glbBits / 2 / bitsPerOutput));
  const tiles = Math.ceil(outputs / tileOutputs);
  const tl = newTimeline(tiles, 2, 1);
  const tileOps = new Float64Array(tiles);
  const c = zeroCounts();
  const t = {} as PassTransfers;
  let inDone = 0;
  for (let k = 0; k < tiles; k++) {
    const o = Math.min(tileOutputs, outputs - k * tileOutputs);
    const inEnd = Math.round((inputs * (k * tileOutputs + o)) / outputs);
    const i = inEnd - inDone;
    inDone = inEnd;
    const ops = o * opsPerOutput;
    tileOps[k] = ops;
    c.passes++;
    c.dramIfmapWords += i;
    c.dramOutputWords += o;
    c.nocIfmapWords += i;
    c.nocPsumOutWords += o;
    c.ifmapSpadWrites += i;
    c.ifmapSpadReads += ops;
    c.psumSpadReads += ops;
    c.psumSpadWrites += ops;
    c.adds += ops;
    tl.compute[k] = Math.ceil(ops / array.peCount);
    passTransfers(parts, { dramIfmapWords: i, dramFilterWords: 0, filterWords: 0, ifmapWords: i, psumInWords: 0, psumOutWords: o, dramOutputWords: o }, hw, t);
    tl.fetch[k] = t.fetch;
    tl.ifmapStream[k] = t.ifmapStream;
    tl.psumStream[k] = t.psumStream;
    tl.glbStream[k] = t.glbStream;
    tl.writeback[k] = t.writeback;
  }
  c.computeCycles = tl.compute.reduce((a, b) => a + b, 0);
  return { timeline: tl, counts: c, tileOps, details: { elementwise: layer.kind, tiles, opsPerOutput, tileOutputs } };
}
