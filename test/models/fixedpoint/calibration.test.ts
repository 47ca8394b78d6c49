import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { calibrate } from '../../../models/fixedpoint/calibration.ts';
import { loadArch, archFromConfig } from '../../../sim/arch.ts';
import { loadNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import type { Trace } from '../../../sim/trace.ts';
import { quantTinyCosts } from '../../fixtures/quant-tiny-costs.ts';

test('min/max: threshold = max |x|, INT8 scale = T / 127, nothing clipped', () => {
  const c = calibrate([-2, 1, 0.5], { method: 'minmax' });
  assert.is(c.threshold, 2);
  assert.is(c.scale, 2 / 127);
  assert.is(c.clippedFraction, 0);
});

test('percentile: nearest rank of |x|, the tail is clipped', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  const c = calibrate(xs, { method: 'percentile', percentile: 90 });
  assert.is(c.threshold, 90);
  assert.is(c.clippedFraction, 0.1);
});

test('KL: a rare large outlier is clipped, the bulk is kept', () => {
  const rng = seedrandom('kl');
  const xs = Array.from({ length: 20000 }, () => -Math.log(1 - rng()));
  xs.push(40);
  // 2048 bins over [0, 40]: the search starts at 128 bins (T ≈ 2.5), the exponential bulk ends near 10.
  const c = calibrate(xs, { method: 'kl' });
  assert.ok(c.threshold > 3 && c.threshold < 20, `threshold ${c.threshold}`);
  assert.ok(c.clippedFraction > 0 && c.clippedFraction < 0.01);
});

test('clear errors: method, percentile, bits, empty batch', () => {
  assert.throws(() => calibrate([1], { method: 'mean' as 'minmax' }), /method must be one of minmax, percentile, kl/);
  assert.throws(() => calibrate([1], { method: 'percentile', percentile: 0 }), /percentile must be in/);
  assert.throws(() => calibrate([1], { method: 'minmax', bits: 1 }), /bits must be an integer/);
  assert.throws(() => calibrate([], { method: 'minmax' }), /non-empty/);
});

test('settle and geng report trace-derived parameters without changing the cost', () => {
  const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
  const base = loadArch(join(fixtures, 'tiny-arch.json')).config;
  const net = loadNetwork(join(fixtures, 'two-layer.json'));
  const t = (v: number, n: number) => ({ shape: [n], data: new Float32Array(n).fill(v), dtype: 'float32' as const });
  const trace: Trace = {
    network: net.name,
    source: 'synthetic',
    generator: 'test constants',
    layers: new Map([['conv', { layer: 'conv', weights: t(0.5, 4), activations: t(3, 8), outputs: t(1.5, 8) }]]),
  };
  const costs = quantTinyCosts();
  for (const scheme of ['settle', 'geng']) {
    const arch = archFromConfig({ ...base, name: 'tiny', scheme });
    const a = simulate(arch, net, { mode: 'opcount', costs, trace });
    const b = simulate(arch, net, { mode: 'opcount', costs });
    assert.is(a.totals.energyPj, b.totals.energyPj, scheme);
    if (scheme === 'settle') assert.is((a.layers[0]!.details!.calibration as { activations: { threshold: number } }).activations.threshold, 3);
    // N_w = 7 (0.5·128 = 64), N_a = 5 (3·32 = 96), N_out = 6 (1.5·64 = 96): shift 7 + 5 − 6 = 6.
    else assert.equal(a.layers[0]!.details!.fractionalBits, { weights: 7, activations: 5, outputs: 6 });
  }
});

test.run();
