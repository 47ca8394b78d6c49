import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrace, writeTrace, expectedShape, sliceBatch, MANIFEST } from '../../traces/format.ts';
import { OUTPUT_MARKER } from '../../sim/output-folder.ts';
import { encodeNpy, readNpy } from '../../traces/npy.ts';
import { makeNetwork, makeLayer } from '../../sim/workload.ts';
import { throwsUser } from './helpers.ts';
import type { Tensor, Trace, LayerTrace } from '../../sim/trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-trace-'));
const net = makeNetwork({
  name: 'tiny',
  layers: [
    { name: 'conv1', kind: 'conv', C: 3, M: 4, H: 6, R: 3, padding: 1, relu: true },
    { name: 'dw', kind: 'depthwise', C: 4, H: 6, R: 3, padding: 1 },
    { name: 'pool', kind: 'pool', C: 4, H: 6, R: 2, stride: 2 },
    { name: 'fc', kind: 'fc', C: 36, M: 5 },
  ],
});

const ramp = (shape: number[], scale = 0.25): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, (_, k) => ((k % 17) - 8) * scale), dtype: 'float32' };
};
function tinyTrace(): Trace {
  const layers = new Map<string, LayerTrace>([
    ['conv1', { layer: 'conv1', weights: ramp([4, 3, 3, 3]), activations: ramp([2, 3, 6, 6]), outputs: ramp([2, 4, 6, 6]) }],
    ['dw', { layer: 'dw', weights: ramp([4, 1, 3, 3]), activations: ramp([2, 4, 6, 6]) }],
    ['pool', { layer: 'pool', activations: ramp([2, 4, 6, 6]) }],
    ['fc', { layer: 'fc', weights: ramp([5, 36]), activations: ramp([2, 36]) }],
  ]);
  return { network: 'tiny', source: 'synthetic', generator: 'test-ramp', parameters: { scale: 0.25 }, seed: 3, layers };
}


/** A valid trace folder to break in one way. */
function fresh(name: string): string {
  const d = join(dir, name);
  writeTrace(d, tinyTrace());
  return d;
}
const editManifest = (d: string, edit: (m: any) => void) => {
  const m = JSON.parse(readFileSync(join(d, MANIFEST), 'utf8'));
  edit(m);
  writeFileSync(join(d, MANIFEST), JSON.stringify(m));
};

test('PyTorch layouts: OIHW weights, NCHW activations, [M, C] / [N, C] for fc', () => {
  const [conv1, dw, pool, fc] = net.layers;
  assert.equal(expectedShape(conv1!, 'weights', 1), [4, 3, 3, 3]);
  assert.equal(expectedShape(conv1!, 'activations', 2), [2, 3, 6, 6]);
  assert.equal(expectedShape(conv1!, 'outputs', 2), [2, 4, 6, 6]);
  assert.equal(expectedShape(dw!, 'weights', 1), [4, 1, 3, 3]);
  assert.is(expectedShape(pool!, 'weights', 1), null);
  assert.equal(expectedShape(fc!, 'weights', 1), [5, 36]);
  assert.equal(expectedShape(fc!, 'activations', 7), [7, 36]);
  const grouped = makeLayer({ name: 'g', kind: 'conv', C: 96, M: 256, H: 27, R: 5, padding: 2, groups: 2 });
  assert.equal(expectedShape(grouped, 'weights', 1), [256, 48, 5, 5]);
});

test('write then load round-trips manifest fields and tensors; checks pass against the network', () => {
  const d = fresh('roundtrip');
  const m = JSON.parse(readFileSync(join(d, MANIFEST), 'utf8'));
  assert.is(m.version, 1);
  assert.is(m.source, 'synthetic');
  assert.equal(m.generator, { name: 'test-ramp', parameters: { scale: 0.25 } });
  assert.is(m.seed, 3);
  assert.equal(m.layers[0].weights, { file: 'conv1.weights.npy', dtype: 'float32', shape: [4, 3, 3, 3] });
  const t = loadTrace(d, net);
  assert.is(t.network, 'tiny');
  assert.is(t.generator, 'test-ramp');
  assert.equal(t.parameters, { scale: 0.25 });
  assert.is(t.seed, 3);
  assert.equal([...t.layers.keys()], ['conv1', 'dw', 'pool', 'fc']);
  const orig = tinyTrace();
  for (const [name, lt] of t.layers) {
    for (const role of ['weights', 'activations', 'outputs'] as const) {
      assert.equal(lt[role]?.shape, orig.layers.get(name)![role]?.shape, `${name} ${role}`);
      assert.equal(lt[role] && Array.from(lt[role]!.data), orig.layers.get(name)![role] && Array.from(orig.layers.get(name)![role]!.data));
    }
  }
});

