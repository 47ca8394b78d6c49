import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cactiConfig, cactiPoint, cfgName, memoriesOfShippedConfigs, parseCactiOutput, HOROWITZ_SRAMS } from '../../../scripts/costs/cacti.ts';
import { registerFile } from '../../../scripts/costs/register-file.ts';
import { loadCostTable } from '../../../sim/costs.ts';
import { DEFAULT_COSTS } from '../../../sim/arch.ts';
import { readCostTableSpec } from '../../../scripts/costs/table-json.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const sample = (n: string) => readFileSync(join(root, 'test/fixtures/cacti', n), 'utf8');
const table = loadCostTable(DEFAULT_COSTS);
const spec = readCostTableSpec(DEFAULT_COSTS);
const near = (a: number, b: number, rel = 1e-12) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} ≉ ${b}`);

test('the parser reads energy, leakage (subthreshold + gate), area and access time from a CACTI 7 report', () => {
  const r = parseCactiOutput(sample('4096B-64b.txt'));
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.is(r.version, '7.0.3DD Prerelease of Aug, 2012');
  near(r.readPj, 1.1515);
  near(r.writePj, 1.08583);
  near(r.leakageUw, (0.55586 + 0.00580856) * 1000);
  near(r.areaUm2, 0.0763157 * 0.0976846 * 1e6);
  near(r.accessNs, 0.342744);
});

test('a size CACTI refuses is reported with its reason, not parsed as zeros', () => {
  assert.equal(parseCactiOutput(sample('12B-8b.txt')), { ok: false, reason: 'Cache size must >=64' });
  assert.equal(parseCactiOutput(sample('96B-32b.txt')), { ok: false, reason: 'ERROR: no valid data array organizations found' });
  assert.equal(parseCactiOutput('').ok, false);
});

test('the committed 4 KB GLB bank entry is the parser output of the committed CACTI sample (nothing calls CACTI at run time)', () => {
  const r = parseCactiOutput(sample('4096B-64b.txt'));
  if (!r.ok) throw new Error('sample must parse');
  const want = cactiPoint({ bytes: 4096, bits: 64 }, r, { version: r.version, commit: '1ffd8dfb10303d306ecd8d215320aea07651e878' });
  const got = spec.classes.sram!.points.find((p) => p.args?.bytes === 4096 && p.args?.bits === 64);
  assert.equal(got, want);
  near(table.energyPj('sram', 'read', { bytes: 4096, bits: 64 }), 1.151);
  assert.is(table.resolve('sram', { kind: 'energy', action: 'read' }, { bytes: 4096, bits: 64 }).method, 'cacti');
});

test('every bank the shipped configs build has its own point (no scaling, no interpolation) and the committed inputs are the script\'s', () => {
  const mems = memoriesOfShippedConfigs();
  for (const size of [[12, 8], [224, 8], [96, 32], [24, 16], [448, 16], [48, 16], [4096, 64], [16, 16], [16, 8], [8, 8], [512, 16], [112, 4]]) {
    assert.ok(mems.some((m) => m.bytes === size[0] && m.bits === size[1]), `configs use ${size.join('B × ')}b`);
  }
  for (const m of [...mems, ...HOROWITZ_SRAMS]) {
    const args = { bytes: m.bytes, bits: m.bits };
    for (const measure of [{ kind: 'energy', action: 'read' }, { kind: 'energy', action: 'write' }, { kind: 'area' }, { kind: 'leakage' }] as const) {
      const row = table.resolve('sram', measure, args);
      assert.ok(row.value > 0, `${JSON.stringify(args)} ${measure.kind}`);
      assert.not.match(row.source, /interpolated/);
      assert.ok(spec.classes.sram!.points.some((p) => p.args?.bytes === m.bytes && p.args?.bits === m.bits), `point for ${JSON.stringify(args)}`);
    }
    assert.is(readFileSync(join(root, 'configs/costs/cacti', cfgName(m)), 'utf8'), cactiConfig(m), cfgName(m));
  }
});

test('register-file model (Accelergy Aladdin regfile): word read + depth × address compare, hand-computed', () => {
  const r = registerFile({ bytes: 12, bits: 8 });
  assert.is(r.entries, 12);
  near(r.readPj, 8 * 0.009 + (12 * 0.02947 * 4) / 32);
  near(r.areaUm2, 12 * 8 * 5.98 + (12 * 71 * 4) / 32);
  const row = table.resolve('sram', { kind: 'energy', action: 'read' }, { bytes: 12, bits: 8 });
  assert.is(row.method, 'published');
  assert.match(row.source, /refuses .*12B-8b\.cfg: "Cache size must >=64"/);
  near(row.value, Number(r.readPj.toPrecision(4)) * table.nodeScalingTable()['45nm']!.energy);
  assert.is(table.resolve('sram', { kind: 'leakage' }, { bytes: 12, bits: 8 }).method, 'estimate');
});

test.run();
