import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNetwork, networkMacs, parameterCount, type Network } from '../../sim/workload.ts';

const count = (n: Network, kind: string) => n.layers.filter((l) => l.kind === kind).length;
/** BatchNorm γ and β per conv output channel (running statistics are buffers, not parameters). */
const bnAffine = (n: Network) => 2 * n.layers.filter((l) => l.kind === 'conv' || l.kind === 'depthwise').reduce((s, l) => s + l.M, 0);

test('VGG-16: torchvision 138,357,544 parameters, ≈15.5 GMACs', () => {
  const n = loadNetwork('vgg16');
  assert.is(parameterCount(n), 138_357_544);
  assert.is(networkMacs(n), 15_470_264_320);
  assert.is(count(n, 'conv'), 13);
  assert.is(count(n, 'fc'), 3);
});

test('ResNet-50 v1.5: 53 convs, 16 adds, 4.09 GMACs; 25,503,912 + 53,120 BN = torchvision 25,557,032', () => {
  const n = loadNetwork('resnet50');
  assert.is(count(n, 'conv'), 53);
  assert.is(count(n, 'add'), 16);
  assert.is(n.layers.filter((l) => l.name.endsWith('downsample')).length, 4);
  assert.is(parameterCount(n), 25_503_912);
  assert.is(bnAffine(n), 53_120);
  assert.is(parameterCount(n) + bnAffine(n), 25_557_032);
  assert.ok(Math.abs(networkMacs(n) / 4.1e9 - 1) < 0.01, String(networkMacs(n)));
  for (const l of n.layers.filter((x) => x.kind === 'add')) {
    assert.is(l.inputs.length, 2, l.name);
    assert.is(l.P, l.Q, l.name);
  }
  const l2 = n.layers.find((l) => l.name === 'layer2.0.conv2')!;
  assert.is(l2.strideH, 2, 'v1.5: the stride sits on the 3×3 conv');
  assert.is(n.layers.find((l) => l.name === 'layer2.0.conv1')!.strideH, 1);
});

test('MobileNet-v1: 569 M MACs; 4,210,088 + 21,888 BN = Keras 4,231,976 trainable', () => {
  const n = loadNetwork('mobilenet-v1');
  assert.is(count(n, 'depthwise'), 13);
  assert.is(parameterCount(n), 4_210_088);
  assert.is(parameterCount(n) + bnAffine(n), 4_231_976);
  assert.is(parameterCount(n) + 2 * bnAffine(n), 4_253_864, 'Keras total with moving mean/variance');
  assert.ok(Math.abs(networkMacs(n) / 569e6 - 1) < 0.001, String(networkMacs(n)));
});

test('LightNN networks have exactly the published parameter counts', () => {
  const published: Record<string, number> = {
    'lightnn-mnist-1hidden': 79_510,
    'lightnn-mnist-2conv': 431_080,
    'lightnn-mnist-3hidden': 36_818_954,
    'lightnn-cifar10-3conv': 82_208,
    'lightnn-cifar10-6conv': 39_191_690,
  };
  for (const [name, params] of Object.entries(published)) assert.is(parameterCount(loadNetwork(name)), params, name);
  const six = loadNetwork('lightnn-cifar10-6conv');
  assert.is([count(six, 'conv'), count(six, 'fc')].join(), '6,3');
  const three = loadNetwork('lightnn-cifar10-3conv');
  assert.is([count(three, 'conv'), count(three, 'fc')].join(), '3,1');
});

test('every shipped network says where it comes from', () => {
  for (const name of ['vgg16', 'resnet50', 'mobilenet-v1', 'transformer-base', 'lightnn-mnist-1hidden']) {
    const n = loadNetwork(name);
    assert.ok(n.source.length > 10 && n.description.length > 10, name);
  }
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, '../../configs/networks/resnet50.json'), 'utf8'));
  assert.is(raw.parameters, 25_503_912);
});

test.run();
