/**
 * The precision floor of the mapping choice (docs/eyeriss.md, "Monotonicity across designs"):
 * a layer is never mapped slower than the reference design one precision step wider would map it.
 *
 * The *reference designs* of an array are plain integer datapaths on the same array, buffers,
 * NoC, DRAM, clock and cost table, at the widths of a lattice: weight, activation and psum widths
 * each a power of two, up to `eyeriss.precisionFloor` (default 32/32/32: the widest shipped
 * datapath, eyeriss-fp32, lies within it). A reference's mapping at lattice point r is,
 * recursively, the best (by the design's objective) of its own search and the reference mappings
 * of the points one step wider (one width doubled), re-timed at r, among those no slower than the
 * fastest of those wider designs takes on its own widths. Since a fixed mapping's replay is
 * monotone in every width, that set is never empty, the reference cycles are monotone on the lattice, and a design
 * at widths w that is floored by the least lattice point above w is never slower than any
 * reference design at least as wide as w in every width — whatever energies its own search ranks with.
 * The accelerator builds the reference designs (`FloorHost.referenceDesign`); their mappings are
 * cached per layer shape, in memory and (for CLI runs) on disk.
 */
import type { ArchConfig } from '../../sim/arch.ts';
import type { Layer } from '../../sim/workload.ts';
import { quickCached } from '../../sim/disk-cache.ts';
import { convShape, type MappingObjective, type RsHardware, type RsMapping, type UnitEnergies } from './mapping-types.ts';
import { MAPPING_SOURCES, score } from './mapping-search.ts';
import { retimeMapping } from './mapping-counts.ts';
import { inputValueBits, outputValueBits } from './mapping-counts.ts';

/** A lattice point: the widths of one reference design (outputs at the activation width). */
export interface ReferenceWidths {
  readonly weightBits: number;
  readonly activationBits: number;
  readonly psumBits: number;
}

/** The widest reference (the `eyeriss.precisionFloor` default): 32-bit weights, activations and psums. */
export const DEFAULT_PRECISION_FLOOR: ReferenceWidths = { weightBits: 32, activationBits: 32, psumBits: 32 };

/** The least power of two ≥ `bits` (1 for anything ≤ 1). */
export function ceilPow2(bits: number): number {
  let p = 1;
  while (p < bits - 1e-9) p *= 2;
  return p;
}

function within(r: ReferenceWidths, top: ReferenceWidths, psumLinkBits: number | undefined): boolean {
  return r.weightBits <= top.weightBits && r.activationBits <= top.activationBits && r.psumBits <= top.psumBits && (psumLinkBits === undefined || r.psumBits <= psumLinkBits);
}

/**
 * The least lattice point at least as wide as every tensor of `hw` (inputs and outputs with their
 * metadata), or undefined when a width exceeds the top, or the layer's MACs are slower than one per
 * cycle (references compute one MAC per PE per cycle). `psumLinkBits`: an explicit psum link,
 * which no reference's psum may exceed.
 */
export function latticeCeil(hw: RsHardware, top: ReferenceWidths, psumLinkBits?: number): ReferenceWidths | undefined {
  if (hw.cyclesPerMac > 1) return undefined;
  const r = {
    weightBits: ceilPow2(hw.weightBits),
    activationBits: ceilPow2(Math.max(hw.activationBits, inputValueBits(hw), outputValueBits(hw))),
    psumBits: ceilPow2(hw.psumBits),
  };
  return within(r, top, psumLinkBits) ? r : undefined;
}

/** The lattice points one step wider than `r` (one width doubled), within the top. */
export function widerNeighbours(r: ReferenceWidths, top: ReferenceWidths, psumLinkBits?: number): ReferenceWidths[] {
  const out: ReferenceWidths[] = [];
  for (const k of ['weightBits', 'activationBits', 'psumBits'] as const) {
    const n = { ...r, [k]: r[k] * 2 };
    if (within(n, top, psumLinkBits)) out.push(n);
  }
  return out;
}

