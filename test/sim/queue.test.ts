import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '../../sim/sweep.ts';
import { redisConnection } from '../../sim/queue.ts';

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

test.run();
