/**
 * How a sweep's points are evaluated in batches: on a piscina pool of worker threads (local
 * sweeps) or handed out through a queue (sim/queue.ts). Both the sweep and the queue use these;
 * neither depends on the other.
 */
import { Piscina } from 'piscina';
import { evaluateBatch, type SweepPoint } from './sweep-eval.ts';

/** Evaluate batches on a piscina pool of worker threads (or in this thread with 0 workers). */
export interface BatchRunner {
  run(points: SweepPoint[]): Promise<string[]>;
  close(): Promise<void>;
}

export function batchRunner(workers: number): BatchRunner {
  if (workers === 0) return { run: async (points) => evaluateBatch(points), close: async () => {} };
  const pool = new Piscina({ filename: new URL('./sweep-worker.mjs', import.meta.url).href, minThreads: workers, maxThreads: workers, idleTimeout: 60_000 });
  return { run: (points) => pool.run(points) as Promise<string[]>, close: () => pool.destroy() };
}

/** The unfinished points, in batches of about `size`. */
export function batches<T>(points: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size));
  return out;
}
