import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch } from '../../../sim/arch.ts';
import { loadNetwork, makeNetwork, makeLayer } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { loadCostTable } from '../../../sim/costs.ts';
import { Ledger } from '../../../sim/ledger.ts';
import { Scheduler } from '../../../sim/scheduler.ts';
import { IntMac } from '../../../models/common/int-mac.ts';
import { EyerissAccelerator } from '../../../models/eyeriss/accelerator.ts';
import type { DatapathFactory, PassTimedDatapath, PassView } from '../../../models/eyeriss/pe.ts';

const alexnet = loadNetwork('alexnet');
const int8 = loadArch('eyeriss-int8');

test('AlexNet per-access energy: each level is its cost-table entry at the config\'s sizes; DRAM ≫ GLB > RF', () => {
  const r = simulate(loadArch('eyeriss'), alexnet, { mode: 'arch', layers: ['conv1', 'conv2', 'conv3', 'conv4', 'conv5'] });
  const t = loadCostTable(loadArch('eyeriss').costsFile);
  const pj = r.energyPerAccess!.pj;
  const x = r.energyPerAccess!.relativeToMac;
  assert.is(x.mac, 1);
  // One 16-bit word: DRAM 16 bits of LPDDR4, a quarter of a 64-bit read of one 4 KB GLB bank
  // (108 KB / 27), 16 bits over the 1 mm NoC hop, one read of the 224 × 16-bit filter spad.
  assert.is(pj.dram, 16 * t.energyPj('dram_lpddr4', 'read', { bits: 1 }));
  assert.is(pj.glb, (t.energyPj('sram', 'read', { bytes: 4096, bits: 64 }) * 16) / 64);
  assert.is(pj.noc, 16 * t.energyPj('wire', 'transfer', { bits: 1, mm: 1 }));
  assert.is(pj.rf, t.energyPj('sram', 'read', { bytes: 448, bits: 16 }));
  assert.is(pj.mac, t.energyPj('int_multiplier', 'multiply', { bits: 16 }) + t.energyPj('int_adder', 'add', { bits: 16 }));
  // The order Eyeriss reports holds for DRAM over everything and for the GLB over the RF; with CACTI's
  // 4 KB bank the GLB word costs less than 1 mm of wire (see the validation table).
  assert.ok(x.dram! > 20 * Math.max(x.glb!, x.noc!), `DRAM ${x.dram} vs GLB ${x.glb}, NoC ${x.noc}`);
  assert.ok(x.glb! > x.rf!);
});

test('stalls never exceed the layer cycles; utilization ≤ 1; cycles ≥ MACs / PEs', () => {
  const r = simulate(int8, alexnet, { mode: 'arch' });
  for (const l of r.layers) {
    assert.ok(l.cycles >= l.macs / 168, l.name);
    assert.ok(l.utilization <= 1 + 1e-12, l.name);
    const stalls = Object.values(l.stalls!).reduce((a, b) => a + b, 0);
    assert.ok(stalls <= l.cycles, l.name);
  }
  // FC layers stream every weight once through DRAM (8 B/cycle) and the filter NoC (64 b/cycle):
  // bandwidth-bound, the array waits most of the time.
  const fc6 = r.layers.find((l) => l.name === 'fc6')!;
  assert.ok(fc6.stalls!.dram! + fc6.stalls!.noc! > 0.9 * fc6.cycles);
  assert.ok(fc6.cycles >= (4096 * 9216) / 8);
});

test('every layer kind runs: grouped, depthwise, fc, add, pool; depthwise utilization is low', () => {
  const net = makeNetwork({
    name: 'kinds',
    bias: false,
    layers: [
      { name: 'conv', kind: 'conv', C: 16, M: 32, H: 28, R: 3, padding: 1, groups: 2 },
      { name: 'dw', kind: 'depthwise', C: 32, H: 28, R: 3, padding: 1 },
      { name: 'pool', kind: 'pool', C: 32, H: 28, R: 2, stride: 2 },
      { name: 'add', kind: 'add', C: 32, H: 14, inputs: ['pool', 'pool'] },
      { name: 'fc', kind: 'fc', C: 32 * 14 * 14, M: 10 },
    ],
  });
  const r = simulate(int8, net, { mode: 'arch' });
  assert.equal(r.layers.map((l) => l.cycles > 0), [true, true, true, true, true]);
  const dw = r.layers.find((l) => l.name === 'dw')!;
  const conv = r.layers.find((l) => l.name === 'conv')!;
  assert.ok(dw.utilization < conv.utilization);
  assert.ok((dw.details!.mapping as Record<string, unknown>).p === 1);
});

