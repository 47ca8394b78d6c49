import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toNumber, loadCostTable } from '../../sim/costs.ts';
import { DEFAULT_COSTS } from '../../sim/arch.ts';

const near = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} ≉ ${b}`);
const table = loadCostTable(DEFAULT_COSTS);
const raw = table.with({ nodeScaling: false });

test('unit strings convert with mathjs', () => {
  near(toNumber('1 nJ', 'pJ'), 1000);
  near(toNumber('0.2 pJ', 'pJ'), 0.2);
  near(toNumber('5 pJ/access', 'pJ'), 5);
  near(toNumber('282 um^2', 'um^2'), 282);
  near(toNumber('1 mm^2', 'um^2'), 1e6);
  near(toNumber('3 mW', 'uW'), 3000);
  assert.throws(() => toNumber('3 parsecs', 'pJ'), /cannot parse|not convertible/);
  assert.throws(() => toNumber('3 m', 'pJ'), /not convertible to pJ/);
});

test('Horowitz 45nm figures are reproduced exactly with node scaling off', () => {
  near(raw.energyPj('int_adder', 'add', { bits: 8 }), 0.03);
  near(raw.energyPj('int_adder', 'add', { bits: 32 }), 0.1);
  near(raw.energyPj('int_multiplier', 'multiply', { bits: 8 }), 0.2);
  near(raw.energyPj('int_multiplier', 'multiply', { bits: 32 }), 3.1);
  near(raw.areaUm2('int_multiplier', { bits: 8 }), 282);
  near(raw.energyPj('fp_adder', 'add', { format: 'fp16' }), 0.4);
  near(raw.energyPj('fp_multiplier', 'multiply', { format: 'fp32' }), 3.7);
  near(raw.energyPj('sram', 'read', { bytes: 32768, bits: 64 }), 20);
});

test('node scaling is applied by rule from the table', () => {
  const f = table.nodeScalingTable()['45nm']!;
  near(table.energyPj('int_multiplier', 'multiply', { bits: 8 }), 0.2 * f.energy);
  near(table.areaUm2('int_adder', { bits: 32 }), 137 * f.area);
});

test('bitwidth rules: add ∝ bits, multiply ∝ bits², shifter ∝ w·log2(s)', () => {
  near(raw.energyPj('int_adder', 'add', { bits: 4 }), 0.015);
  near(raw.energyPj('int_multiplier', 'multiply', { bits: 4 }), 0.05);
  near(raw.areaUm2('int_multiplier', { bits: 4 }), 282 / 4);
  // From the nearest (synthesized) points: 15 bits by 8 positions, 32 bits by 32.
  near(raw.energyPj('shifter', 'shift', { bits: 16, shift: 8 }), (raw.energyPj('shifter', 'shift', { bits: 15, shift: 8 }) * 16) / 15);
  near(raw.energyPj('shifter', 'shift', { bits: 32, shift: 16 }), (raw.energyPj('shifter', 'shift', { bits: 32, shift: 32 }) * 4) / 5);
});

test('between two published points the value is interpolated geometrically', () => {
  // 16-bit multiply: rule from 8-bit gives 0.8 pJ, rule from 32-bit gives 0.775 pJ; 16 is halfway in log.
  near(raw.energyPj('int_multiplier', 'multiply', { bits: 16 }), Math.sqrt(0.8 * 0.775));
  const v = raw.energyPj('sram', 'read', { bytes: 16384, bits: 64 });
  assert.ok(v > 10 && v < 20);
});

test('a declared coarser action answers when the finer one is missing', () => {
  near(raw.energyPj('sram', 'write', { bytes: 8192, bits: 64 }), 10);
  near(raw.energyPj('sram', 'fill', { bytes: 8192, bits: 64 }), 10);
});

test('a missing entry is an error naming the table and key, never a default', () => {
  assert.throws(() => table.energyPj('quantum_adder', 'add'), /32nm\.json: \/classes\/quantum_adder: no cost entry "quantum_adder\.add"/);
  assert.throws(() => table.energyPj('int_adder', 'teleport', { bits: 8 }), /no cost entry "int_adder\.teleport"/);
  assert.throws(() => table.energyPj('fp_adder', 'add', { format: 'bf16' }), /no cost entry "fp_adder\.add"/);
  assert.throws(() => table.parameter('nope'), /no parameter "nope"/);
});

test('class energy multipliers scale whole classes (sensitivity sweeps)', () => {
  const x2 = table.with({ energyScale: { sram: 2 } });
  near(x2.energyPj('sram', 'read', { bytes: 256, bits: 8 }), 2 * table.energyPj('sram', 'read', { bytes: 256, bits: 8 }));
  near(x2.energyPj('int_adder', 'add', { bits: 8 }), table.energyPj('int_adder', 'add', { bits: 8 }));
});

test('every row of the default table names a source', () => {
  const rows = table.rows();
  assert.ok(rows.length > 20);
  for (const r of rows) assert.ok(r.source.length > 10, `${r.class}.${r.action} has no source`);
});

test.run();
