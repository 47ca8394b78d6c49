/**
 * Row-stationary mapping of one layer onto the PE array (Chen et al., ISCA 2016 §V; JSSC 2017
 * §III-C). Pure functions: no components, no ledger, so DRQ and LightNN reuse the same mapping
 * with their own datapaths, and tests check the closed forms against an enumeration.
 *
 * Logical PE set: R filter rows × E output rows; PE (i, j) keeps filter row i stationary, receives
 * ifmap row j·stride + i·dilation (diagonal multicast) and accumulates output row j vertically.
 * Physical placement:
 *  - folding: R > array rows splits the filter rows into `rFolds` of `rh` rows (psums meet in the
 *    GLB); E > array cols splits the output rows into strips of `e` columns;
 *  - replication: the array holds r × t × s sets of rh × e PEs: r sets on different channel
 *    blocks (psums chained vertically), t sets on different filter blocks, s strips side by side.
 * Inside a PE: q channels interleaved (ifmap spad holds q·S), p filters (filter spad holds p·q·S,
 * psum spad p), n images reuse the same filters.
 * One *pass* processes n images × p·t filters × q·r channels × e·s output rows × rh filter rows.
 * Loop nest over passes, outer → inner: group, images, filter blocks, strips, channel blocks,
 * R folds. Psums of an output tile stay in the GLB across the channel blocks and R folds.
 * GLB residency (chosen per mapping, by capacity): the ifmap of one image block is either kept
 * for all filter blocks ("resident") or streamed per pass; filters are kept per group, per filter
 * block (reused across strips) or streamed per pass.
 * Choices the paper leaves open (n, p, q, r, t, s, e, residency, double buffering) are found by a
 * search over legal mappings that minimises the estimated energy × cycles (or energy, or cycles).
 */
import type { Layer } from '../../sim/workload.ts';

/** What the mapper needs to know about the hardware. */
export interface RsHardware {
  rows: number;
  cols: number;
  ifmapSpadEntries: number;
  filterSpadEntries: number;
  psumSpadEntries: number;
  glbBits: number;
  weightBits: number;
  activationBits: number;
  psumBits: number;
  /** Cycles per MAC of the nominal datapath (data-dependent datapaths report per pass). */
  cyclesPerMac: number;
  dramBytesPerCycle: number;
  /** Bits per cycle of each NoC (filter, ifmap and psum networks are separate, as on the chip). */
  nocBitsPerCycle: number;
}

/** Energy per unit used to rank mappings (from the same cost table the components charge). */
export interface UnitEnergies {
  dramBitPj: number;
  glbBitPj: number;
  nocBitPj: number;
  neighborBitPj: number;
  ifmapSpadPj: number;
  filterSpadPj: number;
  psumSpadPj: number;
  addPj: number;
}

export type MappingObjective = 'edp' | 'energy' | 'cycles';
export type FilterReuse = 'group' | 'block' | 'pass';

/** A layer's dimensions as the mapper sees them (per group: C and M divided by groups). */
export interface ConvShape {
  G: number;
  N: number;
  Cg: number;
  Mg: number;
  P: number;
  Q: number;
  R: number;
  S: number;
  H: number;
  W: number;
  strideH: number;
  dilationH: number;
  padH: number;
}

export interface RsParams {
  /** Images per pass. */
  n: number;
  /** Filters per PE. */
  p: number;
  /** Channels per PE. */
  q: number;
  /** Sets on different channel blocks. */
  r: number;
  /** Sets on different filter blocks. */
  t: number;
  /** Output-row strips side by side. */
  s: number;
  /** Output rows per strip (PE columns per set). */
  e: number;
  /** Filter rows per set (PE rows per set). */
  rh: number;
  ifmapResident: boolean;
  filterReuse: FilterReuse;
  /** 2 when the GLB has room to fetch the next pass while the current one computes. */
  glbDepth: 1 | 2;
  /** 2 when the filter spad holds two passes' filters (delivery overlaps compute). */
  spadDepth: 1 | 2;
}

