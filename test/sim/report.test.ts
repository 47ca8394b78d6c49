import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fmt, formatRunTable, textTable, TABLE_COLUMNS, layerAttribution, layerRatios, perInputSpeedup, formatCompareAttribution, type LayerResult, type Report } from '../../sim/report.ts';
import { simulate } from '../../sim/simulate.ts';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork } from '../../sim/workload.ts';

const width = (s: string) => Math.max(...s.split('\n').map((l) => [...l].length));
const long = 'Horowitz, ISSCC 2014, 45nm, scaled by the table rules; a very long source text that goes on and on past any terminal';

test('a table wider than 120 columns cuts its widest text column with "…", never a number', () => {
  const rows = [['int_adder', 'add', 123456.789, long], ['sram', 'read', 0.000123, long.slice(0, 20)]];
  const t = textTable(['class', 'action', 'value', 'source'], rows);
  assert.ok(width(t) <= TABLE_COLUMNS, `${width(t)} columns`);
  assert.match(t, /…/);
  assert.match(t, / 123500 /);
  assert.match(t, /1\.230e-4/);
  assert.match(t, /Horowitz, ISSCC 2014/);
});

test('maxWidth Infinity (--wide) prints every cell whole; a narrow table is unchanged by the limit', () => {
  const rows = [['int_adder', 'add', 1, long]];
  assert.match(textTable(['c', 'a', 'v', 's'], rows, { maxWidth: Infinity }), new RegExp(long.slice(-30)));
  const small = textTable(['a', 'b'], [['x', 1]]);
  assert.is(small, textTable(['a', 'b'], [['x', 1]], { maxWidth: Infinity }));
});

test('a table of numbers too wide for 120 columns wraps its columns into bands, each repeating the key column', () => {
  const header = ['layer', ...Array.from({ length: 14 }, (_, i) => `Δcolumn${i} µJ`)];
  const rows = [['conv1', ...Array.from({ length: 14 }, (_, i) => -1234.5678 * (i + 1))], ['fc8', ...Array.from({ length: 14 }, () => 0.5)]];
  const t = textTable(header, rows);
  assert.ok(width(t) <= TABLE_COLUMNS, `${width(t)} columns`);
  const bands = t.split('\n\n');
  assert.is(bands.length, 2);
  for (const b of bands) assert.equal(b.split('\n').map((l) => l.split(/\s+/)[0]), ['layer', b.split('\n')[1]!.split(/\s+/)[0], 'conv1', 'fc8']);
  for (let i = 0; i < 14; i++) assert.is(t.split(`Δcolumn${i} µJ`).length, 2, `column ${i} printed once`);
  assert.match(t, / -17280\b/);
  assert.is(textTable(header, rows, { maxWidth: Infinity }).split('\n').length, 4);
});

test('the run header prints the total energy at the TOTAL row\'s precision', () => {
  const root = join(import.meta.dirname, '..', '..');
  const r = simulate(loadArch(join(root, 'test/fixtures/tiny-arch.json')), loadNetwork(join(root, 'test/fixtures/two-layer.json')), { mode: 'opcount' });
  const text = formatRunTable(r);
  const uj = fmt(r.totals.energyPj / 1e6, 4);
  assert.ok(text.split('\n')[2]!.includes(`energy ${uj} µJ`), text.split('\n')[2]);
  assert.match(text, new RegExp(`\\nTOTAL .*\\b${uj.replace('.', '\\.')}\\b`));
});

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
const report = (layers: LayerResult[], data?: Record<string, unknown>) =>
  ({ layers, totals: { cycles: layers.reduce((a, l) => a + l.cycles, 0) }, ...(data ? { summary: { data, lines: [] } } : {}) }) as unknown as Report;

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
  assert.equal(perInputSpeedup(r, { cycles: 100 } as Report['totals']), { inputs: 3, inputsPerRun: 1, min: 0.5, mean: (2 + 1 + 0.5) / 3, max: 2 });
  assert.is(perInputSpeedup(report([]), { cycles: 1 } as Report['totals']), undefined);
});

test.run();
