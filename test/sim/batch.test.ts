import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork, macs } from '../../sim/workload.ts';
import { simulate } from '../../sim/simulate.ts';

const root = join(import.meta.dirname, '..', '..');
const alexnet = loadNetwork('alexnet');
const dramPj = (r: ReturnType<typeof simulate>) => r.energyByPartPj.dram!;

for (const layer of ['conv3', 'fc6']) {
  test(`batch 4 costs less DRAM energy per input than batch 1 on AlexNet ${layer} (filters fetched once for several images)`, () => {
    const arch = loadArch('eyeriss-int8');
    const one = simulate(arch, alexnet, { layers: [layer] });
    const four = simulate(arch, alexnet, { layers: [layer], batch: 4 });
    assert.is(four.batch, 4);
    assert.is(four.totals.macs, 4 * one.totals.macs);
    assert.is(four.layers[0]!.macs, 4 * macs(alexnet.layers.find((l) => l.name === layer)!));
    assert.ok(dramPj(four) / 4 < dramPj(one), `${dramPj(four) / 4} vs ${dramPj(one)}`);
    assert.is(four.perInput.cycles, four.totals.cycles / 4);
    assert.ok(four.perInput.cycles <= one.perInput.cycles, 'a batch is never slower per input');
    assert.is(four.hardware.batch, 4);
    // fc6's weights are all of its DRAM traffic: the batch saves energy per input overall. (On CONV3
    // the precision floor may keep a mapping a few hundred cycles faster at some GLB/NoC energy:
    // docs/eyeriss.md, "Monotonicity across designs".)
    if (layer === 'fc6') assert.ok(four.perInput.energyPj < one.perInput.energyPj);
    // The weights are not fetched again for every image: the mapping keeps n > 1 images per pass.
    const w1 = (one.layers[0]!.details!.tensors as { weights: { dram: { reads: number } } }).weights.dram.reads;
    const w4 = (four.layers[0]!.details!.tensors as { weights: { dram: { reads: number } } }).weights.dram.reads;
    assert.ok(w4 < 4 * w1, `${w4} weight reads for 4 images vs ${w1} for 1`);
    assert.ok((four.layers[0]!.details!.mapping as { n: number }).n > 1);
  });
}

test('the arch config\'s batch is the default; --batch overrides it; a batch below 1 is one line, exit 2', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/quantsim.js'), ...args], { cwd: root, encoding: 'utf8' });
  const r = cli(['run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--layer', 'conv3', '--batch', '2', '--format', 'json']);
  assert.is(r.status, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).batch, 2);
  const bad = cli(['run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--batch', '0']);
  assert.is(bad.status, 2);
  assert.is(bad.stderr.trim(), 'quantsim: --batch must be an integer >= 1, got 0');
});

test('a sweep takes batch from its spec and /batch as an axis', async () => {
  const { sweep } = await import('../../sim/sweep.ts');
  const base = { schemes: [join(root, 'test/fixtures/tiny-arch.json')], networks: [join(root, 'test/fixtures/two-layer.json')], mode: 'opcount' as const };
  const r = await sweep({ ...base, axes: [{ path: '/batch', values: [1, 4] }] }, { workers: 0, progress: false });
  const [b1, b4] = r.results.map((l) => l.totals!);
  assert.is(b4!.macs, 4 * b1!.macs);
  const s = await sweep({ ...base, batch: 2, axes: [{ path: '/array/rows', values: [1, 2] }] }, { workers: 0, progress: false });
  assert.is(s.results[0]!.totals!.macs, 2 * b1!.macs);
});

test('sweep --batch N sets every point\'s batch over the spec\'s (a /batch axis still wins); --batch 0 and --points-per-task 0 are one line, exit 2', async () => {
  const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'quantsim-sweep-batch-'));
  const spec = join(dir, 'spec.json');
  const base = { schemes: [join(root, 'test/fixtures/tiny-arch.json')], networks: [join(root, 'test/fixtures/two-layer.json')], mode: 'opcount', batch: 2 };
  writeFileSync(spec, JSON.stringify({ ...base, axes: [{ path: '/array/rows', values: [1, 2] }] }));
  const cli = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/quantsim.js'), 'sweep', '--spec', spec, '--workers', '0', '--no-progress', ...args], { cwd: root, encoding: 'utf8' });
  const lines = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const fromSpec = join(dir, 'spec-batch.jsonl');
  assert.is(cli(['--out', fromSpec]).status, 0);
  const three = join(dir, 'batch3.jsonl');
  const r = cli(['--out', three, '--batch', '3', '--points-per-task', '1']);
  assert.is(r.status, 0, r.stderr);
  const [s2, s3] = [lines(fromSpec), lines(three)];
  assert.equal(s2.map((l) => l.provenance.batch), [2, 2]);
  assert.equal(s3.map((l) => l.provenance.batch), [3, 3]);
  assert.is(s3[0].totals.macs * 2, s2[0].totals.macs * 3);
  assert.not.equal(s3[0].key, s2[0].key, 'the batch is part of the point key');
  writeFileSync(spec, JSON.stringify({ ...base, axes: [{ path: '/batch', values: [1, 4] }] }));
  const axis = join(dir, 'axis.jsonl');
  assert.is(cli(['--out', axis, '--batch', '3']).status, 0);
  assert.equal(lines(axis).map((l) => l.provenance.batch), [1, 4]);
  for (const [flag, msg] of [['--batch', '--batch must be an integer >= 1, got 0'], ['--points-per-task', '--points-per-task must be an integer >= 1, got 0']] as const) {
    const bad = cli(['--out', join(dir, 'bad.jsonl'), flag, '0']);
    assert.is(bad.status, 2);
    assert.is(bad.stderr.trim(), `quantsim: ${msg}`);
  }
});

test.run();
