/**
 * DRQ's variable-speed mixed-precision convolution array (Song et al., ISCA 2020, §IV) on the
 * Eyeriss row-stationary mapping (models/eyeriss/mapping.ts): the mapping, passes and event
 * replay are Eyeriss's; this file turns each pass's region masks into its compute time through
 * the array's pass-timing hook (PassTimedDatapath in models/eyeriss/pe.ts).
 *
 * Within a pass a PE (filter row r, output row e) reads input row h = e·strideH + r·dilationH −
 * padH of its channels and images, and for each output column x the S values at
 * w = x·strideW + s·dilationW − padW, once per filter it holds. Each MAC costs the multiplier-
 * cycles of its operand widths (8×8 in a sensitive region, 4×4 elsewhere; padding takes the
 * precision of the edge value it borders). PEs that move in lockstep wait for the slowest:
 * `lockstep: "array"` — all PEs advance one output column at a time together (one shared ifmap
 * multicast per step), so a step costs the slowest PE's work for that column; `"column"` — each
 * PE column (a psum chain) steps on its own and the pass ends with the slowest column; `"pe"` —
 * every PE runs free and the pass ends with the busiest PE (the Eyeriss hook's default rule);
 * `"region"` (default, our reading of the paper's region-granular control, docs/drq.md) — all PEs
 * advance together one *region step* at a time: the output columns whose input windows centre on
 * one region column of the map form a step, inside it each PE runs free at the precision of each
 * value's region, and the step ends when the slowest PE has finished it.
 */
import type { Layer } from '../../sim/workload.ts';
import type { PassView } from '../eyeriss/pe.ts';
import type { PeWork } from '../eyeriss/mapping.ts';
import type { RegionMask } from './sensitivity.ts';

export type LockstepGroup = 'region' | 'array' | 'column' | 'pe';
export const LOCKSTEP_GROUPS: readonly LockstepGroup[] = ['region', 'array', 'column', 'pe'];

/** Per-value cost in multiplier-cycles: `high` in a sensitive region, `low` elsewhere. */
export interface PrecisionCosts {
  readonly high: number;
  readonly low: number;
}

/**
 * Sensitive taps per (image, input row, output column), prefix-summed over channels:
 * hi[((n·H + h)·(C + 1) + c)·Q + x] = Σ_{c' < c} Σ_s sensitive(n, c', h, w(x, s)).
 * Built once per layer so that a PE's step work is O(images) whatever its channel block.
 */
export class SensitiveTapTable {
  readonly N: number;
  /** Region edge of the mask (fc `channels` and fc-high: the mask's own). */
  readonly regionSize: number;
  private readonly H: number;
  private readonly C: number;
  private readonly Q: number;
  private readonly hi: Float32Array;
  /** Pass times already computed, per mapping (see cachedPassMultiplierCycles). */
  readonly passMemo = new WeakMap<object, Map<string, number>>();

  constructor(
    readonly layer: Layer,
    mask: RegionMask,
  ) {
    const { H, W, C, Q, S } = layer;
    this.N = mask.N;
    this.regionSize = mask.regionSize;
    this.H = H;
    this.C = C;
    this.Q = Q;
    // Column taps per output column, clamped to the map (padding borders the edge value), as
    // the region column each tap falls in; a value's sensitivity is its region's mask bit.
    const rowOf = rowSensitivity(layer, mask);
    const tapRegion = new Int32Array(Q * S);
    for (let x = 0; x < Q; x++) {
      for (let s = 0; s < S; s++) tapRegion[x * S + s] = rowOf.column(Math.min(W - 1, Math.max(0, x * layer.strideW + s * layer.dilationW - layer.padW)));
    }
    const bits = rowOf.bits;
    this.hi = new Float32Array(this.N * H * (C + 1) * Q);
    for (let n = 0; n < this.N; n++) {
      for (let h = 0; h < H; h++) {
        const base = (n * H + h) * (C + 1);
        for (let c = 0; c < C; c++) {
          const row = (base + c) * Q;
          const next = (base + c + 1) * Q;
          const at = rowOf.offset(n, c, h);
          for (let x = 0; x < Q; x++) {
            let k = 0;
            for (let t = x * S; t < x * S + S; t++) k += at < 0 ? 1 : bits[at + tapRegion[t]!]!;
            this.hi[next + x] = this.hi[row + x]! + k;
          }
        }
      }
    }
  }

  /** Sensitive taps of channels [c0, c1) (absolute) of image n, input row h (clamped), column x. */
  sensitiveTaps(n: number, h: number, c0: number, c1: number, x: number): number {
    const hc = Math.min(this.H - 1, Math.max(0, h));
    const base = (n * this.H + hc) * (this.C + 1);
    return this.hi[(base + c1) * this.Q + x]! - this.hi[(base + c0) * this.Q + x]!;
  }

  /** sensitiveTaps for every output column x = 0 … Q − 1 at once, into `out`. */
  sensitiveTapsRow(n: number, h: number, c0: number, c1: number, out: Float64Array): void {
    const hc = Math.min(this.H - 1, Math.max(0, h));
    const base = (n * this.H + hc) * (this.C + 1);
    const hiRow = (base + c1) * this.Q;
    const loRow = (base + c0) * this.Q;
    for (let x = 0; x < this.Q; x++) out[x] = this.hi[hiRow + x]! - this.hi[loRow + x]!;
  }
}

