/**
 * DRQ's variable-speed mixed-precision convolution array (Song et al., ISCA 2020, §IV) on an
 * Eyeriss-like row-stationary mapping. PEs that move in lockstep wait for the slowest operand in
 * their group, so a step in which any PE reads a sensitive (8-bit) value takes the 8-bit time:
 * this is where the data dependence of the cycle count comes from.
 *
 * Mapping (row stationary, Eyeriss ISCA 2016 §V): a PE column computes one output row from R
 * filter rows stacked vertically; E = min(P, cols) output rows run side by side; spare rows hold
 * copies for further input channels, spare columns copies for further filters. The array then
 * steps one output column at a time; per step each PE does S MACs per filter it holds.
 * Lockstep groups (`lockstep`): `array` — the whole array advances step by step together (one
 * shared ifmap broadcast); `column` — each PE column advances on its own within a pass and the
 * pass ends when its slowest column does.
 *
 * This stand-in mapping is self-contained; it takes the same array, spads and datapath as the
 * Eyeriss model so that it can be swapped for the Eyeriss mapping's per-group hook.
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Layer } from '../../sim/workload.ts';
import { PeArray } from '../eyeriss/pe-array.ts';
import type { DatapathFactory } from '../eyeriss/pe.ts';
import type { RegionMask } from './sensitivity.ts';
import type { VariableSpeedPe } from './variable-speed-pe.ts';

export type LockstepGroup = 'array' | 'column';

/** How one layer sits on the array in the row-stationary stand-in mapping. */
export interface LockstepMapping {
  /** Filter rows per PE column (R, or the array height when R is taller: then folded). */
  readonly filterRows: number;
  readonly filterRowFolds: number;
  /** Input channels side by side (vertical copies). */
  readonly channelsPerPass: number;
  /** Output rows side by side (PE columns). */
  readonly outRowsPerPass: number;
  /** Filter copies across spare columns. */
  readonly filterCopies: number;
  /** PEs busy in a full pass. */
  readonly activePes: number;
}

export function lockstepMapping(layer: Layer, rows: number, cols: number): LockstepMapping {
  const filterRows = Math.min(layer.R, rows);
  const filterRowFolds = Math.ceil(layer.R / filterRows);
  const channelsPerPass = Math.max(1, Math.min(layer.C / layer.groups, Math.floor(rows / filterRows)));
  const outRowsPerPass = Math.min(layer.P, cols);
  const filterCopies = Math.max(1, Math.min(layer.M / layer.groups, Math.floor(cols / outRowsPerPass)));
  return {
    filterRows,
    filterRowFolds,
    channelsPerPass,
    outRowsPerPass,
    filterCopies,
    activePes: filterRows * channelsPerPass * outRowsPerPass * filterCopies,
  };
}

export interface ArrayTiming {
  /** Multiplier-cycles summed over steps (divide by multipliers per PE for PE cycles). */
  readonly multiplierCycles: number;
  /** The same mapping with every value at the high width: the 8×8 array on this mapping. */
  readonly allHighMultiplierCycles: number;
  readonly steps: number;
  /** Steps that ran at the high-precision speed. */
  readonly slowSteps: number;
}

/** Per-value cost in multiplier-cycles: `high` in a sensitive region, `low` elsewhere. */
export interface PrecisionCosts {
  readonly high: number;
  readonly low: number;
}

/**
 * Replay the layer step by step over the mask: each step costs S × (filters per copy) ×
 * the slowest value its group reads. Pure; `trace N` inputs are replayed and scaled to layer N.
 */
