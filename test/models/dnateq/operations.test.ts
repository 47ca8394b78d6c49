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
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
/** Σ count of an operation over the components whose path ends with `suffix`, per dot-product layer. */
const opCount = (r: Report, suffix: string, op: string) => dot(r).map((l) => Object.entries(l.breakdown).reduce((s, [path, ops]) => s + (path.endsWith(suffix) ? (ops[op]?.count ?? 0) : 0), 0));

test('zero handling is symmetric: dense by default on DNA-TEQ, its INT8 operations baseline and eyeriss-int8; skipZeroActivations changes all three counts identically', () => {
  const skip = { '/datapath/skipZeroActivations': true };
  const int8 = loadArch('eyeriss-int8');
  const run = (a: typeof arch) => simulate(a, net, { mode: 'opcount', trace });
  const [dense, skipped, eyeDense, eyeSkipped] = [run(arch), run(dnateqVariant(arch, skip)), run(int8), run(dnateqVariant(int8, skip))];
  // One INT8 MAC's energy: the operations baseline's MAC energy of a dense layer over its MACs.
  const l0 = dot(dense)[0]!;
  const int8MacPj = (l0.details as { views: { operations: Ops } }).views.operations.int8ByPartPj.mac / l0.macs;
  const opsMacs = (r: Report) => dot(r).map((l) => (l.details as { views: { operations: Ops } }).views.operations.int8ByPartPj.mac / int8MacPj);
  const designs = {
    dense: { dnateq: opCount(dense, '/counting/ac1', 'add'), ops: opsMacs(dense), eyeriss: opCount(eyeDense, '', 'mac') },
    skip: { dnateq: opCount(skipped, '/counting/ac1', 'add'), ops: opsMacs(skipped), eyeriss: opCount(eyeSkipped, '', 'mac') },
  };
  dot(dense).forEach((l, i) => {
    for (const d of ['dnateq', 'ops', 'eyeriss'] as const) {
      assert.ok(near(designs.dense[d][i]!, l.macs), `${l.name} ${d}: dense processes every pair`);
      assert.ok(near(designs.skip[d][i]!, designs.skip.dnateq[i]!), `${l.name} ${d}: skipping, the same pairs as DNA-TEQ`);
    }
    // ReLU inputs (conv2, fc) have exact zeros and conv1's padding taps read zeros: skipping removes pairs everywhere.
    assert.ok(designs.skip.dnateq[i]! < l.macs, l.name);
  });
});

test('terms 2 and 4: offline by default on non-negative layers, online on signed ones; the offline error is reported', () => {
  const r = simulate(arch, net, { mode: 'opcount', trace });
  const d = dot(r).map((l) => l.details as { offsetTerms: string; offlineRelError: number | null; activeBanks: { ac2: number }; activations: { zeroCode: boolean } });
  assert.equal(d.map((x) => x.offsetTerms), ['online', 'offline', 'offline']);
  assert.equal(d.map((x) => x.activations.zeroCode), [true, false, false]);
  assert.is(d[0]!.offlineRelError, null);
  for (const x of d.slice(1)) {
    // No zero code on an offline layer's activations: the precomputed terms cover exactly the pairs walked.
    assert.ok(typeof x.offlineRelError === 'number' && x.offlineRelError >= 0 && x.offlineRelError < 1e-3, String(x.offlineRelError));
    assert.is(x.activeBanks.ac2, 0, 'AC2 gated when term 2 is offline');
  }
  const online = simulate(dnateqVariant(arch, { '/dnateq/offsetTerms': 'online' }), net, { mode: 'opcount', trace });
  assert.ok(dot(online).every((l) => (l.details as { offsetTerms: string }).offsetTerms === 'online'));
  assert.ok(dot(online).every((l) => (l.details as { activations: { zeroCode: boolean } }).activations.zeroCode), 'online keeps the zero code');
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
