import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNetwork, parameterCount } from '../../../sim/workload.ts';
import { UserError } from '../../../sim/errors.ts';
import type { LayerTrace } from '../../../sim/trace.ts';
import { readFaceApiWeights } from '../../../traces/real/face-api-weights.ts';
import { convSpecs, FACE_RECOGNITION_MODEL } from '../../../traces/real/face-recognition-net.ts';
import { buildFaceRecognitionTrace, traceBiases } from '../../../traces/real/face-recognition-trace.ts';
import { checkTraceShapes, outputMismatch } from '../../../traces/real/check.ts';
import { hwioToOihw } from '../../../traces/real/layout.ts';

const net = loadNetwork('face-recognition');
const weights = readFaceApiWeights(FACE_RECOGNITION_MODEL);
const layer = (name: string) => net.layers.find((l) => l.name === name)!;

test('network config: 29 convs, 14 residual adds, fc 256→128; parameters = manifest minus the folded scale layers', () => {
  const count = (k: string) => net.layers.filter((l) => l.kind === k).length;
  assert.is(count('conv'), 29);
  assert.is(count('add'), 14);
  assert.is(count('fc'), 1);
  // face-api stores a scale and an offset per conv channel; folded, they become the conv bias.
  const scaleEntries = convSpecs().reduce((s, c) => s + 2 * c.outChannels, 0);
  assert.is(scaleEntries, 7104);
  assert.is(parameterCount(net), weights.parameters - scaleEntries);
  assert.is(parameterCount(net), 5_607_488);
});

test('every conv in the config has the filter shape of its tensor in the manifest', () => {
  for (const c of convSpecs()) {
    const l = layer(c.layer);
    assert.equal(weights.byName.get(`${c.prefix}/conv/filters`)!.shape, [l.R, l.S, l.C, l.M], c.layer);
    assert.is(l.strideH, c.stride, c.layer);
    assert.is(l.padH, c.padding === 'same' ? 1 : 0, c.layer);
  }
  assert.equal([layer('conv32_down').P, layer('maxpool').P, layer('conv256_down.conv2').P, layer('conv256_down.add').P, layer('avgpool').C], [72, 35, 3, 4, 256]);
});

test('--images outside 1–6 and --max-faces below 1 are UserErrors before anything runs', async () => {
  const cases: [Parameters<typeof buildFaceRecognitionTrace>[0], RegExp][] = [
    [{ images: 0 }, /--images must be an integer from 1 to 6/],
    [{ images: 7 }, /--images must be an integer from 1 to 6/],
    [{ images: 1.5 }, /--images must be an integer from 1 to 6/],
    [{ maxFaces: 0 }, /--max-faces must be an integer >= 1/],
  ];
  for (const [options, pattern] of cases) {
    try {
      await buildFaceRecognitionTrace(options);
      assert.unreachable('expected a UserError');
    } catch (e) {
      assert.instance(e, UserError);
      assert.match((e as Error).message, pattern);
    }
  }
});

// The proof the trace is real: our re-run (weights from our reader, our ops) gives the very
// descriptor face-api computes on the same aligned face. One face keeps it fast.
test('one face: our descriptor equals face-api computeFaceDescriptor exactly, and the trace is self-consistent', async () => {
  const built = await buildFaceRecognitionTrace({ images: 1, maxFaces: 1 });
  assert.is(built.faces.length, 1);
  // Compared inside the build against computeFaceDescriptor on the same crop (and the pipeline's).
  assert.is(built.maxDescriptorDiff, 0);
  assert.equal(Array.from(built.trace.layers.get('fc')!.outputs!.data), Array.from(built.faces[0]!.reference));
  assert.is(checkTraceShapes(built.trace, net), 1);
  assert.is(built.trace.layers.size, 30);
  const biases = traceBiases(built.trace);
  for (const lt of built.trace.layers.values()) {
    assert.ok(outputMismatch(lt, layer(lt.layer), biases.get(lt.layer), 64) < 1e-5, lt.layer);
  }
  // The check can fail: the stem's OIHW weights mistaken for TensorFlow's HWIO and converted again.
  const stem = built.trace.layers.get('conv32_down')!;
  const wrong: LayerTrace = { ...stem, weights: { ...stem.weights!, data: hwioToOihw(stem.weights!.data, [7, 7, 3, 32]).data } };
  assert.ok(outputMismatch(wrong, layer('conv32_down'), biases.get('conv32_down'), 64) > 0.05);
});

test.run();
