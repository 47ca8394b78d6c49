import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy, parseNpy, readNpy, writeNpy, float32ToFloat16, float16ToFloat32, DTYPES } from '../../traces/npy.ts';
import { UserError } from '../../sim/errors.ts';
import type { DType } from '../../sim/trace.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'npy');
const fixture = (name: string) => join(fixtures, name);
const bytes = (name: string) => new Uint8Array(readFileSync(fixture(name)));
const dir = mkdtempSync(join(tmpdir(), 'quantsim-npy-'));

/** The values make.py writes: (arange(24) - 11.5) * 0.37, shape (2, 3, 4). */
const base = Array.from({ length: 24 }, (_, k) => (k - 11.5) * 0.37);

function throwsUser(fn: () => unknown, pattern: RegExp) {
  try {
    fn();
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable('expected a UserError');
}

test('reads float32 written by NumPy: shape, C order, values', () => {
  const t = readNpy(fixture('float32.npy'));
  assert.equal(t.shape, [2, 3, 4]);
  assert.is(t.dtype, 'float32');
  assert.equal(Array.from(t.data), base.map(Math.fround));
});

test('reads format versions 2.0 and 3.0 like 1.0', () => {
  for (const [name, version] of [['float32.npy', 1], ['v2.npy', 2], ['v3.npy', 3]] as const) {
    const a = decodeNpy(bytes(name), name);
    assert.is(a.version, version, name);
    assert.equal(Array.from(a.values), base.map(Math.fround), name);
  }
});

test('float16 is widened exactly to float32 (NumPy rounding of the same values)', () => {
  const t = readNpy(fixture('float16.npy'));
  assert.is(t.dtype, 'float16');
  assert.equal(t.shape, [2, 3, 4]);
  for (let k = 0; k < 24; k++) assert.ok(Math.abs(t.data[k]! - base[k]!) <= Math.abs(base[k]!) * 2 ** -11, `${t.data[k]} vs ${base[k]}`);
  assert.is(t.data[0], -4.25390625); // -4.255 → nearest binary16
});

test('integer dtypes: int8, uint8, int16, int32 with their extremes', () => {
  const ints: [string, DType, number[], (k: number) => number][] = [
    ['int8.npy', 'int8', [3, 4], (k) => k * 23 - 128],
    ['uint8.npy', 'uint8', [4, 3], (k) => k * 23],
    ['int16.npy', 'int16', [6], (k) => k * 13107 - 32768],
    ['int32.npy', 'int32', [2, 2, 1], (k) => k * 1000003 - 2000000],
  ];
  for (const [name, dtype, shape, f] of ints) {
    const t = readNpy(fixture(name));
    assert.is(t.dtype, dtype, name);
    assert.equal(t.shape, shape, name);
    assert.equal(Array.from(t.data), Array.from({ length: t.data.length }, (_, k) => f(k)), name);
  }
  assert.is(readNpy(fixture('int16.npy')).data[5], 32767);
});

test('scalars (shape ()) and empty arrays', () => {
  const s = readNpy(fixture('scalar.npy'));
  assert.equal(s.shape, []);
  assert.equal(Array.from(s.data), [2.5]);
  const e = readNpy(fixture('empty.npy'));
  assert.equal(e.shape, [0, 3]);
  assert.is(e.data.length, 0);
});

test('the writer produces the same bytes as np.save for every dtype', () => {
  for (const name of ['float32.npy', 'float16.npy', 'int8.npy', 'uint8.npy', 'int16.npy', 'int32.npy', 'scalar.npy', 'empty.npy']) {
    const t = parseNpy(bytes(name));
    assert.equal(encodeNpy(t.shape, t.data, t.dtype), bytes(name), name);
  }
});

test('float32 → float16 rounds to nearest even exactly like NumPy (edges, subnormals, overflow)', () => {
  for (const set of ['edge', 'random']) {
    const input = readNpy(fixture(`f16-${set}-in.npy`)).data;
    const want = decodeNpy(bytes(`f16-${set}-out.npy`)).values as Uint16Array;
    const got = float32ToFloat16(input);
    for (let k = 0; k < want.length; k++) assert.is(got[k], want[k], `${set}[${k}]: ${input[k]} → 0x${got[k]!.toString(16)}, NumPy 0x${want[k]!.toString(16)}`);
  }
});

test('round-trip: write then read gives the same shape and values for every dtype', () => {
  const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 });
  fc.assert(
    fc.property(shapeArb, fc.constantFrom(...DTYPES), fc.integer(), (shape, dtype, salt) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      for (let k = 0; k < n; k++) {
        const r = Math.sin(salt + k * 12.9898) * 43758.5453;
        const frac = r - Math.floor(r);
        data[k] = dtype === 'float32' || dtype === 'float16' ? (frac - 0.5) * 2 ** ((k % 30) - 15) : Math.floor(frac * 100) - (dtype === 'uint8' ? 0 : 50);
      }
      const t = parseNpy(encodeNpy(shape, data, dtype));
      assert.equal(t.shape, shape);
      assert.is(t.dtype, dtype);
      const want = dtype === 'float16' ? float16ToFloat32(float32ToFloat16(data)) : data;
      assert.equal(Array.from(t.data), Array.from(want));
    }),
    { seed: 42, numRuns: 200 },
  );
});

