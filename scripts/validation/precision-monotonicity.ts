/**
 * The cross-design precision invariant (issue #14; docs/eyeriss.md, "Monotonicity across
 * designs"): for two shipped Eyeriss-derived designs on the same array and buffers where one is
 * narrower in every operand and psum width, no layer of a network is slower on the narrower one.
 * Used by the test (a few networks), `npm run validate` (every shipped network) and
 * scripts/precision-monotonicity.ts (counts with and without the precision floor).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { archFromConfig, loadArch, psumBitsOf, type ArchConfig } from '../../sim/arch.ts';
import { ROOT } from '../../sim/config.ts';
import { shippedNetworks } from '../../sim/cli/network.ts';
import { simulate } from '../../sim/simulate.ts';
import { loadNetwork, type Network } from '../../sim/workload.ts';
import { withValuesAt } from '../../sim/config.ts';
import { SCHEMES } from '../../models/registry.ts';
import type { CostTable } from '../../sim/costs.ts';
import { generateSyntheticTrace } from '../../traces/synthetic.ts';
import { compare, type ValidationRow } from './row.ts';

/** Operand and psum widths of a fixed-precision design, from its config. */
export interface DesignWidths {
  weightBits: number;
  activationBits: number;
  psumBits: number;
}

export interface Design {
  readonly name: string;
  readonly config: ArchConfig;
  readonly widths: DesignWidths;
}

/** What "the same array and buffers" means: everything but the datapath and the scheme's own section. */
export function hardwareKey(c: ArchConfig): string {
  return JSON.stringify([c.clockMHz, c.costs ?? null, c.array, c.pe ?? null, c.globalBuffer, c.noc ?? null, c.dram, c.eyeriss ?? null]);
}

export function widthsOf(c: ArchConfig): DesignWidths {
  return { weightBits: c.datapath.weightBits, activationBits: c.datapath.activationBits, psumBits: psumBitsOf(c.datapath) };
}

/** The shipped configs on the Eyeriss-like array whose widths the config fixes (no trace-dependent widths). */
export function shippedFixedWidthDesigns(): Design[] {
  const dir = join(ROOT, 'configs/arch');
  const out: Design[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const config = loadArch(join(dir, f)).config;
    const scheme = SCHEMES[config.scheme];
    // Eyeriss-derived: the row-stationary hierarchy (a global buffer and the Eyeriss mapping), not systolic, not DNA-TEQ's units.
    if (!scheme || scheme.needsTrace || config.systolic !== undefined || config.dnateq !== undefined) continue;
    out.push({ name: config.name, config, widths: widthsOf(config) });
  }
  return out;
}

/**
 * Plain integer designs on the shipped `eyeriss` array at the given weight/activation/psum widths
 * (a lattice of datapaths, each searched on its own energies).
 */
export function widthVectorDesigns(vectors: readonly DesignWidths[]): Design[] {
  const base = loadArch('eyeriss').config;
  return vectors.map((w) => {
    const config = withValuesAt(base, [
      ['/name', `int${w.weightBits}x${w.activationBits}/${w.psumBits}`],
      ['/datapath', { arithmetic: 'int', weightBits: w.weightBits, activationBits: w.activationBits, accumulatorBits: w.psumBits }],
    ]);
    return { name: config.name, config, widths: w };
  });
}

/** True when `a` is at most as wide as `b` in every width and narrower in at least one. */
export function strictlyNarrower(a: DesignWidths, b: DesignWidths): boolean {
  const le = a.weightBits <= b.weightBits && a.activationBits <= b.activationBits && a.psumBits <= b.psumBits;
  return le && (a.weightBits < b.weightBits || a.activationBits < b.activationBits || a.psumBits < b.psumBits);
}

/** Ordered pairs (narrow, wide) on the same hardware. */
export function narrowerPairs(designs: readonly Design[]): [Design, Design][] {
  const pairs: [Design, Design][] = [];
  for (const a of designs) for (const b of designs) if (hardwareKey(a.config) === hardwareKey(b.config) && strictlyNarrower(a.widths, b.widths)) pairs.push([a, b]);
  return pairs;
}

/** Conv/fc/matmul and elementwise layers alike: every layer's arch-mode cycles, by name. */
export function layerCycles(config: ArchConfig, network: Network, costs?: CostTable): Map<string, number> {
  const r = simulate(archFromConfig(config), network, { mode: 'arch', ...(costs ? { costs } : {}) });
  return new Map(r.layers.map((l) => [l.name, l.cycles]));
}