/**
 * The reference design at `r` on `arch`'s array: the same array, scratchpad entries, buffers,
 * NoC, DRAM, clock, costs and mapping options, an integer datapath at r (accumulator = psum
 * width), and nothing of the design's own scheme.
 */
export function referenceArch(arch: ArchConfig, r: ReferenceWidths): ArchConfig {
  const { name, clockMHz, costs, array, pe, globalBuffer, noc, dram, eyeriss } = arch as ArchConfig & Record<string, unknown>;
  return {
    name: `${name}@int${r.weightBits}x${r.activationBits}/${r.psumBits}`,
    scheme: 'eyeriss',
    clockMHz,
    ...(costs !== undefined ? { costs } : {}),
    datapath: { arithmetic: 'int', weightBits: r.weightBits, activationBits: r.activationBits, accumulatorBits: r.psumBits },
    array,
    ...(pe !== undefined ? { pe } : {}),
    globalBuffer,
    ...(noc !== undefined ? { noc } : {}),
    dram,
    ...(eyeriss !== undefined ? { eyeriss } : {}),
  } as ArchConfig;
}

/**
 * `own` unless references are given: of the candidates (references first, then `own`) whose
 * replayed cycles are no more than `boundCycles` (what the reference designs themselves take) or,
 * without it, than the fastest re-timed reference's, the best by the objective on replayed
 * cycles and estimated energy at the layer's widths (ties keep the earlier candidate). Mappings
 * with more passes than the replay takes are left out.
 */
export function noSlowerThan(own: RsMapping, refs: readonly RsMapping[], replayCycles: (m: RsMapping) => number, opts: { mappingObjective: MappingObjective; maxPasses: number }, boundCycles?: () => number): RsMapping {
  const fits = refs.filter((m) => m.counts.passes <= opts.maxPasses);
  if (fits.length === 0 || own.counts.passes > opts.maxPasses) return own;
  const ownKey = JSON.stringify(own.params);
  if (fits.every((m) => JSON.stringify(m.params) === ownKey)) return own;
  const seen = new Map<string, number>();
  const cyclesOf = (m: RsMapping) => {
    const k = JSON.stringify(m.params);
    let c = seen.get(k);
    if (c === undefined) seen.set(k, (c = replayCycles(m)));
    return c;
  };
  // The bound: the reference designs' own cycles when given (a re-timed reference is no slower
  // than on its own design, so it always qualifies), else the fastest re-timed reference. The
  // bound costs replays of the references (large layers: seconds), so it is asked for only when a
  // candidate slower than the fastest re-timed reference would beat the choice below that.
  const candidates = [...fits, own].map((m) => ({ m, cycles: cyclesOf(m), sc: score(m.estimate.energyPj, cyclesOf(m), opts.mappingObjective) }));
  const bestWithin = (floor: number) => candidates.reduce<(typeof candidates)[number] | undefined>((b, c) => (c.cycles <= floor && (!b || c.sc < b.sc) ? c : b), undefined)!;
  const fastest = Math.min(...fits.map(cyclesOf));
  const strict = bestWithin(fastest);
  if (!boundCycles || !candidates.some((c) => c.cycles > fastest && c.sc < strict.sc)) return strict.m;
  return bestWithin(Math.max(boundCycles(), fastest)).m;
}

const DESIGNS = new WeakMap<object, Map<string, unknown>>();

/** One object per cost table and key: the reference designs are built once and shared by every design. */
export function oncePerTable<T>(costs: object, key: string, build: () => T): T {
  let m = DESIGNS.get(costs);
  if (!m) DESIGNS.set(costs, (m = new Map()));
  if (!m.has(key)) m.set(key, build());
  return m.get(key) as T;
}

/** What the floor needs of an accelerator on the Eyeriss-like array (EyerissAccelerator). */
export interface FloorHost {
  readonly arch: ArchConfig;
  readonly hw: RsHardware;
  readonly units: UnitEnergies;
  readonly options: { readonly mappingObjective: MappingObjective; readonly maxPasses: number; readonly precisionFloor: ReferenceWidths | false };
  readonly passTimed: boolean;
  mapLayer(layer: Layer, hw?: RsHardware): RsMapping;
  timeMapping(layer: Layer, m: RsMapping, mode: 'arch'): { cycles: number };
  /** The cycles of a layer on this design's floored mapping (cached with it). */
  referenceCycles(layer: Layer): number;
  referenceDesign(r: ReferenceWidths): FloorHost;
}