test('float16 round-trip of float16 values is the identity on all 63,488 finite patterns', () => {
  const all = new Uint16Array(65536).map((_, k) => k);
  const widened = float16ToFloat32(all);
  const back = float32ToFloat16(widened);
  for (let k = 0; k < 65536; k++) if (((k >> 10) & 0x1f) !== 0x1f) assert.is(back[k], k, `0x${k.toString(16)}`);
});

test('writeNpy writes atomically and readNpy reads it back', () => {
  const f = join(dir, 'w.npy');
  writeNpy(f, { shape: [2, 2], data: new Float32Array([1, -2, 3.5, 0]) }, 'float16');
  assert.ok(existsSync(f));
  assert.equal(Array.from(readNpy(f).data), [1, -2, 3.5, 0]);
});

test('errors: bad magic, versions, dtypes, order, truncation, mismatches', () => {
  throwsUser(() => parseNpy(new TextEncoder().encode('hello world, not numpy'), 'x.npy'), /x\.npy: not a NumPy \.npy file \(bad magic/);
  const v9 = bytes('float32.npy');
  v9[6] = 9;
  throwsUser(() => parseNpy(v9, 'v9.npy'), /unsupported \.npy format version 9\.0/);
  throwsUser(() => readNpy(fixture('bigendian.npy')), /bigendian\.npy: big-endian data \(">f4"\) is not supported/);
  throwsUser(() => readNpy(fixture('fortran.npy')), /fortran\.npy: Fortran-order/);
  throwsUser(() => readNpy(fixture('float64.npy')), /float64\.npy: unsupported dtype "<f8"/);
  throwsUser(() => readNpy(fixture('complex.npy')), /unsupported dtype "<c8"/);
  throwsUser(() => readNpy(fixture('truncated.npy')), /truncated\.npy: truncated \.npy data: shape \(2, 3, 4\) of <f4 needs 96 bytes, file has 91/);
  const extra = new Uint8Array([...bytes('float32.npy'), 0, 0, 0, 0]);
  throwsUser(() => parseNpy(extra, 'extra.npy'), /header\/shape mismatch: .* needs 96 bytes, file has 100/);
  throwsUser(() => parseNpy(bytes('float32.npy').slice(0, 40), 'short.npy'), /truncated \.npy header/);
  const garbled = bytes('float32.npy');
  garbled[12] = 0x21; // '{' → '!'
  throwsUser(() => parseNpy(garbled, 'garbled.npy'), /malformed \.npy header/);
  throwsUser(() => readNpy(join(dir, 'absent.npy')), /absent\.npy: cannot read file: ENOENT/);
  throwsUser(() => encodeNpy([2], new Float32Array([1, 2, 3]), 'float32', 'o.npy'), /o\.npy: shape \[2\] has 2 elements but the data has 3/);
  throwsUser(() => encodeNpy([2], new Float32Array([1, 200]), 'int8', 'o.npy'), /value 200 at index 1 is not an integer in -128\.\.127/);
  throwsUser(() => encodeNpy([1], new Float32Array([0.5]), 'int16'), /not an integer/);
  throwsUser(() => encodeNpy([1], new Float32Array([0.5]), 'float64' as DType), /unsupported dtype "float64"/);
});

test.run();
