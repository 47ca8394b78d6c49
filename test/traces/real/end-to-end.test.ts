import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildFaceRecognitionTrace } from '../../../traces/real/face-recognition-trace.ts';
import { descriptorAgreement, faceRecognitionDescriptors, initWasmBackend } from '../../../traces/real/end-to-end.ts';
import { dnateqTensorQuantizer } from '../../../models/dnateq/tensor-quantizer.ts';
import { fitOther, magnitudeRange, searchBase, spreadSample, type Candidate } from '../../../models/dnateq/search.ts';
import type { Trace } from '../../../sim/trace.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const f = (...v: number[]) => Float32Array.from(v);

test('descriptor agreement, hand-computed: one pair crosses the 0.6 same-person distance', () => {
  // b moves from 0.5 to 0.7 away from a: the a–b decision flips; a–c and b–c stay "different".
  const a = descriptorAgreement([f(1, 0), f(1, 0.5), f(1, 2)], [f(1, 0), f(1, 0.7), f(1, 2)]);
  assert.is(a.pairs, 3);
  assert.is(a.pairDecisionsAgree, 2);
  assert.is(a.nearestAgree, 3);
  assert.ok(Math.abs(a.relErrorMax - 0.2 / Math.hypot(1, 0.5)) < 1e-7);
  assert.ok(Math.abs(a.relErrorRms - 0.2 / Math.hypot(1, 0.5) / Math.sqrt(3)) < 1e-7);
  assert.ok(Math.abs(a.cosineMin - 1.35 / (Math.hypot(1, 0.5) * Math.hypot(1, 0.7))) < 1e-7);
  const same = descriptorAgreement([f(1, 0), f(0, 1)], [f(1, 0), f(0, 1)]);
  assert.equal([same.cosineMin, same.relErrorMax, same.pairDecisionsAgree, same.nearestAgree], [1, 0, 1, 2]);
});

/** Per-layer exponential quantizers at `bits`, fitted as the search does (Algorithm 1 on the weights, the activations reuse b). */
function expQuantizers(trace: Trace, bits: number): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  for (const [name, lt] of trace.layers) {
    const sw = spreadSample(lt.weights!.data, 16384);
    const sa = spreadSample(lt.activations!.data, 16384);
    const w = searchBase(sw, bits, magnitudeRange(sw, 0.01), false, { deltaFraction: 0.05, maxSteps: 200 });
    const act = fitOther(sa, bits, w.params.base, magnitudeRange(sa, 0.01), false, [1, 0.85, 0.7]);
    out.set(name, { bits, weights: w.params, activations: act.params } as Candidate);
  }
  return out;
}

test('real network end to end: float re-run from the trace = recorded descriptors; DNA-TEQ error falls with the bitwidth', async () => {
  const { trace } = await buildFaceRecognitionTrace({ images: 1, maxFaces: 3 });
  await initWasmBackend();
  const float = faceRecognitionDescriptors(trace);
  const recorded = trace.layers.get('fc')!.outputs!.data;
  assert.ok(float.length >= 2, `${float.length} faces`);
  float.forEach((d, i) => assert.ok(descriptorAgreement([recorded.slice(i * 128, (i + 1) * 128)], [d]).relErrorMax < 1e-5, `face ${i}`));
  const identity = { weights: (_: string, x: Float32Array) => x, activations: (_: string, x: Float32Array) => x };
  assert.is(descriptorAgreement(float, faceRecognitionDescriptors(trace, identity)).relErrorMax, 0);
  const at = (bits: number) => descriptorAgreement(float, faceRecognitionDescriptors(trace, dnateqTensorQuantizer(expQuantizers(trace, bits))));
  const n7 = at(7);
  const n3 = at(3);
  assert.ok(n7.cosineMin > 0.99, JSON.stringify(n7));
  assert.ok(n3.relErrorRms > 2 * n7.relErrorRms, `${n3.relErrorRms} vs ${n7.relErrorRms}`);
});

test('--proxy end-to-end on a trace that cannot run end to end is a one-line user error', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), 'quantize', '--scheme', 'dnateq', '--trace', 'synth', '--network', join(root, 'test/fixtures/dnateq-small.json'), '--proxy', 'end-to-end'], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr.trim(), /^quantsim: --proxy end-to-end needs a real trace of network "face-recognition"/);
  assert.is(r.stderr.trim().split('\n').length, 1);
});

test.run();