/** Totals over all passes of a layer. Counts are in elements (words of the tensor's width). */
export interface RsCounts {
  passes: number;
  macs: number;
  computeCycles: number;
  dramIfmapWords: number;
  dramFilterWords: number;
  dramOutputWords: number;
  nocFilterWords: number;
  nocIfmapWords: number;
  nocPsumInWords: number;
  nocPsumOutWords: number;
  /** Psums handed between vertically adjacent PEs (and chained channel sets). */
  neighborPsumWords: number;
  filterSpadReads: number;
  filterSpadWrites: number;
  ifmapSpadReads: number;
  ifmapSpadWrites: number;
  psumSpadReads: number;
  psumSpadWrites: number;
  /** Accumulator additions outside MACs (psums arriving from neighbours or the GLB). */
  adds: number;
}

export interface RsMapping {
  shape: ConvShape;
  params: RsParams;
  hw: RsHardware;
  /** Blocks per loop: groups, image blocks, filter blocks, strip blocks, channel blocks, R folds. */
  loops: { G: number; NB: number; MB: number; EB: number; CB: number; RF: number };
  counts: RsCounts;
  /** PEs the sets occupy on a full pass. */
  activePes: number;
  glbFootprintBits: number;
  estimate: { energyPj: number; cycles: number };
}

/** Per-pass quantities, as the replay and the datapath hook see them. */
export interface PassShape {
  /** Pass number in loop order, 0-based. */
  index: number;
  g: number;
  /** First image, filter (within the group), channel (within the group), output row, filter row. */
  n0: number;
  m0: number;
  c0: number;
  e0: number;
  r0: number;
  /** Sizes of this pass's blocks (smaller at the edges). */
  nLen: number;
  mLen: number;
  cLen: number;
  eLen: number;
  rLen: number;
  /** True when this pass's filters are already in the spads (same filter block, next strip). */
  filtersStay: boolean;
  /** Filters and channels per PE this pass (lockstep: the busiest PE sets the time). */
  pePerFilters: number;
  pePerChannels: number;
  macs: number;
  /** Cycles of the nominal datapath (n · p' · q' · S · Q · cyclesPerMac). */
  computeCycles: number;
  filterWords: number;
  ifmapWords: number;
  psumInWords: number;
  psumOutWords: number;
  neighborPsumWords: number;
  filterSpadWrites: number;
  ifmapSpadWrites: number;
  dramIfmapWords: number;
  dramFilterWords: number;
  /** Output words written to DRAM after this pass (last pass of an output tile), else 0. */
  dramOutputWords: number;
}

export function convShape(l: Layer): ConvShape {
  return {
    G: l.groups,
    N: l.N,
    Cg: l.C / l.groups,
    Mg: l.M / l.groups,
    P: l.P,
    Q: l.Q,
    R: l.R,
    S: l.S,
    H: l.H,
    W: l.W,
    strideH: l.strideH,
    dilationH: l.dilationH,
    padH: l.padH,
  };
}

const cdiv = (a: number, b: number) => Math.ceil(a / b);

/** Rows of [a, b] inside [lo, hi]. */
function clipCount(a: number, b: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(b, hi) - Math.max(a, lo) + 1);
}

/** Valid (inside the unpadded input) ifmap rows of output rows [e0, e0+eLen) × filter rows [r0, r0+rLen). */
export function ifmapRows(sh: ConvShape, e0: number, eLen: number, r0: number, rLen: number): number {
  const lo = sh.padH;
  const hi = sh.padH + sh.H - 1;
  const first = e0 * sh.strideH + r0 * sh.dilationH;
  const span = (rLen - 1) * sh.dilationH;
  if (sh.dilationH === 1) {
    // Windows of rLen contiguous rows every strideH rows: one run when they overlap or touch.
    if (sh.strideH <= rLen) return clipCount(first, first + (eLen - 1) * sh.strideH + span, lo, hi);
    let count = 0;
    for (let j = 0; j < eLen; j++) count += clipCount(first + j * sh.strideH, first + j * sh.strideH + span, lo, hi);
    return count;
  }
  // Dilated filters: mark the rows read (windows with holes may interleave).
  const last = first + (eLen - 1) * sh.strideH + span;
  const seen = new Uint8Array(last - first + 1);
  let count = 0;
  for (let j = 0; j < eLen; j++) {
    for (let i = 0; i < rLen; i++) {
      const row = first + j * sh.strideH + i * sh.dilationH;
      if (seen[row - first] || row < lo || row > hi) continue;
      seen[row - first] = 1;
      count++;
    }
  }
  return count;
}

