import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArch } from '../../../sim/arch.ts';
import { loadNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { generateSyntheticTrace, SYNTHETIC_DRAWS } from '../../../traces/synthetic.ts';
import { regionMaskOf } from '../../../models/drq/layer-widths.ts';
import { sensitivityMask } from '../../../models/drq/sensitivity.ts';
import { drqParams } from '../../../models/drq/params.ts';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-drq-masks-'));
process.env.QUANTSIM_CACHE_DIR = dir;
const net = loadNetwork(join(import.meta.dirname, '../../fixtures/dnateq-small.json'));
const conv2 = net.layers.find((l) => l.name === 'conv2')!;
const arch = loadArch('drq');
const p = drqParams(arch.config);
const masks = () => readdirSync(join(dir, 'drq-masks')).sort();

test('a mask read back from disk equals the computed one, byte for byte', () => {
  const computed = sensitivityMask(conv2, generateSyntheticTrace(net, { seed: 4 }).layers.get('conv2')!.activations, p);
  const first = regionMaskOf(conv2, generateSyntheticTrace(net, { seed: 4 }).layers.get('conv2'), p, undefined);
  assert.equal(masks().length, 1);
  const back = regionMaskOf(conv2, generateSyntheticTrace(net, { seed: 4 }).layers.get('conv2'), p, undefined);
  assert.ok(back.mask instanceof Uint8Array);
  assert.equal(back, computed);
  assert.equal(first, computed);
  assert.equal(masks().length, 1);
  // Another seed is another recipe: its own entry.
  regionMaskOf(conv2, generateSyntheticTrace(net, { seed: 5 }).layers.get('conv2'), p, undefined);
  assert.equal(masks().length, 2);
});

test('a warm DRQ run neither recomputes masks nor touches the activations; its report equals the cold one', () => {
  const report = () => JSON.stringify(simulate(arch, net, { trace: generateSyntheticTrace(net, { seed: 9 }) }));
  process.env.QUANTSIM_CACHE = 'off';
  let cold: string;
  try {
    cold = report();
  } finally {
    delete process.env.QUANTSIM_CACHE;
  }
  assert.is(report(), cold);
  assert.ok(masks().length > 2, 'the warm run wrote its masks');
  // Without the tensors on disk, any read of the activations would draw them again.
  rmSync(join(dir, 'synthetic'), { recursive: true, force: true });
  const before = SYNTHETIC_DRAWS.activations;
  assert.is(report(), cold);
  assert.is(SYNTHETIC_DRAWS.activations, before);
});

test('no activations: the mask step names what is missing', () => {
  assert.throws(() => regionMaskOf(conv2, { layer: 'conv2' }, p, undefined), /no input activations/);
  assert.throws(() => regionMaskOf(conv2, undefined, p, undefined), /no input activations/);
});

test.run();
