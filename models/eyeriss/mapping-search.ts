/**
 * The mapping search: every legal row-stationary mapping of a layer (spad and GLB capacity),
 * scored by the estimated energy × cycles (or energy, or cycles); an idle-PE fallback when
 * nothing that fills the array fits the GLB.
 */
import type { ConvShape, FilterReuse, MappingObjective, RsCounts, RsHardware, RsMapping, RsParams, UnitEnergies } from './mapping-types.ts';
import { cdiv, ifmapRows, stripSums, type StripSums } from './rs-geometry.ts';
import { footprints, countsInto, estimateEnergyPj, estimateCycles, inputValueBits } from './mapping-counts.ts';

/** The files whose code decides a mapping (part of the disk cache's key). */
export const MAPPING_SOURCES = ['models/eyeriss/mapping-search.ts', 'models/eyeriss/mapping-counts.ts', 'models/eyeriss/rs-geometry.ts', 'models/eyeriss/mapping-types.ts'];

/** A mapping's rank under `objective` (lower is better). */
export function score(energyPj: number, cycles: number, objective: MappingObjective): number {
  if (objective === 'energy') return energyPj + cycles * 1e-9;
  if (objective === 'cycles') return cycles + energyPj * 1e-12;
  return energyPj * cycles;
}

/** Candidate filters per PE: every value up to 4, then the ones that split common channel counts evenly. */
const P_VALUES = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
/** Candidate channels per PE (the ifmap spad bounds q·S; Eyeriss: 12 entries). */
const Q_VALUES = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64];
/** The GLB residency choices: is the ifmap resident (else streamed), and where filters are kept. */
const RES_IFMAP = [true, true, true, false, false, false] as const;
const RES_FILTER: readonly FilterReuse[] = ['group', 'block', 'pass', 'group', 'block', 'pass'];
const DEPTHS = [2, 1] as const;

export class MappingError extends Error {
  /** The arch-config field that limits the mapping (JSON pointer), when one does. */
  constructor(message: string, readonly jsonPath?: string) {
    super(message);
  }
}

/**
 * All legal row-stationary mappings of `sh` on `hw`, each with its counts; ranked best first by
 * `objective`. Throws MappingError when none fits (a filter row wider than the spads).
 * Each candidate is scored from scalars in reused objects (no allocation), since a sweep point
 * searches every layer afresh: thousands of candidates per fc layer on a large array.
 */
