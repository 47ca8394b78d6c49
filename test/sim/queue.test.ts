import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '../../sim/sweep.ts';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { checkRedis, redisConnection } from '../../sim/queue.ts';
import { localizeJob, jobFiles, type BlobStore } from '../../sim/queue-files.ts';
import { expandSweep, loadSweepSpec } from '../../sim/sweep.ts';
import { isUserError } from '../../sim/errors.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const spec = join(fixtures, 'tiny-sweep.json');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-queue-'));
const cliArgs = ['--import', 'tsx', join(root, 'sim/cli.ts')];
const lines = (f: string) => new Set(readFileSync(f, 'utf8').split('\n').filter(Boolean));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Resolves with the child's stderr once a line matches, rejects if it exits first. */
function waitFor(child: ChildProcess, re: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d;
      if (re.test(text)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${what} exited (${code}) before ${re}: ${text}`)));
  });
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.on('exit', (code) => r(code))));

test('redis URLs become BullMQ connection options; anything else is a user error', () => {
  assert.equal(redisConnection('redis://u:p%40ss@10.0.0.1:6380/2'), { host: '10.0.0.1', port: 6380, db: 2, username: 'u', password: 'p@ss', maxRetriesPerRequest: null });
  assert.throws(() => redisConnection('http://x'), (e: Error) => e.name === 'UserError');
});

test('queue mode: a real redis-server, 2 workers; the results equal a local run and both workers took batches', async () => {
  // No silent skip: CI installs redis-server (.ci/run); without it this test fails.
  assert.is(spawnSync('sh', ['-c', 'command -v redis-server']).status, 0, 'redis-server is not installed (apt-get install -y redis-server)');
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const workers: ChildProcess[] = [];
  try {
    await waitFor(redis, /Ready to accept connections/, 'redis-server');
    for (let i = 0; i < 2; i++) workers.push(spawn(process.execPath, [...cliArgs, 'worker', '--queue', url, '--idle-exit', '120'], { cwd: root }));
    const logs = workers.map(() => '');
    workers.forEach((w, i) => w.stderr!.on('data', (d) => (logs[i] += d)));
    await Promise.all(workers.map((w, i) => waitFor(w, /connected to/, `worker ${i + 1}`)));
    const out = join(dir, 'queued.jsonl');
    const q = await sweep(spec, { out, queue: { url }, batchSize: 1 });
    assert.is(q.computed, 24);
    const local = join(dir, 'local.jsonl');
    await sweep(spec, { out: local, workers: 0 });
    assert.equal(lines(out), lines(local));
    // Rerun: everything is in the file, nothing is enqueued again.
    assert.is((await sweep(spec, { out, queue: { url } })).computed, 0);
    for (const w of workers) w.kill('SIGTERM');
    const codes = await Promise.all(workers.map(exited));
    assert.equal(codes, [0, 0], logs.join('\n'));
    const done = logs.map((l) => Number(/worker: (\d+) points done/.exec(l)?.[1] ?? NaN));
    assert.is(done[0]! + done[1]!, 24, logs.join('\n'));
    assert.ok(done[0]! > 0 && done[1]! > 0, `both workers took batches: ${done}`);
  } finally {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    redis.kill('SIGTERM');
    await exited(redis);
  }
});

/** A copy of the tiny sweep's files in a fresh folder (the tests edit and delete them). */
function sweepCopy(name: string): { spec: string; network: string; costs: string; dir: string } {
  const d = mkdtempSync(join(tmpdir(), `quantsim-queue-${name}-`));
  for (const f of ['tiny-sweep.json', 'tiny-arch.json', 'tiny-costs.json', 'two-layer.json']) copyFileSync(join(fixtures, f), join(d, f));
  return { spec: join(d, 'tiny-sweep.json'), network: join(d, 'two-layer.json'), costs: join(d, 'tiny-costs.json'), dir: d };
}
/** The same network with the fc layer one output wider: different numbers under the old keys if a worker read it. */
const editNetwork = (file: string) => {
  const n = JSON.parse(readFileSync(file, 'utf8'));
  n.layers[1].M = 3;
  n.parameters = 28;
  writeFileSync(file, JSON.stringify(n));
};
const keysOf = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).key as string);

/** `p`, or a failure naming `what` after `ms` (a hang fails the test instead of blocking npm test). */
function within<T>(what: string, p: Promise<T>, ms: number, logs: () => string): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no result in ${ms / 1000} s; logs:\n${logs()}`)), ms).unref())]);
}