test('files written by writeTrace are plain .npy that NumPy-style readers accept', () => {
  const d = fresh('plain');
  const w = readNpy(join(d, 'fc.weights.npy'));
  assert.equal(w.shape, [5, 36]);
  assert.equal(readdirSync(d).sort(), ['conv1.activations.npy', 'conv1.outputs.npy', 'conv1.weights.npy', 'dw.activations.npy', 'dw.weights.npy', 'fc.activations.npy', 'fc.weights.npy', MANIFEST, OUTPUT_MARKER, 'pool.activations.npy'].sort());
});

test('--dtype float16 halves the files and keeps values within half precision', () => {
  const d = join(dir, 'half');
  writeTrace(d, tinyTrace(), { dtype: 'float16' });
  const t = loadTrace(d, net);
  assert.is(t.layers.get('fc')!.weights!.dtype, 'float16');
  assert.equal(Array.from(t.layers.get('fc')!.weights!.data), Array.from(ramp([5, 36]).data)); // quarter steps are exact in binary16
});

test('writeTrace is byte-deterministic and replaces an existing trace atomically', () => {
  const d = fresh('again');
  const before = readFileSync(join(d, 'conv1.weights.npy'));
  writeTrace(d, tinyTrace());
  assert.equal(readFileSync(join(d, 'conv1.weights.npy')), before);
  assert.equal(readdirSync(dir).filter((f) => f.includes('.tmp') || f.includes('.old')), []);
});

test('writeTrace refuses to overwrite a folder that is not a trace', () => {
  const d = join(dir, 'not-a-trace');
  mkdirSync(d);
  writeFileSync(join(d, 'precious.txt'), 'x');
  throwsUser(() => writeTrace(d, tinyTrace()), /not-a-trace: holds 1 file\(s\) quantsim did not write \(e\.g\. "precious\.txt"\)/);
  assert.ok(existsSync(join(d, 'precious.txt')));
});

test('writeTrace refuses NaN and values an integer dtype cannot hold, leaving nothing behind', () => {
  const bad = tinyTrace();
  (bad.layers.get('dw')!.weights!.data as Float32Array)[5] = NaN;
  throwsUser(() => writeTrace(join(dir, 'nan-out'), bad), /dw\.weights\.npy: layer "dw" weights: NaN at element \[0, 0, 1, 2\]/);
  assert.not.ok(existsSync(join(dir, 'nan-out')));
  throwsUser(() => writeTrace(join(dir, 'int-out'), tinyTrace(), { dtype: 'int8' }), /not an integer in -128\.\.127; cannot store as int8/);
});

test('sampling: batch keeps the first inputs of activations and outputs, all weights', () => {
  const t = loadTrace(fresh('sample'), net, { batch: 1 });
  const a = t.layers.get('conv1')!;
  assert.equal(a.activations!.shape, [1, 3, 6, 6]);
  assert.equal(Array.from(a.activations!.data), Array.from(ramp([2, 3, 6, 6]).data.subarray(0, 108)));
  assert.equal(a.outputs!.shape, [1, 4, 6, 6]);
  assert.equal(a.weights!.shape, [4, 3, 3, 3]);
  assert.is(sliceBatch(ramp([2, 3]), 5).shape[0], 2);
});

