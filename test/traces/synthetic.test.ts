import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticTrace, loadSyntheticParameters, producerOf, normalTail, SYNTHETIC_GENERATOR } from '../../traces/synthetic.ts';
import { checkLayerTensor, loadTrace, writeTrace } from '../../traces/format.ts';
import { encodeNpy } from '../../traces/npy.ts';
import { fitDistributions } from '../../traces/fit.ts';
import { loadNetwork, makeNetwork } from '../../sim/workload.ts';
import { UserError } from '../../sim/errors.ts';
import type { Tensor } from '../../sim/trace.ts';

const alexnet = loadNetwork('alexnet');
const small = makeNetwork({
  name: 'small',
  layers: [
    { name: 'c1', kind: 'conv', C: 3, M: 8, H: 32, R: 3, padding: 1, relu: true },
    { name: 'p1', kind: 'pool', C: 8, H: 32, R: 2, stride: 2 },
    { name: 'c2', kind: 'conv', C: 8, M: 16, H: 16, R: 3, padding: 1, groups: 2 },
    { name: 'dw', kind: 'depthwise', C: 16, H: 16, R: 3, padding: 1, relu: true },
    { name: 'fc', kind: 'fc', C: 4096, M: 10 },
  ],
});
const dir = mkdtempSync(join(tmpdir(), 'quantsim-synth-'));
const bytesOf = (t: Tensor) => encodeNpy(t.shape, t.data, 'float32');
const zeroFraction = (d: Float32Array) => d.reduce((z, v) => z + (v === 0 ? 1 : 0), 0) / d.length;
function moments(d: Float32Array) {
  let s = 0;
  let s2 = 0;
  let s4 = 0;
  for (const v of d) s += v;
  const mean = s / d.length;
  for (const v of d) {
    s2 += (v - mean) ** 2;
    s4 += (v - mean) ** 4;
  }
  const variance = s2 / d.length;
  return { mean, std: Math.sqrt(variance), kurtosis: s4 / d.length / variance ** 2 };
}

test('labelled synthetic, with generator name, seed and every parameter', () => {
  const t = generateSyntheticTrace(small, { seed: 5, batch: 2 });
  assert.is(t.source, 'synthetic');
  assert.is(t.generator, SYNTHETIC_GENERATOR);
  assert.is(t.seed, 5);
  assert.is((t.parameters as { batch: number }).batch, 2);
  assert.equal(Object.keys(t.parameters!).sort(), ['activations', 'batch', 'input', 'weights']);
  assert.equal([...t.layers.keys()], ['c1', 'c2', 'dw', 'fc'], 'layers with weights only');
});

test('same seed → identical bytes; another seed → different values', () => {
  const a = generateSyntheticTrace(small, { seed: 11 });
  const b = generateSyntheticTrace(small, { seed: 11 });
  const c = generateSyntheticTrace(small, { seed: 12 });
  for (const name of a.layers.keys()) {
    for (const role of ['weights', 'activations'] as const) {
      assert.equal(bytesOf(a.layers.get(name)![role]!), bytesOf(b.layers.get(name)![role]!), `${name} ${role}`);
      assert.not.equal(bytesOf(a.layers.get(name)![role]!), bytesOf(c.layers.get(name)![role]!), `${name} ${role}`);
    }
  }
});

test('written synthetic traces are byte-identical for the same seed and load back checked', () => {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  writeTrace(a, generateSyntheticTrace(small, { seed: 3 }), { dtype: 'float16' });
  writeTrace(b, generateSyntheticTrace(small, { seed: 3 }), { dtype: 'float16' });
  for (const f of ['manifest.json', 'c1.weights.npy', 'c2.activations.npy', 'fc.activations.npy']) {
    assert.equal(new Uint8Array(readFileSync(join(a, f))), new Uint8Array(readFileSync(join(b, f))), f);
  }
  const t = loadTrace(a, small);
  assert.is(t.source, 'synthetic');
  assert.is(t.seed, 3);
});

