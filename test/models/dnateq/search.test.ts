import { test } from 'uvu';
import * as assert from 'uvu/assert';
import seedrandom from 'seedrandom';
import { join } from 'node:path';
import { DEFAULT_SEARCH, exponentialRss, magnitudeRange, searchBase, searchLayer, selectBits, spreadSample, sweepTau, fitScale, type LayerSearch, type Candidate } from '../../../models/dnateq/search.ts';
import { encodeTensor, rmae } from '../../../models/dnateq/exponential.ts';
import { loadNetwork } from '../../../sim/workload.ts';
import { generateSyntheticTrace } from '../../../traces/synthetic.ts';
import { UserError } from '../../../sim/errors.ts';

const rng = seedrandom('search-test');
const expo = Float32Array.from({ length: 4000 }, () => -Math.log(1 - rng()) * (rng() < 0.5 ? -1 : 1));
const uniform = Float32Array.from({ length: 4000 }, () => rng() * 2 - 1);

test('goodness of fit: an exponential tensor has a lower RSS than a uniform one', () => {
  assert.ok(exponentialRss(expo, 64) < exponentialRss(uniform, 64) / 10);
  assert.is(exponentialRss(new Float32Array(10), 64), 0);
});

test('Algorithm 1 never ends worse than its full-scale initialisation, and more bits lower RMAE', () => {
  const range = magnitudeRange(expo, 0.01);
  let prev = Infinity;
  for (const bits of [3, 4, 5, 6, 7]) {
    const E = 2 ** (bits - 1) - 1;
    const b0 = Math.max(1.001, (range.high / range.low) ** (1 / (2 * E)));
    const init = rmae(expo, fitScale(bits, b0, range, false));
    const s = searchBase(expo, bits, range, false, DEFAULT_SEARCH);
    assert.ok(s.rmae <= init + 1e-12, `n=${bits}: ${s.rmae} > ${init}`);
    assert.ok(s.params.base > 1);
    assert.ok(s.rmae < prev, `n=${bits}`);
    prev = s.rmae;
  }
});

const cand = (bits: number, rmaeW: number, rmaeA: number, outputRelError: number) => ({ bits, rmaeW, rmaeA, outputRelError }) as unknown as Candidate;
const layer = (name: string, c: Candidate[]): LayerSearch => ({ layer: name, rssW: 0, rssA: 0, startsWith: 'weights', activationsNonNegative: true, offline: false, candidates: c });
// RMAE halves per extra bit, as for an exponential fit; output error follows RMAE.
const ladder = (k = 1) => [3, 4, 5, 6, 7].map((n) => cand(n, 0.16 * k / 2 ** (n - 3), 0.16 * k / 2 ** (n - 3), 0.2 * k / 2 ** (n - 3)));

test('bitwidth loop: the smallest n under both thresholds, 7 when none is', () => {
  const s = layer('l', ladder());
  assert.is(selectBits(s, 0.05, 0.05).bits, 5); // 0.04 ≤ 0.05
  assert.is(selectBits(s, 0.05, 0.02).bits, 6); // weights need 0.02
  assert.is(selectBits(s, 0.001, 0.001).bits, 7);
});

test('τ sweep: grows in steps while the proxy stays in budget; the first layer is 10× stricter', () => {
  const searches = [layer('first', ladder()), layer('second', ladder()), layer('third', ladder())];
  const q = sweepTau(searches, { ...DEFAULT_SEARCH, proxyBudget: 0.1 });
  // τ = 0.07: layers 2–3 at 5 bits (RMAE 0.04), the first at 7 (τ 0.007 is met by no n: fallback);
  // proxy √(0.0125² + 2·0.05²) = 0.072. τ = 0.08: layers 2–3 at 4 bits → √(0.0125² + 2·0.1²) = 0.142 > 0.1.
  assert.is(q.tauA, 0.07);
  assert.equal(q.layers.map((l) => l.chosen.bits), [7, 5, 5]);
  assert.ok(Math.abs(q.layers[0]!.tauA - 0.007) < 1e-12);
  assert.not.ok(q.overBudget);
  const strict = sweepTau(searches, { ...DEFAULT_SEARCH, proxyBudget: 0.001 });
  assert.ok(strict.overBudget);
  assert.is(strict.tauA, 0.01);
});