/** PE positions (i, j) of the block whose ifmap row lies inside the unpadded input. */
export function validPePairs(sh: ConvShape, e0: number, eLen: number, r0: number, rLen: number): number {
  let count = 0;
  for (let j = 0; j < eLen; j++) {
    for (let i = 0; i < rLen; i++) {
      const row = (e0 + j) * sh.strideH + (r0 + i) * sh.dilationH;
      if (row >= sh.padH && row < sh.padH + sh.H) count++;
    }
  }
  return count;
}

/** Rows of strip [e0, e0+eLen) (all filter rows) not read by earlier strips: the resident ifmap's DRAM fetch. */
function newRowsOfStrip(sh: ConvShape, e0: number, eLen: number): number {
  const all = ifmapRows(sh, 0, e0 + eLen, 0, sh.R);
  const before = e0 > 0 ? ifmapRows(sh, 0, e0, 0, sh.R) : 0;
  return all - before;
}

/** Σ over the blocks of `total` cut into blocks of `blk` of ⌈block / per⌉ (per-PE share, lockstep). */
function sumShares(total: number, blk: number, per: number): number {
  const full = Math.floor(total / blk);
  const rem = total % blk;
  return full * cdiv(blk, per) + (rem ? cdiv(rem, per) : 0);
}

/** Channel sets that actually work on a block of `c` channels spread over `r` sets. */
function activeSets(c: number, r: number): number {
  return cdiv(c, cdiv(c, r));
}

/** Σ over channel blocks of the active channel sets. */
function sumActiveSets(total: number, blk: number, r: number): number {
  const full = Math.floor(total / blk);
  const rem = total % blk;
  return full * activeSets(blk, r) + (rem ? activeSets(rem, r) : 0);
}

/**
 * GLB bits each residency choice (RESIDENCY order) needs for candidate `c` at buffering `depth`:
 * a resident or streamed ifmap, + filters of the group, of the block or of the pass, + psums.
 */
function footprints(sh: ConvShape, hw: RsHardware, c: RsParams, depth: 1 | 2, out: Float64Array): void {
  const mBlk = Math.min(c.p * c.t, sh.Mg);
  const cBlk = Math.min(c.q * c.r, sh.Cg);
  const eBlk = Math.min(c.e * c.s, sh.P);
  const rowsMax = Math.min(sh.H, (eBlk - 1) * sh.strideH + (c.rh - 1) * sh.dilationH + 1);
  const psum = depth * c.n * mBlk * eBlk * sh.Q * hw.psumBits;
  const ifmapResident = c.n * sh.Cg * sh.H * sh.W * hw.activationBits + psum;
  const ifmapStreamed = depth * c.n * cBlk * rowsMax * sh.W * hw.activationBits + psum;
  const filterGroup = sh.Mg * sh.Cg * sh.R * sh.S * hw.weightBits;
  const filterBlock = mBlk * sh.Cg * sh.R * sh.S * hw.weightBits;
  const filterPass = depth * mBlk * cBlk * c.rh * sh.S * hw.weightBits;
  out[0] = ifmapResident + filterGroup;
  out[1] = ifmapResident + filterBlock;
  out[2] = ifmapResident + filterPass;
  out[3] = ifmapStreamed + filterGroup;
  out[4] = ifmapStreamed + filterBlock;
  out[5] = ifmapStreamed + filterPass;
}

/** Sums over the strips and R folds of a layer cut into strips of `eBlk` output rows and folds of `rh` filter rows. */
interface StripSums {
  EB: number;
  RF: number;
  /** Σ ifmap rows read per (strip, fold); Σ valid PE positions; Σ rows new to each strip; Σ rLen·eLen. */
  rows: number;
  pairs: number;
  newRows: number;
  rLenELen: number;
}

