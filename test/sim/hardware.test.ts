import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch, archFromConfig } from '../../sim/arch.ts';
import { variant } from '../../sim/config.ts';
import { loadNetwork } from '../../sim/workload.ts';
import { simulate } from '../../sim/simulate.ts';
import { formatHardware, hardwareTableRows } from '../../sim/hardware.ts';

const net = loadNetwork(join(import.meta.dirname, '../fixtures/two-layer.json'));

test('the summary lists what the Eyeriss-like design built: DRAM, GLB, NoC, array and the three spads per PE', () => {
  const h = simulate(loadArch('eyeriss-int8'), net, { mode: 'opcount' }).hardware;
  assert.is(h.clockMHz, 200);
  assert.is(h.batch, 1);
  assert.equal(h.datapath.weightBits, 8);
  const at = (suffix: string) => h.blocks.find((b) => b.path.endsWith(suffix))!;
  assert.equal({ kib: at('/glb').kib, banks: at('/glb').banks, bankBytes: at('/glb').bankBytes }, { kib: 108, banks: 27, bankBytes: 4096 });
  assert.equal({ rows: at('/array').rows, cols: at('/array').cols, pes: at('/array').pes }, { rows: 12, cols: 14, pes: 168 });
  assert.equal(['ifmap_spad', 'filter_spad', 'psum_spad'].map((s) => [at(s).instances, at(s).words, at(s).wordBits]), [[168, 12, 8], [168, 224, 8], [168, 24, 32]]);
  assert.is(at('/noc').bitsPerCycle, 64);
  assert.is(at('/dram').bytesPerCycle, 8);
});

test('a GLB resized without its banks gets a printed note; the compare table has one row per design', () => {
  const base = loadArch('eyeriss-int8');
  const big = archFromConfig(variant(base.config, (d) => { d.globalBuffer.kib = 256; }), base.file, base.costsFile);
  const h = simulate(big, net, { mode: 'opcount' }).hardware;
  assert.match(formatHardware(h), /note: .*glb keeps its configured 27 banks whatever its size, so a bank is 9709\.04 bytes/);
  assert.not.match(formatHardware(simulate(base, net, { mode: 'opcount' }).hardware), /note:/);
  const t = hardwareTableRows([{ name: 'a', hardware: h }]);
  assert.equal(t.rows[0]!.slice(0, 6), ['a', '200', '8/8', '168', '256', '27']);
});

test.run();
