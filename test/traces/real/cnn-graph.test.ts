import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convShape, foldBatchNorm, poolShape, recordedInputShape, samePad, scaleFilters, type ConvNode } from '../../../traces/real/cnn-graph.ts';
import { tfLayerName } from '../../../traces/real/cnn-tfgraph.ts';
import { loadNsfwjsModel } from '../../../traces/real/nsfwjs-models.ts';
import { loadNetwork } from '../../../sim/workload.ts';

test('TF SAME padding: the odd pixel goes after; stride 1 odd kernels are symmetric', () => {
  assert.equal(samePad(224, 3, 2), [0, 1]);
  assert.equal(samePad(225, 3, 2), [1, 1]);
  assert.equal(samePad(17, 7, 1), [3, 3]);
  assert.equal(samePad(7, 1, 1), [0, 0]);
  assert.equal(convShape([224, 224, 3], 3, 3, 48, [2, 2], [0, 1, 0, 1]), [112, 112, 48]);
  assert.equal(poolShape([35, 35, 288], [3, 3], [2, 2], 'valid'), [17, 17, 288]);
  assert.equal(poolShape([35, 35, 288], [3, 3], [1, 1], 'same'), [35, 35, 288]);
  const n = { pad: [0, 1, 0, 1] } as unknown as ConvNode;
  assert.equal(recordedInputShape(n, [224, 224, 3]), [225, 225, 3]);
});

test('batch norm folding, hand-computed: scale = γ/√(var+ε), offset = β − mean·scale; no γ means 1', () => {
  const f = foldBatchNorm(Float32Array.of(1, -2), Float32Array.of(3, 0.25), Float32Array.of(0.5, 0), Float32Array.of(2, 1), 1);
  assert.equal(Array.from(f.scale), [1, Math.fround(1 / Math.sqrt(1.25))]);
  assert.equal(Array.from(f.offset), [-0.5, Math.fround(2 * Math.fround(1 / Math.sqrt(1.25)))]);
  assert.equal(Array.from(foldBatchNorm(Float32Array.of(0), Float32Array.of(3), Float32Array.of(1), undefined, 1).scale), [0.5]);
  // HWIO [1, 1, 2, 2]: output channel = index mod 2.
  assert.equal(Array.from(scaleFilters(Float32Array.of(1, 1, 2, 2), 2, Float32Array.of(3, 5))), [3, 5, 6, 10]);
});

test('graph-model layer names drop the SavedModel prefix and the trailing op', () => {
  const p = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/';
  assert.is(tfLayerName(`${p}Conv/Relu6`), 'Conv');
  assert.is(tfLayerName(`${p}expanded_conv_3/depthwise/depthwise`), 'expanded_conv_3.depthwise');
  assert.is(tfLayerName(`${p}expanded_conv_3/project/BatchNorm/FusedBatchNormV3`), 'expanded_conv_3.project');
  assert.is(tfLayerName(`${p}expanded_conv_2/add`), 'expanded_conv_2.add');
});

test("the mid MobileNetV2's stride-2 SAME convs record the zero-padded map; Inception's 1×7 / 7×1 convs keep their symmetric padding", () => {
  const mid = loadNsfwjsModel('mobilenet-v2-mid').graph.nodes.find((n) => n.name === 'Conv') as ConvNode;
  assert.equal([mid.pad, mid.stride, mid.C, mid.M], [[0, 1, 0, 1], [2, 2], 3, 48]);
  const conv = loadNetwork('mobilenet-v2-mid').layers.find((l) => l.name === 'Conv')!;
  assert.equal([conv.H, conv.padH, conv.P], [225, 0, 112]);
  const inc = loadNetwork('inception-v3');
  const k17 = inc.layers.filter((l) => l.R === 1 && l.S === 7);
  assert.ok(k17.length > 0 && k17.every((l) => l.padH === 0 && l.padW === 3 && l.Q === l.W), JSON.stringify(k17.map((l) => [l.name, l.padW])));
  // A conv after a concatenation lists the concatenated branches as its inputs.
  assert.ok(inc.layers.some((l) => l.kind === 'conv' && l.inputs.length === 4));
});

test.run();
