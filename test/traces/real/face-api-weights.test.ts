import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACE_API_MODEL_DIR, readFaceApiWeights, weightTensor } from '../../../traces/real/face-api-weights.ts';
import { UserError } from '../../../sim/errors.ts';

const MODEL = 'face_recognition_model';
const tmp = mkdtempSync(join(tmpdir(), 'quantsim-faceapi-'));

/** Throws a UserError (not a bug) whose message matches. */
const throwsUser = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof UserError && pattern.test(e.message));

/** A copy of the real model files in a fresh folder, with the manifest edited. */
function corruptCopy(name: string, edit: (groups: any[]) => void): string {
  const dir = mkdtempSync(join(tmp, `${name}-`));
  copyFileSync(join(FACE_API_MODEL_DIR, `${MODEL}.bin`), join(dir, `${MODEL}.bin`));
  const groups = JSON.parse(readFileSync(join(FACE_API_MODEL_DIR, `${MODEL}-weights_manifest.json`), 'utf8'));
  edit(groups);
  writeFileSync(join(dir, `${MODEL}-weights_manifest.json`), JSON.stringify(groups));
  return dir;
}

const real = readFaceApiWeights(MODEL);

test('face_recognition_model: 117 tensors, 5,614,592 values, offsets filling the 6,444,032-byte .bin', () => {
  assert.is(real.tensors.length, 117);
  assert.is(real.parameters, 5_614_592);
  assert.is(real.totalBytes, 6_444_032);
  const last = real.tensors[real.tensors.length - 1]!;
  assert.is(last.name, 'fc');
  assert.equal(last.shape, [256, 128]);
  assert.is(last.offsetBytes + last.bytes, real.totalBytes);
  real.tensors.slice(1).forEach((t, i) => assert.is(t.offsetBytes, real.tensors[i]!.offsetBytes + real.tensors[i]!.bytes));
});

test('uint8 tensors dequantize as q · scale + min rounded to float32; raw float32 tensors are read as stored', () => {
  const bin = readFileSync(join(FACE_API_MODEL_DIR, `${MODEL}.bin`));
  const stem = weightTensor(real, 'conv32_down/conv/filters', [7, 7, 3, 32]);
  assert.is(stem.stored, 'uint8');
  for (const i of [0, 1, 777, stem.data.length - 1]) {
    assert.is(stem.data[i], Math.fround(bin[stem.offsetBytes + i]! * stem.quantization!.scale + stem.quantization!.min));
  }
  const raw = weightTensor(real, 'conv64_1/conv1/conv/filters');
  assert.is(raw.stored, 'float32');
  assert.is(raw.bytes, 4 * 3 * 3 * 64 * 64);
  assert.is(raw.data[5], bin.readFloatLE(raw.offsetBytes + 20));
});

test('the SSD-MobileNetV1 detector manifest reads too (151 tensors)', () => {
  assert.is(readFaceApiWeights('ssd_mobilenetv1_model').tensors.length, 151);
});

test('a .bin shorter than the manifest says is a UserError naming both sizes', () => {
  const dir = corruptCopy('short', () => {});
  truncateSync(join(dir, `${MODEL}.bin`), 6_444_031);
  throwsUser(() => readFaceApiWeights(MODEL, dir), /need 6444032 bytes but the shards .* hold 6444031/);
});

test('a tensor shape that no longer adds up to the .bin is a UserError', () => {
  const dir = corruptCopy('shape', (g) => {
    g[0].weights[0].shape = [7, 7, 3, 33];
  });
  throwsUser(() => readFaceApiWeights(MODEL, dir), /tensors need 6444179 bytes .* hold 6444032/);
});

test('bad entries are UserErrors with the JSON path of the entry', () => {
  const dtype = corruptCopy('dtype', (g) => {
    g[0].weights[3].dtype = 'bool';
  });
  throwsUser(() => readFaceApiWeights(MODEL, dtype), /\/0\/weights\/3\/dtype: unsupported dtype "bool"/);
  const quant = corruptCopy('quant', (g) => {
    g[0].weights[1].quantization.dtype = 'int4';
  });
  throwsUser(() => readFaceApiWeights(MODEL, quant), /\/0\/weights\/1\/quantization\/dtype/);
  const shape = corruptCopy('neg', (g) => {
    g[0].weights[2].shape = [-32];
  });
  throwsUser(() => readFaceApiWeights(MODEL, shape), /\/0\/weights\/2\/shape/);
  throwsUser(() => readFaceApiWeights('no_such_model'), /no weights manifest for model "no_such_model"/);
  throwsUser(() => weightTensor(real, 'fc', [128, 256]), /tensor "fc" has shape \[256,128\], expected \[128,256\]/);
});

test('int32 tensors are rounded after dequantization; uint16 is affine like uint8 (hand-made manifest)', () => {
  const dir = mkdtempSync(join(tmp, 'tiny-'));
  const bin = Buffer.alloc(2 + 4 + 4);
  bin.writeUInt8(3, 0); // int32 via uint8: 3 · 0.4 + 0.1 = 1.3 → 1
  bin.writeUInt8(4, 1); // 4 · 0.4 + 0.1 = 1.7 → 2
  bin.writeUInt16LE(1000, 2); // 1000 · 0.001 − 1 = 0
  bin.writeUInt16LE(3000, 4); // 2
  bin.writeFloatLE(-2.5, 6);
  writeFileSync(join(dir, 'tiny.bin'), bin);
  const manifest = [
    {
      paths: ['tiny.bin'],
      weights: [
        { name: 'ints', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.4, min: 0.1 } },
        { name: 'u16', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.001, min: -1 } },
        { name: 'raw', shape: [], dtype: 'float32' },
      ],
    },
  ];
  writeFileSync(join(dir, 'tiny-weights_manifest.json'), JSON.stringify(manifest));
  const w = readFaceApiWeights('tiny', dir);
  assert.equal(Array.from(w.byName.get('ints')!.data), [1, 2]);
  assert.equal(Array.from(w.byName.get('u16')!.data), [Math.fround(1000 * 0.001 - 1), Math.fround(3000 * 0.001 - 1)]);
  assert.equal(Array.from(w.byName.get('raw')!.data), [-2.5]);
  assert.is(w.parameters, 5);
});

test.run();