export function searchMappings(sh: ConvShape, hw: RsHardware, units: UnitEnergies, objective: MappingObjective = 'edp', keep = 1): RsMapping[] {
  const rh = Math.min(sh.R, hw.rows);
  const stripsTotal = cdiv(sh.P, hw.cols);
  // Balanced strips: E folded into the fewest strips of at most `cols` rows.
  const e = cdiv(sh.P, stripsTotal);
  const setsV = Math.floor(hw.rows / rh);
  const setsH = Math.floor(hw.cols / e);
  const sets = setsV * setsH;
  const qMax = Math.min(Math.floor(hw.ifmapSpadEntries / sh.S), sh.Cg);
  if (qMax < 1) throw new MappingError(`filter width S=${sh.S} exceeds the ifmap spad (${hw.ifmapSpadEntries} entries)`, '/pe/ifmapSpadEntries');
  const best: { sc: number; m: RsMapping }[] = [];
  // A resident ifmap is fetched once: every row some output reads (Σ over strips of new rows).
  const residentIfmapWords = sh.G * sh.N * sh.Cg * sh.W * ifmapRows(sh, 0, sh.P, 0, sh.R);
  const weights = sh.G * sh.Mg * sh.Cg * sh.R * sh.S;
  const sMax = Math.min(stripsTotal, sets);
  const sumsByS: StripSums[] = [];
  for (let s = 1; s <= sMax; s++) sumsByS[s] = stripSums(sh, e * s, rh);
  const cand: RsParams = { n: 1, p: 1, q: 1, r: 1, t: 1, s: 1, e, rh, ifmapResident: false, filterReuse: 'pass', glbDepth: 1, spadDepth: 1 };
  const scratch = {} as RsCounts;
  const fps = new Float64Array(6);
  const consider = (ss: StripSums) => {
    cand.spadDepth = 2 * cand.p * cand.q * sh.S <= hw.filterSpadEntries ? 2 : 1;
    // Counts of the fully streamed choice; residency only changes the DRAM (and GLB fill) words.
    cand.ifmapResident = false;
    cand.filterReuse = 'pass';
    countsInto(scratch, sh, hw, cand, ss);
    const streamedIfmap = scratch.dramIfmapWords;
    const streamedFilter = scratch.dramFilterWords;
    const blockFilterWords = weights * (cdiv(sh.Mg, cand.p * cand.t) === 1 ? 1 : cdiv(sh.N, cand.n));
    for (let d = 0; d < 2; d++) {
      const depth = DEPTHS[d]!;
      footprints(sh, hw, cand, depth, fps);
      let pickBits = Infinity;
      let pick = -1;
      for (let i = 0; i < 6; i++) {
        if (fps[i]! > hw.glbBits) continue;
        const ifw = RES_IFMAP[i] ? residentIfmapWords : streamedIfmap;
        const f = RES_FILTER[i];
        const fw = f === 'group' ? weights : f === 'block' ? blockFilterWords : streamedFilter;
        const bits = ifw * inputValueBits(hw) + fw * hw.weightBits;
        if (bits < pickBits) {
          pickBits = bits;
          pick = i;
        }
      }
      if (pick < 0) continue;
      const ifmapResident = RES_IFMAP[pick]!;
      const filterReuse = RES_FILTER[pick]!;
      const pickFp = fps[pick]!;
      cand.glbDepth = depth;
      scratch.dramIfmapWords = ifmapResident ? residentIfmapWords : streamedIfmap;
      scratch.dramFilterWords = filterReuse === 'group' ? weights : filterReuse === 'block' ? blockFilterWords : streamedFilter;
      const energyPj = estimateEnergyPj(scratch, hw, units);
      const cycles = estimateCycles(scratch, hw, cand);
      const sc = score(energyPj, cycles, objective);
      if (best.length >= keep && sc >= best[best.length - 1]!.sc) continue;
      const { n, p, q, r, t, s } = cand;
      best.push({
        sc,
        m: {
          shape: sh,
          params: { ...cand, ifmapResident, filterReuse },
          hw,
          loops: { G: sh.G, NB: cdiv(sh.N, n), MB: cdiv(sh.Mg, p * t), EB: ss.EB, CB: cdiv(sh.Cg, q * r), RF: ss.RF },
          counts: { ...scratch },
          activePes: r * t * s * rh * cand.e,
          glbFootprintBits: pickFp,
          estimate: { energyPj, cycles },
        },
      });
      best.sort((a, b) => a.sc - b.sc);
      if (best.length > keep) best.pop();
    }
  };
  const nValues = [...new Set([1, 2, 4, sh.N].filter((v) => v <= sh.N))];
  /** Every (n, p, q) whose filters and channels fit the PE's scratchpads, in search order. */
  const forEachSpadFit = (visit: (n: number, p: number, q: number) => void) => {
    for (const n of nValues) {
      for (const p of P_VALUES) {
        if (p > hw.psumSpadEntries || p > sh.Mg) continue;
        for (const q of Q_VALUES) {
          if (q > qMax || p * q * sh.S > hw.filterSpadEntries) break;
          visit(n, p, q);
        }
      }
    }
  };
  const rs = new Set<number>();
  forEachSpadFit((n, p, q) => {
    for (let s = 1; s <= sMax; s++) {
      const slots = Math.floor(sets / s);
      const rNeed = cdiv(sh.Cg, q);
      // Only the r that use the slots fully for their t (⌊slots/t⌋), plus the r that covers all channels.
      const tNeed = cdiv(sh.Mg, p);
      rs.clear();
      rs.add(Math.min(rNeed, slots));
      for (let t = 1; t <= Math.min(slots, tNeed); t++) rs.add(Math.min(rNeed, Math.floor(slots / t)));
      for (const r of rs) {
        const t = Math.min(Math.floor(slots / r), tNeed);
        if (r < 1 || t < 1) continue;
        cand.n = n;
        cand.p = p;
        cand.q = q;
        cand.r = r;
        cand.t = t;
        cand.s = s;
        consider(sumsByS[s]!);
      }
    }
  });
  if (best.length === 0) {
    // Nothing that fills the array fits the GLB (a huge array with a small buffer): leave PEs idle.
    // Fewer sets (powers of two of channel or filter sets) and shorter strips than the array allows.
    for (let strips = stripsTotal; best.length === 0 && strips <= sh.P * 2; strips *= 2) {
      const eShort = cdiv(sh.P, Math.min(strips, sh.P));
      const ss = stripSums(sh, eShort, rh);
      forEachSpadFit((n, p, q) => {
        for (let k = 1; k <= sets; k *= 2) {
          for (const [r, t] of [
            [Math.min(cdiv(sh.Cg, q), k), 1],
            [1, Math.min(cdiv(sh.Mg, p), k)],
          ] as const) {
            Object.assign(cand, { n, p, q, r, t, s: 1, e: eShort });
            consider(ss);
          }
        }
      });
    }
  }
  if (best.length === 0) throw new MappingError(`no legal mapping: the smallest tiles do not fit the ${hw.glbBits / 8192} KiB global buffer`, '/globalBuffer/kib');
  return best.map((b) => b.m);
}
