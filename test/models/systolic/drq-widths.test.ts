// DRQ on the systolic array stores and moves every tensor at its real width, by the rules DRQ on the
// Eyeriss-like array uses (models/drq/layer-widths.ts), hand-computed on a 1×1 conv of a 4×8 map.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { archFromConfig, loadArch, type ArchConfig } from '../../../sim/arch.ts';
import { makeNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { twoRegionMap, conv1x1, handTrace } from '../../fixtures/drq-hand-trace.ts';
import type { LayerResult } from '../../../sim/report.ts';
import type { TensorStats } from '../../../models/common/access-ledger.ts';

const base = loadArch('systolic-drq').config;
const archWith = (drq: Record<string, unknown>, memoryStalls = false): ArchConfig =>
  ({
    ...base,
    array: { rows: 4, cols: 4 },
    systolic: { ...(base.systolic as object), memoryStalls },
    drq: { ...(base.drq as object), filterSize: 1, multipliersPerPe: 1, regionPadding: 'partial', ...drq },
  }) as ArchConfig;
// Two 4×4 regions per 4×8 map (regionSize 4): the left one large (sensitive above threshold 0.5), or
// the right one; the other at 0.01 (sensitive at threshold 0).
const left = twoRegionMap('left', 0.01);
const right = twoRegionMap('right', 0.01);
const traceOf = handTrace;
const conv = conv1x1;
const one = makeNetwork({ name: 'one', layers: [conv('c')] });
const count = (l: LayerResult, part: string, op: string) => l.breakdown[`systolic-drq/${part}`]?.[op]?.count ?? 0;
const absolute = (threshold: number) => archWith({ thresholdMode: 'absolute', threshold });

// The GEMM: 32 pixels × window 1 × 1 filter; ws on 4×4: one fold of skew 2·4 + 4 − 2 = 10 and
// 32 streamed pixels, one row used; 8×8 MACs take 4 multiplier-cycles, 4×4 ones 1, one multiplier.
test('all regions insensitive: low-precision speed and low-precision bits at every level', () => {
  const l = simulate(archFromConfig(absolute(1e9)), one, { mode: 'arch', trace: traceOf('one', { c: left }) }).layers[0]!;
  assert.is(l.details!.sensitiveFraction, 0);
  assert.is(l.cycles, 10 + 32 * 1 - 1);
  // DRAM: 32 inputs × 4 b + 2 mask bits, the 8-bit weight; 32 outputs × 8 b (no DRQ layer reads them).
  assert.is(count(l, 'dram', 'read_bit'), 32 * 4 + 2 + 8);
  assert.is(count(l, 'dram', 'write_bit'), 32 * 8);
  // ifmap SRAM (8-bit words): 32 fills and 32 reads of 4 + 1/16 bits; ifmap registers: 32 of 4 bits.
  assert.is(count(l, 'ifmap_sram', 'read'), (32 * (4 + 1 / 16)) / 8);
  assert.is(count(l, 'ifmap_sram', 'write'), (32 * (4 + 1 / 16)) / 8);
  assert.is(count(l, 'array/pe/ifmap_reg', 'read'), (32 * 4) / 8);
  const all = simulate(archFromConfig(absolute(0)), one, { mode: 'arch', trace: traceOf('one', { c: left }) }).layers[0]!;
  assert.is(all.details!.sensitiveFraction, 1);
  assert.is(all.cycles, 10 + 32 * 4 - 1);
  assert.is(count(all, 'dram', 'read_bit'), 32 * 8 + 2 + 8);
});

test('2-region layer, one sensitive: exact bits at each level, the same in arch and op-count mode', () => {
  const arch = archFromConfig(absolute(0.5));
  const [op, ar] = (['opcount', 'arch'] as const).map((mode) => simulate(arch, one, { mode, trace: traceOf('one', { c: left }) }).layers[0]!);
  assert.is(ar!.cycles, 10 + 16 * 4 + 16 * 1 - 1);
  assert.is(ar!.details!.lowPrecisionValueFraction, 0.5);
  for (const l of [op!, ar!]) {
    // Inputs: 16 × 8 b + 16 × 4 b = 6 b on average, 2 mask bits over 32 values.
    assert.is(count(l, 'dram', 'read_bit'), 16 * 8 + 16 * 4 + 2 + 8);
    assert.is(count(l, 'dram', 'write_bit'), 32 * 8);
    assert.is(count(l, 'ifmap_sram', 'read'), (32 * (6 + 1 / 16)) / 8);
    assert.is(count(l, 'ifmap_sram', 'write'), (32 * (6 + 1 / 16)) / 8);
    assert.is(count(l, 'array/pe/ifmap_reg', 'read'), (32 * 6) / 8);
    // Weights stay 8-bit: one fill and one load; partial sums at the 32-bit ofmap width, one word each.
    assert.is(count(l, 'filter_sram', 'write'), 1);
    assert.is(count(l, 'filter_sram', 'read'), 1);
    assert.is(count(l, 'ofmap_sram', 'write'), 32);
    assert.is(count(l, 'ofmap_sram', 'read'), 32);
    const t = l.details!.tensors as TensorStats;
    assert.equal(t.inputs.dram, { reads: 32, macsPerAccess: 1 });
    assert.equal(t.inputs.sram, { fills: 32, reads: 32, macsPerAccess: 1 });
    assert.equal(t.weights.reg, { fills: 1, reads: 32, macsPerAccess: 1 });
    assert.equal(t.outputs.dram, { writes: 32, macsPerAccess: 1 });
  }
  // Every access at every level is the same in both modes (leakage follows each mode's cycles).
  for (const part of ['dram', 'ifmap_sram', 'filter_sram', 'ofmap_sram', 'array/pe/ifmap_reg', 'array/pe/filter_reg', 'array/pe/psum_reg']) {
    for (const o of ['read_bit', 'write_bit', 'read', 'write']) assert.is(count(op!, part, o), count(ar!, part, o), `${part} ${o}`);
  }
});

test('outputs are written at the precision the next layer reads them at, with its mask (both modes)', () => {
  const two = makeNetwork({ name: 'two', layers: [conv('a'), conv('b')] });
  for (const mode of ['opcount', 'arch'] as const) {
    const [a, b] = simulate(archFromConfig(absolute(0.5)), two, { mode, trace: traceOf('two', { a: left, b: right }) }).layers;
    assert.is(count(a!, 'dram', 'write_bit'), 16 * 8 + 16 * 4 + 2, mode);
    assert.is(count(b!, 'dram', 'read_bit'), 8 + 16 * 8 + 16 * 4 + 2, mode);
  }
});

test('the same layer on DRQ of the Eyeriss-like array moves the same DRAM bits (one set of width rules)', () => {
  const eyeriss = loadArch('drq').config;
  const ey = archFromConfig({ ...eyeriss, drq: { ...(eyeriss.drq as object), filterSize: 1, regionPadding: 'partial', thresholdMode: 'absolute', threshold: 0.5 } } as ArchConfig);
  const sy = archFromConfig(absolute(0.5));
  const two = makeNetwork({ name: 'two', layers: [conv('a'), conv('b')] });
  const trace = traceOf('two', { a: left, b: right });
  const e = simulate(ey, two, { mode: 'opcount', trace }).layers;
  const s = simulate(sy, two, { mode: 'opcount', trace }).layers;
  for (let i = 0; i < 2; i++) {
    for (const op of ['read_bit', 'write_bit']) assert.is(s[i]!.breakdown['systolic-drq/dram']![op]!.count, e[i]!.breakdown[`${ey.config.name}/dram`]![op]!.count, `${i} ${op}`);
  }
});

test.run();
