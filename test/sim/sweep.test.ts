import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { join } from 'node:path';
import { mkdtempSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { canonicalJson, DEFAULT_MAX_POINTS, designAssignments, expandSweep, gridValues, loadSweepSpec, mergeResults, shardPoints, sweep, type SweepSpec } from '../../sim/sweep.ts';
import { readResults } from '../../sim/jsonl.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const specFile = join(fixtures, 'tiny-sweep.json');
const { spec, baseDir } = loadSweepSpec(specFile);
const dir = mkdtempSync(join(tmpdir(), 'quantsim-sweep-'));
const withAxes = (axes: SweepSpec['axes'], extra: Partial<SweepSpec> = {}): SweepSpec => ({ ...spec, axes, ...extra });
const keys = (s: SweepSpec) => expandSweep(s, baseDir).points.map((p) => p.key);
const lineSet = (file: string) => new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean));

test('a grid has the product of the axis sizes; ranges by step and by count', () => {
  assert.equal(gridValues({ path: '/a', range: { from: 1, to: 4, step: 1 } }), [1, 2, 3, 4]);
  assert.equal(gridValues({ path: '/a', range: { from: 0.1, to: 0.3, step: 0.1 } }), [0.1, 0.2, 0.3]);
  assert.equal(gridValues({ path: '/a', range: { from: 64, to: 512, count: 4, scale: 'log', integer: true } }), [64, 128, 256, 512]);
  assert.is(expandSweep(spec, baseDir).points.length, 3 * 4 * 2);
});

test('keys are stable: the same config gets the same key whatever the axis order, name or path of reaching it', () => {
  const a = keys(withAxes([{ path: '/array/rows', values: [2, 4] }, { path: '/array/cols', values: [3] }]));
  const b = keys(withAxes([{ path: '/array/cols', name: 'c', values: [3] }, { path: '/array/rows', name: 'r', values: [2, 4] }]));
  assert.equal(a, b);
  // rows 2 is the base config's own value: same key as the sweep that only sets cols.
  assert.is(keys(withAxes([{ path: '/array/cols', values: [3] }]))[0], a[0]);
  // Anything that changes the result changes the key: the seed, a cost scale.
  const base = keys(withAxes([]))[0]!;
  assert.is.not(keys(withAxes([], { seed: 2 }))[0], base);
  assert.is.not(keys(withAxes([{ path: '/costs/sram/energyScale', values: [2] }]))[0], base);
  assert.is(keys(withAxes([{ path: '/costs/sram/energyScale', values: [2] }]))[0], keys(withAxes([{ path: '/costs/sram/energyScale', values: [2] }]))[0]);
  assert.match(base, /^[0-9a-f]{16}$/);
});

test('canonical JSON ignores key order (property)', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (o) => {
      const reversed = Object.fromEntries(Object.entries(o).reverse());
      return canonicalJson(o) === canonicalJson(reversed);
    }),
    { seed: 42, numRuns: 200 },
  );
});

test('random and Latin-hypercube designs are seeded; LHS uses each stratum of each axis once', () => {
  const axes = [{ path: '/a', range: { from: 0, to: 1 } }, { path: '/b', range: { from: 10, to: 20 } }];
  const lhs = (seed: number) => designAssignments({ ...spec, seed, axes, design: { method: 'lhs', samples: 50 } });
  assert.equal(lhs(7), lhs(7));
  assert.not.equal(lhs(7), lhs(8));
  const pts = lhs(7);
  for (const [i, a] of axes.entries()) {
    const strata = pts.map((p) => Math.floor(((p[i] as number) - a.range.from) / ((a.range.to - a.range.from) / 50))).sort((x, y) => x - y);
    assert.equal(strata, Array.from({ length: 50 }, (_, k) => k));
  }
  const rnd = designAssignments({ ...spec, axes: [{ path: '/array/rows', values: [1, 2, 3] }], design: { method: 'random', samples: 30 } });
  assert.is(rnd.length, 30);
  assert.ok(rnd.every(([v]) => [1, 2, 3].includes(v as number)));
});

