import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadArch } from '../../../sim/arch.ts';
import { makeNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import type { TensorStats, Loop } from '../../../models/eyeriss/tensor-stats.ts';
import { readBits, writeBits, movedBits } from '../../../models/common/access-ledger.ts';
import { rsLedger } from '../../../models/eyeriss/counts.ts';
import { glbReadBits, glbWriteBits, dramReadBits, dramWriteBits, nocBits } from '../../../models/eyeriss/mapping-counts.ts';
import { EyerissAccelerator } from '../../../models/eyeriss/accelerator.ts';
import { layerHardware } from '../../../models/eyeriss/tensor-widths.ts';
import { loadCostTable } from '../../../sim/costs.ts';
import { Ledger } from '../../../sim/ledger.ts';
import { Scheduler } from '../../../sim/scheduler.ts';
import { DEFAULT_COSTS } from '../../../sim/arch.ts';

// C 2, M 2, 4×4 input, 3×3 filters, no padding: P = Q = 2, 144 MACs; one pass holds it all, so
// every tensor crosses DRAM once: 36 weights, 32 inputs, 8 outputs.
const net = makeNetwork({ name: 'one-pass', layers: [{ name: 'c', kind: 'conv', C: 2, M: 2, H: 4, R: 3 }] });

test('per-tensor accesses and reuse of a hand-computed conv layer', () => {
  const r = simulate(loadArch('eyeriss-int8'), net);
  const d = r.layers[0]!.details!;
  const t = d.tensors as TensorStats;
  assert.is(r.layers[0]!.macs, 144);
  assert.equal(t.weights.dram, { reads: 36, macsPerAccess: 4 });
  assert.equal(t.inputs.dram, { reads: 32, macsPerAccess: 4.5 });
  assert.equal(t.outputs.dram, { writes: 8, macsPerAccess: 18 });
  assert.is(t.weights.glb!.fills, 36);
  assert.is(t.weights.spad!.reads, 144);
  assert.is(t.inputs.spad!.reads, 144);
  const loops = d.loopNest as Loop[];
  assert.ok(loops.some((l) => l.spatial && l.dim === 'R' && l.bound === 3), 'filter rows across PE rows');
  assert.ok(loops.some((l) => l.spatial && l.dim === 'P' && l.bound === 2), 'output rows across PE columns');
  assert.equal(loops.filter((l) => !l.spatial && l.level === 'PE').map((l) => l.dim).slice(-2), ['Q', 'S']);
  // The product of every loop's bound over one tensor's dims covers the layer: N·M·C·P·Q·R·S.
  const prod = (dims: string) => loops.filter((l) => dims.includes(l.dim)).reduce((a, l) => a * l.bound, 1);
  assert.ok(prod('NMCPQRS') >= 144);
});

test("the ledger moves the bits the mapper's closed forms estimate with (fractional widths and metadata too)", () => {
  const ctx = { costs: loadCostTable(DEFAULT_COSTS), ledger: new Ledger(), scheduler: new Scheduler(), clockMHz: 200, rng: () => 0.5 };
  const ey = new EyerissAccelerator(ctx, loadArch('eyeriss-int8').config);
  const conv = makeNetwork({ name: 'c', layers: [{ name: 'c', kind: 'conv', C: 16, M: 24, H: 14, R: 3, padding: 1 }] }).layers[0]!;
  const hw = layerHardware(ey.hw, { widths: { inputBits: 5.25, inputMetaBits: 1 / 16, outputBits: 4.5, outputMetaBits: 1 / 16 } });
  const c = ey.mapLayer(conv, hw).counts;
  const t = rsLedger(c, hw).tensors;
  const sum = (level: string, f: typeof readBits) => [t.inputs, t.weights, t.outputs].reduce((a, x) => a + (x[level] ? f(x[level]!) : 0), 0);
  assert.is(sum('glb', readBits), glbReadBits(c, hw));
  assert.is(sum('glb', writeBits), glbWriteBits(c, hw));
  assert.is(sum('dram', readBits), dramReadBits(c, hw));
  assert.is(sum('dram', writeBits), dramWriteBits(c, hw));
  const net = nocBits(c, hw);
  assert.equal([movedBits(t.weights.noc!), movedBits(t.inputs.noc!), movedBits(t.outputs.noc!)], [net.filter, net.ifmap, net.psum]);
});

test.run();
