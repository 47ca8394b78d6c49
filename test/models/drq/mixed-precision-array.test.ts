import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch, archFromConfig, type ArchConfig } from '../../../sim/arch.ts';
import { makeNetwork, macs, type LayerSpec } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import type { Trace, Tensor } from '../../../sim/trace.ts';
import { UserError } from '../../../sim/errors.ts';
import { variant } from '../../../sim/config.ts';
import { sensitivityMask } from '../../../models/drq/sensitivity.ts';
import { SensitiveTapTable, passMultiplierCycles, cachedPassMultiplierCycles } from '../../../models/drq/mixed-precision-array.ts';
import { convShape, forEachPass, forEachPe, searchMappings, type PassShape } from '../../../models/eyeriss/mapping.ts';
import type { PassView } from '../../../models/eyeriss/pe.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');
const tiny = loadArch(join(fixtures, 'drq-arch.json'));
const tensor = (shape: number[], values: number[] | Float32Array): Tensor => ({ shape, data: Float32Array.from(values), dtype: 'float32' });
const trace = (network: string, layers: Record<string, Tensor>): Trace => ({
  network,
  source: 'synthetic',
  generator: 'hand-made test tensors',
  layers: new Map(Object.entries(layers).map(([k, v]) => [k, { layer: k, activations: v }])),
});
const withDrq = (drq: Record<string, unknown>, base = tiny) =>
  archFromConfig(variant(base.config, (d) => void Object.assign(d.drq as object, drq)) as ArchConfig, tiny.file, tiny.costsFile);
// The INT8 baseline on the same tiny array: one 8×8 MAC per PE-cycle, as DRQ PEs of four 4×4 multipliers.
const asEyeriss = archFromConfig(
  variant(tiny.config, (d) => {
    d.scheme = 'eyeriss';
    delete d.drq;
  }) as ArchConfig,
  tiny.file,
  tiny.costsFile,
);

// 1×1 conv over a 4×8 map: two 4×4 regions, the left one large (sensitive), the right one zero.
const twoRegion = makeNetwork({ name: 'two-region', layers: [{ name: 'c', kind: 'conv', C: 1, M: 1, H: 4, W: 8, R: 1 } as LayerSpec] });
const leftHalf = tensor([1, 1, 4, 8], Array.from({ length: 32 }, (_, i) => (i % 8 < 4 ? 1 : 0)));
const twoRegionTrace = trace('two-region', { c: leftHalf });

test('hand-made 2-region input, op-count: 16 MACs at 8×8 (4 cycles) + 16 at 4×4 (1) over 4 PEs = 20 cycles', () => {
  const r = simulate(tiny, twoRegion, { mode: 'opcount', trace: twoRegionTrace });
  const l = r.layers[0]!;
  assert.is(l.cycles, (16 * 4 + 16 * 1) / 4);
  assert.is(l.details!.sensitiveFraction, 0.5);
  assert.is(l.breakdown['tiny-drq/array/pe/mac']!.mac_8x8!.count, 16);
  assert.is(l.breakdown['tiny-drq/array/pe/mac']!.mac_4x4!.count, 16);
});

test('hand-made 2-region pass: the lockstep rule turns the masks into pass time', () => {
  // Two PEs on output rows 0 and 1 of the 4×8 map (1×1 conv, 1 filter each): per output column x
  // each reads one value; columns 0–3 are in the sensitive region (4 multiplier-cycles), 4–7 not (1).
  const layer = twoRegion.layers[0]!;
  const mask = sensitivityMask(layer, leftHalf, { regionSize: 4, filterSize: 1, threshold: 0.5, thresholdMode: 'relative' });
  const table = new SensitiveTapTable(layer, mask);
  const pe = (row: number, col: number, n1 = 1) => ({ row, col, rSet: 0, tSet: 0, sSet: 0, filterRow: 0, outputRow: row, ifmapRow: row, n0: 0, n1, m0: 0, m1: 1, c0: 0, c1: 1, macs: 8 * n1 });
  const view = (pes: ReturnType<typeof pe>[]) =>
    ({ layer, mapping: undefined as never, pass: { g: 0, computeCycles: 0 } as never, pes: (visit: (p: never) => void) => pes.forEach((p) => visit(p as never)) }) as PassView;
  const cost = { high: 4, low: 1 };
  // Same work on both PEs: every rule gives 4 × 4 + 4 × 1 = 20.
  for (const rule of ['array', 'column', 'pe'] as const) assert.is(passMultiplierCycles(view([pe(0, 0), pe(1, 1)]), table, cost, rule), 20);
  // A PE with two images (the second a copy of the first, trace N = 1) does twice the work: 40.
  assert.is(passMultiplierCycles(view([pe(0, 0, 2), pe(1, 1)]), table, cost, 'array'), 40);
});

