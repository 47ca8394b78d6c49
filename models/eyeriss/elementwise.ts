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
import { zeroCounts, type HierarchyParts } from './counts.ts';

export interface ElementwisePlan {
  timeline: PassTimeline;
  counts: RsCounts;
  /** Per tile: operations (adds or compares) spread over the PEs. */
  tileOps: Float64Array;
  details: Record<string, unknown>;
}

export function elementwiseTimeline(layer: Layer, parts: HierarchyParts & { hw: RsHardware }): ElementwisePlan {
  const { dram, glb, noc, array, hw } = parts;
  const inputs = inputCount(layer);
  const outputs = outputCount(layer);
  const opsPerOutput = layer.kind === 'pool' ? layer.R * layer.S : 1;
  const bitsPerOutput = (inputs / outputs) * hw.activationBits + hw.psumBits;
  const tileOutputs = Math.max(1, Math.floor(hw.glbBits / 2 / bitsPerOutput));
  const tiles = Math.ceil(outputs / tileOutputs);
  const tl = newTimeline(tiles, 2, 1);
  const tileOps = new Float64Array(tiles);
  const c = zeroCounts();
  const net = (bits: number) => Math.ceil(bits / noc.bitsPerCycle);
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
    const inBits = i * hw.activationBits;
    const outBits = o * hw.psumBits;
    tl.fetch[k] = dram.cyclesFor(Math.ceil(inBits / 8));
    tl.compute[k] = Math.ceil(ops / array.peCount);
    tl.ifmapStream[k] = net(inBits);
    tl.psumStream[k] = net(outBits);
    tl.glbStream[k] = glb.cyclesFor(Math.ceil((inBits + outBits) / 8));
    tl.writeback[k] = dram.cyclesFor(Math.ceil((o * hw.activationBits) / 8));
  }
  c.computeCycles = tl.compute.reduce((a, b) => a + b, 0);
  return { timeline: tl, counts: c, tileOps, details: { elementwise: layer.kind, tiles, opsPerOutput, tileOutputs } };
}