test('GLB banks a mapping does not need are gated, and pay their wake-up when a later layer needs them', () => {
  const r = simulate(loadArch('eyeriss'), alexnet, { mode: 'arch', layers: ['conv5', 'pool5'] });
  const conv5 = r.layers[0]!;
  assert.ok((conv5.details!.glbActiveBanks as number) < 27);
  assert.ok(r.layers[1]!.breakdown['eyeriss/glb']!.wakeup!.count > 0);
});

test('same config and seed give byte-identical arch-mode JSON', () => {
  const a = JSON.stringify(simulate(int8, alexnet, { mode: 'arch', seed: 3 }));
  const b = JSON.stringify(simulate(int8, alexnet, { mode: 'arch', seed: 3 }));
  assert.is(a, b);
});

test('hand-computed replay: 1×1 conv C2 M2 on 2×2 on the tiny array', () => {
  const tiny = loadArch(join(import.meta.dirname, '../../fixtures/tiny-arch.json'));
  const net = loadNetwork(join(import.meta.dirname, '../../fixtures/two-layer.json'));
  const l = simulate(tiny, net, { mode: 'arch', layers: ['conv'] }).layers[0]!;
  // Mapping: one 1×2 set, p = 2 filters and q = 2 channels per PE, one pass.
  // Fetch 4 weights + 8 inputs = 12 B at 4 B/cycle: cycles 0–3 (dram).
  // Filters: 4 × 8 b over the 8 b/cycle filter NoC (the 1 B/cycle GLB port too): 3–7 (noc).
  // Compute 1·2·2·S1·Q2 = 8 cycles from 7, but ifmap (64 b) and psum (64 b) stream through the
  // 1 B/cycle GLB port: 16 cycles → ends at 23 (8 glb). Write-back 8 B at 4 B/cycle: 23–25 (dram).
  assert.is(l.cycles, 25);
  assert.equal(l.stalls, { dram: 5, glb: 8, noc: 4 });
  const b = l.breakdown;
  assert.is(b['tiny/dram']!.read_bit!.count, (4 + 8) * 8);
  assert.is(b['tiny/dram']!.write_bit!.count, 8 * 8);
  assert.is(b['tiny/array/pe/mac']!.mac!.count, 16);
  // Two PEs each get both filters (2 × 2 words) and their own ifmap row (2 channels × 2 cols).
  assert.is(b['tiny/array/pe/filter_spad']!.write!.count, 8);
  assert.is(b['tiny/array/pe/ifmap_spad']!.write!.count, 8);
  const r = simulate(tiny, net, { mode: 'reference', layers: ['conv'] }).layers[0]!;
  assert.is(r.cycles, 25);
  assert.equal(r.stalls, l.stalls);
});

/** A datapath that takes 2 cycles per MAC on PEs in odd physical rows (a DRQ-like slow group). */
class SlowOddRows extends IntMac implements PassTimedDatapath {
  calls = 0;
  passCycles(view: PassView): number {
    this.calls++;
    let worst = 0;
    view.pes((pe) => {
      worst = Math.max(worst, pe.macs * (pe.row % 2 === 1 ? 2 : 1));
    });
    return worst;
  }
}

test('a pass-timed datapath sets the pass time: both modes use the hook and still agree', () => {
  const arch = loadArch('eyeriss-int8').config;
  const layer = makeLayer({ name: 'c', kind: 'conv', C: 8, M: 16, H: 12, R: 3, padding: 1 });
  const run = (mode: 'arch' | 'reference', slow: boolean) => {
    const ctx = { costs: loadCostTable(join(import.meta.dirname, '../../../configs/costs/32nm.json')), ledger: new Ledger(), scheduler: new Scheduler(), clockMHz: 200, rng: () => 0.5 };
    let dp: SlowOddRows | undefined;
    const factory: DatapathFactory = (name, c, parent, a, instances) => {
      const spec = { weightBits: a.datapath.weightBits, activationBits: a.datapath.activationBits, accumulatorBits: 32, instances };
      if (!slow) return new IntMac(name, c, parent, spec);
      dp = new SlowOddRows(name, c, parent, spec);
      return dp;
    };
    const acc = new EyerissAccelerator(ctx, arch, factory);
    const out = acc.runLayer(layer, mode);
    return { cycles: out.cycles, calls: dp?.calls ?? 0, passes: (out.details!.mapping as { passes: number }).passes };
  };
  const fast = run('arch', false);
  const slowArch = run('arch', true);
  const slowRef = run('reference', true);
  assert.ok(slowArch.cycles > fast.cycles);
  assert.is(slowArch.calls, slowArch.passes);
  assert.ok(Math.abs(slowArch.cycles - slowRef.cycles) / slowRef.cycles <= 0.02, `${slowArch.cycles} vs ${slowRef.cycles}`);
});

test.run();
