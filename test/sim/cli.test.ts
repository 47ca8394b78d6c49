import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, root, userError } from './cli/helpers.ts';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-cli-'));

const arch = JSON.parse(readFileSync(join(root, 'configs/arch/eyeriss.json'), 'utf8'));
const put = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

test('run prints a table and writes byte-identical JSON for the same seed', () => {
  const t = cli('run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--mode', 'opcount');
  assert.is(t.code, 0, t.stderr);
  assert.match(t.stdout, /TOTAL/);
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  assert.is(cli('run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--mode', 'opcount', '--format', 'json', '--out', a).code, 0);
  assert.is(cli('run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--mode', 'opcount', '--format', 'json', '--out', b).code, 0);
  assert.is(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
  const report = JSON.parse(readFileSync(a, 'utf8'));
  for (const k of ['arch', 'network', 'mode', 'seed', 'costs', 'totals', 'layers']) assert.ok(k in report, k);
  for (const k of ['cycles', 'energyPj', 'areaUm2', 'macs']) assert.type(report.totals[k], 'number');
  assert.match(report.costs.sha256, /^[0-9a-f]{64}$/);
  assert.ok(existsSync(a) && !existsSync(`${a}.tmp`));
});

test('compare prints ratios to the baseline; csv has one row per layer × component × op', () => {
  const c = cli('compare', '--network', 'alexnet', '--schemes', 'eyeriss-int8,eyeriss', '--mode', 'opcount');
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout, /baseline eyeriss-int8/);
  assert.match(c.stdout, /energy ×/);
  const csv = cli('run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--mode', 'opcount', '--format', 'csv');
  assert.match(csv.stdout.split('\n')[0]!, /^layer,component,op,count,energyPj$/);
  assert.match(csv.stdout, /conv1,eyeriss-int8\/array\/pe\/mac,mac,105415200,/);
});

test('costs prints the resolved table with sources', () => {
  const c = cli('costs', '--table', 'configs/costs/32nm.json');
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout, /int_multiplier\s+multiply\s+bits=8/);
  assert.match(c.stdout, /Horowitz/);
});

test('--help explains every flag', () => {
  const h = cli('run', '--help');
  assert.is(h.code, 0);
  for (const flag of ['--arch', '--network', '--costs', '--trace', '--seed', '--mode', '--format', '--out']) assert.match(h.stdout, new RegExp(flag));
});

test('bad input: one line naming file and JSON path, exit 2', () => {
  userError(cli('run', '--arch', put('malformed.json', '{"name": "x",'), '--network', 'alexnet'), /malformed\.json: malformed JSON/);
  userError(cli('run', '--arch', put('unknown.json', JSON.stringify({ ...arch, extra: 1 })), '--network', 'alexnet'), /unknown\.json: \/: unknown key "extra"/);
  userError(cli('run', '--arch', put('neg.json', JSON.stringify({ ...arch, array: { rows: -3, cols: 4 } })), '--network', 'alexnet'), /neg\.json: \/array\/rows: must be integer/);
  userError(cli('run', '--arch', put('bits.json', JSON.stringify({ ...arch, datapath: { weightBits: 0, activationBits: 8 } })), '--network', 'alexnet'), /\/datapath\/weightBits/);
  userError(cli('run', '--arch', put('scheme.json', JSON.stringify({ ...arch, scheme: 'warp-drive' })), '--network', 'alexnet', '--mode', 'opcount'), /scheme\.json: \/scheme: unknown scheme "warp-drive"/);
  userError(cli('run', '--arch', 'eyeriss-int8', '--network', 'nosuchnet'), /unknown network "nosuchnet"/);
  userError(cli('run', '--arch', join(dir, 'absent.json'), '--network', 'alexnet'), /absent\.json: cannot read file: ENOENT/);
  userError(cli('run', '--arch', 'eyeriss-int8', '--network', put('net.json', JSON.stringify({ name: 'n', layers: [{ name: 'a', kind: 'conv', C: 3, M: -1, H: 8, R: 3 }] }))), /net\.json: \/layers\/0\/M: must be integer/);
  userError(cli('run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--seed', '-1'), /--seed/);
  userError(cli('run', '--arch', 'eyeriss-int8'), /Missing required argument: network/);
  userError(cli('frobnicate'), /Unknown argument|Unknown command|Did you mean/i);
});

test('a missing cost entry is a user error naming the table and key', () => {
  const costs = JSON.parse(readFileSync(join(root, 'configs/costs/32nm.json'), 'utf8'));
  delete costs.classes.int_multiplier;
  const f = put('nomult.json', JSON.stringify(costs));
  userError(cli('run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--mode', 'opcount', '--costs', f), /nomult\.json: \/classes\/int_multiplier: no cost entry "int_multiplier\.multiply"/);
});

test('--debug shows the stack of a user error', () => {
  const r = cli('run', '--arch', 'eyeriss-int8', '--network', 'nosuchnet', '--debug');
  assert.is(r.code, 2);
  assert.match(r.stderr, /\n\s+at /);
});

test.run();
