import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch, archFromConfig } from '../../../sim/arch.ts';
import { loadNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { breakdownEnergyPj } from '../../../sim/ledger.ts';
import { validateAgainst } from '../../../sim/config.ts';
import { UserError } from '../../../sim/errors.ts';
import type { Trace, LayerTrace } from '../../../sim/trace.ts';
import { generateSyntheticTrace } from '../../../traces/synthetic.ts';

const net = loadNetwork(join(import.meta.dirname, '../../fixtures/dnateq-small.json'));
const trace = generateSyntheticTrace(net, { seed: 5 });
const arch = loadArch('dnateq');
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
const userError = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof UserError && pattern.test((e as Error).message), String(pattern));
const withLayer = (name: string, f: (l: LayerTrace) => LayerTrace): Trace => ({ ...trace, layers: new Map([...trace.layers].map(([k, v]) => [k, k === name ? f(v) : v])) });
const forced = (dnateq: Record<string, unknown>) => archFromConfig({ ...arch.config, dnateq: { ...(arch.config.dnateq as object), ...dnateq } });

test('both modes run; totals are sums of layers and parts; details carry n, b, α, β and active banks', () => {
  for (const mode of ['opcount', 'arch'] as const) {
    const r = simulate(arch, net, { mode, trace });
    near(r.totals.energyPj, r.layers.reduce((s, l) => s + l.energyPj, 0));
    for (const l of r.layers) near(l.energyPj, breakdownEnergyPj(l.breakdown));
    for (const l of r.layers.filter((x) => x.macs > 0)) {
      const d = l.details as { bits: number; base: number; activeBanks: { ac1: number; ac2: number; ac3: number }; offsetTermsOnline: boolean };
      assert.ok(d.bits >= 3 && d.bits <= 7);
      assert.ok(d.base > 1);
      assert.is(d.activeBanks.ac1, 2 ** (d.bits - 3));
      assert.is(d.activeBanks.ac3, 2 ** (d.bits - 3));
      assert.is(d.activeBanks.ac2, d.offsetTermsOnline ? 2 ** (d.bits - 3) : 0);
    }
  }
});

test('arch mode: the pipeline takes at least its slowest stage; occupancy ≤ 1 and the bottleneck is the busiest', () => {
  const r = simulate(arch, net, { mode: 'arch', trace });
  for (const l of r.layers.filter((x) => x.macs > 0)) {
    const d = l.details as { stageCycles: Record<string, number>; occupancy: Record<string, number>; bottleneck: string };
    const slowest = Math.max(...Object.values(d.stageCycles));
    assert.ok(l.cycles >= slowest, `${l.name}: ${l.cycles} < ${slowest}`);
    for (const o of Object.values(d.occupancy)) assert.ok(o >= 0 && o <= 1);
    assert.is(d.stageCycles[d.bottleneck], slowest);
  }
});

test('same trace and seed give byte-identical JSON', () => {
  const a = JSON.stringify(simulate(arch, net, { mode: 'arch', trace, seed: 3 }));
  const b = JSON.stringify(simulate(arch, net, { mode: 'arch', trace, seed: 3 }));
  assert.is(a, b);
});

test('fewer bits store less: forcing 3 bits costs less DRAM energy than forcing 7', () => {
  const e = (bits: number) => simulate(forced({ bits }), net, { mode: 'opcount', trace }).energyByPartPj.dram!;
  assert.ok(e(3) < e(7));
  const r3 = simulate(forced({ bits: 3 }), net, { mode: 'opcount', trace });
  for (const l of r3.layers.filter((x) => x.macs > 0)) assert.is((l.details as { bits: number }).bits, 3);
});

test('more units: fewer cycles (equal-area / equal-throughput comparisons scale the array)', () => {
  const c = (units: number) => simulate(forced({ units }), net, { mode: 'arch', trace }).totals.cycles;
  assert.ok(c(4) > c(64));
});

test('bad input: no trace, shape mismatch, NaN, a layer the network lacks → user errors', () => {
  userError(() => simulate(arch, net, { mode: 'arch' }), /trace/);
  userError(() => simulate(arch, net, { mode: 'arch', trace: withLayer('conv2', (l) => ({ ...l, weights: { ...l.weights!, shape: [16, 8, 3, 3] } })) }), /conv2.*weights: shape \[16, 8, 3, 3\] does not match/);
  const nan = Float32Array.from(trace.layers.get('fc')!.activations!.data);
  nan[3] = NaN;
  userError(() => simulate(arch, net, { mode: 'arch', trace: withLayer('fc', (l) => ({ ...l, activations: { ...l.activations!, data: nan } })) }), /fc.*activations: NaN at element/);
  const extra: Trace = { ...trace, layers: new Map([...trace.layers, ['conv9', trace.layers.get('conv1')!]]) };
  userError(() => simulate(arch, net, { mode: 'arch', trace: extra }), /conv9.*mismatch/);
  const missing: Trace = { ...trace, layers: new Map([...trace.layers].filter(([k]) => k !== 'fc')) };
  userError(() => simulate(arch, net, { mode: 'arch', trace: missing }), /fc.*no entry/);
});

test('bad config: n outside 3…7 and base ≤ 1 are rejected with the JSON path', () => {
  userError(() => validateAgainst('arch', { ...arch.config, dnateq: { bits: 8 } }, 'x.json'), /\/dnateq\/bits.*3\.\.7/);
  userError(() => validateAgainst('arch', { ...arch.config, dnateq: { bits: 2 } }, 'x.json'), /\/dnateq\/bits/);
  userError(() => validateAgainst('arch', { ...arch.config, dnateq: { base: 1 } }, 'x.json'), /\/dnateq\/base.*> 1/);
  // Library users who skip the schema get the same check.
  userError(() => simulate(forced({ bits: 9 }), net, { mode: 'opcount', trace }), /bitwidth must be an integer in 3\.\.7/);
  userError(() => simulate(forced({ base: 0.9 }), net, { mode: 'opcount', trace }), /base must be/);
});

test.run();
