import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '../../../sim/sweep.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-cli-sweep-'));
const cliArgs = ['--import', 'tsx', join(root, 'sim/cli.ts')];
const spec = join(dir, 'spec.json');
writeFileSync(
  spec,
  JSON.stringify({
    name: 'kill-resume',
    schemes: ['eyeriss-int8'],
    networks: ['alexnet'],
    mode: 'opcount',
    axes: [
      { path: '/array/rows', name: 'rows', range: { from: 4, to: 24, step: 2 } },
      { path: '/array/cols', name: 'cols', range: { from: 4, to: 32, step: 4 } },
      { path: '/costs/sram/energyScale', name: 'sram', values: [0.5, 1, 2] },
    ],
  }),
);
const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);
const lineCount = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);
const cli = (...args: string[]) => spawnSync(process.execPath, [...cliArgs, ...args], { cwd: root, encoding: 'utf8' });

/** Start the sweep, wait until at least `atLeast` lines are on disk, then send `signal`. */
function runAndKill(out: string, signal: NodeJS.Signals, atLeast: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliArgs, 'sweep', '--spec', spec, '--out', out, '--workers', '0', '--points-per-task', '1', '--no-progress'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      if (existsSync(out) && statSync(out).size > 0 && lineCount(out) >= atLeast) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 5);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr });
    });
  });
}

const reference = join(dir, 'reference.jsonl');
const full = await sweep(spec, { out: reference, workers: 0 });

test('kill -9 mid-run, rerun: the same set of lines as an uninterrupted run, none lost or duplicated', async () => {
  const out = join(dir, 'killed.jsonl');
  const r = await runAndKill(out, 'SIGKILL', 30);
  assert.is(r.signal, 'SIGKILL', `the sweep finished before it was killed: ${r.stderr}`);
  const partial = lineCount(out);
  assert.ok(partial > 0 && partial < full.points, `killed with ${partial} of ${full.points} lines`);
  // The rerun is the library call behind the CLI command (spawning the CLI again only adds startup time).
  const again = await sweep(spec, { out, workers: 0 });
  assert.is(again.resumed, partial);
  assert.is(again.computed, full.points - partial);
  const got = lines(out);
  assert.is(got.length, full.points, 'no duplicates');
  assert.equal(new Set(got), new Set(lines(reference)));
});

test('SIGTERM: finishes the point under way, leaves only complete lines, exits 143; rerun completes', async () => {
  const out = join(dir, 'term.jsonl');
  const r = await runAndKill(out, 'SIGTERM', 10);
  assert.is(r.code, 143, r.stderr);
  assert.match(r.stderr, /interrupted: \d+ of/);
  assert.ok(readFileSync(out, 'utf8').endsWith('\n'));
  for (const l of lines(out)) JSON.parse(l);
  await sweep(spec, { out, workers: 0 });
  assert.equal(new Set(lines(out)), new Set(lines(reference)));
});

test('sweep merge joins shards with the spec check', async () => {
  const shards = [1, 2].map((i) => join(dir, `s${i}.jsonl`));
  for (const [i, f] of shards.entries()) await sweep(spec, { out: f, workers: 0, shard: { index: i + 1, count: 2 } });
  const merged = join(dir, 'merged.jsonl');
  const m = cli('sweep', 'merge', ...shards, '--spec', spec, '--out', merged);
  assert.is(m.status, 0, m.stderr);
  assert.match(m.stderr, new RegExp(`merged 2 file\\(s\\): ${full.points} points of ${full.points}`));
  assert.equal(new Set(lines(merged)), new Set(lines(reference)));
});

test('pareto prints and writes the front', () => {
  const p = cli('pareto', reference, '--x', 'energyPj', '--y', 'cycles', '--z', 'areaUm2', '--out', join(dir, 'front.jsonl'));
  assert.is(p.status, 0, p.stderr);
  assert.match(p.stdout, /Pareto front: \d+ of 264 points/);
  assert.ok(lines(join(dir, 'front.jsonl')).length > 0);
});

test.run();
