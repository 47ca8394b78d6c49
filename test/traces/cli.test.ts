import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../../traces/npy.ts';
import { synthCommand, statsCommand } from '../../sim/cli/trace.ts';
import { traceOption } from '../../sim/cli/common.ts';
import { loadNetwork } from '../../sim/workload.ts';
import { rejectsUser } from './helpers.ts';

// The handlers run in-process (a CLI start costs seconds on a loaded machine); one spawned run
// checks the wiring through sim/cli.ts and the one-line exit-2 error path.
const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-trace-cli-'));
const net = join(root, 'test/fixtures/two-layer.json');
const arch = join(root, 'test/fixtures/tiny-arch.json');
const quiet = async <T>(fn: () => Promise<T>): Promise<T> => {
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
};
const synth = (out: string, extra: Partial<Parameters<typeof synthCommand.handler>[0]> = {}) =>
  quiet(() => synthCommand.handler({ network: net, seed: 7, out, batch: 2, dtype: 'float16', ...extra }));
const stats = async (d: string, format: 'table' | 'json', network?: string, wide?: boolean) => {
  const out = join(dir, `stats-${format}.txt`);
  await statsCommand.handler({ dir: d, bins: 64, format, out, ...(network ? { network } : {}), ...(wide ? { wide } : {}) });
  return readFileSync(out, 'utf8');
};

test('trace synth writes the same bytes for the same seed; stats prints fits per layer', async () => {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  await synth(a);
  await synth(b);
  const files = readdirSync(a).sort();
  assert.equal(files, ['.quantsim-output.json', 'conv.activations.npy', 'conv.weights.npy', 'fc.activations.npy', 'fc.weights.npy', 'manifest.json']);
  for (const f of files) assert.equal(readFileSync(join(a, f)), readFileSync(join(b, f)), f);
  const m = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
  assert.is(m.source, 'synthetic');
  assert.is(m.seed, 7);
  assert.is(m.generator.parameters.batch, 2);
  assert.equal(m.layers[0].activations, { file: 'conv.activations.npy', dtype: 'float16', shape: [2, 2, 2, 2] });

  const table = await stats(a, 'table', net, true);
  assert.match(table, /synthetic, quantsim-synthetic-v1, seed 7/);
  assert.match(table, /RSS exponential\s+RSS normal\s+RSS laplace\s+RSS uniform\s+best fit/);
  const fitted = await stats(a, 'table', net);
  assert.ok(Math.max(...fitted.split('\n').slice(3).map((l) => [...l].length)) <= 120, fitted);
  assert.match(fitted, /\n\nlayer  RSS/, 'the columns that do not fit go to a second band');
  assert.match(table, /\nfc\s+weights\s+2×8\s+float16/);
  const json = JSON.parse(await stats(a, 'json'));
  assert.is(json.source, 'synthetic');
  assert.equal(json.layers.map((r: { layer: string; role: string }) => `${r.layer}.${r.role}`), ['conv.weights', 'conv.activations', 'fc.weights', 'fc.activations']);
  for (const k of ['min', 'max', 'mean', 'zeroFraction', 'bestFit', 'rss', 'fits']) assert.ok(k in json.layers[0], k);
});

test('--trace DIR loads and checks against the network; --trace synth generates one input', async () => {
  const network = loadNetwork(net);
  const folder = (await traceOption(join(dir, 'a'), network, 1))!;
  assert.is(folder.source, 'synthetic');
  assert.ok(folder.dir?.endsWith('a'));
  const s = (await traceOption('synth', network, 3))!;
  assert.is(s.seed, 3);
  assert.equal(s.layers.get('conv')!.activations!.shape, [1, 2, 2, 2]);
  assert.is(await traceOption(undefined, network, 1), undefined);
  await rejectsUser(() => traceOption(join(dir, 'a'), loadNetwork('alexnet'), 1), /manifest\.json: \/network: trace is for network "two-layer", not "alexnet"/);
  await rejectsUser(() => traceOption(join(dir, 'absent'), network, 1), /absent: trace folder not found/);
});

test('bad input to trace synth / stats: user errors naming the file and layer', async () => {
  const bad = join(dir, 'b');
  writeFileSync(join(bad, 'fc.weights.npy'), encodeNpy([2, 8], new Float32Array(16).fill(NaN), 'float16'));
  await rejectsUser(() => stats(bad, 'table'), /fc\.weights\.npy: layer "fc" weights: NaN at element \[0, 0\]/);
  await rejectsUser(() => synth(join(dir, 'c'), { batch: 0 }), /--batch must be an integer >= 1/);
  await rejectsUser(() => synth(join(root, 'configs')), /configs: (holds \d+ file\(s\) quantsim did not write|is holding an input of this command)/);
  await rejectsUser(() => synth(join(dir, 'c'), { params: join(dir, 'absent.json') }), /absent\.json: cannot read file/);
});

test('through the CLI: run --trace synth labels the report; a bad trace is one line, exit 2', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), 'run', '--arch', arch, '--network', net, '--mode', 'opcount', '--format', 'json', '--trace', 'synth'], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).trace, { source: 'synthetic', generator: 'quantsim-synthetic-v1', seed: 1 });
  const e = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), 'trace', 'stats', join(dir, 'b')], { cwd: root, encoding: 'utf8' });
  assert.is(e.status, 2);
  assert.equal(e.stderr.trim().split('\n').length, 1, e.stderr);
  assert.match(e.stderr, /^quantsim: .*fc\.weights\.npy: layer "fc" weights: NaN/);
});

test.run();