/**
 * Region steps of the `region` lockstep rule: output column x belongs to the step of the region column
 * its window's centre tap reads (clamped to the map), numbered from 0 in column order.
 */
export function regionSteps(layer: Layer, regionSize: number): { of: Uint32Array; count: number } {
  const of = new Uint32Array(layer.Q);
  const centre = Math.floor((layer.S - 1) / 2) * layer.dilationW;
  const first = Math.floor(Math.min(layer.W - 1, Math.max(0, -layer.padW + centre)) / regionSize);
  let count = 0;
  for (let x = 0; x < layer.Q; x++) {
    const w = Math.min(layer.W - 1, Math.max(0, x * layer.strideW - layer.padW + centre));
    of[x] = Math.floor(w / regionSize) - first;
    count = Math.max(count, of[x]! + 1);
  }
  return { of, count };
}

/**
 * A mask row per (n, c, h): sensitive(n, c, h, w) = bits[offset(n, c, h) + column(w)] === 1, for
 * conv maps and for fc inputs (a 1×1 map per channel); offset −1 = every value sensitive (fc-high).
 */
function rowSensitivity(layer: Layer, m: RegionMask): { bits: Uint8Array; offset: (n: number, c: number, h: number) => number; column: (w: number) => number } {
  if (m.policy === 'fc-high') return { bits: m.mask, offset: () => -1, column: () => 0 };
  if (layer.kind === 'fc') return { bits: m.mask, offset: (n, c) => n * m.regionsW + Math.floor(c / m.regionSize), column: () => 0 };
  return { bits: m.mask, offset: (n, c, h) => ((n * m.C + c) * m.regionsH + Math.floor(h / m.regionSize)) * m.regionsW, column: (w) => Math.floor(w / m.regionSize) };
}

/**
 * The compute time of one pass in multiplier-cycles under the lockstep rule. Pure: the same pass
 * view and table always give the same time.
 */
export function passMultiplierCycles(view: PassView, table: SensitiveTapTable, cost: PrecisionCosts, lockstep: LockstepGroup, inputOffset = 0): number {
  const { layer } = view;
  const Q = layer.Q;
  const S = layer.S;
  const cOffset = view.pass.g * (layer.C / layer.groups);
  const steps = lockstep === 'region' ? regionSteps(layer, table.regionSize) : undefined;
  const stepMax = new Float64Array(steps ? steps.count : Q);
  const colSteps = new Map<number, Float64Array>();
  let busiest = 0;
  const work = new Float64Array(Q);
  const taps = new Float64Array(Q);
  view.pes((pe: Readonly<PeWork>) => {
    const values = S * (pe.c1 - pe.c0);
    const filters = pe.m1 - pe.m0;
    let total = 0;
    // Per column, the images' work summed in image order (a row of the table per image).
    work.fill(0);
    for (let n = pe.n0; n < pe.n1; n++) {
      table.sensitiveTapsRow((n + inputOffset) % table.N, pe.ifmapRow, cOffset + pe.c0, cOffset + pe.c1, taps);
      for (let x = 0; x < Q; x++) work[x]! += taps[x]! * cost.high + (values - taps[x]!) * cost.low;
    }
    for (let x = 0; x < Q; x++) {
      work[x]! *= filters;
      total += work[x]!;
    }
    if (lockstep === 'pe') busiest = Math.max(busiest, total);
    else if (steps) {
      const inStep = new Float64Array(steps.count);
      for (let x = 0; x < Q; x++) inStep[steps.of[x]!]! += work[x]!;
      for (let k = 0; k < steps.count; k++) stepMax[k] = Math.max(stepMax[k]!, inStep[k]!);
    } else if (lockstep === 'array') for (let x = 0; x < Q; x++) stepMax[x] = Math.max(stepMax[x]!, work[x]!);
    else {
      let col = colSteps.get(pe.col);
      if (!col) colSteps.set(pe.col, (col = new Float64Array(Q)));
      for (let x = 0; x < Q; x++) col[x] = Math.max(col[x]!, work[x]!);
    }
  });
  if (lockstep === 'pe') return busiest;
  if (lockstep === 'array' || steps) return stepMax.reduce((a, b) => a + b, 0);
  let slowest = 0;
  for (const col of colSteps.values()) slowest = Math.max(slowest, col.reduce((a, b) => a + b, 0));
  return slowest;
}

/**
 * passMultiplierCycles, memoised on the table per mapping. A pass's PE work depends on its
 * filters only through how many each PE holds (set by mLen), so the passes over the other
 * filter blocks of a layer repeat an earlier pass's time: with MB filter blocks, 1/MB of the work.
 */
export function cachedPassMultiplierCycles(view: PassView, table: SensitiveTapTable, cost: PrecisionCosts, lockstep: LockstepGroup, inputOffset = 0): number {
  let memo = table.passMemo.get(view.mapping);
  if (!memo) table.passMemo.set(view.mapping, (memo = new Map()));
  const ps = view.pass;
  const key = `${lockstep} ${inputOffset} ${cost.high} ${cost.low} ${ps.g} ${ps.n0} ${ps.nLen} ${ps.c0} ${ps.cLen} ${ps.e0} ${ps.eLen} ${ps.r0} ${ps.rLen} ${ps.mLen}`;
  let cycles = memo.get(key);
  if (cycles === undefined) memo.set(key, (cycles = passMultiplierCycles(view, table, cost, lockstep, inputOffset)));
  return cycles;
}
