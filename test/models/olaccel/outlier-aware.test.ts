import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { archFromConfig, loadArch, type ArchConfig } from '../../../sim/arch.ts';
import { makeNetwork, type LayerSpec } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { variant } from '../../../sim/config.ts';
import { UserError } from '../../../sim/errors.ts';
import type { Tensor, Trace } from '../../../sim/trace.ts';
import { outlierIndices, outlierIndicesPerInput, outlierActivationMacsPerInput, expectedWeightOutlierStall } from '../../../models/olaccel/outliers.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');
const tensor = (shape: number[], values: number[]): Tensor => ({ shape, data: Float32Array.from(values), dtype: 'float32' });
const tinyDrq = loadArch(join(fixtures, 'drq-arch.json'));
const tiny = archFromConfig(
  variant(tinyDrq.config, (d) => {
    d.scheme = 'olaccel';
    d.name = 'olaccel-tiny';
    delete d.drq;
    d.olaccel = { lowBits: 4, outlierBits: 8, activationOutlierFraction: 0.25, weightOutlierFraction: 0, lanes: 1, outlierMacUnits: 1, outlierIndexBits: 4 };
  }) as ArchConfig,
  'olaccel-tiny',
  tinyDrq.costsFile,
);

test('outliers are the largest magnitudes, ties by position', () => {
  assert.equal(Array.from(outlierIndices(Float32Array.from([1, -5, 3, 5]), 0.5)), [1, 3]);
  assert.throws(() => outlierIndices(Float32Array.from([1]), 2), (e: unknown) => e instanceof UserError);
  // Per input: the top third of each input, not of the batch (input 1's small values still have an outlier).
  assert.equal(Array.from(outlierIndicesPerInput(Float32Array.from([1, 9, 8, 0.2, 0.1, 0.3]), 2, 1 / 3)), [1, 5]);
  assert.equal(Array.from(outlierIndices(Float32Array.from([1, 9, 8, 0.2, 0.1, 0.3]), 1 / 3)), [1, 2]);
});

test('an outlier in a corner feeds fewer MACs than one in the middle (3×3 conv, padding 1)', () => {
  const layer = makeNetwork({ name: 'n', layers: [{ name: 'c', kind: 'conv', C: 1, M: 2, H: 3, W: 3, R: 3, padding: 1 } as LayerSpec] }).layers[0]!;
  const corner = tensor([1, 1, 3, 3], [9, 0, 0, 0, 0, 0, 0, 0, 0]);
  const centre = tensor([1, 1, 3, 3], [0, 0, 0, 0, 9, 0, 0, 0, 0]);
  // A corner value is read by 2×2 output positions, the centre by 3×3; × M = 2 filters.
  assert.equal(Array.from(outlierActivationMacsPerInput(layer, corner, 1 / 9)), [2 * 4]);
  assert.equal(Array.from(outlierActivationMacsPerInput(layer, centre, 1 / 9)), [2 * 9]);
});

test('expected weight-outlier stall: none at 0, k − 1 at fraction 1', () => {
  assert.is(expectedWeightOutlierStall(4, 0), 0);
  assert.is(expectedWeightOutlierStall(4, 1), 3);
});

test('1×1 conv, 4 inputs, one outlier: the outlier path runs in parallel with the dense lanes', () => {
  const net = makeNetwork({ name: 'n', layers: [{ name: 'c', kind: 'conv', C: 1, M: 4, H: 2, W: 2, R: 1 } as LayerSpec] });
  const trace: Trace = { network: 'n', source: 'synthetic', generator: 'hand', layers: new Map([['c', { layer: 'c', activations: tensor([1, 1, 2, 2], [0, 7, 1, 1]) }]]) };
  const r = simulate(tiny, net, { mode: 'opcount', trace });
  const l = r.layers[0]!;
  // 16 MACs; the outlier (7) feeds M = 4 of them on the one outlier unit (4 cycles); dense: 16 / 4 PEs = 4 cycles.
  assert.is(l.breakdown['olaccel-tiny/outlier_macs']!.mac!.count, 4);
  assert.is(l.breakdown['olaccel-tiny/array/pe/mac']!.mac_dense!.count, 12);
  assert.is(l.cycles, 4);
  // Inputs: 4 × 4 bits dense + 1 outlier × (8 + 4) bits; weights 4 × 4 bits.
  assert.is(l.breakdown['olaccel-tiny/dram']!.read_bit!.count, 16 + 12 + 16);
});

