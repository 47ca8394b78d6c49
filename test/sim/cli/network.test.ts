import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadNetwork } from '../../../sim/workload.ts';
import { formatNetworkTable, networkJson, shippedNetworks } from '../../../sim/cli/network.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), ...args], { cwd: root, encoding: 'utf8' });

test('show: one row per layer and a TOTAL row with MACs and parameters', () => {
  const n = loadNetwork('lightnn-mnist-1hidden');
  const lines = formatNetworkTable(n).trim().split('\n');
  assert.match(lines[0]!, /lightnn-mnist-1hidden .*: 2 layers, 79,400 MACs, 79,510 parameters/);
  assert.match(lines.at(-3)!, /^fc1\s+fc .*78400\s+78500$/);
  assert.match(lines.at(-1)!, /^TOTAL\s+79400\s+79510$/);
});

test('json: per-layer macs and parameters add up to the totals', () => {
  const j = networkJson(loadNetwork('resnet50'));
  assert.is(j.layers.reduce((s, l) => s + l.macs, 0), j.macs);
  assert.is(j.layers.reduce((s, l) => s + l.parameters, 0), j.parameters);
});

test('list covers every shipped network', () => {
  for (const name of ['alexnet', 'vgg16', 'resnet50', 'mobilenet-v1', 'transformer-base', 'lightnn-cifar10-6conv']) assert.ok(shippedNetworks().includes(name), name);
});

test('CLI: network show on an imported file; bad input is one line, exit 2', () => {
  const ok = cli('network', 'show', 'test/fixtures/import/gemm.csv', '--format', 'json');
  assert.is(ok.status, 0, ok.stderr);
  assert.is(JSON.parse(ok.stdout).layers.length, 2);
  const bad = cli('network', 'show', 'test/fixtures/import/bad-value.csv');
  assert.is(bad.status, 2);
  assert.is(bad.stderr.trim(), 'quantsim: test/fixtures/import/bad-value.csv: line 4: Filter Height: must be an integer >= 1, got "x"');
});

test.run();
