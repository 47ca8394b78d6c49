import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, variant, withValueAt, mergeConfig } from '../../sim/config.ts';
import { loadArch, type ArchConfig } from '../../sim/arch.ts';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-config-'));
const base = JSON.parse(JSON.stringify(loadArch('eyeriss-int8').config)) as Record<string, unknown>;
function write(name: string, data: unknown): string {
  const f = join(dir, name);
  writeFileSync(f, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return f;
}
const err = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

test('a non-integer or too small size names the file and JSON path', () => {
  const f = write('rows.json', { ...base, array: { rows: 0, cols: 14 } });
  assert.match(err(() => loadConfig(f, 'arch')), /rows\.json: \/array\/rows: must be integer in 1\.\.4096, got 0/);
  const g = write('rows2.json', { ...base, array: { rows: 2.5, cols: 14 } });
  assert.match(err(() => loadConfig(g, 'arch')), /\/array\/rows: must be integer in 1\.\.4096, got 2\.5/);
});

test('an unknown key is named', () => {
  const f = write('key.json', { ...base, array: { rows: 12, cols: 14, rowz: 3 } });
  assert.match(err(() => loadConfig(f, 'arch')), /key\.json: \/array: unknown key "rowz"/);
});

test('a bitwidth out of range is named', () => {
  const f = write('bits.json', { ...base, datapath: { weightBits: 64, activationBits: 8 } });
  assert.match(err(() => loadConfig(f, 'arch')), /\/datapath\/weightBits: must be integer in 1\.\.32, got 64/);
});

test('a negative size and a wrong type are named', () => {
  const f = write('neg.json', { ...base, globalBuffer: { kib: -4 } });
  assert.match(err(() => loadConfig(f, 'arch')), /\/globalBuffer\/kib: must be a number > 0, got -4/);
  const g = write('type.json', { ...base, clockMHz: 'fast' });
  assert.match(err(() => loadConfig(g, 'arch')), /\/clockMHz: must be a number in 0\.001\.\.100000, got "fast"/);
});

test('malformed JSON reports line and column', () => {
  const f = write('bad.json', '{\n  "name": "x",\n  "scheme": ,\n}');
  assert.match(err(() => loadConfig(f, 'arch')), /bad\.json: malformed JSON at line 3 column \d+/);
});

test('an unreadable file is a user error naming it', () => {
  assert.match(err(() => loadConfig(join(dir, 'missing.json'), 'arch')), /missing\.json: cannot read file: ENOENT/);
});

test('extends merges objects key by key and reports cycles', () => {
  const a = loadArch('eyeriss-int8').config;
  assert.is(a.datapath.weightBits, 8);
  assert.is(a.globalBuffer.kib, 108);
  assert.is(a.name, 'eyeriss-int8');
  assert.not.ok('extends' in a);
  write('loop-a.json', { extends: 'loop-b.json' });
  const b = write('loop-b.json', { extends: 'loop-a.json' });
  assert.match(err(() => loadConfig(b, 'arch')), /"extends" cycle/);
  assert.equal(mergeConfig({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } }), { a: { b: 1, c: [3] } });
});

test('configs are frozen; variants are derived with immer and leave the base untouched', () => {
  const a = loadArch('eyeriss-int8').config;
  assert.ok(Object.isFrozen(a.array));
  const v = variant<ArchConfig>(a, (d) => {
    d.array.rows = 16;
  });
  assert.is(v.array.rows, 16);
  assert.is(a.array.rows, 12);
  const w = withValueAt(a, '/globalBuffer/kib', 216);
  assert.is(w.globalBuffer.kib, 216);
  assert.is(a.globalBuffer.kib, 108);
  assert.is(w.array, a.array, 'untouched branches are shared');
});

test.run();
