import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { archFromConfig, loadArch, type ArchConfig } from '../../../sim/arch.ts';
import { simulate } from '../../../sim/simulate.ts';
import { makeNetwork } from '../../../sim/workload.ts';
import { UserError } from '../../../sim/errors.ts';
import { generateSyntheticTrace } from '../../../traces/synthetic.ts';
import { gemmView } from '../../../models/systolic/gemm-view.ts';
import { foldSchedule } from '../../../models/systolic/fold-schedule.ts';
import { prefetchTimeline } from '../../../models/systolic/prefetch-timeline.ts';
import { SystolicAccelerator } from '../../../models/systolic/accelerator.ts';
import { loadCostTable } from '../../../sim/costs.ts';
import { Ledger } from '../../../sim/ledger.ts';
import { Scheduler } from '../../../sim/scheduler.ts';
import { DEFAULT_COSTS } from '../../../sim/arch.ts';

const base = loadArch('systolic-int8').config;
const withSystolic = (c: ArchConfig, over: Record<string, unknown>, rest: Partial<ArchConfig> = {}): ArchConfig => ({ ...c, ...rest, systolic: { ...(c.systolic as object), ...over } }) as ArchConfig;
const small: ArchConfig = withSystolic(base, { memoryStalls: false }, { array: { rows: 4, cols: 4 } });
const net = makeNetwork({ name: 'g', layers: [{ name: 'gemm', kind: 'fc', P: 6, C: 5, M: 3 }] });

test('with stalls off, a layer takes SCALE-Sim compute cycles and its SRAM accesses are charged as counted', () => {
  for (const dataflow of ['ws', 'os', 'is']) {
    const arch = withSystolic(small, { dataflow });
    const r = simulate(archFromConfig(arch), net, { mode: 'arch' });
    const s = foldSchedule(gemmView(net.layers[0]!), dataflow as 'ws', { rows: 4, cols: 4 });
    assert.is(r.totals.cycles, s.computeCycles, dataflow);
    const b = r.layers[0]!.breakdown;
    const root = arch.name;
    assert.is(b[`${root}/ifmap_sram`]!.read!.count, s.sram.ifmapReads, dataflow);
    assert.is(b[`${root}/filter_sram`]!.read!.count, s.sram.filterReads, dataflow);
    assert.is(b[`${root}/array/pe/mac`]!.mac!.count, 90, dataflow);
    // Energy is the sum of the breakdown, and DRAM moved at least every tensor once.
    assert.ok(b[`${root}/dram`]!.read_bit!.count >= (5 * 3 + 6 * 5) * 8);
  }
});

test('with stalls on, the folds wait for a DRAM too slow to prefetch them', () => {
  const arch = withSystolic(small, { memoryStalls: true }, { dram: { bytesPerCycle: 0.01 } });
  const r = simulate(archFromConfig(arch), net, { mode: 'arch' });
  assert.ok(r.totals.cycles > 31);
  assert.ok((r.layers[0]!.stalls!.dram ?? 0) > 0);
});

test('prefetch timeline: the first fold waits for its load, later loads hide under compute', () => {
  assert.equal(prefetchTimeline({ compute: [10, 10, 10], fetch: [5, 5, 5], drain: [0, 0, 0] }), { cycles: 35, stallCycles: 5 });
  // A prefetch longer than the fold before it stalls the next fold by the difference.
  assert.equal(prefetchTimeline({ compute: [10, 10], fetch: [4, 16], drain: [0, 3] }), { cycles: 4 + 16 + 10 + 3, stallCycles: 13 });
});

test('an SRAM too small for one fold is refused with the JSON path', () => {
  const arch = withSystolic(base, { dataflow: 'ws', filterSramKib: 0.25 });
  try {
    simulate({ ...archFromConfig(arch), file: 'tiny.json' }, net, { mode: 'arch' });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, /systolic\/filterSramKib.*too small for one ws fold on a 16×16 array/);
  }
});

test('INT4 operands pack: half the SRAM energy per access of INT8', () => {
  const int4 = { ...small, datapath: { ...small.datapath, weightBits: 4, activationBits: 4 } };
  const e = (c: ArchConfig) => simulate(archFromConfig(c), net, { mode: 'arch' }).layers[0]!.breakdown[`${c.name}/ifmap_sram`]!.read!;
  // The CACTI entries are kept to 4 significant digits (the 4-bit one is the 8-bit one × 4/8, rounded).
  assert.ok(Math.abs(e(int4).energyPj / e(small).energyPj - 0.5) < 5e-4, String(e(int4).energyPj / e(small).energyPj));
});

