import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadArch } from '../../../sim/arch.ts';
import { loadNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { generateSyntheticTrace } from '../../../traces/synthetic.ts';
import { dnateqVariant } from '../../../models/dnateq/validation.ts';

// A short sequence and a light search keep this fast; the shapes are Transformer-base's.
const net = loadNetwork('transformer-base@16');
const trace = generateSyntheticTrace(net, { seed: 1 });
const arch = dnateqVariant(loadArch('dnateq'), { '/dnateq/search/sampleSize': 512, '/dnateq/search/proxyOutputs': 8, '/dnateq/search/maxSteps': 4 });

test('trace synth holds both operands of every matmul: left as activations [N·P, C], right (K or V) as [N, M, C/groups]', () => {
  for (const l of net.layers.filter((x) => x.kind === 'matmul')) {
    const t = trace.layers.get(l.name)!;
    assert.equal(t.activations!.shape, [16, l.C]);
    assert.equal(t.weights!.shape, [1, l.M, l.C / l.groups]);
  }
  // The attention probabilities (context's left operand) are softmax rows: non-negative, summing to 1 per head.
  const ctx = trace.layers.get('enc1.attn.context')!.activations!.data;
  let sum = 0;
  for (let k = 0; k < 16; k++) sum += ctx[k]!;
  assert.ok(Math.abs(sum - 1) < 1e-5 && ctx.every((x) => x >= 0));
});

test('DNA-TEQ runs on transformer-base in op-count and arch modes: all 96 fc layers and the 36 attention matmuls', () => {
  for (const mode of ['opcount', 'arch'] as const) {
    const r = simulate(arch, net, { mode, trace });
    const dot = r.layers.filter((l) => l.kind === 'fc' || l.kind === 'matmul');
    assert.is(dot.filter((l) => l.kind === 'fc').length, 96);
    assert.is(dot.filter((l) => l.kind === 'matmul').length, 36);
    for (const l of dot) {
      const d = l.details as { bits: number; offsetTerms: string };
      assert.ok(d.bits >= 3 && d.bits <= 7, l.name);
      // A matmul's right operand is computed at run time: its terms 2 and 4 cannot be precomputed.
      if (l.kind === 'matmul') assert.is(d.offsetTerms, 'online', l.name);
      assert.ok(l.energyPj > 0);
    }
    assert.ok(Number.isFinite(r.totals.energyPj));
  }
});

test.run();
