import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layerAttribution, layerRatios, perInputSpeedup, formatCompareAttribution, type LayerResult, type Report } from '../../sim/report.ts';

const layer = (name: string, cycles: number, stalls: Record<string, number>, pj: Record<string, number>): LayerResult => ({
  name,
  kind: 'conv',
  cycles,
  macs: 100,
  utilization: 0,
  energyPj: Object.values(pj).reduce((a, b) => a + b, 0),
  stalls,
  breakdown: Object.fromEntries(Object.entries(pj).map(([part, e]) => [`chip/${part}`, { op: { count: 1, energyPj: e } }])),
});
const report = (layers: LayerResult[], details?: Record<string, unknown>) =>
  ({ layers, totals: { cycles: layers.reduce((a, l) => a + l.cycles, 0) }, ...(details ? { details } : {}) }) as unknown as Report;

test('attribution by hand: Δcycles as compute and stall causes, Δenergy by part (scheme − baseline)', () => {
  const base = layer('c', 1000, { noc: 300, dram: 100 }, { dram: 50, array: 20 });
  const drq = layer('c', 500, { noc: 250, dram: 0, glb: 10 }, { dram: 45, array: 30, detector: 1 });
  const a = layerAttribution(drq, base);
  // compute: (500 − 260) − (1000 − 400) = −360.
  assert.equal(a.cycles, { total: -500, compute: -360, nocStall: -50, dramStall: -100, glbStall: 10 });
  assert.equal(a.energyPj, { dram: -5, array: 10, detector: 1 });
  // The parts add up to the totals.
  assert.is(a.cycles.compute + a.cycles.nocStall + a.cycles.dramStall + a.cycles.glbStall, a.cycles.total);
  const r = layerRatios(report([drq]), report([base]))[0]!;
  assert.is(r.speedup, 2);
  assert.equal(r.attribution, a);
  assert.match(formatCompareAttribution([{ scheme: 'base', report: report([base]) }, { scheme: 'drq', report: report([drq]) }], 'base'), /where drq differs from base/);
});

test('per-input speedup against an input-independent baseline', () => {
  const r = report([layer('c', 10, {}, {})], { perInput: { perInputCycles: [50, 100, 200] } });
  assert.equal(perInputSpeedup(r, { cycles: 100 } as Report['totals']), { inputs: 3, min: 0.5, mean: (2 + 1 + 0.5) / 3, max: 2 });
  assert.is(perInputSpeedup(report([]), { cycles: 1 } as Report['totals']), undefined);
});

test.run();
