/**
 * Queue mode: a BullMQ job queue on Redis for sweeps that outgrow one machine. `quantsim sweep
 * --queue URL` enqueues the unfinished points in batches and is the only writer of the results
 * file; any number of `quantsim worker --queue URL` processes, on any machines, take batches as
 * they free up (dynamic load balancing) and return the result lines.
 *
 * Integrity (docs/hardening.md): a job names every file its points read by content hash, and the
 * sweep stores each file's bytes in Redis under that hash (sim/queue-files.ts); a worker runs
 * the points on those bytes, never on whatever the path holds by then, and refuses a job whose
 * files it cannot reproduce byte for byte or whose keys they do not reproduce. A batch's job id
 * is the hash of its keys, so re-running the sweep re-attaches to jobs queued or done; a failed
 * job is retried (JOB_ATTEMPTS in all), then reported, and the next run enqueues its points under
 * a fresh id. The writer skips keys already in the file, so nothing is duplicated.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { die, isUserError } from './errors.ts';
import type { ResultLine, SweepPoint } from './sweep-eval.ts';
import { batchRunner, batches } from './sweep-batches.ts';
import { ResultsWriter } from './jsonl.ts';
import { jobFiles, localizeJob, storeBlobs, type JobFiles } from './queue-files.ts';

export const DEFAULT_QUEUE = 'quantsim';
/** Tries of a batch before it is reported failed (a crash, a lost worker, a Redis hiccup). */
export const JOB_ATTEMPTS = 3;
/** How long a connection attempt may take before "cannot reach Redis". */
export const CONNECT_TIMEOUT_MS = 3000;

export interface BatchJob {
  points: SweepPoint[];
  files: JobFiles;
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

/** Resolve with `p`, or with 'aborted' once the signal fires. */
function orAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T | 'aborted'> {
  if (!signal) return p;
  if (signal.aborted) return Promise.resolve('aborted');
  return Promise.race([p, new Promise<'aborted'>((r) => signal.addEventListener('abort', () => r('aborted'), { once: true }))]);
}

/**
 * Connect once, without retries: an unreachable or refusing Redis is one line within
 * CONNECT_TIMEOUT_MS. Returns false when the signal stopped the attempt.
 */
export async function checkRedis(url: string, signal?: AbortSignal): Promise<boolean> {
  const conn = redisConnection(url);
  const client = new Redis({ ...conn, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: () => null });
  let first: NodeJS.ErrnoException | undefined;
  client.on('error', (e: NodeJS.ErrnoException) => (first ??= e));
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS + 500).unref());
  try {
    const r = await orAbort(Promise.race([client.connect().then(() => client.ping()), timer]), signal);
    return r !== 'aborted';
  } catch (e) {
    const err = first ?? (e as NodeJS.ErrnoException);
    return die(`cannot reach Redis at ${url}: ${err.code ?? err.message} (is redis-server running there?)`);
  } finally {
    client.disconnect();
  }
}

/** Close BullMQ objects, giving up after a while (a Redis that went away must not hold the exit). */
async function closeAll(ms: number, ...xs: { close(): Promise<void> }[]): Promise<void> {
  await Promise.race([Promise.all(xs.map((x) => x.close().catch(() => undefined))), new Promise((r) => setTimeout(r, ms).unref())]);
}

/** Report a connection problem once per distinct message, as one line. */
function onceLogger(what: string, log: (s: string) => void) {
  const seen = new Set<string>();
  return (e: Error) => {
    const m = `${what}: Redis: ${(e as NodeJS.ErrnoException).code ?? e.message}`;
    if (seen.has(m)) return;
    seen.add(m);
    log(m);
  };
}

export interface QueueSweepOptions {
  url: string;
  name?: string;
  batchSize?: number;
  writer?: ResultsWriter;
  signal?: AbortSignal;
  onLines?: (lines: ResultLine[]) => void;
  log?: (s: string) => void;
}

/** Blobs sit beside BullMQ's keys of the queue (its default prefix "bull"). */
const blobPrefix = (name: string) => `bull:${name}`;

function blobClient(connection: ReturnType<typeof redisConnection>, onError: (e: Error) => void): Redis {
  const r = new Redis(connection);
  r.on('error', onError);
  return r;
}

const batchId = (g: readonly SweepPoint[]) => `b-${createHash('sha256').update(g.map((p) => p.key).join(',')).digest('hex').slice(0, 24)}`;