function stripSums(sh: ConvShape, eBlk: number, rh: number): StripSums {
  const EB = cdiv(sh.P, eBlk);
  const RF = cdiv(sh.R, rh);
  const sums: StripSums = { EB, RF, rows: 0, pairs: 0, newRows: 0, rLenELen: 0 };
  for (let eb = 0; eb < EB; eb++) {
    const e0 = eb * eBlk;
    const eLen = Math.min(eBlk, sh.P - e0);
    sums.newRows += newRowsOfStrip(sh, e0, eLen);
    for (let rf = 0; rf < RF; rf++) {
      const r0 = rf * rh;
      const rLen = Math.min(rh, sh.R - r0);
      sums.rows += ifmapRows(sh, e0, eLen, r0, rLen);
      sums.pairs += validPePairs(sh, e0, eLen, r0, rLen);
      sums.rLenELen += rLen * eLen;
    }
  }
  return sums;
}

/**
 * The closed forms, written into `c` (the search reuses one object: no allocation per candidate).
 * `ss` must be stripSums(sh, e·s, rh).
 */
function countsInto(c: RsCounts, sh: ConvShape, hw: RsHardware, params: RsParams, ss: StripSums): RsCounts {
  const { n, p, q, r, t, s, e } = params;
  const mBlk = p * t;
  const cBlk = q * r;
  const eBlk = e * s;
  const NB = cdiv(sh.N, n);
  const MB = cdiv(sh.Mg, mBlk);
  const CB = cdiv(sh.Cg, cBlk);
  const { EB, RF } = ss;
  const G = sh.G;
  // Σ over filter blocks of filters per PE, Σ over channel blocks of channels per PE.
  const sumPeFilters = sumShares(sh.Mg, mBlk, t);
  const sumPeChannels = sumShares(sh.Cg, cBlk, r);
  // Σ over channel blocks of the active channel sets chained per output.
  const sumRAct = sumActiveSets(sh.Cg, cBlk, r);
  const weights = G * sh.Mg * sh.Cg * sh.R * sh.S;
  const outputs = G * sh.N * sh.Mg * sh.P * sh.Q;
  const macs = outputs * sh.Cg * sh.R * sh.S;
  const psumOut = outputs * CB * RF;
  const psumIn = outputs * (CB * RF - 1);
  // Hops per output pixel per (channel block, fold): rLen·rAct − 1 → Σ = N·Mg·Q·G·(Σ_cb rAct · Σ_{eb,rf} rLen·eLen − CB·RF·P).
  const neighbor = G * sh.N * sh.Mg * sh.Q * (sumRAct * ss.rLenELen - CB * RF * sh.P);
  const nocIfmap = G * sh.N * sh.Cg * MB * sh.W * ss.rows;
  // When one pass covers all channels and filter rows of a filter block, the filters stay in the
  // spads while the next passes use the same block (next strip; next images when MB = 1).
  const stationary = CB * RF === 1;
  const blockVisits = MB === 1 ? 1 : NB;
  const nocFilter = weights * (stationary ? blockVisits : NB * EB);
  c.passes = G * NB * MB * EB * CB * RF;
  c.macs = macs;
  c.computeCycles = G * sh.N * sumPeFilters * sumPeChannels * EB * RF * sh.S * sh.Q * hw.cyclesPerMac;
  c.dramIfmapWords = params.ifmapResident ? G * sh.N * sh.Cg * sh.W * ss.newRows : nocIfmap;
  // The GLB keeps the current filter block ('block') or all of the group's filters ('group').
  c.dramFilterWords = params.filterReuse === 'group' ? weights : params.filterReuse === 'block' ? weights * blockVisits : nocFilter;
  c.dramOutputWords = outputs;
  c.nocFilterWords = nocFilter;
  c.nocIfmapWords = nocIfmap;
  c.nocPsumInWords = psumIn;
  c.nocPsumOutWords = psumOut;
  c.neighborPsumWords = neighbor;
  c.filterSpadReads = macs;
  c.filterSpadWrites = stationary ? weights * blockVisits * Math.min(eBlk, sh.P) : weights * NB * sh.P;
  c.ifmapSpadReads = macs;
  // Every filter set on the same channels holds its own copy of the ifmap rows.
  c.ifmapSpadWrites = G * sh.N * sh.Cg * sh.W * sumActiveSets(sh.Mg, mBlk, t) * ss.pairs;
  c.psumSpadReads = macs + neighbor + psumOut;
  c.psumSpadWrites = macs + neighbor + psumIn;
  c.adds = neighbor + psumIn;
  return c;
}

