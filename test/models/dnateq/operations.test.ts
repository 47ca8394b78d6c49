import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch } from '../../../sim/arch.ts';
import { loadNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { UserError } from '../../../sim/errors.ts';
import type { Report } from '../../../sim/report.ts';
import { generateSyntheticTrace } from '../../../traces/synthetic.ts';
import { dnateqVariant } from '../../../models/dnateq/validation.ts';
import { applySchemeParameters } from '../../../sim/cli/common.ts';

const net = loadNetwork(join(import.meta.dirname, '../../fixtures/dnateq-small.json'));
const trace = generateSyntheticTrace(net, { seed: 5 });
const arch = loadArch('dnateq');
const userError = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof UserError && pattern.test((e as Error).message), String(pattern));

type Ops = { energyPj: number; int8EnergyPj: number; int8ByPartPj: { mac: number } };
const dot = (r: Report) => r.layers.filter((l) => l.macs > 0);
/** Counts per layer: DNA-TEQ's counting steps (AC1 updates) and the INT8 baseline's MACs (energy ÷ one MAC's). */
function counts(r: Report, int8MacPj: number) {
  return dot(r).map((l) => {
    const ac1 = Object.entries(l.breakdown).find(([path]) => path.endsWith('/counting/ac1'))![1];
    const ops = (l.details as { views: { operations: Ops } }).views.operations;
    return { macs: l.macs, dnateq: ac1.add!.count, int8: Math.round(ops.int8ByPartPj.mac / int8MacPj) };
  });
}

test('zero handling is symmetric: dense by default on both designs; skipZeroActivations changes both counts identically', () => {
  const skip = { '/datapath/skipZeroActivations': true };
  const dense = simulate(arch, net, { mode: 'opcount', trace });
  const skipped = simulate(dnateqVariant(arch, skip), net, { mode: 'opcount', trace });
  // One INT8 MAC's energy, from the dense run's first layer (every MAC processed there).
  const l0 = dot(dense)[0]!;
  const int8MacPj = (l0.details as { views: { operations: Ops } }).views.operations.int8ByPartPj.mac / l0.macs;
  const d = counts(dense, int8MacPj);
  const s = counts(skipped, int8MacPj);
  for (const [i, c] of d.entries()) {
    assert.is(c.dnateq, c.macs, 'dense DNA-TEQ processes every pair');
    assert.is(c.int8, c.macs, 'dense INT8 processes every pair');
    assert.is(s[i]!.dnateq, s[i]!.int8, 'with skipping both process the same pairs');
    assert.is(c.dnateq - s[i]!.dnateq, c.int8 - s[i]!.int8);
  }
  // ReLU inputs (conv2, fc) have exact zeros and conv1's padding taps are zeros: skipping removes pairs everywhere.
  assert.ok(s.every((c, i) => c.dnateq < d[i]!.dnateq));
});

test('terms 2 and 4: offline by default on non-negative layers, online on signed ones; the offline error is reported', () => {
  const r = simulate(arch, net, { mode: 'opcount', trace });
  const d = dot(r).map((l) => l.details as { offsetTerms: string; offlineRelError: number | null; activeBanks: { ac2: number } });
  assert.equal(d.map((x) => x.offsetTerms), ['online', 'offline', 'offline']);
  assert.is(d[0]!.offlineRelError, null);
  for (const x of d.slice(1)) {
    assert.ok(typeof x.offlineRelError === 'number' && x.offlineRelError >= 0);
    assert.is(x.activeBanks.ac2, 0, 'AC2 gated when term 2 is offline');
  }
  const online = simulate(dnateqVariant(arch, { '/dnateq/offsetTerms': 'online' }), net, { mode: 'opcount', trace });
  assert.ok(dot(online).every((l) => (l.details as { offsetTerms: string }).offsetTerms === 'online'));
  const summary = r.summary!.data as { views: { operations: { energySavingVsInt8: number } }; compressionExponentBits: number; compressionStoredBits: number };
  assert.ok(Number.isFinite(summary.views.operations.energySavingVsInt8));
  assert.ok(summary.compressionExponentBits > summary.compressionStoredBits, 'the sign bit costs storage');
});

test('bad input: offsetTerms "offline" on a layer with negative activations names the layer and suggests online', () => {
  userError(() => simulate(dnateqVariant(arch, { '/dnateq/offsetTerms': 'offline' }), net, { mode: 'opcount', trace }), /layer "conv1".*offsetTerms "offline".*negative.*use "online"/);
});

const rejects = async (p: Promise<unknown>, pattern: RegExp) => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof UserError && pattern.test(e.message), `${String(e)} !~ ${pattern}`);
};

test('bad input: --tau-a outside (0, 1), and on a scheme without it; inside it is labelled given', async () => {
  await rejects(applySchemeParameters(arch, { 'tau-a': 1 }, true), /--tau-a must be a number in \(0, 1\), got 1/);
  await rejects(applySchemeParameters(arch, { 'tau-a': 0 }, true), /--tau-a/);
  await rejects(applySchemeParameters(loadArch('eyeriss-int8'), { 'tau-a': 0.04 }, true), /applies to scheme "dnateq"/);
  const given = simulate(await applySchemeParameters(arch, { 'tau-a': 0.04 }, true), net, { mode: 'opcount', trace });
  assert.equal((given.summary!.data as { tauA: { value: number; given: boolean } }).tauA, { ...(given.summary!.data as { tauA: object }).tauA, value: 0.04, given: true });
});

test.run();