/** The files whose code decides a reference design's floored mapping (the search, and the replay of its candidates). */
const FLOOR_SOURCES = [
  ...MAPPING_SOURCES,
  'models/eyeriss/precision-floor.ts',
  'models/eyeriss/accelerator.ts',
  'models/eyeriss/mapping-passes.ts',
  'models/eyeriss/replay.ts',
  'models/eyeriss/counts.ts',
  'models/common/noc.ts',
  'models/common/dram.ts',
  'models/common/global-buffer.ts',
  'sim/scheduler.ts',
];

const FLOOR_CACHE = new Map<string, RsMapping>();

export function clearFloorCache(): void {
  FLOOR_CACHE.clear();
  REFERENCE_CYCLES.clear();
}

/** A floored mapping choice, memoized per process and (for CLI runs) on disk: `key` must hold everything it depends on. */
export function cachedFloor(key: string, choose: () => RsMapping): RsMapping {
  let m = FLOOR_CACHE.get(key);
  if (!m) FLOOR_CACHE.set(key, (m = quickCached('mappings-floor', { code: FLOOR_SOURCES, key, tensors: [] }, choose)));
  return m;
}

function topOf(host: FloorHost): ReferenceWidths | undefined {
  return host.options.precisionFloor === false ? undefined : host.options.precisionFloor;
}

/**
 * The mapping a reference design runs a layer on: its own search's choice floored by the reference
 * mappings one lattice step wider, re-timed at its widths (cached per layer shape and design).
 */
export function referenceMapping(ref: FloorHost, layer: Layer): RsMapping {
  return referenceChoice(ref, layer).mapping;
}

/** A reference design's floored mapping, and its cycles on that design (replayed when first asked for, then kept). */
export function referenceChoice(ref: FloorHost, layer: Layer): { mapping: RsMapping; cycles: () => number } {
  const top = topOf(ref)!;
  const link = ref.arch.noc?.psumBitsPerCycle;
  const key = JSON.stringify(['reference', convShape(layer), ref.hw, ref.units, ref.options, ref.arch]);
  const mapping = cachedFloor(key, () => {
    const designs = widerNeighbours(latticeCeil(ref.hw, top, link)!, top, link).map((n) => ref.referenceDesign(n));
    const wider = designs.map((d) => retimeMapping(referenceMapping(d, layer), ref.hw, ref.units));
    const bound = designs.length ? () => Math.min(...designs.map((d) => d.referenceCycles(layer))) : undefined;
    return noSlowerThan(ref.mapLayer(layer), wider, (c) => ref.timeMapping(layer, c, 'arch').cycles, ref.options, bound);
  });
  const cycles = () => {
    let c = REFERENCE_CYCLES.get(key);
    if (c === undefined) REFERENCE_CYCLES.set(key, (c = ref.timeMapping(layer, mapping, 'arch').cycles));
    return c;
  };
  return { mapping, cycles };
}

const REFERENCE_CYCLES = new Map<string, number>();

/**
 * The floor of a layer at widths `hw` on `host`: the reference mapping at the least lattice point
 * above `hw` (at the reference's widths), `same` when `host` is that reference (the same hardware,
 * energies and timing: its choice is the reference's), undefined without a floor.
 */
export function floorMapping(host: FloorHost, layer: Layer, hw: RsHardware): { mapping: RsMapping; cycles: () => number; same: boolean } | undefined {
  const top = topOf(host);
  const r = top && latticeCeil(hw, top, host.arch.noc?.psumBitsPerCycle);
  if (!r) return undefined;
  const ref = host.referenceDesign(r);
  const same = !host.passTimed && JSON.stringify([ref.hw, ref.units]) === JSON.stringify([hw, host.units]);
  return { ...referenceChoice(ref, layer), same };
}