test('errors name the file and layer: shapes against the network', () => {
  const d = fresh('wrong-shape');
  writeFileSync(join(d, 'conv1.weights.npy'), encodeNpy([4, 3, 9], ramp([4, 3, 9]).data, 'float32'));
  editManifest(d, (m) => (m.layers[0].weights.shape = [4, 3, 9]));
  throwsUser(() => loadTrace(d, net), /conv1\.weights\.npy: layer "conv1" weights: shape \[4, 3, 9\] does not match the layer: expected \[M, C\/groups, R, S\] = \[4, 3, 3, 3\]/);
  assert.ok(loadTrace(d).layers.get('conv1'), 'without a network only the manifest is checked');
  const e = fresh('wrong-act');
  writeFileSync(join(e, 'fc.activations.npy'), encodeNpy([2, 4, 3, 3], ramp([2, 4, 3, 3]).data, 'float32'));
  editManifest(e, (m) => (m.layers[3].activations.shape = [2, 4, 3, 3]));
  throwsUser(() => loadTrace(e, net), /fc\.activations\.npy: layer "fc" activations: shape \[2, 4, 3, 3\] does not match the layer: expected \[N, C\] = \[N, 36\]/);
});

test('errors: dtype and shape differing from the manifest, truncated .npy, NaN/Inf, missing file', () => {
  const a = fresh('dtype');
  editManifest(a, (m) => (m.layers[1].weights.dtype = 'float16'));
  throwsUser(() => loadTrace(a, net), /dw\.weights\.npy: layer "dw" weights: stored as float32 but the manifest says float16/);
  const b = fresh('shape');
  editManifest(b, (m) => (m.layers[1].weights.shape = [4, 9]));
  throwsUser(() => loadTrace(b, net), /layer "dw" weights: stored shape \[4, 1, 3, 3\] differs from the manifest's \[4, 9\]/);
  const c = fresh('truncated');
  const bytes = readFileSync(join(c, 'fc.weights.npy'));
  writeFileSync(join(c, 'fc.weights.npy'), bytes.subarray(0, bytes.length - 3));
  throwsUser(() => loadTrace(c, net), /fc\.weights\.npy: layer "fc" weights: truncated \.npy data/);
  const d = fresh('inf');
  const act = ramp([2, 36]);
  act.data[40] = -Infinity;
  writeFileSync(join(d, 'fc.activations.npy'), encodeNpy(act.shape, act.data, 'float32'));
  throwsUser(() => loadTrace(d, net), /fc\.activations\.npy: layer "fc" activations: -Infinity at element \[1, 4\]/);
  const e = fresh('missing');
  editManifest(e, (m) => (m.layers[0].outputs.file = 'nope.npy'));
  throwsUser(() => loadTrace(e, net), /nope\.npy: layer "conv1" outputs: cannot read file: ENOENT/);
});

test('errors: manifest schema, network mismatch, unknown or duplicate layers, pool weights', () => {
  throwsUser(() => loadTrace(join(dir, 'absent'), net), /absent: trace folder not found/);
  const a = fresh('schema');
  editManifest(a, (m) => (m.source = 'imagined'));
  throwsUser(() => loadTrace(a, net), /manifest\.json: \/source: must be one of "synthetic", "real"/);
  const b = fresh('escape');
  editManifest(b, (m) => (m.layers[0].weights.file = '../../etc/passwd.npy'));
  throwsUser(() => loadTrace(b, net), /manifest\.json: \/layers\/0\/weights\/file/);
  const c = fresh('othernet');
  editManifest(c, (m) => (m.network = 'alexnet'));
  throwsUser(() => loadTrace(c, net), /manifest\.json: \/network: trace is for network "alexnet", not "tiny"/);
  const d = fresh('unknown-layer');
  editManifest(d, (m) => (m.layers[1].name = 'conv9'));
  throwsUser(() => loadTrace(d, net), /\/layers\/1\/name: layer "conv9" is not in network tiny/);
  const e = fresh('dup');
  editManifest(e, (m) => (m.layers[1].name = 'conv1'));
  throwsUser(() => loadTrace(e), /\/layers\/1\/name: duplicate layer "conv1"/);
  const f = fresh('poolw');
  editManifest(f, (m) => (m.layers[2].weights = m.layers[1].weights));
  throwsUser(() => loadTrace(f, net), /dw\.weights\.npy: layer "pool" weights: a pool layer has no weights/);
});

test.run();