export function replayLockstep(layer: Layer, mask: RegionMask, map: LockstepMapping, cost: PrecisionCosts, lockstep: LockstepGroup): ArrayTiming {
  const Cg = layer.C / layer.groups;
  const Mg = layer.M / layer.groups;
  const macsPerStep = layer.S * Math.ceil(Mg / map.filterCopies);
  const anySensitive = regionLookup(layer, mask);
  let cyclesSum = 0;
  let steps = 0;
  let slow = 0;
  for (let n = 0; n < mask.N; n++) {
    for (let g = 0; g < layer.groups; g++) {
      for (let c0 = 0; c0 < Cg; c0 += map.channelsPerPass) {
        const cA = g * Cg + c0;
        const cB = g * Cg + Math.min(Cg, c0 + map.channelsPerPass);
        for (let fold = 0; fold < map.filterRowFolds; fold++) {
          const r0 = fold * map.filterRows;
          const r1 = Math.min(layer.R, r0 + map.filterRows);
          for (let p0 = 0; p0 < layer.P; p0 += map.outRowsPerPass) {
            const p1 = Math.min(layer.P, p0 + map.outRowsPerPass);
            if (lockstep === 'array') {
              const h = inputSpan(p0, p1 - 1, r0, r1, layer.strideH, layer.dilationH, layer.padH);
              for (let q = 0; q < layer.Q; q++) {
                const w = inputSpan(q, q, 0, layer.S, layer.strideW, layer.dilationW, layer.padW);
                const hi = anySensitive(n, cA, cB, h, w);
                cyclesSum += macsPerStep * (hi ? cost.high : cost.low);
                steps++;
                if (hi) slow++;
              }
            } else {
              let passMax = 0;
              for (let p = p0; p < p1; p++) {
                const h = inputSpan(p, p, r0, r1, layer.strideH, layer.dilationH, layer.padH);
                let col = 0;
                for (let q = 0; q < layer.Q; q++) {
                  const hi = anySensitive(n, cA, cB, h, inputSpan(q, q, 0, layer.S, layer.strideW, layer.dilationW, layer.padW));
                  col += macsPerStep * (hi ? cost.high : cost.low);
                  if (hi) slow++;
                }
                passMax = Math.max(passMax, col);
              }
              cyclesSum += passMax;
              steps += layer.Q * (p1 - p0);
            }
          }
        }
      }
    }
  }
  const passes = mask.N * layer.groups * Math.ceil(Cg / map.channelsPerPass) * map.filterRowFolds * Math.ceil(layer.P / map.outRowsPerPass);
  const scale = layer.N / mask.N;
  return {
    multiplierCycles: cyclesSum * scale,
    allHighMultiplierCycles: passes * layer.Q * macsPerStep * cost.high * scale,
    steps: steps * scale,
    slowSteps: slow * scale,
  };
}

/** Input rows [lo, hi) read by output rows o0..o1 through filter rows [k0, k1), clipped later. */
function inputSpan(o0: number, o1: number, k0: number, k1: number, stride: number, dilation: number, pad: number): [number, number] {
  return [o0 * stride + k0 * dilation - pad, o1 * stride + (k1 - 1) * dilation - pad + 1];
}

type SpanQuery = (n: number, c0: number, c1: number, h: [number, number], w: [number, number]) => boolean;

/** Whether any input value in channels [c0, c1) × rows h × cols w (clipped to the map) is sensitive. */
function regionLookup(layer: Layer, m: RegionMask): SpanQuery {
  if (m.policy === 'fc-high') return () => true;
  const rs = m.regionSize;
  if (layer.kind === 'fc') {
    // fc `channels` policy: a 1×C map; the step's channels are its columns.
    return (n, c0, c1) => {
      for (let r = Math.floor(c0 / rs); r <= Math.floor((c1 - 1) / rs); r++) if (m.mask[n * m.regionsW + r]) return true;
      return false;
    };
  }
  return (n, c0, c1, h, w) => {
    const h0 = Math.max(0, h[0]);
    const h1 = Math.min(m.H, h[1]);
    const w0 = Math.max(0, w[0]);
    const w1 = Math.min(m.W, w[1]);
    if (h0 >= h1 || w0 >= w1) return false;
    const rh0 = Math.floor(h0 / rs);
    const rh1 = Math.floor((h1 - 1) / rs);
    const rw0 = Math.floor(w0 / rs);
    const rw1 = Math.floor((w1 - 1) / rs);
    for (let c = c0; c < c1; c++) {
      const base = (n * m.C + c) * m.regionsH;
      for (let rh = rh0; rh <= rh1; rh++) {
        const row = (base + rh) * m.regionsW;
        for (let rw = rw0; rw <= rw1; rw++) if (m.mask[row + rw]) return true;
      }
    }
    return false;
  };
}

/** The PE array built from variable-speed PEs, with its lockstep replay. */
export class MixedPrecisionArray extends PeArray {
  constructor(name: string, ctx: BuildContext, parent: Component, arch: ArchConfig, datapath: DatapathFactory) {
    super(name, ctx, parent, arch, datapath);
  }

  get variableSpeedPe(): VariableSpeedPe {
    return this.pe.datapath as VariableSpeedPe;
  }

  /** Cycles of one layer: the lockstep replay, in PE cycles (multiplier-cycles / multipliers). */
  replay(layer: Layer, mask: RegionMask, cost: PrecisionCosts, lockstep: LockstepGroup): ArrayTiming & { mapping: LockstepMapping } {
    const mapping = lockstepMapping(layer, this.rows, this.cols);
    return { ...replayLockstep(layer, mask, mapping, cost, lockstep), mapping };
  }
}
