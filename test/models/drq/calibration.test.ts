import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch, archFromConfig, type ArchConfig } from '../../../sim/arch.ts';
import { makeNetwork, type LayerSpec } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import type { Trace, Tensor } from '../../../sim/trace.ts';
import { UserError } from '../../../sim/errors.ts';
import { variant } from '../../../sim/config.ts';
import { calibratedThreshold } from '../../../models/drq/calibration.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');
const tiny = loadArch(join(fixtures, 'drq-arch.json'));
const withDrq = (drq: Record<string, unknown>) =>
  archFromConfig(
    variant(tiny.config, (d) => {
      const s = d.drq as Record<string, unknown>;
      delete s.threshold;
      delete s.thresholdMode;
      Object.assign(s, drq);
    }) as ArchConfig,
    tiny.file,
    tiny.costsFile,
  );

// A 3×3 conv over 2 channels of 8×8: each input is a blob whose place and height depend on the seed.
const net = makeNetwork({ name: 'cal', layers: [{ name: 'c', kind: 'conv', C: 2, M: 2, H: 8, W: 8, R: 3, padding: 1 } as LayerSpec] });
const input = (seed: number, peak: number) =>
  Array.from({ length: 2 * 64 }, (_, i) => {
    const h = Math.floor((i % 64) / 8);
    const w = i % 8;
    return Math.max(0, peak - Math.hypot(h - (seed % 8), w - ((seed * 3) % 8))) + ((i * 31 + seed * 7) % 11) / 50;
  });
const batch = (inputs: number[][]): Trace => {
  const t: Tensor = { shape: [inputs.length, 2, 8, 8], data: Float32Array.from(inputs.flat()), dtype: 'float32' };
  return { network: 'cal', source: 'synthetic', generator: 'hand-made test inputs', layers: new Map([['c', { layer: 'c', activations: t }]]) };
};
const a = input(1, 3);
const b = input(4, 2);
const loud = input(6, 40); // a large input: moves any batch-wide relative threshold

const perInput = (r: ReturnType<typeof simulate>) => {
  const p = r.layers[0]!.details!.perInput as { perInputCycles: number[] };
  return p.perInputCycles;
};

for (const mode of ['opcount', 'arch', 'reference'] as const) {
  test(`${mode}: causal — input i's result does not change when other inputs are added to the trace`, () => {
    const arch = withDrq({ calibration: { inputs: 1, target: { relative: 0.3 } } });
    const two = simulate(arch, net, { mode, trace: batch([a, b]) });
    const four = simulate(arch, net, { mode, trace: batch([a, b, loud, a]) });
    assert.equal(perInput(four).slice(0, 2), perInput(two));
    assert.is(four.layers[0]!.details!.thresholdUsed, two.layers[0]!.details!.thresholdUsed);
    assert.is(two.layers[0]!.details!.causal, true);
    assert.is((two.summary!.data.perInput as { inputs: number }).inputs, 2);
    // The same trace under the batch-wide relative threshold: the loud input changes the others.
    const rel = withDrq({ threshold: 0.3, thresholdMode: 'relative' });
    const relTwo = simulate(rel, net, { mode, trace: batch([a, b]) });
    const relFour = simulate(rel, net, { mode, trace: batch([a, b, loud, a]) });
    assert.not.equal(perInput(relFour).slice(0, 2), perInput(relTwo));
    assert.is(relTwo.layers[0]!.details!.causal, false);
    assert.match(String(relTwo.summary!.data.note), /non-causal/);
    assert.match(relTwo.summary!.lines.join('\n'), /note: non-causal/);
  });

  test(`${mode}: every input is simulated; the layer's cycles are the mean over inputs, with the per-input spread`, () => {
    const r = simulate(withDrq({ calibration: { inputs: 2, target: { sensitiveFraction: 0.4 } } }), net, { mode, trace: batch([a, b, loud]) });
    const l = r.layers[0]!;
    const cycles = perInput(r);
    assert.is(cycles.length, 3);
    assert.is(l.cycles, Math.ceil(cycles.reduce((x, y) => x + y, 0) / 3));
    const p = l.details!.perInput as { cycles: { min: number; max: number }; sensitiveFraction: { min: number; mean: number; max: number } };
    assert.is(p.cycles.min, Math.min(...cycles));
    assert.is(p.cycles.max, Math.max(...cycles));
    assert.ok(Math.abs(p.sensitiveFraction.mean - (l.details!.sensitiveFraction as number)) < 1e-12);
    // The loud input's regions all exceed a threshold calibrated on the quiet two: the max is its.
    assert.ok(p.sensitiveFraction.max > p.sensitiveFraction.min);
  });
}