async function until(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An in-memory blob store standing in for Redis. */
function memoryStore(): BlobStore & { data: Map<string, Buffer> } {
  const data = new Map<string, Buffer>();
  return { data, getBuffer: async (k) => data.get(k) ?? null, set: async (k, v) => void data.set(k, v) };
}

test('a worker refuses files it cannot reproduce byte for byte, or that no longer give the keys (no Redis needed)', async () => {
  const c = sweepCopy('unit');
  const { spec, baseDir, file } = loadSweepSpec(c.spec);
  const points = expandSweep(spec, baseDir, file).points.slice(0, 2);
  const store = memoryStore();
  const root = mkdtempSync(join(tmpdir(), 'quantsim-queue-local-'));
  // Bytes read after an edit (between expansion and enqueue): the recomputed key differs.
  editNetwork(c.network);
  const files = jobFiles(points);
  const { storeBlobs } = await import('../../sim/queue-files.ts');
  await storeBlobs(store, 'p', [files]);
  await localizeJob(store, 'p', { points, files }, root).then(
    () => assert.unreachable('edited files accepted'),
    (e) => assert.ok(isUserError(e) && /the files it was enqueued with give key [0-9a-f]{16}; they changed after the sweep read them/.test(e.message), String(e)),
  );
  // A blob gone from Redis, or bytes that do not hash to the name: refused, naming the file.
  for (const damage of ['delete', 'corrupt'] as const) {
    const k = [...store.data.keys()][0]!;
    if (damage === 'delete') store.data.delete(k);
    else store.data.set(k, Buffer.from('not the bytes'));
    await localizeJob(store, 'p', { points, files }, mkdtempSync(join(tmpdir(), 'quantsim-queue-local-'))).then(
      () => assert.unreachable(`${damage}d blob accepted`),
      (e) => assert.ok(isUserError(e) && /cannot reproduce the file|do not hash to/.test(e.message), String(e)),
    );
  }
});

test('an unreachable Redis: one line within seconds; SIGINT while connecting to a silent host stops the sweep', async () => {
  const t0 = Date.now();
  await checkRedis('redis://127.0.0.1:1').then(
    () => assert.unreachable('connected to port 1'),
    (e) => assert.ok(isUserError(e) && /^cannot reach Redis at redis:\/\/127\.0\.0\.1:1: ECONNREFUSED/.test(e.message), String(e)),
  );
  assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
  // A host that accepts and never answers: the check would wait; a stop signal (SIGINT/SIGTERM in the CLI) ends it at once.
  const held: import('node:net').Socket[] = [];
  const silent = createServer((sock) => void held.push(sock));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  const t1 = Date.now();
  try {
    assert.is(await checkRedis(`redis://127.0.0.1:${(silent.address() as { port: number }).port}`, ac.signal), false);
    assert.ok(Date.now() - t1 < 2000, `${Date.now() - t1} ms`);
  } finally {
    for (const sock of held) sock.destroy();
    silent.close();
  }
});

test('queue integrity on a real redis-server: worker killed mid-batch, network edited after enqueue, a batch failing once, a file missing from Redis', async () => {
  assert.is(spawnSync('sh', ['-c', 'command -v redis-server']).status, 0, 'redis-server is not installed (apt-get install -y redis-server)');
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const children: ChildProcess[] = [];
  const connection = redisConnection(url);
  const queue = new Queue('integrity', { connection });
  const q2 = new Queue('missing', { connection });
  const r = new Redis(connection);
  r.on('error', () => undefined);
  try {
    await waitFor(redis, /Ready to accept connections/, 'redis-server');
    const c = sweepCopy('integrity');
    const local = join(c.dir, 'local.jsonl');
    await sweep(c.spec, { out: local, workers: 0 });
    const out = join(c.dir, 'queued.jsonl');
    const running = sweep(c.spec, { out, queue: { url, name: 'integrity' }, batchSize: 4 });
    await until('6 batches enqueued', async () => (await queue.getJobCounts('waiting')).waiting === 6);
    // Edited after enqueue: workers must run the bytes the keys were made from.
    editNetwork(c.network);
    // A worker that takes a batch and dies holding it (lock 1 s).
    const hanger = spawn(process.execPath, ['--input-type=module', '-e', `
      import { Worker } from 'bullmq';
      new Worker('integrity', async () => { console.log('took'); await new Promise(() => {}); }, { connection: ${JSON.stringify(connection)}, lockDuration: 1000 });`], { cwd: root });
    children.push(hanger);
    await waitFor(hanger, /took/, 'hanging worker');
    hanger.kill('SIGKILL');
    // A worker whose first batch fails (a crash in evaluation); BullMQ retries it.
    let failures = 0;
    const flaky = new Worker('integrity', async () => {
      failures++;
      throw new Error('injected failure');
    }, { connection, concurrency: 1 });
    await until('a failed attempt', async () => failures > 0);
    await flaky.close();
    const workerLogs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const w = spawn(process.execPath, [...cliArgs, 'worker', '--queue', url, '--queue-name', 'integrity', '--lock-ms', '5000', '--idle-exit', '60'], { cwd: root });
      w.stderr!.on('data', (x) => workerLogs.push(`[${i}] ${x}`));
      children.push(w);
    }
    const s = await within('the sweep', running, 240_000, () => workerLogs.join(''));
    assert.is(s.interrupted, false);
    assert.is(s.computed, 24);
    const keys = keysOf(out);
    assert.is(keys.length, 24, 'complete');
    assert.is(new Set(keys).size, 24, 'no duplicates');
    assert.equal(lines(out), lines(local), 'the numbers of the original network, under its keys');
    // A blob missing when the worker runs: the batch fails for good with one line, the sweep says so and stops; a rerun uploads again, enqueues under a fresh id and finishes.
    const d = sweepCopy('missing');
    const out2 = join(d.dir, 'q.jsonl');
    const logs: string[] = [];
    const first = sweep(d.spec, { out: out2, queue: { url, name: 'missing' }, batchSize: 24 });
    await until('1 batch enqueued', async () => (await q2.getJobCounts('waiting')).waiting === 1);
    const blobs = await r.keys('bull:missing:blob:*');
    assert.is(blobs.length, 2, 'network and cost table, by content');
    await r.del(blobs[0]!);
    const worker = spawn(process.execPath, [...cliArgs, 'worker', '--queue', url, '--queue-name', 'missing', '--lock-ms', '1000', '--idle-exit', '60'], { cwd: root });
    children.push(worker);
    worker.stderr!.on('data', (x) => logs.push(String(x)));
    const origWrite = process.stderr.write.bind(process.stderr);
    let sweepLog = '';
    process.stderr.write = ((chunk: string) => ((sweepLog += chunk), true)) as typeof process.stderr.write;
    let s1;
    try {
      s1 = await within('the sweep with a missing blob', first, 120_000, () => logs.join(''));
    } finally {
      process.stderr.write = origWrite;
    }
    assert.is(s1.interrupted, true);
    assert.match(sweepLog, /sweep: 24 point\(s\) in 1 batch\(es\) failed on the queue .*is not in Redis, so this worker cannot reproduce the file/);
    await until('the worker to log the refusal', async () => /worker: batch b-[0-9a-f]+ failed: /.test(logs.join('')));
    assert.match(logs.join(''), /worker: batch b-[0-9a-f]+ failed: .*(two-layer|tiny-costs)\.json/);
    assert.not.match(logs.join(''), /\n\s+at /, 'no stack in the worker log');
    const s2 = await within('the rerun', sweep(d.spec, { out: out2, queue: { url, name: 'missing' }, batchSize: 24 }), 120_000, () => logs.join(''));
    assert.is(s2.computed, 24);
    assert.equal(lines(out2), lines(local));
  } finally {
    r.disconnect();
    await Promise.all([queue.close(), q2.close()]);
    for (const w of children) if (w.exitCode === null) w.kill('SIGKILL');
    redis.kill('SIGTERM');
    await exited(redis);
  }
});

test.run();