test('duplicate draws (integer rounding) are dropped and counted', () => {
  const s = withAxes([{ path: '/array/rows', range: { from: 1, to: 3, integer: true } }], { design: { method: 'random', samples: 40 } });
  const e = expandSweep(s, baseDir);
  assert.is(e.points.length, 3);
  assert.is(e.duplicates, 37);
});

test('a synthetic trace is part of the key; a sweep with it runs', async () => {
  const withTrace = withAxes([], { trace: 'synth' });
  assert.is.not(keys(withTrace)[0], keys(withAxes([]))[0]);
  const s = await sweep(withTrace, { workers: 0, baseDir });
  assert.is(s.errors, 0);
  assert.is(s.results.length, 1);
});

test('bad specs are user errors naming the spec and path', () => {
  const bad = (s: SweepSpec, re: RegExp) => assert.throws(() => expandSweep(s, baseDir, 'spec.json'), (e: Error) => e.name === 'UserError' && re.test(e.message));
  bad(withAxes([{ path: '/array/rows', values: [0] }]), /spec\.json: \/axes: point \{"\/array\/rows":0\} makes an invalid config: .*\/array\/rows: must be integer/);
  bad(withAxes([{ path: '/costs/nosuch/energyScale', values: [2] }]), /no cost class "nosuch"/);
  bad(withAxes([{ path: '/costs/sram/area', values: [2] }]), /\/costs\/<class>\/energyScale/);
  bad(withAxes([{ path: '/array/rows', range: { from: 1, to: 3 } }]), /needs "count" or "step"/);
  bad(withAxes([{ path: '/array/rows', values: [1], range: { from: 1, to: 3 } }]), /exactly one of "values" and "range"/);
  bad(withAxes([], { design: { method: 'lhs' } }), /needs "samples"/);
  bad(withAxes([], { trace: 'no/such/dir' }), /spec\.json: \/trace: no trace folder/);
});

test('a design beyond maxPoints is refused before its points exist; the spec can raise the limit', () => {
  const bad = (s: SweepSpec, re: RegExp) => assert.throws(() => expandSweep(s, baseDir, 'spec.json'), (e: Error) => e.name === 'UserError' && re.test(e.message));
  const huge = ['/array/rows', '/array/cols', '/globalBuffer/kib'].map((path) => ({ path, range: { from: 1, to: 1000, count: 1000, integer: true } }));
  const t = performance.now();
  bad(withAxes(huge), /^spec\.json: \/axes: a grid of 1000 × 1000 × 1000 values × 1 scheme-network pair\(s\) = 1,000,000,000 points, more than maxPoints 100,000; .*raise "maxPoints"/);
  assert.ok(performance.now() - t < 1000, 'refused at once, not after building the grid');
  assert.is(DEFAULT_MAX_POINTS, 100_000);
  bad(withAxes([], { design: { method: 'lhs', samples: 10_000_000 } }), /spec\.json: \/design\/samples: 10,000,000 samples × 1 .* = 10,000,000 points/);
  const twelve = withAxes([{ path: '/array/rows', values: [1, 2, 4] }, { path: '/array/cols', values: [1, 2, 3, 4] }]);
  bad({ ...twelve, maxPoints: 11 }, /a grid of 3 × 4 values × 1 scheme-network pair\(s\) = 12 points, more than maxPoints 11/);
  bad({ ...twelve, networks: ['two-layer.json', 'alexnet'], maxPoints: 23 }, /× 2 scheme-network pair\(s\) = 24 points/);
  assert.is(expandSweep({ ...twelve, maxPoints: 12 }, baseDir).points.length, 12);
});

