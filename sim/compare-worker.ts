/**
 * Designs of a `compare`, simulated in a worker thread from the refs the command line gave
 * (sim/compare-pool.ts): one after another on one trace object, so designs of one scheme
 * (dnateq and dnateq-equal-area) share their offline steps as in a serial run.
 */
import { loadArch } from './arch.ts';
import { loadNetwork } from './workload.ts';
import { simulate } from './simulate.ts';
import { isUserError } from './errors.ts';
import { cacheQuickSteps } from './disk-cache.ts';
import { applySchemeParameters, costsOption, traceOption } from './cli/common.ts';
import type { Mode } from './scheme.ts';
import type { Report } from './report.ts';

export interface DesignJob {
  /** Arch refs, run in this order. */
  schemes: string[];
  network: string;
  mode: Mode;
  seed: number;
  costs?: string;
  trace?: string;
  batch?: number;
  /** Scheme parameters given on the command line (`tau-a`, …), applied to designs whose scheme takes them. */
  parameters?: Record<string, number>;
}

export type DesignResult = { reports: Report[]; ms: number[] } | { userError: string };

/**
 * One trace object per thread and (trace, network, seed, batch), shared by the thread's jobs as one
 * trace serves every design of a serial compare: its tensors are drawn once per thread and the
 * offline steps memoised on it are shared (the pool lives for one compare).
 */
const traces = new Map<string, ReturnType<typeof traceOption>>();

export async function runDesign(job: DesignJob): Promise<DesignResult> {
  let t0 = performance.now();
  try {
    cacheQuickSteps();
    const network = loadNetwork(job.network);
    const traceKey = JSON.stringify([job.trace, job.network, job.seed, job.batch]);
    if (!traces.has(traceKey)) traces.set(traceKey, traceOption(job.trace, network, job.seed, job.batch ?? 1));
    const trace = await traces.get(traceKey)!;
    const costs = await costsOption(job.costs);
    const reports: Report[] = [];
    const ms: number[] = [];
    for (const scheme of job.schemes) {
      const arch = await applySchemeParameters(loadArch(scheme), job.parameters ?? {}, false);
      reports.push(simulate(arch, network, { mode: job.mode, seed: job.seed, costs, ...(trace ? { trace } : {}), ...(job.batch !== undefined ? { batch: job.batch } : {}) }));
      ms.push(performance.now() - t0);
      t0 = performance.now();
    }
    return { reports, ms };
  } catch (e) {
    if (isUserError(e)) return { userError: e.message };
    throw e;
  }
}