test('a systolic DRQ layer whose regions are all insensitive runs at the low-precision speed', () => {
  const drq = loadArch('systolic-drq').config;
  const conv = makeNetwork({ name: 'c', layers: [{ name: 'c', kind: 'conv', C: 4, M: 8, H: 8, R: 3, padding: 1 }] });
  const trace = generateSyntheticTrace(conv, { seed: 3 });
  const run = (threshold: number) => {
    const arch = withSystolic({ ...drq, drq: { ...(drq.drq as object), thresholdMode: 'absolute', threshold } } as ArchConfig, { memoryStalls: false });
    return simulate(archFromConfig(arch), conv, { mode: 'arch', trace });
  };
  const low = run(1e9);
  const s = foldSchedule(gemmView(conv.layers[0]!), 'ws', { rows: 16, cols: 16 });
  // 4×4 MACs take 1 multiplier-cycle, a PE has 4 multipliers: the 64 streamed pixels take 16 cycles.
  assert.is(low.layers[0]!.details!.sensitiveFraction, 0);
  assert.is(low.totals.cycles, s.folds * (s.skewCycles + Math.ceil(s.map.T / 4)) - 1);
  // Threshold 0: every region sensitive, 8×8 MACs at 4 multiplier-cycles over 4 multipliers, the
  // nominal speed — except on padding zeros, which lie in no region (low precision).
  const high = run(0);
  assert.is(high.layers[0]!.details!.sensitiveFraction, 1);
  assert.ok(high.totals.cycles > low.totals.cycles && high.totals.cycles <= s.computeCycles);
  assert.is(foldSchedule(gemmView(conv.layers[0]!), 'ws', { rows: 16, cols: 16 }).folds, 3);
});

test('every shipped systolic config runs AlexNet-sized layers in arch and op-count mode', () => {
  const conv = makeNetwork({ name: 'c', layers: [{ name: 'c', kind: 'conv', C: 16, M: 32, H: 13, R: 3, padding: 1 }, { name: 'p', kind: 'pool', C: 32, H: 13, R: 2, stride: 2 }] });
  const trace = generateSyntheticTrace(conv, { seed: 1 });
  for (const name of ['systolic-int8', 'systolic-fp16', 'systolic-lightnn1', 'systolic-lightnn2', 'systolic-drq', 'systolic-geng', 'systolic-settle']) {
    for (const mode of ['arch', 'opcount'] as const) {
      const r = simulate(loadArch(name), conv, { mode, trace });
      assert.ok(r.totals.cycles > 0 && r.totals.energyPj > 0 && r.totals.areaUm2 > 0, `${name} ${mode}`);
    }
  }
});

test('zero gating (datapath.skipZeroActivations, as on the Eyeriss-derived designs): MACs and weight reads on zero inputs skipped, cycles unchanged, trace required', () => {
  const conv = makeNetwork({ name: 'c', layers: [{ name: 'c', kind: 'conv', C: 4, M: 8, H: 8, R: 3, padding: 1 }] });
  const trace = generateSyntheticTrace(conv, { seed: 3 });
  const gated = { ...small, datapath: { ...small.datapath, skipZeroActivations: true } } as ArchConfig;
  const on = simulate(archFromConfig(gated), conv, { mode: 'arch', trace });
  const off = simulate(archFromConfig(small), conv, { mode: 'arch', trace });
  const f = on.layers[0]!.details!.zeroActivationFraction as number;
  assert.ok(f > 0 && f < 1, String(f));
  const mac = (r: typeof on) => r.layers[0]!.breakdown[`${small.name}/array/pe/mac`]!.mac!.count;
  assert.ok(Math.abs(mac(on) - mac(off) * (1 - f)) < 1e-6);
  assert.is(on.totals.cycles, off.totals.cycles);
  assert.throws(() => simulate(archFromConfig(gated), conv, { mode: 'arch' }), /skipZeroActivations needs the layer's input activations/);
});

test('the per-tensor widths hook (shared with the Eyeriss-like array) sets DRAM bits and packs SRAM accesses', () => {
  const run = (profile?: Parameters<SystolicAccelerator['runLayer']>[3]) => {
    const ledger = new Ledger();
    const acc = new SystolicAccelerator({ costs: loadCostTable(DEFAULT_COSTS), ledger, scheduler: new Scheduler(), clockMHz: 200, rng: () => 0.5 }, withSystolic(small, { dataflow: 'ws' }));
    const r = acc.runLayer(net.layers[0]!, 'arch', undefined, profile);
    const snap = ledger.snapshot();
    return { r, dram: snap['systolic-int8/dram']!.read_bit!.count, ifmapReads: snap['systolic-int8/ifmap_sram']!.read!.count };
  };
  const base = run();
  const narrow = run({ widths: { inputBits: 4, inputMetaBits: 1 / 16 } });
  // 30 inputs (6 pixels × window 5) fetched once: 8 → 4 + 1/16 bits each; 15 weights stay 8-bit.
  assert.is(base.dram, 30 * 8 + 15 * 8);
  assert.is(narrow.dram, 30 * (4 + 1 / 16) + 15 * 8);
  // The mask bits are stored and read with the values in the ifmap SRAM (as in the Eyeriss-like GLB and NoC).
  assert.is(narrow.ifmapReads, (base.ifmapReads * (4 + 1 / 16)) / 8);
  assert.is(narrow.r.cycles, base.r.cycles);
  // At 2 cycles per MAC each of the 6 pixels streams for 2 cycles; the skew (2·4 + 4 − 2) is unchanged.
  assert.is(run({ cyclesPerMac: 2 }).r.cycles, 2 * (10 + 12) - 1);
});

test.run();
