/** One design of a `compare`, simulated in a worker thread from the refs the command line gave (sim/compare-pool.ts). */
import { loadArch } from './arch.ts';
import { loadNetwork } from './workload.ts';
import { simulate } from './simulate.ts';
import { isUserError } from './errors.ts';
import { cacheQuickSteps } from './disk-cache.ts';
import { applySchemeParameters, costsOption, traceOption } from './cli/common.ts';
import type { Mode } from './scheme.ts';
import type { Report } from './report.ts';

export interface DesignJob {
  scheme: string;
  network: string;
  mode: Mode;
  seed: number;
  costs?: string;
  trace?: string;
  batch?: number;
  /** Scheme parameters given on the command line (`tau-a`, …), applied to designs whose scheme takes them. */
  parameters?: Record<string, number>;
}

export type DesignResult = { report: Report; ms: number } | { userError: string };

export async function runDesign(job: DesignJob): Promise<DesignResult> {
  const t0 = performance.now();
  try {
    cacheQuickSteps();
    const network = loadNetwork(job.network);
    const trace = await traceOption(job.trace, network, job.seed, job.batch ?? 1);
    const costs = await costsOption(job.costs);
    const arch = await applySchemeParameters(loadArch(job.scheme), job.parameters ?? {}, false);
    const report = simulate(arch, network, { mode: job.mode, seed: job.seed, costs, ...(trace ? { trace } : {}), ...(job.batch !== undefined ? { batch: job.batch } : {}) });
    return { report, ms: performance.now() - t0 };
  } catch (e) {
    if (isUserError(e)) return { userError: e.message };
    throw e;
  }
}