test('lockstep granularity: per-step max ≥ per-column max ≥ busiest PE', () => {
  // PE A reads row 0 (left half sensitive), PE B a row whose right half is sensitive: out of phase.
  const layer = twoRegion.layers[0]!;
  const flipped = tensor([1, 1, 4, 8], Array.from({ length: 32 }, (_, i) => (Math.floor(i / 8) < 2 ? (i % 8 < 4 ? 1 : 0) : i % 8 >= 4 ? 1 : 0)));
  const mask = sensitivityMask(layer, flipped, { regionSize: 2, filterSize: 1, threshold: 0.5, thresholdMode: 'relative' });
  const table = new SensitiveTapTable(layer, mask);
  const pe = (row: number, col: number) => ({ row, col, rSet: 0, tSet: 0, sSet: 0, filterRow: 0, outputRow: row, ifmapRow: row, n0: 0, n1: 1, m0: 0, m1: 1, c0: 0, c1: 1, macs: 8 });
  const view = { layer, mapping: undefined as never, pass: { g: 0, computeCycles: 0 } as never, pes: (visit: (p: never) => void) => [pe(0, 0), pe(3, 1)].forEach((p) => visit(p as never)) } as PassView;
  const cost = { high: 4, low: 1 };
  assert.is(passMultiplierCycles(view, table, cost, 'array'), 8 * 4); // every step has one slow PE
  assert.is(passMultiplierCycles(view, table, cost, 'column'), 20); // separate columns: each 4×4 + 4×1
  assert.is(passMultiplierCycles(view, table, cost, 'pe'), 20);
});

// A 3×3 conv with structure: a bright blob in one corner of each channel.
const convNet = makeNetwork({ name: 'blob', layers: [{ name: 'c', kind: 'conv', C: 4, M: 8, H: 16, W: 16, R: 3, padding: 1 } as LayerSpec] });
const blob = tensor(
  [1, 4, 16, 16],
  Array.from({ length: 4 * 256 }, (_, i) => {
    const c = Math.floor(i / 256);
    const h = Math.floor((i % 256) / 16);
    const w = i % 16;
    const d = Math.hypot(h - 4 - c, w - 10 + c);
    return Math.max(0, 3 - d / 2) + ((i * 7919) % 13) / 100;
  }),
);
const blobTrace = trace('blob', { c: blob });

for (const mode of ['opcount', 'arch'] as const) {
  test(`${mode}: an all-sensitive mask gives the cycles of the 8×8 array; all-insensitive the 4×4 speed`, () => {
    const all = simulate(withDrq({ thresholdMode: 'fraction', threshold: 1, multipliersPerPe: 4 }), convNet, { mode, trace: blobTrace }).layers[0]!;
    const none = simulate(withDrq({ thresholdMode: 'fraction', threshold: 0, multipliersPerPe: 4 }), convNet, { mode, trace: blobTrace }).layers[0]!;
    assert.is(all.details!.sensitiveFraction, 1);
    assert.is(none.details!.sensitiveFraction, 0);
    if (mode === 'opcount') {
      assert.is(all.cycles, all.details!.allHighCycles);
      // 4 PEs × 4 multipliers: an 8×8 MAC takes all four for a cycle, a 4×4 MAC one of them.
      assert.is(all.cycles, Math.ceil((macs(convNet.layers[0]!) * 4) / 16));
      assert.is(none.cycles, Math.ceil(macs(convNet.layers[0]!) / 16));
    } else {
      // The same mapping with 8×8 MACs in one cycle: the INT8 Eyeriss array (four 4×4 multipliers per PE).
      const int8 = simulate(asEyeriss, convNet, { mode }).layers[0]!;
      assert.is(all.cycles, int8.cycles);
      // Compute-bound here: the 4×4 array is 4× faster up to pipeline fill.
      assert.ok(none.cycles >= all.cycles / 4 && none.cycles <= all.cycles / 3.5, `${none.cycles} vs ${all.cycles}`);
    }
  });

  test(`${mode}: cycles and energy never grow with the threshold`, () => {
    let prev = { cycles: Infinity, energyPj: Infinity, frac: 1 };
    for (const t of [0, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9, 1]) {
      const l = simulate(withDrq({ threshold: t, filterSize: 3 }), convNet, { mode, trace: blobTrace }).layers[0]!;
      assert.ok(l.cycles <= prev.cycles, `cycles at ${t}`);
      assert.ok(l.energyPj <= prev.energyPj + 1e-9, `energy at ${t}`);
      assert.ok((l.details!.sensitiveFraction as number) <= prev.frac);
      prev = { cycles: l.cycles, energyPj: l.energyPj, frac: l.details!.sensitiveFraction as number };
    }
    assert.ok(prev.frac < 1);
  });
}

