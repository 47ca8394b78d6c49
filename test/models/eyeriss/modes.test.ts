import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { loadArch } from '../../../sim/arch.ts';
import { makeNetwork, macs, weightCount, inputCount, type LayerSpec } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { breakdownEnergyPj } from '../../../sim/ledger.ts';

const arch = loadArch('eyeriss-int8');
const near = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

const layerSpec = fc
  .record({
    kind: fc.constantFrom('conv', 'conv', 'conv', 'fc', 'depthwise', 'pool', 'add'),
    C: fc.integer({ min: 1, max: 24 }),
    M: fc.integer({ min: 1, max: 24 }),
    H: fc.integer({ min: 3, max: 20 }),
    R: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    padding: fc.integer({ min: 0, max: 2 }),
    groups: fc.constantFrom(1, 1, 2),
    N: fc.integer({ min: 1, max: 2 }),
  })
  .map((r): LayerSpec => {
    const R = Math.min(r.R, r.H);
    if (r.kind === 'fc') return { name: 'l', kind: 'fc', C: r.C * 8, M: r.M, N: r.N };
    if (r.kind === 'add') return { name: 'l', kind: 'add', C: r.C, H: r.H, N: r.N };
    if (r.kind === 'pool') return { name: 'l', kind: 'pool', C: r.C, H: r.H, R, stride: r.stride, N: r.N };
    if (r.kind === 'depthwise') return { name: 'l', kind: 'depthwise', C: r.C, H: r.H, R, stride: r.stride, padding: Math.min(r.padding, R - 1), N: r.N };
    const g = r.C % r.groups === 0 && r.M % r.groups === 0 ? r.groups : 1;
    return { name: 'l', kind: 'conv', C: r.C, M: r.M, H: r.H, R, stride: r.stride, padding: Math.min(r.padding, R - 1), groups: g, N: r.N };
  });

test('arch mode is within 2% of the reference mode in cycles, with equal access counts (25 random layers)', () => {
  fc.assert(
    fc.property(layerSpec, (spec) => {
      const net = makeNetwork({ name: 'one', bias: false, layers: [spec] });
      const a = simulate(arch, net, { mode: 'arch' }).layers[0]!;
      const r = simulate(arch, net, { mode: 'reference' }).layers[0]!;
      const rel = Math.abs(a.cycles - r.cycles) / r.cycles;
      if (rel > 0.02) throw new Error(`${JSON.stringify(spec)}: arch ${a.cycles} vs reference ${r.cycles} cycles`);
      for (const [path, byOp] of Object.entries(a.breakdown)) {
        for (const [op, t] of Object.entries(byOp)) {
          if (op === 'leakage') continue;
          const rc = r.breakdown[path]?.[op]?.count;
          if (rc !== t.count) throw new Error(`${JSON.stringify(spec)}: ${path} ${op}: arch ${t.count} vs reference ${rc}`);
        }
      }
    }),
    { seed: 20261123, numRuns: 25 },
  );
});

test('invariants on random layers: cycles ≥ MACs / PEs; every weight and input read from DRAM at least once; energy = sum of parts', () => {
  fc.assert(
    fc.property(layerSpec, (spec) => {
      // Stride 1 so that every input row is read by some output (a strided layer may skip rows).
      const net = makeNetwork({ name: 'one', bias: false, layers: [{ ...spec, stride: 1 }] });
      const rep = simulate(arch, net, { mode: 'arch' });
      const l = rep.layers[0]!;
      const layer = net.layers[0]!;
      assert.ok(l.cycles >= macs(layer) / 168);
      const dramReadBits = l.breakdown['eyeriss-int8/dram']?.read_bit?.count ?? 0;
      assert.ok(dramReadBits >= (weightCount(layer) + inputCount(layer)) * 8, `${JSON.stringify(spec)}: DRAM read ${dramReadBits} bits`);
      near(l.energyPj, breakdownEnergyPj(l.breakdown));
      const stalls = Object.values(l.stalls ?? {}).reduce((s, x) => s + x, 0);
      assert.ok(stalls <= l.cycles);
    }),
    { seed: 7, numRuns: 25 },
  );
});

test.run();
