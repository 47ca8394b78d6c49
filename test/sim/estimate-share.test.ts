import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork, makeNetwork, type LayerSpec } from '../../sim/workload.ts';
import { simulate } from '../../sim/simulate.ts';
import { CostTable, type CostTableSpec } from '../../sim/costs.ts';
import { generateSyntheticTrace } from '../../traces/synthetic.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const tiny = loadArch(join(fixtures, 'tiny-arch.json'));
const twoLayer = loadNetwork(join(fixtures, 'two-layer.json'));
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);
const spec = JSON.parse(readFileSync(join(fixtures, 'tiny-costs.json'), 'utf8')) as CostTableSpec;

/** tiny-costs.json with these classes' points relabelled `published`. */
function labelled(published: string[]): CostTable {
  const s = structuredClone(spec);
  for (const c of published) for (const p of s.classes[c]!.points) p.method = 'published';
  return new CostTable(s, 'tiny-costs.json (relabelled)', 'test');
}

// Hand-computed op-count energy of the tiny arch on two-layer (test/sim/simulate.test.ts): DRAM 368 pJ,
// multiplies 32, adds 16, SRAM 22, wires 3.68, leakage (SRAM, estimate) 0.525.
const total = 368 + 32 + 16 + 22 + 3.68 + 0.525;

test('the estimate share is the energy of estimate entries over the total (hand-computed)', () => {
  const all = simulate(tiny, twoLayer, { mode: 'opcount', costs: labelled([]) });
  near(all.totals.energyPj, total);
  near(all.estimateShare, 1);
  near(simulate(tiny, twoLayer, { mode: 'opcount', costs: labelled(['dram_lpddr4']) }).estimateShare, (total - 368) / total);
  near(simulate(tiny, twoLayer, { mode: 'opcount', costs: labelled(['dram_lpddr4', 'int_multiplier', 'int_adder']) }).estimateShare, (22 + 3.68 + 0.525) / total);
  // SRAM published: its access energy and its leakage leave the estimate share.
  near(simulate(tiny, twoLayer, { mode: 'opcount', costs: labelled(['sram', 'dram_lpddr4']) }).estimateShare, (32 + 16 + 3.68) / total);
});

test('the event-replay mode splits the same way, and the relabelling changes no energy', () => {
  const a = simulate(tiny, twoLayer, { costs: labelled([]) });
  const b = simulate(tiny, twoLayer, { costs: labelled(['dram_lpddr4']) });
  assert.is(a.totals.energyPj, b.totals.energyPj);
  near(b.estimateShare, 1 - (b.energyByPartPj.dram ?? 0) / b.totals.energyPj);
});

test('actions a model registers while running (DRQ per-precision MACs) are priced by the probe too: an all-estimate table gives exactly 1', () => {
  const drq = loadArch(join(fixtures, 'drq-arch.json'));
  const net = makeNetwork({ name: 'one-conv', layers: [{ name: 'c', kind: 'conv', C: 2, M: 2, H: 8, W: 8, R: 3, pad: 1 } as LayerSpec] });
  const r = simulate(drq, net, { trace: generateSyntheticTrace(net, { seed: 1, batch: 1 }) });
  assert.ok(Object.values(r.layers[0]!.breakdown).some((ops) => Object.keys(ops).some((op) => /^mac_\d+x\d+$/.test(op))), 'DRQ charged per-precision MACs');
  near(r.estimateShare, 1);
});

test('reports name the DRAM technology; the default is lpddr4', () => {
  const r = simulate(tiny, twoLayer, { mode: 'opcount' });
  assert.is(r.dramTechnology, 'lpddr4');
});

test.run();
