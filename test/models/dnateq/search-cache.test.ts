import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArch } from '../../../sim/arch.ts';
import { loadNetwork } from '../../../sim/workload.ts';
import type { LayerTrace, Trace } from '../../../sim/trace.ts';
import { generateSyntheticTrace } from '../../../traces/synthetic.ts';
import { quantizeNetwork } from '../../../models/dnateq/accelerator.ts';
import { dnateqSpec } from '../../../models/dnateq/spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-dnateq-cache-'));
process.env.QUANTSIM_CACHE_DIR = dir;
const net = loadNetwork(join(import.meta.dirname, '../../fixtures/dnateq-small.json'));
const spec = dnateqSpec(loadArch('dnateq').config);
const entries = () => readdirSync(join(dir, 'dnateq')).sort();
// A fresh trace object each time: the in-memory cache (keyed on the object) misses, the disk decides.
const fresh = (seed = 5) => generateSyntheticTrace(net, { seed });
const searches = (t: Trace) => quantizeNetwork(net, t, spec, '3').quant.layers.map((l) => l.search);

test('a second process reads the searches from disk: the same candidates, no new entries', () => {
  const first = searches(fresh());
  const files = entries();
  assert.is(files.length, first.length);
  assert.equal(searches(fresh()), first);
  assert.equal(entries(), files);
});

test('the key covers the tensors: another seed misses, and so does a tensor edited in memory (then checked)', () => {
  const before = entries().length;
  searches(fresh(6));
  assert.is(entries().length, 2 * before);
  const t = fresh();
  const fc = t.layers.get('fc')!;
  const data = Float32Array.from(fc.activations!.data);
  data[3] = NaN;
  const edited: Trace = { ...t, layers: new Map([...t.layers, ['fc', { ...fc, activations: { ...fc.activations!, data } } as LayerTrace]]) };
  assert.throws(() => searches(edited), /NaN/);
});

test('an unreadable entry is recomputed; QUANTSIM_CACHE=off neither reads nor writes', () => {
  for (const f of entries()) writeFileSync(join(dir, 'dnateq', f), '{ truncated');
  const again = searches(fresh());
  assert.ok(again.every((s) => s.candidates.length === 5));
  process.env.QUANTSIM_CACHE = 'off';
  try {
    const n = entries().length;
    searches(fresh(7));
    assert.is(entries().length, n);
  } finally {
    delete process.env.QUANTSIM_CACHE;
  }
});

test.run();