/** Closed-form totals of a mapping (the replay's per-pass sums must equal these). */
export function countMapping(sh: ConvShape, hw: RsHardware, params: RsParams): RsCounts {
  return countsInto({} as RsCounts, sh, hw, params, stripSums(sh, params.e * params.s, params.rh));
}

/** GLB traffic in bits: fills from DRAM, deliveries to the NoC, psum round trips, outputs to DRAM. */
export function glbBits(c: RsCounts, hw: RsHardware): { readBits: number; writeBits: number } {
  return { writeBits: glbWriteBits(c, hw), readBits: glbReadBits(c, hw) };
}

function glbWriteBits(c: RsCounts, hw: RsHardware): number {
  return c.dramIfmapWords * hw.activationBits + c.dramFilterWords * hw.weightBits + c.nocPsumOutWords * hw.psumBits;
}

function glbReadBits(c: RsCounts, hw: RsHardware): number {
  return c.nocIfmapWords * hw.activationBits + c.nocFilterWords * hw.weightBits + (c.nocPsumInWords + c.dramOutputWords) * hw.psumBits;
}

export function dramBits(c: RsCounts, hw: RsHardware): number {
  return c.dramIfmapWords * hw.activationBits + c.dramFilterWords * hw.weightBits + c.dramOutputWords * hw.activationBits;
}

function estimateEnergyPj(c: RsCounts, hw: RsHardware, u: UnitEnergies): number {
  return (
    dramBits(c, hw) * u.dramBitPj +
    (glbReadBits(c, hw) + glbWriteBits(c, hw)) * u.glbBitPj +
    (c.nocFilterWords * hw.weightBits + c.nocIfmapWords * hw.activationBits + (c.nocPsumInWords + c.nocPsumOutWords) * hw.psumBits) * u.nocBitPj +
    c.neighborPsumWords * hw.psumBits * u.neighborBitPj +
    (c.filterSpadReads + c.filterSpadWrites) * u.filterSpadPj +
    (c.ifmapSpadReads + c.ifmapSpadWrites) * u.ifmapSpadPj +
    (c.psumSpadReads + c.psumSpadWrites) * u.psumSpadPj +
    c.adds * u.addPj
  );
}

/** Cycles as the replay will roughly find them: what overlaps with compute depends on the buffering. */
function estimateCycles(c: RsCounts, hw: RsHardware, params: RsParams): number {
  const deliver = (c.nocFilterWords * hw.weightBits) / hw.nocBitsPerCycle;
  const stream = Math.max(c.nocIfmapWords * hw.activationBits, (c.nocPsumInWords + c.nocPsumOutWords) * hw.psumBits) / hw.nocBitsPerCycle;
  const fetch = dramBits(c, hw) / 8 / hw.dramBytesPerCycle;
  const passes = Math.max(c.computeCycles, stream) + (params.spadDepth === 1 ? deliver : 0);
  return params.glbDepth === 2 ? Math.max(passes, fetch, deliver) : passes + fetch;
}

