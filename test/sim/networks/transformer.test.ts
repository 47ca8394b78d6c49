import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNetwork, macs, makeNetwork, networkMacs, parameterCount } from '../../../sim/workload.ts';
import { transformerBase } from '../../../sim/networks/transformer.ts';

test('96 fc layers, 36 attention matmuls, 30 residual adds; 44,107,776 fc parameters', () => {
  const n = makeNetwork(transformerBase(128));
  const kinds = (k: string) => n.layers.filter((l) => l.kind === k).length;
  assert.is(kinds('fc'), 96);
  assert.is(kinds('matmul'), 36);
  assert.is(kinds('add'), 30);
  assert.is(parameterCount(n), 44_107_776);
});

test('MACs: P × weights for the fc layers plus 2·seq²·512 per attention block', () => {
  for (const seq of [1, 7, 128]) {
    const n = makeNetwork(transformerBase(seq));
    const fcWeights = 6 * (4 * 512 * 512 + 2 * 512 * 2048) + 6 * (8 * 512 * 512 + 2 * 512 * 2048);
    assert.is(networkMacs(n), seq * fcWeights + 18 * 2 * seq * seq * 512, `seq ${seq}`);
    const scores = n.layers.find((l) => l.name === 'enc1.attn.scores')!;
    assert.is(macs(scores), 8 * seq * seq * 64);
    assert.equal(scores.inputs, ['enc1.attn.q', 'enc1.attn.k']);
  }
});

test('cross-attention K and V read the encoder output', () => {
  const n = makeNetwork(transformerBase(16));
  assert.equal(n.layers.find((l) => l.name === 'dec3.cross.k')!.inputs, ['enc6.add2']);
  assert.equal(n.layers.find((l) => l.name === 'dec3.cross.q')!.inputs, ['dec3.add1']);
});

test('the shipped JSON is transformerBase(128); transformer-base@N loads other lengths', () => {
  const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../../configs/networks/transformer-base.json'), 'utf8'));
  const { $schema: _s, ...rest } = shipped;
  assert.equal(rest, JSON.parse(JSON.stringify(transformerBase(128))));
  const n = loadNetwork('transformer-base@256');
  assert.is(n.name, 'transformer-base@256');
  assert.is(n.layers[0]!.P, 256);
});

test('bad sizes are user errors', () => {
  assert.throws(() => loadNetwork('transformer-base@0'), /sequence length must be an integer in 1\.\.1000000/);
  assert.throws(() => loadNetwork('transformer-base@x'), /N must be a positive integer, got "x"/);
  assert.throws(() => loadNetwork('vgg16@3'), /"vgg16" takes no @size/);
});

test.run();
