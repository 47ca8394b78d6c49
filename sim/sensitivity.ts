/**
 * Which cost entries decide a result: rerun a design (and its baseline) with the energy of one
 * cost class at a time multiplied and divided by a factor (the sweeps' /costs/<class>/energyScale
 * machinery, CostTable.with({ energyScale })), and rank the classes by how far they move the
 * total energy, or the energy ratio to the baseline when one is given (a tornado).
 */
import type { Arch } from './arch.ts';
import { loadCostTable, type CostTable } from './costs.ts';
import { die } from './errors.ts';
import { simulate, type SimulateOptions } from './simulate.ts';
import { fmt, textTable, type Report } from './report.ts';
import type { Network } from './workload.ts';

export interface SensitivityRow {
  class: string;
  /** Share of the design's energy in this class, from the rerun: (E(×f) − E) / (E · (f − 1)). */
  share: number;
  /** Total energy of the design with the class ÷ factor and × factor, pJ. */
  energyPj: { down: number; up: number };
  /** Energy ratio design / baseline with the class ÷ and × factor (only with a baseline). */
  ratio?: { down: number; up: number };
  /** The largest relative move of the ranked quantity (ratio with a baseline, else total energy). */
  swing: number;
}

export interface SensitivityResult {
  arch: string;
  baseline?: string;
  network: string;
  factor: number;
  mode: string;
  seed: number;
  dramTechnology: string;
  energyPj: number;
  /** Leakage energy of the design, pJ: not an energy per action, so no class scale moves it. */
  leakageEnergyPj: number;
  baselineEnergyPj?: number;
  ratio?: number;
  estimateShare: number;
  rows: SensitivityRow[];
}

/** The cost classes a run of `arch` looks up energies from (recorded while it runs). */
function classesUsed(arch: Arch, network: Network, options: SimulateOptions, costs: CostTable): { report: Report; classes: Set<string> } {
  const classes = new Set<string>();
  const report = simulate(arch, network, { ...options, costs: costs.with({ record: classes }) });
  return { report, classes };
}

export function sensitivity(arch: Arch, network: Network, options: SimulateOptions & { factor?: number; baseline?: Arch } = {}): SensitivityResult {
  const factor = options.factor ?? 2;
  if (!(Number.isFinite(factor) && factor > 1)) die(`--factor must be a number > 1, got ${factor}`);
  const { factor: _f, baseline, ...sim } = options;
  const costsOf = (a: Arch) => sim.costs ?? loadCostTable(a.costsFile);
  const design = classesUsed(arch, network, sim, costsOf(arch));
  const base = baseline ? classesUsed(baseline, network, sim, costsOf(baseline)) : undefined;
  const classes = [...new Set([...design.classes, ...(base?.classes ?? [])])].sort();
  const E = design.report.totals.energyPj;
  const B = base?.report.totals.energyPj;
  const run = (a: Arch, cls: string, scale: number) => simulate(a, network, { ...sim, costs: costsOf(a).with({ energyScale: { [cls]: scale } }) }).totals.energyPj;
  const rows = classes.map((cls): SensitivityRow => {
    const up = design.classes.has(cls) ? run(arch, cls, factor) : E;
    const down = design.classes.has(cls) ? run(arch, cls, 1 / factor) : E;
    const row: SensitivityRow = { class: cls, share: E > 0 ? (up - E) / (E * (factor - 1)) : 0, energyPj: { down, up }, swing: 0 };
    if (baseline && base && B !== undefined) {
      const bUp = base.classes.has(cls) ? run(baseline, cls, factor) : B;
      const bDown = base.classes.has(cls) ? run(baseline, cls, 1 / factor) : B;
      row.ratio = { down: down / bDown, up: up / bUp };
      const r0 = E / B;
      row.swing = Math.max(Math.abs(row.ratio.down / r0 - 1), Math.abs(row.ratio.up / r0 - 1));
    } else {
      row.swing = E > 0 ? Math.max(Math.abs(down / E - 1), Math.abs(up / E - 1)) : 0;
    }
    return row;
  });
  rows.sort((a, b) => b.swing - a.swing || a.class.localeCompare(b.class));
  const r = design.report;
  return {
    arch: r.arch,
    ...(base ? { baseline: base.report.arch } : {}),
    network: r.network,
    factor,
    mode: r.mode,
    seed: r.seed,
    dramTechnology: r.dramTechnology,
    energyPj: E,
    leakageEnergyPj: r.totals.leakageEnergyPj,
    ...(B !== undefined ? { baselineEnergyPj: B, ratio: E / B } : {}),
    estimateShare: r.estimateShare,
    rows,
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${fmt(100 * x)}%`;

export function formatSensitivityTable(s: SensitivityResult): string {
  const f = fmt(s.factor);
  const vs = s.baseline ? ` vs ${s.baseline}` : '';
  const head = [
    `sensitivity of ${s.arch}${vs} on ${s.network}: each cost class's energy ÷${f} and ×${f} (mode ${s.mode}, seed ${s.seed}, DRAM ${s.dramTechnology})`,
    `energy ${fmt(s.energyPj / 1e6)} µJ${s.ratio !== undefined ? `, ${s.baseline} ${fmt(s.baselineEnergyPj! / 1e6)} µJ, ratio ${fmt(s.ratio, 4)}` : ''} · ${fmt(100 * s.estimateShare)}% of energy rests on estimates`,
    `ranked by the largest move of ${s.baseline ? 'the energy ratio' : 'the total energy'}; leakage (${fmt((100 * s.leakageEnergyPj) / s.energyPj)}% of the energy) is not scaled`,
  ];
  const header = ['class', 'share %', `energy ÷${f}`, `energy ×${f}`, ...(s.baseline ? [`ratio ÷${f}`, `ratio ×${f}`] : []), 'swing'];
  const body = s.rows.map((r) => [
    r.class,
    100 * r.share,
    pct(r.energyPj.down / s.energyPj - 1),
    pct(r.energyPj.up / s.energyPj - 1),
    ...(r.ratio ? [r.ratio.down, r.ratio.up] : []),
    pct(r.swing),
  ]);
  return `${head.join('\n')}\n\n${textTable(header, body)}\n`;
}
