import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch } from '../../../sim/arch.ts';
import { makeNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { twoRegionMap, conv1x1, handTrace } from '../../fixtures/drq-hand-trace.ts';
import type { LayerResult } from '../../../sim/report.ts';

const tiny = loadArch(join(import.meta.dirname, '../../fixtures/drq-arch.json'));
// 4×8 maps, two 4×4 regions each: the left one large (sensitive), or the right one.
const left = twoRegionMap('left');
const right = twoRegionMap('right');
const traceOf = handTrace;
const conv = conv1x1;
const count = (l: LayerResult, part: string, op: string) => l.breakdown[`tiny-drq/${part}`]?.[op]?.count ?? 0;
const modes = ['opcount', 'arch'] as const;

test('2-region map, one region sensitive: exact MAC split, cycles and bits moved in both modes', () => {
  const net = makeNetwork({ name: 'one', layers: [conv('c')] });
  const [op, arch] = modes.map((mode) => simulate(tiny, net, { mode, trace: traceOf('one', { c: left }) }).layers[0]!);
  for (const l of [op!, arch!]) {
    // 32 MACs (1×1 conv, one filter): the 16 reading the left region at 8×8, the rest at 4×4.
    assert.is(count(l, 'array/pe/mac', 'mac_8x8'), 16);
    assert.is(count(l, 'array/pe/mac', 'mac_4x4'), 16);
    // DRAM: the 8-bit weight, 16 inputs × 8 b + 16 × 4 b, 2 mask bits; 32 outputs × 8 b (no DRQ layer reads them).
    assert.is(count(l, 'dram', 'read_bit'), 8 + 16 * 8 + 16 * 4 + 2);
    assert.is(count(l, 'dram', 'write_bit'), 32 * 8);
    // ifmap scratchpad: 32 reads of 6 bits on average, in 8-bit entries.
    assert.is(count(l, 'array/pe/ifmap_spad', 'read'), (32 * 6) / 8);
  }
  // Same bits through the GLB and the NoC in both modes (this mapping fetches nothing twice).
  for (const [part, op_] of [['glb', 'read'], ['glb', 'write'], ['noc', 'bit_mm'], ['array/pe/filter_spad', 'read']]) {
    assert.is(count(arch!, part!, op_!), count(op!, part!, op_!), `${part} ${op_}`);
  }
  // Op-count: 16 × 4 + 16 × 1 multiplier-cycles over 4 PEs of 1 multiplier.
  assert.is(op!.cycles, (16 * 4 + 16 * 1) / 4);
  // Arch: one pass, each of the 4 PEs on one output row; region steps of 4 columns: 4 × 4 + 4 × 1.
  const s = arch!.stalls!;
  assert.is(arch!.cycles - (s.dram ?? 0) - (s.noc ?? 0) - (s.glb ?? 0), 4 * 4 + 4 * 1);
  // The mapper scores candidates with the expected cycles per MAC of the mix: ½ × 4 + ½ × 1.
  assert.is(arch!.details!.mappingCyclesPerMac, 2.5);
});

test('outputs are written at the precision the next layer reads them at, with its mask (both modes)', () => {
  const net = makeNetwork({ name: 'two', layers: [conv('a'), conv('b')] });
  for (const mode of modes) {
    const [a, b] = simulate(tiny, net, { mode, trace: traceOf('two', { a: left, b: right }) }).layers;
    // b's input (a's output) has its right region sensitive: 16 × 8 + 16 × 4 bits and 2 mask bits.
    assert.is(count(a!, 'dram', 'write_bit'), 16 * 8 + 16 * 4 + 2, mode);
    assert.is(count(b!, 'dram', 'read_bit'), 8 + 16 * 8 + 16 * 4 + 2, mode);
  }
});

test.run();