test('arch mode on the Eyeriss hierarchy: the same MAC split as op-count, outlier MACs counted per pass from the trace', () => {
  // 1×1 conv (no padding): every outlier tap the passes read is one the op-count formula counts.
  const net = makeNetwork({ name: 'n', layers: [{ name: 'c', kind: 'conv', C: 2, M: 4, H: 4, W: 4, R: 1 } as LayerSpec] });
  const values = Array.from({ length: 32 }, (_, i) => ((i * 37) % 17) / 4);
  const trace: Trace = { network: 'n', source: 'synthetic', generator: 'hand', layers: new Map([['c', { layer: 'c', activations: tensor([1, 2, 4, 4], values) }]]) };
  const op = simulate(tiny, net, { mode: 'opcount', trace }).layers[0]!;
  const arch = simulate(tiny, net, { mode: 'arch', trace }).layers[0]!;
  const count = (l: typeof op, path: string, action: string) => l.breakdown[`olaccel-tiny/${path}`]![action]!.count;
  // 25% of 32 values are outliers, each feeding M = 4 MACs: 32 of 128 MACs on the outlier unit.
  assert.is(count(op, 'outlier_macs', 'mac'), 32);
  assert.is(count(arch, 'outlier_macs', 'mac'), 32);
  assert.is(count(arch, 'array/pe/mac', 'mac_dense'), count(op, 'array/pe/mac', 'mac_dense'));
  // One outlier unit takes 32 MACs: no pass can finish sooner than its share, so ≥ 32 cycles in all.
  assert.ok(arch.cycles >= 32, `${arch.cycles}`);
  assert.is(arch.details!.activationOutlierMacFraction, 0.25);
  // Outlier storage at its real width, the same bits per level in both modes: 32 inputs at
  // 4 b + 25% × (8 + 4) b = 7 b, 8 weights at 4 b (no weight outliers), 64 outputs at 7 b.
  for (const l of [op, arch]) {
    assert.is(count(l, 'dram', 'read_bit'), 32 * 7 + 8 * 4);
    assert.is(count(l, 'dram', 'write_bit'), 64 * 7);
  }
  for (const [part, action] of [['glb', 'read'], ['glb', 'write'], ['noc', 'bit_mm']] as const) assert.is(count(arch, part, action), count(op, part, action), `${part} ${action}`);
});

// 3×3 conv, padding 1, over 1 channel of 6×6: an outlier's MACs depend on where it sits (a corner feeds 4 outputs, the middle 9).
const spatial = makeNetwork({ name: 'n', layers: [{ name: 'c', kind: 'conv', C: 1, M: 8, H: 6, W: 6, R: 3, padding: 1 } as LayerSpec] });
const oneOutlierAt = (pos: number) => Array.from({ length: 36 }, (_, i) => (i === pos ? 50 : 0.1 + (i % 5) / 100));
const inputsTrace = (inputs: number[][]): Trace => ({
  network: 'n',
  source: 'synthetic',
  generator: 'hand',
  layers: new Map([['c', { layer: 'c', activations: tensor([inputs.length, 1, 6, 6], inputs.flat()) }]]),
});
// One outlier per input (1/36 of the values); 16 dense lanes and one outlier unit, so the outlier path binds.
const perInputArch = archFromConfig(
  variant(tiny.config, (d) => {
    Object.assign(d.olaccel as Record<string, unknown>, { activationOutlierFraction: 1 / 36, lanes: 16 });
  }) as ArchConfig,
  'olaccel-tiny',
  tinyDrq.costsFile,
);

for (const mode of ['opcount', 'arch', 'reference'] as const) {
  test(`${mode}: every trace input is simulated on its own, with the per-input spread of cycles, speedup and outlier MAC share`, () => {
    const corner = oneOutlierAt(0);
    const middle = oneOutlierAt(14);
    const r = simulate(perInputArch, spatial, { mode, trace: inputsTrace([corner, middle]) });
    const l = r.layers[0]!;
    const p = l.details!.perInput as { inputs: number; perInputCycles: number[]; outlierMacFraction: { min: number; mean: number; max: number }; speedupVsAllHigh: { min: number; max: number } };
    assert.is(p.inputs, 2);
    assert.is(l.details!.inputsSimulated, 2);
    // A corner outlier feeds 4 × 8 of the 8 · 36 · 9 = 2,592 MACs, one in the middle 9 × 8.
    assert.ok(Math.abs(p.outlierMacFraction.min - 32 / 2592) < 1e-12, `${p.outlierMacFraction.min}`);
    assert.ok(Math.abs(p.outlierMacFraction.max - 72 / 2592) < 1e-12, `${p.outlierMacFraction.max}`);
    assert.is(l.cycles, Math.ceil((p.perInputCycles[0]! + p.perInputCycles[1]!) / 2));
    assert.ok(p.speedupVsAllHigh.min <= p.speedupVsAllHigh.max);
    const net = r.summary!.data.perInput as { inputs: number; perInputCycles: number[] };
    assert.equal(net.perInputCycles, p.perInputCycles);
    assert.match(r.summary!.lines.join('\n'), /per input \(2 runs; min \/ mean \/ max\): outlierMacFraction .* · cycles .* · speedupVsAllHigh/);
    // Causal: input 0's result does not change when another input joins the trace.
    const alone = simulate(perInputArch, spatial, { mode, trace: inputsTrace([corner]) });
    assert.is((alone.layers[0]!.details!.perInput as { perInputCycles: number[] }).perInputCycles[0], p.perInputCycles[0]);
    if (mode !== 'opcount') {
      // Each input is timed on its own outlier positions: the one outlier unit binds in the passes that read it.
      assert.is.not(p.perInputCycles[1], p.perInputCycles[0]);
    }
  });
}

test('reference mode steps each input as arch mode replays it (within 2%)', () => {
  const trace = inputsTrace([oneOutlierAt(0), oneOutlierAt(14), oneOutlierAt(35)]);
  const a = simulate(perInputArch, spatial, { mode: 'arch', trace }).layers[0]!.details!.perInput as { perInputCycles: number[] };
  const b = simulate(perInputArch, spatial, { mode: 'reference', trace }).layers[0]!.details!.perInput as { perInputCycles: number[] };
  assert.is(b.perInputCycles.length, 3);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(a.perInputCycles[i]! - b.perInputCycles[i]!) <= 0.02 * b.perInputCycles[i]!, `input ${i}`);
});

test.run();