test('the first inputs of a larger batch are the smaller batch (sampling is stable)', () => {
  const one = generateSyntheticTrace(small, { seed: 9, batch: 1 });
  const three = generateSyntheticTrace(small, { seed: 9, batch: 3 });
  for (const [name, lt] of one.layers) {
    const a = lt.activations!;
    const b = three.layers.get(name)!.activations!;
    assert.is(b.shape[0], 3);
    assert.equal(Array.from(b.data.subarray(0, a.data.length)), Array.from(a.data), name);
    assert.equal(bytesOf(lt.weights!), bytesOf(three.layers.get(name)!.weights!));
  }
});

test('shapes follow PyTorch layouts for AlexNet (grouped convs, fc) and pass the loader checks', () => {
  const t = generateSyntheticTrace(alexnet, { seed: 1, layers: ['conv1', 'conv2', 'fc8'] });
  assert.equal(t.layers.get('conv2')!.weights!.shape, [256, 48, 5, 5]);
  assert.equal(t.layers.get('conv2')!.activations!.shape, [1, 96, 27, 27]);
  assert.equal(t.layers.get('fc8')!.weights!.shape, [1000, 4096]);
  assert.equal(t.layers.get('fc8')!.activations!.shape, [1, 4096]);
  for (const [name, lt] of t.layers) {
    const layer = alexnet.layers.find((l) => l.name === name)!;
    checkLayerTensor(layer, 'weights', lt.weights!, name);
    checkLayerTensor(layer, 'activations', lt.activations!, name);
  }
});

test('weights: Laplace-like (kurtosis ≈ 6+), std ≈ sqrt(2 / fan-in), ~2% exact zeros', () => {
  const t = generateSyntheticTrace(alexnet, { seed: 2, layers: ['conv3'] });
  const w = t.layers.get('conv3')!.weights!.data;
  const m = moments(w);
  const heStd = Math.sqrt(2 / (256 * 9));
  assert.ok(Math.abs(m.std / heStd - 1) < 0.1, `std ${m.std} vs ${heStd}`);
  assert.ok(Math.abs(m.mean) < 0.01 * m.std, `mean ${m.mean}`);
  assert.ok(m.kurtosis > 5.5, `kurtosis ${m.kurtosis}`);
  assert.ok(Math.abs(zeroFraction(w) - 0.02) < 0.002, `zeros ${zeroFraction(w)}`);
  assert.is(fitDistributions(w).best, 'exponential');
});

test('activations after ReLU: 30–60% exact zeros, non-negative, exponential tail', () => {
  for (const seed of [1, 2, 3, 4]) {
    const t = generateSyntheticTrace(alexnet, { seed, layers: ['conv2', 'conv3', 'conv5', 'fc7'] });
    for (const [name, lt] of t.layers) {
      const a = lt.activations!.data;
      const z = zeroFraction(a);
      assert.ok(z > 0.27 && z < 0.63, `${name} seed ${seed}: zero fraction ${z}`);
      assert.ok(a.every((v) => v >= 0), name);
      assert.is(fitDistributions(a).best, 'exponential', name);
    }
  }
});

test('the network input is signed and normalized, strongly correlated across channels', () => {
  const a = generateSyntheticTrace(small, { seed: 4 }).layers.get('c1')!.activations!;
  const m = moments(a.data);
  assert.ok(Math.abs(m.mean) < 0.05 && Math.abs(m.std - 1) < 0.05, `mean ${m.mean} std ${m.std}`);
  const plane = 32 * 32;
  let r = 0;
  for (let k = 0; k < plane; k++) r += a.data[k]! * a.data[plane + k]!;
  assert.ok(r / plane > 0.6, `R–G correlation ${r / plane}`);
  assert.is(producerOf(small.layers[0]!, small), 'image');
  assert.is(producerOf(small.layers[2]!, small), 'relu', 'looks through the pool to c1');
  assert.is(producerOf(small.layers[3]!, small), 'signed', 'c2 has no ReLU');
  const dw = generateSyntheticTrace(small, { seed: 4 }).layers.get('dw')!.activations!.data;
  assert.ok(zeroFraction(dw) < 0.01 && dw.some((v) => v < 0) && dw.some((v) => v > 0), 'Laplace marginal after a layer without ReLU');
});

