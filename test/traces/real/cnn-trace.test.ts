import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetwork, makeNetwork, networkMacs, parameterCount } from '../../../sim/workload.ts';
import { UserError } from '../../../sim/errors.ts';
import type { LayerTrace } from '../../../sim/trace.ts';
import { loadTrace } from '../../../traces/format.ts';
import { checkTraceShapes, outputMismatch, traceBiases } from '../../../traces/real/check.ts';
import { graphMacs, graphParameters, tracedNodes } from '../../../traces/real/cnn-graph.ts';
import { cnnNetworkSpec } from '../../../traces/real/cnn-network.ts';
import { generateCnnTrace } from '../../../traces/real/cnn-trace.ts';
import { cnnClassScores, classAgreement } from '../../../traces/real/cnn-end-to-end.ts';
import { classifyScores } from '../../../traces/real/nsfwjs-runtime.ts';
import { decodeJpeg, sampleImages } from '../../../traces/real/images.ts';
import { loadNsfwjsModel, NSFWJS_MODELS } from '../../../traces/real/nsfwjs-models.ts';
import { initWasmBackend } from '../../../traces/real/wasm.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'quantsim-cnn-'));

/** Values the folding removes: per batch-norm channel mean, variance and γ (β becomes the bias); the graph's input rescaling constants. */
function foldedAway(network: string): number {
  const w = loadNsfwjsModel(network).weights;
  return w.tensors.filter((t) => /\/(moving_mean|moving_variance|gamma)$/.test(t.name) || t.shape.length === 0).reduce((s, t) => s + t.data.length, 0);
}

test('network configs equal the shipped graphs: layers, parameters (= package tensors minus folded batch norm), MACs', () => {
  const expected: Record<string, { params: number; macs: number; layers: number }> = {
    // MobileNetV2 1.0 at 224: ≈300 M MACs (Sandler et al. 2018, Table 3: 300 M), plus this head.
    'mobilenet-v2': { params: 2_568_293, macs: 299_855_360, layers: 55 },
    'mobilenet-v2-mid': { params: 4_300_773, macs: 580_412_784, layers: 53 },
    // InceptionV3 at 299: ≈5.7 G MACs.
    'inception-v3': { params: 22_326_437, macs: 5_711_725_792, layers: 97 },
  };
  for (const m of NSFWJS_MODELS) {
    const net = loadNetwork(m.network);
    const loaded = loadNsfwjsModel(m.network);
    assert.equal(net.layers, makeNetwork(cnnNetworkSpec(m.network)).layers, `${m.network}: configs/networks/${m.network}.json is stale (npm run traces:real -- --configs)`);
    assert.is(parameterCount(net), loaded.weights.parameters - foldedAway(m.network), m.network);
    assert.is(parameterCount(net), graphParameters(loaded.graph), m.network);
    assert.is(networkMacs(net), graphMacs(loaded.graph), m.network);
    assert.equal([parameterCount(net), networkMacs(net), tracedNodes(loaded.graph).length], [expected[m.network]!.params, expected[m.network]!.macs, expected[m.network]!.layers], m.network);
    for (const n of tracedNodes(loaded.graph)) {
      const l = net.layers.find((x) => x.name === n.name)!;
      if (n.op === 'conv') assert.equal([l.P, l.Q, l.M], n.shape, `${m.network} ${n.name}`);
    }
  }
});

test('bad input: unknown model, --images 0, more images than shipped are UserErrors; the CLI says so in one line, exit 2', async () => {
  const cases: [string, number | undefined, RegExp][] = [
    ['resnet-152', 1, /--model: unknown model "resnet-152"/],
    ['mobilenet-v2', 0, /--images must be an integer from 1 to 6/],
    ['mobilenet-v2', 7, /--images must be an integer from 1 to 6/],
  ];
  for (const [model, images, pattern] of cases) {
    try {
      await generateCnnTrace(model, { ...(images !== undefined ? { images } : {}), out: join(tmp, 'never') });
      assert.unreachable('expected a UserError');
    } catch (e) {
      assert.instance(e, UserError);
      assert.match((e as Error).message, pattern);
    }
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), 'trace', 'real', '--model', 'mobilenet-v2', '--images', '9'], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 2, r.stderr);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /--images must be an integer from 1 to 6/);
  // A folder holding other files is refused before the capture, not after it (--force adds beside them).
  const busy = join(tmp, 'busy');
  mkdirSync(busy, { recursive: true });
  writeFileSync(join(busy, 'notes.txt'), 'mine');
  const t0 = Date.now();
  try {
    await generateCnnTrace('mobilenet-v2', { images: 1, out: busy });
    assert.unreachable('expected a UserError');
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, /busy/);
  }
  assert.ok(Date.now() - t0 < 20_000, 'refused before the capture');
  assert.is(readFileSync(join(busy, 'notes.txt'), 'utf8'), 'mine');
});