test('on the Eyeriss mapping, column and per-PE lockstep are never slower than whole-array lockstep', () => {
  const run = (lockstep: string) => simulate(withDrq({ threshold: 0.4, filterSize: 3, lockstep }), convNet, { mode: 'arch', trace: blobTrace }).layers[0]!.cycles;
  const a = run('array');
  const c = run('column');
  const p = run('pe');
  assert.ok(p <= c && c <= a, `${p} ${c} ${a}`);
});

test('memoised pass times equal the direct ones on every pass, and repeat across filter blocks', () => {
  // 30 filters on a 3×4 array with small spads: several filter blocks, the last one shorter.
  const layer = makeNetwork({ name: 'm', layers: [{ name: 'c', kind: 'conv', C: 4, M: 30, H: 16, W: 16, R: 3, padding: 1 } as LayerSpec] }).layers[0]!;
  const hw = { rows: 3, cols: 4, ifmapSpadEntries: 6, filterSpadEntries: 24, psumSpadEntries: 4, ifmapSpadBits: 8, filterSpadBits: 8, psumSpadBits: 24, glbBits: 1 << 20, weightBits: 8, activationBits: 8, outputBits: 8, psumBits: 24, inputMetaBits: 0, outputMetaBits: 0, cyclesPerMac: 1, dramBytesPerCycle: 8, nocBitsPerCycle: 64, psumNocBitsPerCycle: 64 };
  const units = { dramBitPj: 10, glbBitPj: 1, nocBitPj: 0.5, neighborBitPj: 0.2, ifmapSpadPj: 0.1, filterSpadPj: 0.2, psumSpadPj: 0.1, addPj: 0.05 };
  const m = searchMappings(convShape(layer), hw, units)[0]!;
  assert.ok(m.loops.MB > 2, `MB=${m.loops.MB}`);
  const mask = sensitivityMask(layer, blob, { regionSize: 4, filterSize: 3, threshold: 0.4, thresholdMode: 'relative' });
  const table = new SensitiveTapTable(layer, mask);
  const cost = { high: 4, low: 1 };
  for (const rule of ['array', 'column', 'pe'] as const) {
    let passes = 0;
    forEachPass(m, (ps) => {
      const pass = { ...ps } as PassShape;
      const view = { layer, mapping: m, pass, pes: (visit: never) => forEachPe(m, pass, visit) } as PassView;
      assert.is(cachedPassMultiplierCycles(view, table, cost, rule), passMultiplierCycles(view, table, cost, rule));
      passes++;
    });
    assert.is(passes, m.counts.passes);
  }
  // Keyed without the filter block: at most the passes of one full and one edge block per rule.
  assert.ok(table.passMemo.get(m)!.size <= (3 * 2 * m.counts.passes) / m.loops.MB, `${table.passMemo.get(m)!.size} of ${3 * m.counts.passes}`);
});

test('mask metadata and sensitivity detection are charged', () => {
  const r = simulate(tiny, twoRegion, { mode: 'opcount', trace: twoRegionTrace });
  const b = r.layers[0]!.breakdown;
  assert.is(b['tiny-drq/detector']!.compare!.count, 32);
  assert.is(b['tiny-drq/detector']!.add!.count, 4 * 32);
  // DRAM reads: weight 8 b + inputs 16×8 + 16×4 b + 2 mask bits.
  assert.is(b['tiny-drq/dram']!.read_bit!.count, 8 + 16 * 8 + 16 * 4 + 2);
});

test('bad input: no trace, a trace without spatial dims, a region size that does not divide', () => {
  assert.throws(() => simulate(tiny, twoRegion, { mode: 'opcount' }), (e: unknown) => e instanceof UserError && /trace/.test((e as Error).message));
  assert.throws(
    () => simulate(tiny, twoRegion, { mode: 'opcount', trace: trace('two-region', { c: tensor([1, 32], leftHalf.data) }) }),
    (e: unknown) => e instanceof UserError && /no spatial dims/.test((e as Error).message),
  );
  assert.throws(
    () => simulate(withDrq({ regionSize: 3 }), twoRegion, { mode: 'opcount', trace: twoRegionTrace }),
    (e: unknown) => e instanceof UserError && /regionPadding/.test((e as Error).message),
  );
});

test.run();
