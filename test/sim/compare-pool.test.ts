import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compareThreads, jobsByScheme, PARALLEL_MIN_WORK_MACS } from '../../sim/compare-pool.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/quantsim.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, QUANTSIM_CACHE: 'off' } });
const net = join(root, 'test/fixtures/two-layer.json');
const arch = join(root, 'test/fixtures/tiny-arch.json');

test('compare on worker threads gives the bytes of the serial run (json and table)', () => {
  for (const format of ['json', 'table']) {
    const args = ['compare', '--network', net, '--schemes', `${arch},eyeriss-int8,drq,lightnn1,settle,lightnn2`, '--trace', 'synth', '--format', format];
    const serial = cli([...args, '--workers', '0']);
    const pooled = cli([...args, '--workers', '2']);
    assert.is(serial.status, 0, serial.stderr);
    assert.is(pooled.status, 0, pooled.stderr);
    assert.ok(serial.stdout.length > 200);
    assert.is(pooled.stdout, serial.stdout, format);
  }
});

test('a user error inside a worker thread is still one line, exit 2', () => {
  const r = cli(['compare', '--network', net, '--schemes', `${arch},drq`, '--workers', '2']);
  assert.is(r.status, 2);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^quantsim: .*give a trace/);
});

test('threads: none for one design or a small comparison; --workers decides when given', () => {
  assert.is(compareThreads(1, 1e12), 0);
  assert.is(compareThreads(8, PARALLEL_MIN_WORK_MACS / 2), 0);
  assert.is(compareThreads(3, 1, 8), 3);
  assert.is(compareThreads(3, 1e12, 0), 0);
  // Threads that would each draw the trace's tensors again: serial unless asked.
  assert.is(compareThreads(8, 1e12, undefined, true), 0);
  assert.is(compareThreads(8, 1e12, 2, true), 2);
});

test('designs of one scheme form one job (first appearance first), so they share a thread and its offline steps', () => {
  const scheme: Record<string, string> = { 'eyeriss-int8': 'eyeriss', dnateq: 'dnateq', eyeriss: 'eyeriss', 'dnateq-equal-area': 'dnateq', drq: 'drq' };
  assert.equal(jobsByScheme(['eyeriss-int8', 'dnateq', 'eyeriss', 'dnateq-equal-area', 'drq'], (r) => scheme[r]!), [['eyeriss-int8', 'eyeriss'], ['dnateq', 'dnateq-equal-area'], ['drq']]);
});

test.run();
