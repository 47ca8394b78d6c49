import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork } from '../../sim/workload.ts';
import { simulate } from '../../sim/simulate.ts';
import { breakdownEnergyPj } from '../../sim/ledger.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const tiny = loadArch(join(fixtures, 'tiny-arch.json'));
const twoLayer = loadNetwork(join(fixtures, 'two-layer.json'));
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

test('op-count energy of a hand-computed 2-layer network', () => {
  const r = simulate(tiny, twoLayer, { mode: 'opcount' });
  // conv: 2×2 outputs × 2 M × 2 C = 16 MACs; 4 weights, 8 inputs, 8 outputs.
  // fc: 8 × 2 = 16 MACs; 16 weights, 8 inputs, 2 outputs.
  // MAC = 1 pJ (8b mult) + 0.5 pJ (32b add). Spads: 4 accesses per MAC × 0.1 pJ (8-bit words).
  // GLB (8-bit words, 0.1 pJ): write W+I+O, read W+I+O. NoC: 8 bits × 1 mm × 0.01 pJ per element.
  // DRAM 1 pJ/bit: read (W+I)·8, write O·8. Leakage: spads 8 B each and GLB 1 KiB at 1 uW per 256 B.
  const conv = { macs: 16, w: 4, i: 8, o: 8 };
  const fc = { macs: 16, w: 16, i: 8, o: 2 };
  const dynamic = (l: typeof conv) =>
    l.macs * 1.5 + l.macs * 4 * 0.1 + 2 * (l.w + l.i + l.o) * 0.1 + (l.w + l.i + l.o) * 8 * 0.01 + (l.w + l.i) * 8 + l.o * 8;
  // Cycles: max(MACs / 4 PEs, DRAM bytes / 4 per cycle): conv max(4, 5) = 5; fc max(4, 7) = 7 (26 bytes → ceil 6.5).
  assert.equal(r.layers.map((l) => l.cycles), [5, 7]);
  // Leakage µW: 4 PEs × 3 spads × 8/256 uW + 1024/256 uW = 0.375 + 4; pJ = µW × cycles / MHz.
  const leakUw = 4 * 3 * (8 / 256) + 1024 / 256;
  near(r.layers[0]!.energyPj, dynamic(conv) + (leakUw * 5) / 100);
  near(r.layers[1]!.energyPj, dynamic(fc) + (leakUw * 7) / 100);
  assert.is(r.totals.macs, 32);
  assert.is(r.totals.cycles, 12);
});

test('invariants: total energy = sum of layers = sum of parts; area = sum of parts', () => {
  const r = simulate(loadArch('eyeriss-int8'), loadNetwork('alexnet'), { mode: 'opcount' });
  const sumLayers = r.layers.reduce((s, l) => s + l.energyPj, 0);
  near(r.totals.energyPj, sumLayers);
  for (const l of r.layers) near(l.energyPj, breakdownEnergyPj(l.breakdown));
  near(Object.values(r.energyByPartPj).reduce((a, b) => a + b, 0), r.totals.energyPj);
  near(Object.values(r.area).reduce((s, a) => s + a.areaUm2, 0), r.totals.areaUm2);
});

test('invariant: cycles ≥ MACs / (PEs × MACs per PE per cycle)', () => {
  const r = simulate(loadArch('eyeriss-int8'), loadNetwork('alexnet'), { mode: 'opcount' });
  for (const l of r.layers) assert.ok(l.cycles >= l.macs / 168, l.name);
  assert.ok(r.totals.utilization <= 1);
});

test('same config and seed give byte-identical JSON', () => {
  const a = JSON.stringify(simulate(loadArch('eyeriss'), loadNetwork('alexnet'), { mode: 'opcount', seed: 7 }));
  const b = JSON.stringify(simulate(loadArch('eyeriss'), loadNetwork('alexnet'), { mode: 'opcount', seed: 7 }));
  assert.is(a, b);
});

test('a 16-bit datapath costs more per MAC than an 8-bit one', () => {
  const n = loadNetwork('alexnet');
  const e16 = simulate(loadArch('eyeriss'), n, { mode: 'opcount' }).totals.energyPj;
  const e8 = simulate(loadArch('eyeriss-int8'), n, { mode: 'opcount' }).totals.energyPj;
  assert.ok(e16 > e8);
});

test('unknown layer filter and a layer too large for reference mode are user errors', () => {
  assert.throws(() => simulate(tiny, twoLayer, { mode: 'opcount', layers: ['nope'] }), /no layer "nope"/);
  assert.throws(() => simulate(loadArch('eyeriss'), loadNetwork('alexnet'), { mode: 'reference', layers: ['conv1'] }), /too large for --mode reference/);
});

test.run();