/** Enqueue `points` and collect their results as workers finish them. Returns the lines written. */
export async function runOnQueue(points: readonly SweepPoint[], o: QueueSweepOptions): Promise<ResultLine[]> {
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  if (!(await checkRedis(o.url, o.signal))) return [];
  const connection = redisConnection(o.url);
  const name = o.name ?? DEFAULT_QUEUE;
  const queue = new Queue<BatchJob, string[]>(name, { connection });
  const events = new QueueEvents(name, { connection });
  const onError = onceLogger('sweep', log);
  queue.on('error', onError);
  events.on('error', onError);
  const blobs = blobClient(connection, onError);
  const out: ResultLine[] = [];
  const written = new Set<string>();
  const failed: { keys: number; reason: string }[] = [];
  try {
    if ((await orAbort(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), o.signal)) === 'aborted') return out;
    const groups = batches(points, o.batchSize ?? 16);
    const files = groups.map((g) => jobFiles(g));
    if ((await orAbort(storeBlobs(blobs, blobPrefix(name), files), o.signal)) === 'aborted') return out;
    const ids = await Promise.all(
      groups.map(async (g) => {
        const id = batchId(g);
        // A failed job keeps its id in Redis: its points go in again under a fresh one.
        const old = await queue.getJob(id);
        return old && (await old.getState()) === 'failed' ? `${id}-${randomUUID().slice(0, 8)}` : id;
      }),
    );
    const jobs = await queue.addBulk(
      groups.map((g, i) => ({
        name: 'points',
        data: { points: g, files: files[i]! },
        opts: { jobId: ids[i]!, attempts: JOB_ATTEMPTS, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: false, removeOnFail: false },
      })),
    );
    await Promise.all(
      jobs.map(async (job: Job<BatchJob, string[]>, i) => {
        let lines: string[] | 'aborted';
        try {
          lines = await orAbort(job.waitUntilFinished(events), o.signal);
        } catch (e) {
          failed.push({ keys: groups[i]!.length, reason: (e as Error).message });
          return;
        }
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
    if (failed.length) {
      const n = failed.reduce((s, f) => s + f.keys, 0);
      log(`sweep: ${n} point(s) in ${failed.length} batch(es) failed on the queue (tried ${JOB_ATTEMPTS} times), e.g. ${failed[0]!.reason.split('\n')[0]}; rerun the sweep to enqueue them again`);
    }
  } finally {
    await closeAll(2000, events, queue, { close: async () => void blobs.disconnect() });
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
  /** Lock of a job under way; a worker that dies loses its jobs to others after this (BullMQ default 30 s). */
  lockMs?: number;
  signal?: AbortSignal;
  log?: (s: string) => void;
}

/** Process batches from the queue until stopped (or idle for `idleExitS`). Returns points done. */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<number> {
  const log = o.log ?? (() => undefined);
  if (!(await checkRedis(o.url, o.signal))) return 0;
  const threads = Math.max(1, o.threads ?? 1);
  const runner = batchRunner(threads === 1 ? 0 : threads);
  const name = o.name ?? DEFAULT_QUEUE;
  let done = 0;
  let lastWork = Date.now();
  let active = 0;
  const lockMs = o.lockMs ?? 30_000;
  const onError = onceLogger('worker', log);
  const blobs = blobClient(redisConnection(o.url), onError);
  const worker = new Worker<BatchJob, string[]>(
    name,
    async (job) => {
      active++;
      try {
        let local;
        try {
          local = await localizeJob(blobs, blobPrefix(name), job.data);
        } catch (e) {
          // Files the worker cannot reproduce byte for byte: retrying cannot help.
          if (isUserError(e)) throw new UnrecoverableError(e.message);
          throw e;
        }
        const lines = local.restore(await runner.run(local.points));
        done += lines.length;
        return lines;
      } finally {
        active--;
        lastWork = Date.now();
      }
    },
    // A batch whose worker vanished goes back to the queue, up to JOB_ATTEMPTS - 1 times.
    { connection: redisConnection(o.url), concurrency: threads, lockDuration: lockMs, stalledInterval: Math.min(lockMs, 30_000), maxStalledCount: JOB_ATTEMPTS - 1 },
  );
  worker.on('error', onError);
  worker.on('failed', (job, e) => log(`worker: batch ${job?.id ?? '?'} failed: ${e.message.split('\n')[0]}`));
  if ((await orAbort(worker.waitUntilReady(), o.signal)) !== 'aborted') {
    log(`worker: connected to ${o.url}, queue ${name}, ${threads} thread(s)`);
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
  }
  // close() waits for the batch under way, so a stop loses no finished work.
  await closeAll(120_000, worker);
  blobs.disconnect();
  await runner.close();
  return done;
}
