import { join } from 'node:path';
import { loadCostTable } from '../../../sim/costs.ts';
import { Ledger } from '../../../sim/ledger.ts';
import { Scheduler } from '../../../sim/scheduler.ts';

export const tinyCosts = loadCostTable(join(import.meta.dirname, '../../fixtures/dnateq-tiny-costs.json'));

export function tinyCtx() {
  return { costs: tinyCosts, ledger: new Ledger(), scheduler: new Scheduler(), clockMHz: 100, rng: () => 0.5 };
}

export const near = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