test('spatial structure: neighbours correlate and 4×4 regions differ far more than i.i.d. noise would', () => {
  const t = generateSyntheticTrace(alexnet, { seed: 6, layers: ['conv2'] });
  const { data, shape } = t.layers.get('conv2')!.activations!;
  const [, C, H, W] = shape as [number, number, number, number];
  let num = 0;
  let den = 0;
  let regionSpread = 0;
  for (let c = 0; c < C; c++) {
    const p = data.subarray(c * H * W, (c + 1) * H * W);
    const { mean, std } = moments(p);
    if (std === 0) continue;
    for (let h = 0; h < H; h++) for (let w = 0; w + 1 < W; w++) num += (p[h * W + w]! - mean) * (p[h * W + w + 1]! - mean);
    den += std * std * H * (W - 1);
    const means: number[] = [];
    for (let h = 0; h + 4 <= H; h += 4) {
      for (let w = 0; w + 4 <= W; w += 4) {
        let s = 0;
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += p[(h + i) * W + w + j]!;
        means.push(s / 16);
      }
    }
    regionSpread += moments(Float32Array.from(means)).std / std;
  }
  const corr = num / den;
  assert.ok(corr > 0.5, `neighbour correlation ${corr}`);
  // i.i.d. values: region means spread as std / sqrt(16) = 0.25 std.
  assert.ok(regionSpread / C > 0.6, `region-mean spread ${regionSpread / C} of the channel std`);
});

test('normalTail is a positive, decreasing upper-tail probability', () => {
  assert.ok(Math.abs(normalTail(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalTail(1.959964) - 0.025) < 1e-6);
  assert.ok(Math.abs(normalTail(-1.959964) - 0.975) < 1e-6);
  assert.ok(normalTail(12) > 0 && normalTail(12) < 1e-30);
  for (let z = -6; z < 6; z += 0.01) assert.ok(normalTail(z + 0.01) < normalTail(z), `${z}`);
});

test('parameters: defaults from configs/traces/synthetic.json; a bad file names its path', () => {
  const p = loadSyntheticParameters();
  assert.is(p.weights.distribution, 'laplace');
  assert.equal(p.activations.zeroFraction, [0.3, 0.6]);
  const bad = join(dir, 'bad-params.json');
  writeFileSync(bad, JSON.stringify({ ...p, weights: { ...p.weights, zeroFraction: 2 } }));
  assert.throws(() => loadSyntheticParameters(bad), (e: Error) => e instanceof UserError && /bad-params\.json: \/weights\/zeroFraction: must be a number in 0\.\.1/.test(e.message));
  const normal = generateSyntheticTrace(small, { seed: 1, parameters: { ...p, weights: { ...p.weights, distribution: 'normal', channelSpread: 0, zeroFraction: 0 } } });
  const w = normal.layers.get('fc')!.weights!.data;
  const m = moments(w);
  assert.ok(Math.abs(m.kurtosis - 3) < 0.3, `normal kurtosis ${m.kurtosis}`);
  assert.ok(Math.abs(m.std / Math.sqrt(2 / 4096) - 1) < 0.05, `normal std ${m.std}`);
});

test('errors: unknown layer, bad seed or batch', () => {
  assert.throws(() => generateSyntheticTrace(small, { seed: 1, layers: ['nope'] }), /no layer "nope" in network small/);
  assert.throws(() => generateSyntheticTrace(small, { seed: -1 }), /seed must be a non-negative integer/);
  assert.throws(() => generateSyntheticTrace(small, { seed: 1, batch: 0 }), /batch must be an integer >= 1/);
});

test.run();
