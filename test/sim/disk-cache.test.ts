import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork } from '../../sim/workload.ts';
import type { LayerTrace, Trace } from '../../sim/trace.ts';
import { generateSyntheticTrace, SYNTHETIC_DRAWS } from '../../traces/synthetic.ts';
import { quantizeNetwork } from '../../models/dnateq/accelerator.ts';
import { dnateqSpec } from '../../models/dnateq/spec.ts';
import { cacheQuickSteps, diskCached } from '../../sim/disk-cache.ts';
import { clearMappingCache } from '../../models/eyeriss/accelerator.ts';
import { simulate } from '../../sim/simulate.ts';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-disk-cache-'));
process.env.QUANTSIM_CACHE_DIR = dir;
const net = loadNetwork(join(import.meta.dirname, '../fixtures/dnateq-small.json'));
const spec = dnateqSpec(loadArch('dnateq').config);
const entries = (ns = 'dnateq') => readdirSync(join(dir, ns)).sort();
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

test('a warm search is keyed by the synthetic tensors\' recipes: it draws no tensor at all', () => {
  searches(fresh());
  const before = { ...SYNTHETIC_DRAWS };
  const again = searches(fresh());
  assert.equal(SYNTHETIC_DRAWS, before);
  assert.ok(again.length > 0);
  // A new seed is another recipe: a miss, which draws the tensors it searches.
  searches(fresh(11));
  assert.ok(SYNTHETIC_DRAWS.weights > before.weights && SYNTHETIC_DRAWS.activations > before.activations);
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

test('with quick steps on, mapping searches are read back from disk and give the same report', () => {
  const arch = loadArch('eyeriss-int8');
  const alexnet = loadNetwork('alexnet');
  cacheQuickSteps();
  try {
    clearMappingCache();
    const first = simulate(arch, alexnet);
    const files = entries('mappings');
    assert.ok(files.length >= 5, `${files.length} mapping entries`);
    clearMappingCache();
    assert.equal(simulate(arch, alexnet), first);
    assert.equal(entries('mappings'), files);
  } finally {
    cacheQuickSteps(false);
  }
});

test('values survive the round trip: Infinity, NaN, -Infinity, and a string that looks like one', () => {
  const k = { code: ['sim/disk-cache.ts'], key: 'edge', tensors: [] };
  const v = { a: Infinity, b: [NaN, -Infinity, 1.5e-300], c: 'Infinity', d: { $n: 1 } };
  assert.equal(diskCached('t', k, () => v), v);
  let calls = 0;
  const back = diskCached('t', k, () => (calls++, { a: 0 }));
  assert.is(calls, 0);
  assert.is(back.a, Infinity);
  assert.equal(back, v);
});

test('LightNN rounding is cached per weights, K and seed: the same report from disk', () => {
  const run = (seed: number) => JSON.stringify(simulate(loadArch('lightnn2'), net, { mode: 'opcount', trace: fresh(), seed }));
  const first = run(1);
  const files = entries('lightnn');
  assert.ok(files.length > 0);
  assert.is(run(1), first);
  assert.equal(entries('lightnn'), files);
  assert.is.not(run(2), first);
  assert.ok(entries('lightnn').length > files.length);
});

test('synthetic tensors are kept on disk by recipe: a new process reads the same bytes and draws none', () => {
  const bytes = (t: Trace) => ['conv1', 'conv2', 'fc'].flatMap((l) => [t.layers.get(l)!.weights!, t.layers.get(l)!.activations!]).map((x) => Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength).toString('hex'));
  const drawn = { ...SYNTHETIC_DRAWS };
  const first = bytes(fresh(31));
  assert.is(SYNTHETIC_DRAWS.weights, drawn.weights + 3);
  assert.ok(entries('synthetic').length >= 6 && entries('synthetic').every((f) => f.endsWith('.npy')));
  const read = { ...SYNTHETIC_DRAWS };
  const t = fresh(31);
  assert.equal(bytes(t), first);
  assert.equal(SYNTHETIC_DRAWS, read);
  assert.equal(t.layers.get('conv1')!.weights!.shape, [8, 3, 3, 3]);
  // An unreadable file is drawn again (the same bytes); with the cache off every tensor is drawn.
  for (const f of entries('synthetic')) writeFileSync(join(dir, 'synthetic', f), 'not npy');
  assert.equal(bytes(fresh(31)), first);
  assert.is(SYNTHETIC_DRAWS.weights, read.weights + 3);
  process.env.QUANTSIM_CACHE = 'off';
  try {
    const n = SYNTHETIC_DRAWS.activations;
    assert.equal(bytes(fresh(31)), first);
    assert.is(SYNTHETIC_DRAWS.activations, n + 3);
  } finally {
    delete process.env.QUANTSIM_CACHE;
  }
});

test('a Uint8Array survives the round trip as a Uint8Array', () => {
  const k = { code: ['sim/disk-cache.ts'], key: 'bytes', tensors: [] };
  const v = { mask: Uint8Array.from([0, 1, 255, 7]), n: 2 };
  diskCached('t', k, () => v);
  const back = diskCached('t', k, () => ({ mask: new Uint8Array(0), n: 0 }));
  assert.ok(back.mask instanceof Uint8Array);
  assert.equal([...back.mask], [0, 1, 255, 7]);
  assert.is(back.n, 2);
});

test.run();
