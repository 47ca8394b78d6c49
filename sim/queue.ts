/**
 * Queue mode: a BullMQ job queue on Redis for sweeps that outgrow one machine. `quantsim sweep
 * --queue URL` enqueues the unfinished points in batches and is the only writer of the results
 * file; any number of `quantsim worker --queue URL` processes, on any machines, take batches as
 * they free up (dynamic load balancing) and return the result lines. A batch's job id is the hash
 * of its keys, so re-running the sweep re-attaches to jobs already queued or done; the writer
 * skips keys already in the file, so nothing is duplicated.
 */
import { createHash } from 'node:crypto';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { die } from './errors.ts';
import type { ResultLine, SweepPoint } from './sweep-eval.ts';
import { batchRunner, batches } from './sweep-batches.ts';
import { ResultsWriter } from './jsonl.ts';

export const DEFAULT_QUEUE = 'quantsim';

interface BatchJob {
  points: SweepPoint[];
}

/** redis://[user:pass@]host:port[/db] → BullMQ connection options. */
export function redisConnection(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return die(`--queue must be a redis:// URL, got "${url}"`);
  }
  if (u.protocol !== 'redis:') die(`--queue must be a redis:// URL, got "${url}"`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) die(`bad Redis database "${u.pathname.slice(1)}" in ${url}`);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    // BullMQ workers block on Redis; retries per request must be unlimited (BullMQ docs, "Connections").
    maxRetriesPerRequest: null,
  };
}

export interface QueueSweepOptions {
  url: string;
  name?: string;
  batchSize?: number;
  writer?: ResultsWriter;
  signal?: AbortSignal;
  onLines?: (lines: ResultLine[]) => void;
}

/** Enqueue `points` and collect their results as workers finish them. Returns the lines written. */
export async function runOnQueue(points: readonly SweepPoint[], o: QueueSweepOptions): Promise<ResultLine[]> {
  const connection = redisConnection(o.url);
  const name = o.name ?? DEFAULT_QUEUE;
  const queue = new Queue<BatchJob, string[]>(name, { connection });
  const events = new QueueEvents(name, { connection });
  const out: ResultLine[] = [];
  const written = new Set<string>();
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const groups = batches(points, o.batchSize ?? 16);
    const jobs = await queue.addBulk(
      groups.map((g) => ({
        name: 'points',
        data: { points: g },
        opts: { jobId: `b-${createHash('sha256').update(g.map((p) => p.key).join(',')).digest('hex').slice(0, 24)}`, removeOnComplete: false, removeOnFail: false },
      })),
    );
    const aborted = new Promise<'aborted'>((resolve) => {
      if (o.signal?.aborted) resolve('aborted');
      o.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    await Promise.all(
      jobs.map(async (job: Job<BatchJob, string[]>) => {
        const lines = await Promise.race([job.waitUntilFinished(events), aborted]);
        if (lines === 'aborted') return;
        const fresh = lines.filter((l) => {
          const key = (JSON.parse(l) as ResultLine).key;
          if (written.has(key)) return false;
          written.add(key);
          return true;
        });
        o.writer?.append(fresh);
        const parsed = fresh.map((l) => JSON.parse(l) as ResultLine);
        out.push(...parsed);
        o.onLines?.(parsed);
        await job.remove().catch(() => undefined);
      }),
    );
  } finally {
    await Promise.all([events.close(), queue.close()]);
  }
  return out;
}

export interface QueueWorkerOptions {
  url: string;
  name?: string;
  /** Worker threads in this process (default 1: evaluate in the main thread). */
  threads?: number;
  /** Exit after this many seconds without work (default: run until stopped). */
  idleExitS?: number;
  signal?: AbortSignal;
  log?: (s: string) => void;
}

/** Process batches from the queue until stopped (or idle for `idleExitS`). Returns points done. */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<number> {
  const threads = Math.max(1, o.threads ?? 1);
  const runner = batchRunner(threads === 1 ? 0 : threads);
  let done = 0;
  let lastWork = Date.now();
  let active = 0;
  const worker = new Worker<BatchJob, string[]>(
    o.name ?? DEFAULT_QUEUE,
    async (job) => {
      active++;
      try {
        const lines = await runner.run(job.data.points);
        done += lines.length;
        return lines;
      } finally {
        active--;
        lastWork = Date.now();
      }
    },
    { connection: redisConnection(o.url), concurrency: threads },
  );
  worker.on('error', (e) => o.log?.(`worker: ${e.message}`));
  await worker.waitUntilReady();
  o.log?.(`worker: connected to ${o.url}, queue ${o.name ?? DEFAULT_QUEUE}, ${threads} thread(s)`);
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      if (o.idleExitS !== undefined && active === 0 && Date.now() - lastWork > o.idleExitS * 1000) finish();
    }, 200);
    const finish = () => {
      clearInterval(tick);
      resolve();
    };
    if (o.signal?.aborted) finish();
    o.signal?.addEventListener('abort', finish, { once: true });
  });
  // close() waits for the batch under way, so a stop loses no finished work.
  await worker.close();
  await runner.close();
  return done;
}
