/**
 * The precision floor of the mapping choice (docs/eyeriss.md, "Monotonicity across designs"):
 * a layer is never mapped slower than the reference design one precision step wider would map it.
 *
 * The *reference designs* of an array are plain integer datapaths on the same array, buffers,
 * NoC, DRAM, clock and cost table, at the widths of a lattice: weight, activation and psum widths
 * each a power of two, up to `eyeriss.precisionFloor` (default 16-bit operands, 32-bit psums:
 * the shipped 16-bit baseline's operands with the INT8 baseline's accumulator). A reference's
 * mapping at lattice point r is, recursively, the best (by the design's objective) of its own
 * search and the reference mappings of the points one step wider (one width doubled), re-timed
 * at r, among those no slower than the fastest of the latter. Since a fixed mapping's replay is
 * monotone in every width, the reference cycles are then monotone on the lattice, and a design
 * at widths w that is floored by the least lattice point above w is never slower than any
 * reference design at least as wide as w in every width — whatever energies its own search ranks with.
 * Everything here is a pure function of widths; the accelerator builds and caches the references.
 */
import type { ArchConfig } from '../../sim/arch.ts';
import type { MappingObjective, RsHardware, RsMapping } from './mapping-types.ts';
import { score } from './mapping-search.ts';
import { inputValueBits, outputValueBits } from './mapping-counts.ts';

/** A lattice point: the widths of one reference design (outputs at the activation width). */
export interface ReferenceWidths {
  readonly weightBits: number;
  readonly activationBits: number;
  readonly psumBits: number;
}

/** The widest reference (the `eyeriss.precisionFloor` default): 16-bit operands, 32-bit psums. */
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
 * replayed cycles are no more than the fastest reference's, the best by the objective on replayed
 * cycles and estimated energy at the layer's widths (ties keep the earlier candidate). Mappings
 * with more passes than the replay takes are left out.
 */
export function noSlowerThan(own: RsMapping, refs: readonly RsMapping[], replayCycles: (m: RsMapping) => number, opts: { mappingObjective: MappingObjective; maxPasses: number }): RsMapping {
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
  const floor = Math.min(...fits.map(cyclesOf));
  let best = own;
  let bestScore = Infinity;
  for (const m of [...fits, own]) {
    const cycles = cyclesOf(m);
    if (cycles > floor) continue;
    const sc = score(m.estimate.energyPj, cycles, opts.mappingObjective);
    if (sc < bestScore) (best = m), (bestScore = sc);
  }
  return best;
}

const DESIGNS = new WeakMap<object, Map<string, unknown>>();

/** One object per cost table and key: the reference designs are built once and shared by every design. */
export function oncePerTable<T>(costs: object, key: string, build: () => T): T {
  let m = DESIGNS.get(costs);
  if (!m) DESIGNS.set(costs, (m = new Map()));
  if (!m.has(key)) m.set(key, build());
  return m.get(key) as T;
}
