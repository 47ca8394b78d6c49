import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tauLoop, sweepTau, calibrateProxyBudget } from '../../../models/dnateq/tau-sweep.ts';
import { DEFAULT_SEARCH, type Candidate, type LayerSearch } from '../../../models/dnateq/search.ts';

test('τ loop: starts at 1%, rises in 1% steps, stops at the first step whose loss exceeds the budget', () => {
  const losses: number[] = [];
  const r = tauLoop(0.01, 0.01, 0.5, 0.1, (tau) => {
    losses.push(tau);
    return tau * 2; // within 0.1 up to τ 0.05; 0.06 gives 0.12
  });
  assert.is(r.tau, 0.05);
  assert.equal(r.tried, [0.01, 0.02, 0.03, 0.04, 0.05, 0.06]);
  assert.equal(losses, r.tried, 'no step after the first one over budget is evaluated');
  // A loss that comes back under budget later does not matter: the loop has stopped.
  const dip = tauLoop(0.01, 0.01, 0.5, 0.1, (tau) => (tau === 0.03 ? 1 : 0));
  assert.is(dip.tau, 0.02);
  assert.equal(dip.tried, [0.01, 0.02, 0.03]);
  const over = tauLoop(0.01, 0.01, 0.5, 0.1, () => 1);
  assert.ok(over.overBudget);
  assert.is(over.tau, 0.01);
  assert.is(tauLoop(0.01, 0.01, 0.04, 1, () => 0).tau, 0.04, 'tauMax ends the loop');
});

const cand = (bits: number, rmae: number) => ({ bits, rmaeW: rmae, rmaeA: rmae, outputRelError: rmae, outputRelErrorOffline: 2 * rmae, offlineRelError: rmae }) as unknown as Candidate;
const layer = (name: string): LayerSearch => ({ layer: name, rssW: 0, rssA: 0, startsWith: 'weights', activationsNonNegative: true, offline: false, candidates: [3, 4, 5, 6, 7].map((n) => cand(n, 0.16 / 2 ** (n - 3))) });

test('τ sweep with a stubbed end-to-end proxy stops where the stub first exceeds the budget; τ_a given skips the sweep', () => {
  const searches = [layer('a'), layer('b')];
  // Stub: loss = the second layer's τ_a (the first has the 10× stricter threshold).
  const q = sweepTau(searches, { ...DEFAULT_SEARCH, proxyBudget: 0.035 }, (ls) => ls[1]!.tauA);
  assert.is(q.tauA, 0.03);
  assert.not.ok(q.tauAGiven);
  assert.is(q.tried[q.tried.length - 1], 0.04);
  const given = sweepTau(searches, { ...DEFAULT_SEARCH, tauA: 0.04 });
  assert.ok(given.tauAGiven);
  assert.is(given.tauA, 0.04);
  assert.equal(given.tried, [0.04]);
  assert.is(given.layers[1]!.chosen.bits, 5); // RMAE 0.04 ≤ 0.04
});

test('τ sweep: a layer evaluated with offline terms is measured with its offline error', () => {
  const searches = [layer('a'), layer('b')];
  const exact = sweepTau(searches, { ...DEFAULT_SEARCH, tauA: 0.04 }, undefined, [false, false]);
  const offline = sweepTau(searches, { ...DEFAULT_SEARCH, tauA: 0.04 }, undefined, [false, true]);
  assert.ok(Math.abs(offline.proxy ** 2 - exact.proxy ** 2 - 3 * 0.04 ** 2) < 1e-12, 'layer b counts 2 × 0.04 instead of 0.04');
});

test('calibration: the per-layer proxy at the τ_a where the end-to-end loop stops is the budget', () => {
  const searches = [layer('a'), layer('b')];
  const cal = calibrateProxyBudget(searches, DEFAULT_SEARCH, (ls) => (ls[1]!.chosen.bits < 5 ? 0.02 : 0), 0.01);
  // b reaches 4 bits (RMAE 0.08) at τ_a 0.08: the loop stops there and keeps 0.07 (5 bits).
  assert.is(cal.tauA, 0.07);
  const at = cal.steps.find((s) => s.tau === 0.07)!;
  assert.is(cal.proxyBudget, at.layerProxy);
  assert.ok(cal.steps.some((s) => s.tau === 0.08 && s.endToEndLoss === 0.02));
});

test.run();
