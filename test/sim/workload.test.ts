import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNetwork, macs, makeLayer, makeNetwork, networkMacs, parameterCount, weightCount, inputCount, outputCount } from '../../sim/workload.ts';

test('AlexNet (Eyeriss shapes): 724.4 M MACs and 60,965,224 parameters', () => {
  const n = loadNetwork('alexnet');
  assert.is(networkMacs(n), 724_406_816);
  assert.is(parameterCount(n), 60_965_224);
  const conv1 = n.layers[0]!;
  assert.is(conv1.P, 55);
  assert.is(macs(conv1), 105_415_200);
});

test('output size is derived from input, filter, stride and padding', () => {
  const l = makeLayer({ name: 'c', kind: 'conv', C: 3, M: 8, H: 224, R: 7, stride: 2, padding: 3 });
  assert.is(l.P, 112);
  assert.is(l.Q, 112);
  assert.is(macs(l), 8 * 112 * 112 * 3 * 49);
  assert.is(weightCount(l), 8 * 3 * 49);
  assert.is(inputCount(l), 3 * 224 * 224);
  assert.is(outputCount(l), 8 * 112 * 112);
});

test('grouped and depthwise convolutions divide the input channels', () => {
  const g = makeLayer({ name: 'g', kind: 'conv', C: 96, M: 256, H: 27, R: 5, padding: 2, groups: 2 });
  assert.is(macs(g), 256 * 27 * 27 * 48 * 25);
  const dw = makeLayer({ name: 'dw', kind: 'depthwise', C: 32, H: 112, R: 3, padding: 1 });
  assert.is(dw.groups, 32);
  assert.is(macs(dw), 32 * 112 * 112 * 9);
});

test('inconsistent shapes are errors naming the JSON path', () => {
  assert.throws(() => makeLayer({ name: 'x', kind: 'conv', C: 3, M: 8, H: 10, P: 9, R: 3 }, 'net.json', '/layers/0'), /net\.json: \/layers\/0\/P: P = 9 does not match/);
  assert.throws(() => makeLayer({ name: 'x', kind: 'conv', C: 3, M: 8, H: 2, R: 5 }, 'n.json', '/layers/1'), /filter \(5\) larger than padded input/);
  assert.throws(() => makeLayer({ name: 'x', kind: 'conv', C: 3, M: 8, H: 8, R: 3, groups: 2 }, 'n.json', '/layers/0'), /divisible by groups/);
  assert.throws(
    () => makeNetwork({ name: 'n', parameters: 5, layers: [{ name: 'f', kind: 'fc', C: 2, M: 2 }] }, 'n.json'),
    /n\.json: \/parameters: layers have 6 parameters but "parameters" says 5/,
  );
  assert.throws(() => makeNetwork({ name: 'n', layers: [{ name: 'a', kind: 'fc', C: 2, M: 2 }, { name: 'a', kind: 'fc', C: 2, M: 2 }] }, 'n.json'), /duplicate layer name/);
});

test('an add layer given only H is square', () => {
  const a = makeLayer({ name: 'res', kind: 'add', C: 64, H: 56 });
  assert.is(a.Q, 56);
  assert.is(outputCount(a), 64 * 56 * 56);
});

test('unknown network names list the known ones', () => {
  assert.throws(() => loadNetwork('resnet9000'), /unknown network "resnet9000" \(known: .*alexnet/);
});

test.run();
