/**
 * Sweep sanity: before a sweep runs, each design is built and simulated once on its base config
 * with every config read recorded (sim/config-reads.ts). An axis none of whose paths the design
 * reads cannot change its results: that is an error naming the axis, the design and, where the
 * scheme declares it (`Scheme.sizedBy`), the field that does size that part of it — unless
 * `allowInertAxes`. Cost axes (/costs/<class>/energyScale) are inert when the design charges
 * nothing to the class. After a sweep, `constantMetrics` names the totals that came out identical
 * at every point.
 */
import { archFromConfig, type Arch } from './arch.ts';
import { pathRead, trackReads } from './config-reads.ts';
import { loadCostTable } from './costs.ts';
import { die, isUserError } from './errors.ts';
import { simulate } from './simulate.ts';
import { loadNetwork } from './workload.ts';
import { pointTrace, type ResultLine, type SweepPoint } from './sweep-eval.ts';
import { SCHEMES } from '../models/registry.ts';

interface AxisLike {
  path: string;
  also?: string[];
  name?: string;
}

const COST_AXIS = /^\/costs\/([^/]+)\/energyScale$/;

/** What one design reads of its config and which cost classes it charges, simulating its first point. */
function designReads(p: SweepPoint): { reads: Set<string>; costClasses: Set<string> } {
  const tracked = trackReads(p.config);
  const arch: Arch = archFromConfig(tracked.config, p.archFile, p.costsFile);
  const network = loadNetwork(p.networkFile);
  // The cost classes it charges energy to (what an energyScale axis scales): the table's own record.
  const costClasses = new Set<string>();
  const costs = loadCostTable(p.costsFile).with({ record: costClasses });
  simulate(arch, network, { mode: p.mode, seed: p.seed, costs, ...(p.trace ? { trace: pointTrace(p.trace, network, p.seed, (p.config.batch as number | undefined) ?? 1) } : {}) });
  return { reads: tracked.reads, costClasses };
}

/** Throws (a UserError naming the spec's axis) when an axis changes nothing for some design. */
export function checkInertAxes(axes: readonly AxisLike[], points: readonly SweepPoint[], file: string): void {
  const seen = new Set<string>();
  for (const p of points) {
    if (seen.has(p.schemeRef)) continue;
    seen.add(p.schemeRef);
    let found;
    try {
      found = designReads(p);
    } catch (e) {
      // The model refuses this design (a user error): its points become error lines; nothing to check.
      if (isUserError(e)) continue;
      throw e;
    }
    const { reads, costClasses } = found;
    axes.forEach((a, i) => {
      const paths = [a.path, ...(a.also ?? [])];
      const live = paths.some((path) => {
        const cost = COST_AXIS.exec(path);
        return cost ? costClasses.has(cost[1]!) : pathRead(reads, path);
      });
      if (live) return;
      const scheme = SCHEMES[p.config.scheme];
      const sizer = Object.entries(scheme?.sizedBy ?? {}).find(([prefix]) => a.path === prefix || a.path.startsWith(`${prefix}/`));
      const why = sizer ? `: it sizes that by ${sizer[1]}` : COST_AXIS.test(a.path) ? ': it charges nothing to that cost class' : ': it never reads that field';
      die(`${a.path} has no effect on ${p.config.name} (${p.schemeRef})${why}; drop the axis, or run with --allow-inert-axes`, file, `/axes/${i}/path`);
    });
  }
}

/** The totals that are the same number at every point (worth a note: an axis may not be doing what was meant). */
export function constantMetrics(lines: readonly ResultLine[]): string[] {
  const ok = lines.filter((l) => l.totals);
  if (ok.length < 2) return [];
  const first = ok[0]!.totals! as unknown as Record<string, number>;
  return Object.keys(first).filter((k) => ok.every((l) => (l.totals as unknown as Record<string, number>)[k] === first[k]));
}
