import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackReads, pathRead } from '../../sim/config-reads.ts';
import { constantMetrics } from '../../sim/sweep-sanity.ts';
import { sweep, type SweepSpec } from '../../sim/sweep.ts';
import type { ResultLine } from '../../sim/sweep-eval.ts';
import { UserError } from '../../sim/errors.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test/fixtures');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-sweep-sanity-'));
process.env.QUANTSIM_CACHE_DIR = join(dir, 'cache');
const run = (spec: SweepSpec, allowInertAxes = false) => sweep(spec, { workers: 0, progress: false, baseDir: fixtures, file: 'spec.json', allowInertAxes });

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    assert.match(e.message, pattern);
    return;
  }
  assert.unreachable(`expected a UserError matching ${pattern}`);
}

test('trackReads records the pointer of every field read, and of everything under an enumerated object', () => {
  const { config, reads } = trackReads({ a: { b: 1, c: [2, 3] }, d: 'x', 'e/f': 1 });
  assert.is(config.a.b, 1);
  void { ...config.a };
  void config['e/f'];
  assert.equal([...reads].sort(), ['/a', '/a/b', '/a/c', '/e~1f']);
  assert.ok(pathRead(reads, '/a/c'));
  assert.ok(pathRead(reads, '/a'));
  assert.not.ok(pathRead(reads, '/d'));
});

test('an axis DNA-TEQ never reads (/array/rows) is an error naming the axis, the design and the field that sizes it', async () => {
  const spec: SweepSpec = { schemes: ['dnateq-small-arch.json'], networks: ['dnateq-small.json'], mode: 'opcount', trace: 'synth', axes: [{ path: '/array/rows', values: [8, 12] }] };
  await rejects(run(spec), /spec\.json: \/axes\/0\/path: \/array\/rows has no effect on .*: it sizes that by \/dnateq\/units/);
  const r = await run(spec, true);
  assert.is(r.results.length, 2);
  assert.equal(constantMetrics(r.results).includes('energyPj'), true, 'the inert axis leaves every total unchanged');
});

test('the same axis on the Eyeriss-like array is live; a cost axis on a class it never charges is inert', async () => {
  const ok = await run({ schemes: ['tiny-arch.json'], networks: ['two-layer.json'], mode: 'opcount', axes: [{ path: '/array/rows', values: [1, 2] }] });
  assert.is(ok.results.length, 2);
  await rejects(run({ schemes: [join(root, 'configs/arch/eyeriss-int8.json')], networks: ['two-layer.json'], mode: 'opcount', axes: [{ path: '/costs/fp_multiplier/energyScale', values: [1, 2] }] }), /\/axes\/0\/path: \/costs\/fp_multiplier\/energyScale has no effect .*charges nothing to that cost class/);
});

test('constantMetrics names the totals identical at every point', () => {
  const line = (cycles: number, energyPj: number) => ({ key: String(cycles), totals: { cycles, energyPj } }) as unknown as ResultLine;
  assert.equal(constantMetrics([line(1, 5), line(2, 5)]), ['energyPj']);
  assert.equal(constantMetrics([line(1, 5)]), []);
});

test.run();