function score(energyPj: number, cycles: number, objective: MappingObjective): number {
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
        const bits = ifw * hw.activationBits + fw * hw.weightBits;
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

/**
 * Visit every pass in loop order (group, images, filter blocks, strips, channel blocks, R folds)
 * with its per-pass quantities. The object passed to `visit` is reused: copy what you keep.
 */
export function forEachPass(m: RsMapping, visit: (p: PassShape) => void): void {
  const sh = m.shape;
  const hw = m.hw;
  const { n, p, q, r, t, s, e, rh, ifmapResident, filterReuse } = m.params;
  const mBlk = p * t;
  const cBlk = q * r;
  const eBlk = e * s;
  const { NB, MB, EB, CB, RF } = m.loops;
  // Per-(strip, fold) row counts do not depend on the outer loops: compute once.
  const rows = new Float64Array(EB * RF);
  const pairs = new Float64Array(EB * RF);
  const newRows = new Float64Array(EB);
  for (let eb = 0; eb < EB; eb++) {
    const e0 = eb * eBlk;
    const eLen = Math.min(eBlk, sh.P - e0);
    newRows[eb] = newRowsOfStrip(sh, e0, eLen);
    for (let rf = 0; rf < RF; rf++) {
      const r0 = rf * rh;
      const rLen = Math.min(rh, sh.R - r0);
      rows[eb * RF + rf] = ifmapRows(sh, e0, eLen, r0, rLen);
      pairs[eb * RF + rf] = validPePairs(sh, e0, eLen, r0, rLen);
    }
  }
  const stationary = CB * RF === 1;
  const ps = {} as PassShape;
  let index = 0;
  for (let g = 0; g < sh.G; g++) {
    for (let nb = 0; nb < NB; nb++) {
      const n0 = nb * n;
      const nLen = Math.min(n, sh.N - n0);
      for (let mb = 0; mb < MB; mb++) {
        const m0 = mb * mBlk;
        const mLen = Math.min(mBlk, sh.Mg - m0);
        const pePerFilters = cdiv(mLen, t);
        for (let eb = 0; eb < EB; eb++) {
          const e0 = eb * eBlk;
          const eLen = Math.min(eBlk, sh.P - e0);
          for (let cb = 0; cb < CB; cb++) {
            const c0 = cb * cBlk;
            const cLen = Math.min(cBlk, sh.Cg - c0);
            const pePerChannels = cdiv(cLen, r);
            const rAct = activeSets(cLen, r);
            for (let rf = 0; rf < RF; rf++) {
              const r0 = rf * rh;
              const rLen = Math.min(rh, sh.R - r0);
              const outTile = nLen * mLen * eLen * sh.Q;
              const stay = stationary && (eb > 0 || (MB === 1 && nb > 0));
              const filterWords = stay ? 0 : mLen * cLen * rLen * sh.S;
              const ifmapWords = nLen * cLen * rows[eb * RF + rf]! * sh.W;
              ps.index = index++;
              ps.g = g;
              ps.n0 = n0;
              ps.m0 = m0;
              ps.c0 = c0;
              ps.e0 = e0;
              ps.r0 = r0;
              ps.nLen = nLen;
              ps.mLen = mLen;
              ps.cLen = cLen;
              ps.eLen = eLen;
              ps.rLen = rLen;
              ps.filtersStay = stay;
              ps.pePerFilters = pePerFilters;
              ps.pePerChannels = pePerChannels;
              ps.macs = outTile * cLen * rLen * sh.S;
              ps.computeCycles = nLen * pePerFilters * pePerChannels * sh.S * sh.Q * hw.cyclesPerMac;
              ps.filterWords = filterWords;
              ps.ifmapWords = ifmapWords;
              ps.psumInWords = cb === 0 && rf === 0 ? 0 : outTile;
              ps.psumOutWords = outTile;
              ps.neighborPsumWords = outTile * (rLen * rAct - 1);
              ps.filterSpadWrites = filterWords * eLen;
              ps.ifmapSpadWrites = nLen * cLen * sh.W * pairs[eb * RF + rf]! * activeSets(mLen, t);
              ps.dramIfmapWords = ifmapResident ? (mb === 0 && rf === 0 ? nLen * cLen * newRows[eb]! * sh.W : 0) : ifmapWords;
              ps.dramFilterWords =
                filterReuse === 'pass'
                  ? filterWords
                  : (filterReuse === 'block' && eb === 0 && (MB > 1 || nb === 0)) || (filterReuse === 'group' && eb === 0 && nb === 0)
                    ? mLen * cLen * rLen * sh.S
                    : 0;
              ps.dramOutputWords = cb === CB - 1 && rf === RF - 1 ? outTile : 0;
              visit(ps);
            }
          }
        }
      }
    }
  }
}

/** The mapping as reported per layer (`details.mapping`). */
export function describeMapping(m: RsMapping): Record<string, unknown> {
  const { n, p, q, r, t, s, e, rh, ifmapResident, filterReuse, glbDepth, spadDepth } = m.params;
  return {
    set: `${rh}×${e}`,
    n,
    p,
    q,
    r,
    t,
    s,
    foldsR: m.loops.RF,
    strips: m.loops.EB * s,
    activePes: m.activePes,
    passes: m.counts.passes,
    ifmapInGlb: ifmapResident ? 'resident' : 'streamed',
    filterInGlb: filterReuse === 'group' ? 'resident (group)' : filterReuse === 'block' ? 'per filter block' : 'streamed',
    glbDoubleBuffered: glbDepth === 2,
    filterSpadDoubleBuffered: spadDepth === 2,
    glbFootprintBytes: Math.ceil(m.glbFootprintBits / 8),
  };
}

/** One PE's work in a pass: where it sits and which slices of the tensors it touches. */
export interface PeWork {
  /** Physical position in the array. */
  row: number;
  col: number;
  /** Set indices: channel set (psums chained), filter set, strip. */
  rSet: number;
  tSet: number;
  sSet: number;
  /** Filter row this PE keeps stationary (0..R-1) and output row it accumulates (0..P-1). */
  filterRow: number;
  outputRow: number;
  /** Input row it reads, in unpadded coordinates (outside 0..H-1: padding, no data). */
  ifmapRow: number;
  /** Half-open ranges within the group: images, filters, channels. */
  n0: number;
  n1: number;
  m0: number;
  m1: number;
  c0: number;
  c1: number;
  /** MACs this PE performs in the pass: (n1−n0)·(m1−m0)·(c1−c0)·S·Q. */
  macs: number;
}

/**
 * Visit the PEs that work in pass `ps`. Sets are placed column-major on a grid of
 * ⌊rows/rh⌋ × ⌊cols/e⌋ slots, channel sets first so that their psum chains are vertical.
 * The object passed to `visit` is reused.
 */
export function forEachPe(m: RsMapping, ps: PassShape, visit: (pe: PeWork) => void): void {
  const sh = m.shape;
  const { r, t, s, e, rh } = m.params;
  const setsV = Math.floor(m.hw.rows / rh);
  const pe = {} as PeWork;
  for (let si = 0; si < s; si++) {
    const sE0 = ps.e0 + si * e;
    const sLen = Math.min(e, ps.e0 + ps.eLen - sE0);
    if (sLen <= 0) continue;
    for (let ti = 0; ti < t; ti++) {
      const m0 = ps.m0 + ti * ps.pePerFilters;
      const m1 = Math.min(m0 + ps.pePerFilters, ps.m0 + ps.mLen);
      if (m1 <= m0) continue;
      for (let ri = 0; ri < r; ri++) {
        const c0 = ps.c0 + ri * ps.pePerChannels;
        const c1 = Math.min(c0 + ps.pePerChannels, ps.c0 + ps.cLen);
        if (c1 <= c0) continue;
        const k = ri + r * (ti + t * si);
        const v = k % setsV;
        const h = Math.floor(k / setsV);
        for (let j = 0; j < sLen; j++) {
          for (let i = 0; i < ps.rLen; i++) {
            pe.row = v * rh + i;
            pe.col = h * e + j;
            pe.rSet = ri;
            pe.tSet = ti;
            pe.sSet = si;
            pe.filterRow = ps.r0 + i;
            pe.outputRow = sE0 + j;
            pe.ifmapRow = pe.outputRow * sh.strideH + pe.filterRow * sh.dilationH - sh.padH;
            pe.n0 = ps.n0;
            pe.n1 = ps.n0 + ps.nLen;
            pe.m0 = m0;
            pe.m1 = m1;
            pe.c0 = c0;
            pe.c1 = c1;
            pe.macs = ps.nLen * (m1 - m0) * (c1 - c0) * sh.S * sh.Q;
            visit(pe);
          }
        }
      }
    }
  }
}
