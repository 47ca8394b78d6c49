/**
 * `compare` over several designs, on worker threads when that pays: each design is simulated in a
 * thread of its own from the same refs (arch, network, costs and trace as given on the command
 * line), designs of one scheme in one thread one after another (they share offline steps, as
 * DNA-TEQ's search), so the reports are the ones a serial run makes, byte for byte. Threads pay a start-up
 * (~0.3 s to load the simulator) and regenerate a synthetic trace, so small comparisons, one
 * design or one free core run serially in this thread.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Piscina } from 'piscina';
import { UserError } from './errors.ts';
import type { Report } from './report.ts';
import type { DesignJob, DesignResult } from './compare-worker.ts';

/** Below this many MACs × designs a pool costs more than it saves (measured: thread start ≈ 0.3 s). */
export const PARALLEL_MIN_WORK_MACS = 2e9;

/**
 * Threads to use: `requested` when given, else the cores not busy (1-minute load), at most one per
 * design. None by default when every thread would draw its own copy of the trace's tensors
 * (`redrawsTrace`: a trace and no disk cache to read them from): ResNet-50's are ≈ 140 MB per
 * thread (the 11-config ResNet-50 compare on 2 threads: peak RSS 520 MB against 360 MB serially).
 */
export function compareThreads(designs: number, workMacs: number, requested?: number, redrawsTrace = false): number {
  if (requested !== undefined) return Math.max(0, Math.min(requested, designs));
  if (designs < 2 || workMacs < PARALLEL_MIN_WORK_MACS || redrawsTrace) return 0;
  const free = Math.floor(availableParallelism() - loadavg()[0]! + 0.5);
  return free >= 2 ? Math.min(free, designs, availableParallelism()) : 0;
}

/** Run the jobs on `threads` worker threads; each job's reports in its schemes' order. A user error in a thread is rethrown here as one. */
export async function runDesignsInPool(jobs: readonly DesignJob[], threads: number, onDone?: (scheme: string, ms: number) => void): Promise<Report[][]> {
  const pool = new Piscina({ filename: new URL('./compare-worker.mjs', import.meta.url).href, minThreads: threads, maxThreads: threads });
  try {
    return await Promise.all(
      jobs.map(async (job) => {
        const r = (await pool.run(job)) as DesignResult;
        if ('userError' in r) throw new UserError(r.userError);
        job.schemes.forEach((scheme, i) => onDone?.(scheme, r.ms[i]!));
        return r.reports;
      }),
    );
  } finally {
    await pool.destroy();
  }
}

/** Designs grouped by scheme (first appearance first): one job each, so a scheme's designs share one thread and its offline steps. */
export function jobsByScheme(refs: readonly string[], schemeOf: (ref: string) => string): string[][] {
  const groups = new Map<string, string[]>();
  for (const ref of refs) {
    const k = schemeOf(ref);
    groups.set(k, [...(groups.get(k) ?? []), ref]);
  }
  return [...groups.values()];
}