// The proof the trace is real: our re-run (weights from our reader, batch norm folded, our ops)
// gives nsfwjs' own classify() scores on the same photo. One photo of MobileNetV2 keeps it fast.
test('one photo of MobileNetV2: scores equal classify(), outputs = conv(inputs, weights) + bias, the folder reloads and is byte-identical when made again', async () => {
  const a = join(tmp, 'a');
  const b = join(tmp, 'b');
  const made = await generateCnnTrace('mobilenet-v2', { images: 1, out: a, checkSamples: 32 });
  await generateCnnTrace('mobilenet-v2', { images: 1, out: b, checkSamples: 32 });
  const files = readdirSync(a).sort();
  assert.equal(readdirSync(b).sort(), files);
  for (const f of files) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between two runs`);

  await initWasmBackend();
  const img = decodeJpeg(sampleImages()[0]!);
  const reference = await classifyScores('mobilenet-v2', img);
  img.dispose();
  assert.is(made.images.length, 1);
  made.images[0]!.scores.forEach((s, k) => assert.ok(Math.abs(s - reference[k]!) < 1e-6, `class ${k}: ${s} vs ${reference[k]}`));
  assert.ok(made.maxScoreDiff < 1e-6, String(made.maxScoreDiff));

  const net = loadNetwork('mobilenet-v2');
  const trace = loadTrace(a, net);
  const biases = traceBiases(trace);
  assert.is(trace.source, 'real');
  assert.is(checkTraceShapes(trace, net), 1);
  assert.is(trace.layers.size, 55);
  const layer = (name: string) => net.layers.find((l) => l.name === name)!;
  for (const lt of trace.layers.values()) assert.ok(outputMismatch(lt, layer(lt.layer), biases.get(lt.layer), 48) < 1e-5, lt.layer);
  // The check can fail: a depthwise filter read in the wrong order (each 3×3 kernel reversed).
  const dw = trace.layers.get('block_1_depthwise')!;
  const flipped = Float32Array.from(dw.weights!.data, (_, i) => dw.weights!.data[i - (i % 9) + 8 - (i % 9)]!);
  const wrong: LayerTrace = { ...dw, weights: { ...dw.weights!, data: flipped } };
  assert.ok(outputMismatch(wrong, layer('block_1_depthwise'), biases.get('block_1_depthwise'), 48) > 1e-3);
  assert.equal(layer('Conv1').H, 225, 'Keras ZeroPadding2D((0, 1), (0, 1)) is materialized in the recorded input');

  // End to end from the reloaded trace's own tensors: the float re-run gives the recorded scores.
  const float = cnnClassScores(trace);
  made.images[0]!.scores.forEach((s, k) => assert.ok(Math.abs(s - float[0]![k]!) < 1e-6));
  const identity = { weights: (_: string, x: Float32Array) => x, activations: (_: string, x: Float32Array) => x };
  assert.equal(classAgreement(float, cnnClassScores(trace, identity)), { images: 1, top1Agree: 1, klMean: 0, klMax: 0, relErrorMax: 0, relErrorRms: 0 });
  // Per-tensor uniform quantize-dequantize of weights and inputs: 16 bits leave the scores close;
  // 8 bits break them (batch norm folded into per-tensor depthwise weights: Nagel et al., ICCV 2019).
  const uniform = (bits: number) => (_: string, x: Float32Array) => {
    const m = x.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    const step = m / (2 ** (bits - 1) - 1) || 1;
    return Float32Array.from(x, (v) => Math.round(v / step) * step);
  };
  const at = (bits: number) => classAgreement(float, cnnClassScores(trace, { weights: uniform(bits), activations: uniform(bits) }));
  const q16 = at(16);
  const q8 = at(8);
  assert.ok(q16.relErrorRms < 0.05 && q16.top1Agree === 1, JSON.stringify(q16));
  assert.ok(q8.relErrorRms > 5 * q16.relErrorRms && q8.klMean > 10 * q16.klMean, JSON.stringify(q8));
});

test('class agreement, hand-computed: KL, top-1 and relative error', () => {
  const p = Float32Array.of(0.5, 0.5);
  const q = Float32Array.of(0.25, 0.75);
  const a = classAgreement([p, p], [p, q]);
  assert.is(a.images, 2);
  assert.is(a.top1Agree, 1, 'argmax of (0.5, 0.5) is class 0; of (0.25, 0.75) class 1');
  const kl = 0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75);
  assert.ok(Math.abs(a.klMax - kl) < 1e-7 && Math.abs(a.klMean - kl / 2) < 1e-7);
  assert.ok(Math.abs(a.relErrorMax - Math.hypot(0.25, 0.25) / Math.hypot(0.5, 0.5)) < 1e-7);
  assert.ok(Math.abs(a.relErrorRms - a.relErrorMax / Math.SQRT2) < 1e-7);
  assert.throws(() => classAgreement([p], []), /1 reference vs 0/);
});

test.run();
