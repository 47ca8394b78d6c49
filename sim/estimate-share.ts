/**
 * How much of a run's energy rests on cost entries labelled `estimate`. The accelerator is built
 * a second time with a cost table whose non-estimate energies (and leakage) are zero: each
 * registered action then costs its estimated part alone, which the run's counts multiply. Leakage
 * is split per component by the same probe. Actions a model registers only while running are
 * priced on the probe's twin component by the closure the model gave (Component.lateAction).
 */
import type { ArchConfig } from './arch.ts';
import type { BuildContext, Component } from './component.ts';
import { Ledger, LEAKAGE_OP, type Breakdown } from './ledger.ts';
import { Scheduler } from './scheduler.ts';
import type { Scheme } from './scheme.ts';

function byPath(root: Component, out = new Map<string, Component>()): Map<string, Component> {
  out.set(root.path, root);
  for (const c of root.children) byPath(c, out);
  return out;
}

/** Energy (pJ) of `total` that comes from `estimate` entries; `real` is the accelerator that ran. */
export function estimateEnergyPj(scheme: Scheme, cfg: ArchConfig, ctx: BuildContext, real: Component, total: Breakdown): number {
  const ledger = new Ledger();
  const probe = scheme.build({ ...ctx, costs: ctx.costs.with({ energyMethods: ['estimate'] }), ledger, scheduler: new Scheduler(), rng: () => 0.5 }, cfg);
  const probed = byPath(probe.root);
  const ran = byPath(real);
  let pj = 0;
  for (const [path, byOp] of Object.entries(total)) {
    for (const [op, t] of Object.entries(byOp)) {
      if (op === LEAKAGE_OP) {
        const all = ran.get(path)?.unitLeakagePerInstanceUw() ?? 0;
        const est = probed.get(path)?.unitLeakagePerInstanceUw() ?? 0;
        if (all > 0) pj += (t.energyPj * est) / all;
      } else {
        const twin = probed.get(path);
        const late = twin ? ran.get(path)?.lateActionEnergyPj(op, twin) : undefined;
        pj += t.count * (ledger.perOpEnergyPj(path, op) ?? late ?? 0);
      }
    }
  }
  return pj;
}
