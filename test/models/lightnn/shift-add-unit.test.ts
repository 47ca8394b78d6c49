import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { Ledger, breakdownEnergyPj } from '../../../sim/ledger.ts';
import { Scheduler } from '../../../sim/scheduler.ts';
import { loadArch, archFromConfig, type ArchConfig } from '../../../sim/arch.ts';
import { loadNetwork, weightCount, inputCount, outputCount } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import type { Trace } from '../../../sim/trace.ts';
import { ShiftAddUnit } from '../../../models/lightnn/shift-add-unit.ts';
import { quantTinyCosts } from '../../fixtures/quant-tiny-costs.ts';

const costs = quantTinyCosts();
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const tinyBase = loadArch(join(fixtures, 'tiny-arch.json')).config;
const twoLayer = loadNetwork(join(fixtures, 'two-layer.json'));
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

function unit(K: number) {
  const ledger = new Ledger();
  const ctx = { costs, ledger, scheduler: new Scheduler(), clockMHz: 100, rng: seedrandom('t') };
  return { u: new ShiftAddUnit('mac', ctx, undefined, { K, activationBits: 8, accumulatorBits: 32 }), ledger };
}

const tinyLightnn = (K: 1 | 2, extra: Partial<ArchConfig> = {}): ArchConfig => ({
  ...tinyBase,
  name: `tiny-lightnn${K}`,
  scheme: 'lightnn',
  datapath: { ...tinyBase.datapath, weightBits: K === 1 ? 4 : 8 },
  lightnn: { K },
  ...extra,
});

test('K = 1: one 15-bit shifter (8-bit activation, shifts 0…7) and the 32-bit accumulator', () => {
  const { u, ledger } = unit(1);
  // Fixture: shifter {15 bits, 8 positions} 0.3 pJ, 60 um²; 32-bit adder 0.5 pJ, 100 um².
  u.mac(10);
  u.add(2);
  near(breakdownEnergyPj(ledger.snapshot()), 10 * (0.3 + 0.5) + 2 * 0.5);
  near(u.areaUm2(), 60 + 100);
});

test('K = 2: two shifters, a 16-bit term adder and the accumulator', () => {
  const { u, ledger } = unit(2);
  // Term adder: 16 bits of the linear 32-bit point = 0.25 pJ, 50 um².
  u.mac(4);
  near(breakdownEnergyPj(ledger.snapshot()), 4 * (2 * 0.3 + 0.25 + 0.5));
  near(u.areaUm2(), 2 * 60 + 50 + 100);
});

test('K = 2 with a weight mix: zero weights skip, single-term weights use one shifter', () => {
  const { u, ledger } = unit(2);
  u.loadTermMix({ zero: 0.2, one: 0.3, two: 0.5 });
  u.mac(100);
  const b = ledger.snapshot().mac!;
  assert.is(b.mac_zero_skipped!.count, 20);
  assert.is(b.mac_one_term!.count, 30);
  assert.is(b.mac!.count, 50);
  near(breakdownEnergyPj(ledger.snapshot()), 30 * 0.8 + 50 * 1.35);
});

test('LightNN-1 on the array: shift-add energy per MAC and 4-bit weight traffic', () => {
  const r1 = simulate(archFromConfig(tinyLightnn(1)), twoLayer, { mode: 'opcount', costs });
  const r8 = simulate(archFromConfig({ ...tinyBase, name: 'tiny-int8' }), twoLayer, { mode: 'opcount', costs });
  for (const [i, layer] of twoLayer.layers.entries()) {
    const l = r1.layers[i]!;
    near(l.breakdown['tiny-lightnn1/array/pe/mac']!.mac!.energyPj, l.macs * 0.8);
    // DRAM at 1 pJ/bit: 4-bit weights, 8-bit activations in, 8-bit activations out.
    const dram = l.breakdown['tiny-lightnn1/dram']!;
    near(dram.read_bit!.count, weightCount(layer) * 4 + inputCount(layer) * 8);
    near(dram.write_bit!.count, outputCount(layer) * 8);
    // Same array, same mapping: MAC-bound cycles unchanged, DRAM-bound ones can only fall.
    assert.ok(l.cycles <= r8.layers[i]!.cycles);
  }
  assert.ok(r1.totals.energyPj < r8.totals.energyPj);
});

test('LightNN-2 with a trace: energy follows the weights, without one the worst case', () => {
  const arch = archFromConfig(tinyLightnn(2));
  const w = (n: number, v: number) => ({ shape: [n], data: new Float32Array(n).fill(v), dtype: 'float32' as const });
  const trace: Trace = {
    network: twoLayer.name,
    source: 'synthetic',
    generator: 'test: all-zero conv weights; fc weights half 1, half 0.25',
    layers: new Map([
      ['conv', { layer: 'conv', weights: w(4, 0) }],
      ['fc', { layer: 'fc', weights: { ...w(16, 1), data: Float32Array.from({ length: 16 }, (_, i) => (i < 8 ? 1 : 0.25)) } }],
    ]),
  };
  const withTrace = simulate(arch, twoLayer, { mode: 'opcount', costs, trace });
  const worst = simulate(arch, twoLayer, { mode: 'opcount', costs });
  assert.equal(withTrace.layers[0]!.details!.weightTerms, { scaleExponent: 0, zero: 4, one: 0, two: 0, clipped: 0 });
  assert.is(withTrace.layers[0]!.breakdown['tiny-lightnn2/array/pe/mac']!.mac_zero_skipped!.count, 16);
  // The fc weights are scaled by 2^1 into K = 2's range (largest 2): 2 = 2^0 + 2^0 takes two shifts, 0.5 one.
  assert.equal(withTrace.layers[1]!.details!.weightTerms, { scaleExponent: 1, zero: 0, one: 8, two: 8, clipped: 0 });
  assert.is(withTrace.layers[1]!.breakdown['tiny-lightnn2/array/pe/mac']!.mac_one_term!.count, 8);
  assert.match(String(worst.layers[0]!.details!.weightTerms), /worst case/);
  near(worst.layers[0]!.breakdown['tiny-lightnn2/array/pe/mac']!.mac!.energyPj, 16 * 1.35);
  assert.ok(withTrace.totals.energyPj < worst.totals.energyPj);
});

test('clear errors: weightBits that do not match K, missing section, illegal K', () => {
  const run = (c: ArchConfig) => simulate(archFromConfig(c), twoLayer, { mode: 'opcount', costs });
  assert.throws(() => run({ ...tinyLightnn(1), datapath: { ...tinyBase.datapath, weightBits: 8 } }), /LightNN-1 stores weights in 4 bits.*weightBits must be 4, got 8/);
  assert.throws(() => run({ ...tinyLightnn(1), lightnn: undefined }), /needs a "lightnn"/);
  assert.throws(() => run({ ...tinyLightnn(1), lightnn: { K: 3 } }), /K must be 1 or 2 .*got 3/);
});

test('shipped lightnn1 / lightnn2 configs load and run', () => {
  for (const a of ['lightnn1', 'lightnn2']) {
    const r = simulate(loadArch(a), twoLayer, { mode: 'opcount' });
    assert.ok(r.totals.energyPj > 0 && r.totals.areaUm2 > 0, a);
  }
});

test.run();