test('an arch config, network or cost table the spec names that cannot be loaded is reported at its entry', () => {
  const bad = (s: SweepSpec, re: RegExp) => assert.throws(() => expandSweep(s, baseDir, 'spec.json'), (e: Error) => e.name === 'UserError' && re.test(e.message));
  bad({ ...spec, networks: ['two-layer.json', 'nosuch'] }, /^spec\.json: \/networks\/1: unknown network "nosuch"/);
  bad({ ...spec, schemes: ['nosuch-arch'] }, /^spec\.json: \/schemes\/0: unknown arch config "nosuch-arch"/);
  bad({ ...spec, costs: 'absent.json' }, /^spec\.json: \/costs: .*absent\.json: cannot read cost table: ENOENT/);
});

test('shards are disjoint and their union is the whole sweep; merge joins them in spec order', async () => {
  const all = expandSweep(spec, baseDir).points;
  for (let n = 1; n <= 5; n++) {
    const parts = Array.from({ length: n }, (_, i) => shardPoints(all, { index: i + 1, count: n }).map((p) => p.key));
    assert.equal(parts.flat().sort(), all.map((p) => p.key).sort(), `${n} shards`);
  }
  const full = join(dir, 'full.jsonl');
  await sweep(specFile, { out: full, workers: 0 });
  const files = [1, 2, 3].map((i) => join(dir, `shard-${i}.jsonl`));
  for (const [i, f] of files.entries()) await sweep(specFile, { out: f, workers: 0, shard: { index: i + 1, count: 3 } });
  const m = mergeResults([...files, files[0]!], all);
  assert.equal(m.missing, []);
  assert.equal(m.conflicts, []);
  assert.is(m.duplicates.length, readResults(files[0]!).lines.length);
  assert.equal(new Set(m.lines.map((l) => JSON.stringify(l))), lineSet(full));
  assert.equal(m.lines.map((l) => l.key), all.map((p) => p.key));
  assert.equal(mergeResults(files.slice(1), all).missing.length, readResults(files[0]!).lines.length);
});

test('resume skips finished keys and cuts a torn last line; result lines are small and complete', async () => {
  const out = join(dir, 'resume.jsonl');
  const first = await sweep(specFile, { out, workers: 0, shard: { index: 1, count: 2 } });
  appendFileSync(out, '{"key":"deadbeef","arch":"ti');
  const again = await sweep(specFile, { out, workers: 0 });
  assert.is(again.resumed, first.computed);
  assert.is(again.computed, again.points - first.computed);
  const text = readFileSync(out, 'utf8');
  assert.ok(text.endsWith('\n') && !text.includes('deadbeef'));
  assert.equal(lineSet(out), lineSet(join(dir, 'full.jsonl')));
  const line = readResults(out).lines[0]!;
  for (const k of ['key', 'arch', 'scheme', 'network', 'mode', 'seed', 'values', 'totals', 'energyByPartPj']) assert.ok(k in line, k);
  assert.not.ok('layers' in line);
  const rerun = await sweep(specFile, { out, workers: 0 });
  assert.is(rerun.computed, 0);
});

test('worker threads (piscina, .ts loaded through tsx) give the same lines as the main thread', async () => {
  const out = join(dir, 'pool.jsonl');
  const s = await sweep(specFile, { out, workers: 2, batchSize: 1 });
  assert.is(s.computed, 24);
  assert.equal(lineSet(out), lineSet(join(dir, 'full.jsonl')));
});

test('a point the model refuses (no fp cost entry in the table) becomes an error line, not a crash', async () => {
  const s = await sweep(withAxes([{ path: '/datapath/arithmetic', values: ['int', 'fp16'] }]), { workers: 0, baseDir });
  assert.is(s.results.length, 2);
  assert.is(s.errors, 1);
  const bad = s.results.find((r) => r.values['/datapath/arithmetic'] === 'fp16')!;
  assert.match(bad.error!, /no cost entry "fp_/);
  assert.is(bad.totals, undefined);
});

test.run();