test('a real search on a synthetic layer: the lower-RSS tensor starts; output error falls with n', () => {
  const net = loadNetwork(join(import.meta.dirname, '../../fixtures/dnateq-small.json'));
  const trace = generateSyntheticTrace(net, { seed: 2 });
  const l = net.layers.find((x) => x.name === 'conv2')!;
  const s = searchLayer(l, trace.layers.get('conv2'), DEFAULT_SEARCH, '1');
  assert.is(s.startsWith, s.rssW <= s.rssA ? 'weights' : 'activations');
  assert.ok(s.activationsNonNegative);
  assert.ok(s.candidates[4]!.outputRelError < s.candidates[0]!.outputRelError);
  for (const c of s.candidates) {
    assert.is(c.weights.base, c.activations.base, 'base shared by the layer');
    // FP16 rounds each term, not the products: without the zero code (offline layer) every zero
    // activation's pair adds α_a b^(e_min) in term 1 and β_a in term 2, which nearly cancel
    // (lowest level ≪ |β_a|), so the rounding is relative to |β_a|·Σ|x̂_w| — up to 6e-3 of Σ|x̂_a x̂_w| here (5e-3 held with the zero code).
    assert.ok(c.stats.fp16RelDiff < 1e-2, `hardware path vs dequantized dot product at n=${c.bits}: ${c.stats.fp16RelDiff}`);
  }
});

test('terms 2 and 4 offline: the activation quantizer has no zero code and offline equals online on the trace; online keeps the zero code', () => {
  const net = loadNetwork(join(import.meta.dirname, '../../fixtures/dnateq-small.json'));
  const trace = generateSyntheticTrace(net, { seed: 2 });
  const l = net.layers.find((x) => x.name === 'conv2')!; // ReLU input, 3×3 with padding
  const acts = trace.layers.get('conv2')!.activations!.data;
  assert.ok(acts.includes(0), 'the trace has zero activations');
  const off = searchLayer(l, trace.layers.get('conv2'), DEFAULT_SEARCH, '1');
  assert.ok(off.offline);
  for (const c of off.candidates) {
    assert.is(c.activations.zeroCode, false, `n=${c.bits}`);
    assert.not.ok(encodeTensor(acts, c.activations).includes(0), `n=${c.bits}: no activation gets the zero code`);
    assert.ok(c.rmaeA === rmae(spreadSample(acts, DEFAULT_SEARCH.sampleSize), c.activations), 'RMAE measured with the quantizer that has no zero code');
    // Every pair (padding taps as lowest-level zeros) is in both sums: only FP16 spill order could differ.
    assert.ok(c.offlineRelError < 1e-3, `n=${c.bits}: ${c.offlineRelError}`);
  }
  const on = searchLayer(l, trace.layers.get('conv2'), { ...DEFAULT_SEARCH, offsetTerms: 'online' }, '1');
  assert.not.ok(on.offline);
  for (const c of on.candidates) {
    assert.is(c.activations.zeroCode, undefined);
    assert.ok(encodeTensor(acts, c.activations).includes(0));
    assert.ok(Number.isNaN(c.offlineRelError));
  }
});

test('a fixed base below or at 1 is a user error', () => {
  const net = loadNetwork(join(import.meta.dirname, '../../fixtures/dnateq-small.json'));
  const trace = generateSyntheticTrace(net, { seed: 2 });
  assert.throws(() => searchLayer(net.layers[0]!, trace.layers.get('conv1'), { ...DEFAULT_SEARCH, fixedBase: 1 }, '1'), (e: unknown) => e instanceof UserError && /base/.test((e as Error).message));
});

test.run();
