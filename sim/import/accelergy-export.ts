/**
 * A quantsim cost table → Accelergy's ERT, ART and flattened architecture (docs/accelergy.md).
 * One component per published point, named `quantsim.<class>_p<i>`, of class `quantsim_<class>`
 * (which the importer reads back 1:1), with the point's arguments, the table's technology and the point's
 * source and method as attributes. Figures are node-scaled to the table's technology and written as Accelergy
 * does: numbers, energy in pJ per action, area in um^2. Leakage has no place in an ERT and is not written.
 */
import { stringify } from 'yaml';
import type { CostTableSpec } from '../costs.ts';
import { toNumber } from '../cost-quantities.ts';
import { OWN } from './accelergy.ts';

export const ACCELERGY_VERSION = '0.3';

export interface AccelergyTables {
  ert: string;
  art: string;
  arch: string;
}

const round = (v: number) => Number(v.toPrecision(12));
const valueOf = (q: string | { value: string }) => (typeof q === 'string' ? q : q.value);

export function exportAccelergy(spec: CostTableSpec): AccelergyTables {
  const ert: { name: string; actions: { name: string; arguments: null; energy: number }[] }[] = [];
  const art: { name: string; area: number }[] = [];
  const components: Record<string, { name: string; class: string; attributes: Record<string, unknown> }> = {};
  for (const [cls, c] of Object.entries(spec.classes)) {
    c.points.forEach((p, i) => {
      const name = `quantsim.${cls}_p${i}`;
      const f = spec.nodeScaling[p.node]!;
      const actions = Object.entries(p.energy ?? {}).map(([a, q]) => ({ name: a, arguments: null, energy: round(toNumber(valueOf(q), 'pJ') * f.energy) }));
      if (actions.length === 0 && p.area === undefined) return;
      ert.push({ name, actions });
      if (p.area !== undefined) art.push({ name, area: round(toNumber(valueOf(p.area), 'um^2') * f.area) });
      components[name] = { name, class: `${OWN}${cls}`, attributes: { technology: spec.technology, ...(p.args ?? {}), source: p.source, method: p.method } };
    });
  }
  const header = `# ${spec.name}: written by quantsim costs export --format accelergy (energy in pJ, area in um^2, at ${spec.technology})\n`;
  return {
    ert: header + stringify({ ERT: { version: ACCELERGY_VERSION, tables: ert } }, { lineWidth: 0 }),
    art: header + stringify({ ART: { version: ACCELERGY_VERSION, tables: art } }, { lineWidth: 0 }),
    arch: header + stringify({ flattened_architecture: { version: ACCELERGY_VERSION, components } }, { lineWidth: 0 }),
  };
}
