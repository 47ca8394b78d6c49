import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../../models/registry.ts';
import { loadArch } from '../../../sim/arch.ts';
import { UserError } from '../../../sim/errors.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-scalesim-cfg-'));
const put = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
// The values of SCALE-Sim v2's configs/scale.cfg (32×32 os, 64 KiB SRAMs), trailing spaces included.
const SCALE_CFG = readFileSync(join(root, 'test/fixtures/scalesim/scale-32x32-os.cfg'), 'utf8');

const refused = (text: string, pattern: RegExp) => {
  const f = put(`bad-${Math.random().toString(36).slice(2)}.cfg`, text);
  try {
    loadArch(f);
    assert.unreachable(`accepted: ${text}`);
  } catch (e) {
    assert.instance(e, UserError);
    assert.ok((e as Error).message.includes(f.split('/').pop()!), (e as Error).message);
    assert.match((e as Error).message, pattern);
  }
};

test("SCALE-Sim's scale.cfg becomes a systolic arch config: 32×32 os, 64 KiB SRAMs, 10 B/cycle, no memory stalls", () => {
  const a = loadArch(put('scale.cfg', SCALE_CFG)).config;
  assert.is(a.scheme, 'systolic');
  assert.is(a.name, 'scale_example_run_32x32_os');
  assert.equal(a.array, { rows: 32, cols: 32 });
  assert.equal(a.systolic, { dataflow: 'os', ifmapSramKib: 64, filterSramKib: 64, ofmapSramKib: 64, memoryStalls: false });
  assert.is(a.dram.bytesPerCycle, 10);
  assert.is(a.datapath.weightBits, 8);
  const user = loadArch(put('user.cfg', SCALE_CFG.replace('CALC', 'USER'))).config;
  assert.is((user.systolic as { memoryStalls: boolean }).memoryStalls, true);
});

test('bad .cfg input: one message naming the file and the section/key', () => {
  refused(SCALE_CFG.replace(/\[architecture_presets\][^[]*/, ''), /missing section \[architecture_presets\]/);
  refused(SCALE_CFG.replace('FilterSramSzkB:  64', 'FilterSramSzkB:  lots'), /\[architecture_presets\] FilterSramSzkB: must be a whole number >= 1, got "lots"/);
  refused(SCALE_CFG.replace('Dataflow : os', 'Dataflow : rs'), /\[architecture_presets\] Dataflow: must be one of ws, os, is, got "rs"/);
  refused(SCALE_CFG.replace('MemoryBanks', 'MemoryBankz'), /line 15: unknown key "MemoryBankz" in \[architecture_presets\]/);
  refused(SCALE_CFG.replace('ArrayHeight:    32', ''), /\[architecture_presets\] ArrayHeight: missing/);
  refused(SCALE_CFG.replace('ArrayHeight:    32', 'ArrayHeight: 5000'), /\[architecture_presets\] ArrayHeight: must be integer in 1\.\.4096/);
  // os keeps the 32×32 partial sums in the ofmap SRAM: 1 KiB halves hold 128 32-bit words.
  refused(SCALE_CFG.replace('OfmapSramSzkB:   64', 'OfmapSramSzkB:   1'), /\[architecture_presets\] OfmapSramSzkB: 1 KiB is too small for one os fold on a 32×32 array/);
  refused(SCALE_CFG.replace('[run_presets]', '[run_options]'), /unknown section \[run_options\]/);
});

test('quantsim config import writes JSON with $schema that loads back to the same config; --arch FILE.cfg runs', () => {
  const cfg = put('scale.cfg', SCALE_CFG);
  const out = join(dir, 'arch.json');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), 'config', 'import', cfg, '--out', out], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const json = JSON.parse(readFileSync(out, 'utf8'));
  assert.match(json.$schema, /configs\/schema\/arch\.schema\.json$/);
  const { $schema: _s, ...back } = loadArch(out).config as unknown as Record<string, unknown>;
  assert.equal(back, loadArch(cfg).config);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), 'config', 'import', put('x.cfg', SCALE_CFG.replace('Dataflow : os', 'Dataflow : rs')), '--out', out], { cwd: root, encoding: 'utf8' });
  assert.is(bad.status, 2);
  assert.is(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.match(bad.stderr, /x\.cfg: \[architecture_presets\] Dataflow/);
});

test.run();