test('reference mode steps every input on its own, as arch mode replays it: the same per-input cycles within 2%, the same report', () => {
  const arch = withDrq({ calibration: { inputs: 2, target: { sensitiveFraction: 0.4 } } });
  const trace = batch([a, b, loud]);
  const ar = simulate(arch, net, { mode: 'arch', trace });
  const rf = simulate(arch, net, { mode: 'reference', trace });
  assert.is(rf.layers[0]!.details!.inputsSimulated, 3);
  assert.is(rf.layers[0]!.details!.mode, 'reference');
  const x = perInput(ar);
  const y = perInput(rf);
  assert.is(y.length, 3);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(x[i]! - y[i]!) <= 0.02 * y[i]!, `input ${i}: arch ${x[i]} vs reference ${y[i]}`);
  // The loud input is all sensitive: slower than the quiet ones in both modes.
  assert.ok(y[2]! > Math.min(y[0]!, y[1]!));
  assert.equal(Object.keys(rf.summary!.data.perInput as object).sort(), Object.keys(ar.summary!.data.perInput as object).sort());
  assert.match(rf.summary!.lines.join('\n'), /per input \(3 runs; min \/ mean \/ max\): sensitiveFraction .* · cycles .* · speedupVsAllHigh/);
  // Energy is charged once at the mean widths, as in arch mode: the same MAC energy.
  assert.ok(Math.abs(rf.totals.energyPj - ar.totals.energyPj) <= 0.02 * ar.totals.energyPj);
});

test('calibrated thresholds by hand', () => {
  const scores = Float32Array.from([1, 2, 3, 4, /* input 1: */ 10, 20, 30, 40]);
  // Half of the first input's 4 regions: the highest score left out is 2, so 3 and 4 are sensitive.
  assert.is(calibratedThreshold(scores, 4, 2, { inputs: 1, target: { sensitiveFraction: 0.5 } }, 'l'), 2);
  assert.is(calibratedThreshold(scores, 4, 2, { inputs: 1, target: { sensitiveFraction: 1 } }, 'l'), -1);
  assert.is(calibratedThreshold(scores, 4, 2, { inputs: 1, target: { sensitiveFraction: 0 } }, 'l'), 4);
  assert.is(calibratedThreshold(scores, 4, 2, { inputs: 1, target: { relative: 0.5 } }, 'l'), 2);
  assert.is(calibratedThreshold(scores, 4, 2, { inputs: 2, target: { relative: 0.5 } }, 'l'), 20);
  assert.is(calibratedThreshold(scores, 4, 2, { inputs: 0, target: { threshold: 7 } }, 'l'), 7);
  assert.throws(
    () => calibratedThreshold(scores, 4, 2, { inputs: 3, target: { relative: 0.5 } }, 'l', { file: 'a.json', path: '/drq' }),
    (e: unknown) => e instanceof UserError && e.file === 'a.json' && e.jsonPath === '/drq/calibration/inputs' && /3 inputs.*trace has 2/.test(e.message),
  );
});

test('bad calibration sections: the JSON path of the offending field', () => {
  const bad = (cal: unknown, path: RegExp) =>
    assert.throws(
      () => simulate(withDrq({ calibration: cal }), net, { mode: 'opcount', trace: batch([a]) }),
      (e: unknown) => e instanceof UserError && path.test(e.jsonPath ?? ''),
    );
  bad({ inputs: 2, target: { relative: 0.2 } }, /\/drq\/calibration\/inputs/);
  bad({ inputs: 1, target: { sensitiveFraction: -0.1 } }, /\/drq\/calibration\/target\/sensitiveFraction/);
  bad({ inputs: 1, target: { relative: 0.2, threshold: 1 } }, /\/drq\/calibration\/target/);
  bad({ inputs: 0, target: { relative: 0.2 } }, /\/drq\/calibration\/inputs/);
});

test.run();
