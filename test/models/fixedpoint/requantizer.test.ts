import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch, archFromConfig, type ArchConfig } from '../../../sim/arch.ts';
import { loadNetwork, makeNetwork, outputCount } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { loadCostTable } from '../../../sim/costs.ts';
import { DEFAULT_COSTS } from '../../../sim/arch.ts';
import { compareRequantizers } from '../../../models/fixedpoint/requantizer-comparison.ts';
import { quantizationCounts } from '../../../models/fixedpoint/module-grouping.ts';
import { quantTinyCosts } from '../../fixtures/quant-tiny-costs.ts';

const costs = quantTinyCosts();
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const tinyBase = loadArch(join(fixtures, 'tiny-arch.json')).config;
const twoLayer = loadNetwork(join(fixtures, 'two-layer.json'));
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);
const tiny = (scheme: string, extra: Partial<ArchConfig> = {}): ArchConfig => ({ ...tinyBase, name: `tiny-${scheme}`, scheme, ...extra });

test('per-operation costs of both requantizers, by hand', () => {
  const c = compareRequantizers(costs, { accumulatorBits: 32, outputBits: 8, scaleBits: 32 });
  // Shift-round: 32-bit shifter 0.5 pJ / 80 um², 32-bit round-and-clip 0.2 / 40.
  near(c.shiftRound.energyPj, 0.5 + 0.2);
  near(c.shiftRound.areaUm2, 80 + 40);
  // Scale-multiply: 32×32 multiplier = (32/8)² × (1 pJ, 400 um²), round-and-clip of the 33-bit kept part (×33/32).
  near(c.scaleMultiply.energyPj, 16 + (0.2 * 33) / 32);
  near(c.scaleMultiply.areaUm2, 6400 + (40 * 33) / 32);
  near(c.energyRatio, (16 + 0.20625) / 0.7);
  near(c.areaRatio, 6441.25 / 120);
  assert.equal(c.shiftRound.parts.map((p) => p.role), ['shifter', 'round_clip']);
  assert.equal(c.scaleMultiply.parts.map((p) => p.role), ['scale_multiplier', 'round_clip']);
});

test('the ratio on the default 32nm table comes from its entries (both > 1)', () => {
  const c = compareRequantizers(loadCostTable(DEFAULT_COSTS));
  assert.ok(c.energyRatio > 1 && c.areaRatio > 1);
  near(c.energyRatio, c.scaleMultiply.energyPj / c.shiftRound.energyPj);
});

test('geng requantizes once per output element of every layer (shift-round energy)', () => {
  const r = simulate(archFromConfig(tiny('geng')), twoLayer, { mode: 'opcount', costs });
  r.layers.forEach((l, i) => {
    const rq = l.breakdown['tiny-geng/requantizer']!.requantize!;
    assert.is(rq.count, outputCount(twoLayer.layers[i]!));
    near(rq.energyPj, rq.count * 0.7);
    assert.is(l.details!.requantized, rq.count);
  });
  // One requantizer per array column (2): area = 2 × 120 um² on top of the int8 array.
  const base = simulate(archFromConfig(tiny('eyeriss')), twoLayer, { mode: 'opcount', costs });
  near(r.totals.areaUm2 - base.totals.areaUm2, 2 * 120);
  assert.equal(r.area['tiny-geng/requantizer'], { instances: 2, areaUm2: 240 });
});

test('settle requantizes with the scale multiplier; fewer units can make it the bottleneck', () => {
  const r = simulate(archFromConfig(tiny('settle', { requantizer: { units: 1 } })), twoLayer, { mode: 'opcount', costs });
  near(r.layers[0]!.breakdown['tiny-settle/requantizer']!.requantize!.energyPj, 8 * (16 + 0.20625));
  // conv: 8 outputs on 1 unit = 8 cycles > the array's 5.
  assert.is(r.layers[0]!.cycles, 8);
  assert.is(r.layers[0]!.stalls!.requantizer, 3);
});

test('a requantizing scheme on a float datapath is a user error', () => {
  const arch = archFromConfig(tiny('geng', { datapath: { ...tinyBase.datapath, arithmetic: 'fp16' } }));
  assert.throws(() => simulate(arch, twoLayer, { mode: 'opcount', costs }), /needs an integer datapath/);
  assert.throws(() => simulate(archFromConfig(tiny('geng', { requantizer: { units: 0 } })), twoLayer, { mode: 'opcount', costs }), /units must be an integer/);
});

test('module grouping: quantization counts of a residual block, by hand', () => {
  // conv1 (+BN +ReLU) → conv2 (+BN) → add(input, conv2) + ReLU, 4 channels of 2×2 = 16 elements each.
  const net = makeNetwork({
    name: 'resblock',
    layers: [
      { name: 'conv1', kind: 'conv', C: 4, M: 4, H: 2, R: 1, relu: true },
      { name: 'conv2', kind: 'conv', C: 4, M: 4, H: 2, R: 1 },
      { name: 'add', kind: 'add', C: 4, H: 2, W: 2, relu: true, inputs: ['conv1', 'conv2'] },
    ],
  });
  // Per layer with BN: conv1 3 tensors, conv2 2, add 2 = 7; per module 3.
  assert.equal(quantizationCounts(net, { batchNormAfterConv: true }), { perLayer: 7 * 16, perModule: 3 * 16, perLayerTensors: 7, perModuleTensors: 3 });
  assert.equal(quantizationCounts(net).perLayerTensors, 5);
});

test('shipped geng and settle configs run', () => {
  for (const a of ['geng', 'settle']) assert.ok(simulate(loadArch(a), twoLayer, { mode: 'opcount' }).totals.energyPj > 0, a);
});

test.run();
