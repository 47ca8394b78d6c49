/**
 * Closed forms of a row-stationary mapping: access counts, GLB footprints, bits per level and the
 * energy / cycle estimates the search ranks candidates with.
 */
import type { ConvShape, RsCounts, RsHardware, RsMapping, RsParams, UnitEnergies } from './mapping-types.ts';
import { cdiv, sumShares, sumActiveSets, stripSums, type StripSums } from './rs-geometry.ts';

/**
 * GLB bits each residency choice (RESIDENCY order) needs for candidate `c` at buffering `depth`:
 * a resident or streamed ifmap, + filters of the group, of the block or of the pass, + psums.
 */
export function footprints(sh: ConvShape, hw: RsHardware, c: RsParams, depth: 1 | 2, out: Float64Array): void {
  const mBlk = Math.min(c.p * c.t, sh.Mg);
  const cBlk = Math.min(c.q * c.r, sh.Cg);
  const eBlk = Math.min(c.e * c.s, sh.P);
  const rowsMax = Math.min(sh.H, (eBlk - 1) * sh.strideH + (c.rh - 1) * sh.dilationH + 1);
  const psum = depth * c.n * mBlk * eBlk * sh.Q * hw.psumBits;
  const ifmapResident = c.n * sh.Cg * sh.H * sh.W * inputValueBits(hw) + psum;
  const ifmapStreamed = depth * c.n * cBlk * rowsMax * sh.W * inputValueBits(hw) + psum;
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

/**
 * The closed forms, written into `c` (the search reuses one object: no allocation per candidate).
 * `ss` must be stripSums(sh, e·s, rh).
 */
export function countsInto(c: RsCounts, sh: ConvShape, hw: RsHardware, params: RsParams, ss: StripSums): RsCounts {
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

/** Bits per input value at DRAM, GLB and NoC (the value and its metadata). */
export function inputValueBits(hw: RsHardware): number {
  return hw.activationBits + hw.inputMetaBits;
}

/** Bits per output value written to DRAM (the requantized value and its metadata). */
export function outputValueBits(hw: RsHardware): number {
  return hw.outputBits + hw.outputMetaBits;
}

/** GLB traffic in bits: fills from DRAM, deliveries to the NoC, psum round trips, outputs to DRAM. */
export function glbBits(c: RsCounts, hw: RsHardware): { readBits: number; writeBits: number } {
  return { writeBits: glbWriteBits(c, hw), readBits: glbReadBits(c, hw) };
}

export function glbWriteBits(c: RsCounts, hw: RsHardware): number {
  return c.dramIfmapWords * inputValueBits(hw) + c.dramFilterWords * hw.weightBits + c.nocPsumOutWords * hw.psumBits;
}

/** Final psums sit in the GLB at psum width; they are requantized to `outputBits` on the way to DRAM. */
export function glbReadBits(c: RsCounts, hw: RsHardware): number {
  return c.nocIfmapWords * inputValueBits(hw) + c.nocFilterWords * hw.weightBits + (c.nocPsumInWords + c.dramOutputWords) * hw.psumBits;
}

export function dramReadBits(c: Pick<RsCounts, 'dramIfmapWords' | 'dramFilterWords'>, hw: RsHardware): number {
  return c.dramIfmapWords * inputValueBits(hw) + c.dramFilterWords * hw.weightBits;
}

export function dramWriteBits(c: Pick<RsCounts, 'dramOutputWords'>, hw: RsHardware): number {
  return c.dramOutputWords * outputValueBits(hw);
}

export function dramBits(c: RsCounts, hw: RsHardware): number {
  return dramReadBits(c, hw) + dramWriteBits(c, hw);
}

/** Bits over the GLB→PE and PE→GLB networks, per network. */
export function nocBits(c: Pick<RsCounts, 'nocFilterWords' | 'nocIfmapWords' | 'nocPsumInWords' | 'nocPsumOutWords'>, hw: RsHardware): { filter: number; ifmap: number; psum: number } {
  return {
    filter: c.nocFilterWords * hw.weightBits,
    ifmap: c.nocIfmapWords * inputValueBits(hw),
    psum: (c.nocPsumInWords + c.nocPsumOutWords) * hw.psumBits,
  };
}

/**
 * Scratchpad accesses scaled to the bits they touch: a value narrower than the spad entry (DRQ's
 * 4-bit regions in 8-bit entries) reads or writes that fraction of the entry's bitlines. Factor 1
 * when the tensor width is the datapath's (every fixed-precision design).
 */
export function spadScale(hw: RsHardware): { ifmap: number; filter: number; psum: number } {
  return { ifmap: hw.activationBits / hw.ifmapSpadBits, filter: hw.weightBits / hw.filterSpadBits, psum: hw.psumBits / hw.psumSpadBits };
}

export function estimateEnergyPj(c: RsCounts, hw: RsHardware, u: UnitEnergies): number {
  const net = nocBits(c, hw);
  const sp = spadScale(hw);
  return (
    dramBits(c, hw) * u.dramBitPj +
    (glbReadBits(c, hw) + glbWriteBits(c, hw)) * u.glbBitPj +
    (net.filter + net.ifmap + net.psum) * u.nocBitPj +
    c.neighborPsumWords * hw.psumBits * u.neighborBitPj +
    (c.filterSpadReads + c.filterSpadWrites) * u.filterSpadPj * sp.filter +
    (c.ifmapSpadReads + c.ifmapSpadWrites) * u.ifmapSpadPj * sp.ifmap +
    (c.psumSpadReads + c.psumSpadWrites) * u.psumSpadPj * sp.psum +
    c.adds * u.addPj
  );
}

/**
 * Cycles as the replay will roughly find them: what overlaps with compute depends on the buffering.
 * The ifmap stream and the psum stream run on separate networks of their own widths.
 */
export function estimateCycles(c: RsCounts, hw: RsHardware, params: RsParams): number {
  const net = nocBits(c, hw);
  const deliver = net.filter / hw.nocBitsPerCycle;
  const stream = Math.max(net.ifmap / hw.nocBitsPerCycle, net.psum / hw.psumNocBitsPerCycle);
  const fetch = dramBits(c, hw) / 8 / hw.dramBytesPerCycle;
  const passes = Math.max(c.computeCycles, stream) + (params.spadDepth === 1 ? deliver : 0);
  return params.glbDepth === 2 ? Math.max(passes, fetch, deliver) : passes + fetch;
}

/** GLB bits mapping `params` needs on `hw` (its residency and buffering choice). */
export function footprintBits(sh: ConvShape, hw: RsHardware, params: RsParams): number {
  const fps = new Float64Array(6);
  footprints(sh, hw, params, params.glbDepth, fps);
  return fps[(params.ifmapResident ? 0 : 3) + (params.filterReuse === 'group' ? 0 : params.filterReuse === 'block' ? 1 : 2)]!;
}

/** The same mapping on hardware of other tensor widths (or cycles per MAC): counts, footprint and estimates redone. */
export function retimeMapping(m: RsMapping, hw: RsHardware, units: UnitEnergies): RsMapping {
  const counts = countMapping(m.shape, hw, m.params);
  return { ...m, hw, counts, glbFootprintBits: footprintBits(m.shape, hw, m.params), estimate: { energyPj: estimateEnergyPj(counts, hw, units), cycles: estimateCycles(counts, hw, m.params) } };
}

/** True when every tensor of `a` is at most as wide as in `b` and its MACs are no slower. */
export function narrowerOrEqual(a: RsHardware, b: RsHardware): boolean {
  return (
    a.weightBits <= b.weightBits &&
    a.activationBits <= b.activationBits &&
    inputValueBits(a) <= inputValueBits(b) &&
    outputValueBits(a) <= outputValueBits(b) &&
    a.psumBits <= b.psumBits &&
    a.cyclesPerMac <= b.cyclesPerMac
  );
}