export interface Violation {
  narrow: string;
  wide: string;
  network: string;
  layer: string;
  narrowCycles: number;
  wideCycles: number;
}

/** Every layer of `networks` on which a narrower design of `pairs` is slower than the wider one. */
export function violations(pairs: readonly [Design, Design][], networks: readonly string[], costs?: CostTable): { checked: number; slower: Violation[] } {
  const cache = new Map<string, Map<string, number>>();
  const cyclesOf = (d: Design, n: Network) => {
    const k = `${d.name}|${n.name}`;
    let m = cache.get(k);
    if (!m) cache.set(k, (m = layerCycles(d.config, n, costs)));
    return m;
  };
  const slower: Violation[] = [];
  let checked = 0;
  for (const name of networks) {
    const net = loadNetwork(name);
    for (const [narrow, wide] of pairs) {
      const a = cyclesOf(narrow, net);
      const b = cyclesOf(wide, net);
      for (const l of net.layers) {
        checked++;
        if (a.get(l.name)! > b.get(l.name)!) slower.push({ narrow: narrow.name, wide: wide.name, network: name, layer: l.name, narrowCycles: a.get(l.name)!, wideCycles: b.get(l.name)! });
      }
    }
  }
  return { checked, slower };
}

/** The same designs with the precision floor switched off (the mapping search alone, as before issue #14's floor). */
export function withoutFloor(d: Design): Design {
  return { ...d, config: withValuesAt(d.config, [['/eyeriss/precisionFloor', false]]) };
}

export { shippedNetworks };

/** Weight/activation widths of the lattice check (32-bit psums): 16/16 down to 4/4. */
export const WIDTH_VECTORS: readonly DesignWidths[] = [
  [16, 16],
  [16, 8],
  [8, 16],
  [8, 8],
  [4, 8],
  [4, 4],
].map(([weightBits, activationBits]) => ({ weightBits: weightBits!, activationBits: activationBits!, psumBits: 32 }));

/**
 * Layers of `networks` (seeded synthetic trace, batch 1) on which a data-dependent design (DRQ,
 * OLAccel) is slower than eyeriss-int8, whose widths bound its own on every layer it runs narrower.
 */
export function dataDependentViolations(networks: readonly string[]): { checked: number; slower: Violation[] } {
  const slower: Violation[] = [];
  let checked = 0;
  for (const name of networks) {
    const net = loadNetwork(name);
    const trace = generateSyntheticTrace(net, { seed: 1, batch: 1 });
    const base = simulate(loadArch('eyeriss-int8'), net, { mode: 'arch', trace });
    for (const d of ['drq', 'olaccel']) {
      const r = simulate(loadArch(d), net, { mode: 'arch', trace });
      r.layers.forEach((l, i) => {
        const b = base.layers[i]!;
        checked++;
        if (l.cycles > b.cycles) slower.push({ narrow: d, wide: 'eyeriss-int8', network: name, layer: l.name, narrowCycles: l.cycles, wideCycles: b.cycles });
      });
    }
  }
  return { checked, slower };
}

const SOURCE = 'issue #14: lowering operand or psum precision never increases a layer\'s cycles';

function row(quantity: string, r: { checked: number; slower: Violation[] }, note: string): ValidationRow {
  const first = r.slower[0];
  const example = first ? `; e.g. ${first.network} ${first.layer}: ${first.narrow} ${first.narrowCycles} > ${first.wide} ${first.wideCycles}` : '';
  return compare('precision', quantity, 0, r.slower.length, { exact: true }, SOURCE, `${note} (${r.checked} layer pairs${example})`);
}

/** `npm run validate`: the invariant over every shipped network. */
export function precisionMonotonicityRows(): ValidationRow[] {
  const nets = shippedNetworks();
  return [
    row('slower layers, shipped designs narrower in every width', violations(narrowerPairs(shippedFixedWidthDesigns()), nets), `shipped fixed-width Eyeriss-derived configs, every layer of ${nets.length} networks`),
    row('slower layers, integer datapaths 16/16 … 4/4 (32-bit psums)', violations(narrowerPairs(widthVectorDesigns(WIDTH_VECTORS)), nets), 'every comparable pair of six datapaths on the eyeriss array'),
    row('slower layers, drq and olaccel vs eyeriss-int8', dataDependentViolations(['alexnet', 'mobilenet-v1', 'resnet50']), 'synthetic trace (seed 1), arch mode'),
  ];
}
