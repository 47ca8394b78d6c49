import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toNumber, loadCostTable, CostTable } from '../../sim/costs.ts';
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
  near(raw.energyPj('sram_horowitz', 'read', { bytes: 32768, bits: 64 }), 20);
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
  // 16 KB lies halfway (in log) between the CACTI 8 KB and 32 KB points (1.619 and 3.331 pJ).
  near(raw.energyPj('sram', 'read', { bytes: 16384, bits: 64 }), Math.sqrt(1.619 * 3.331));
  assert.match(raw.resolve('sram', { kind: 'energy', action: 'read' }, { bytes: 16384, bits: 64 }).source, /interpolated with/);
});

test('points of different nodes are each taken to the table node before they are interpolated', () => {
  const t = new CostTable(
    {
      name: 'mixed nodes',
      technology: '32nm',
      nodeScaling: { '45nm': { energy: 0.5, area: 0.5, source: 'test' }, '32nm': { energy: 1, area: 1, source: 'test' } },
      classes: {
        m: {
          scaling: { bytes: 'none' },
          points: [
            { args: { bytes: 16 }, node: '45nm', energy: { read: '4 pJ' }, source: 'test', method: 'estimate' },
            { args: { bytes: 256 }, node: '32nm', energy: { read: '8 pJ' }, source: 'test', method: 'cacti' },
          ],
        },
      },
    },
    'mixed.json',
    'test',
  );
  // 64 B is halfway (in log) between 16 B (4 pJ × 0.5 = 2 pJ at 32nm) and 256 B (8 pJ): sqrt(2 · 8) = 4.
  near(t.energyPj('m', 'read', { bytes: 64 }), 4);
  assert.is(t.resolve('m', { kind: 'energy', action: 'read' }, { bytes: 64 }).method, 'estimate');
});

test('a declared coarser action answers when the finer one is missing', () => {
  near(raw.energyPj('sram', 'fill', { bytes: 8192, bits: 64 }), raw.energyPj('sram', 'write', { bytes: 8192, bits: 64 }));
  near(raw.energyPj('sram', 'fill', { bytes: 8192, bits: 64 }), 1.554);
  near(raw.energyPj('dram_lpddr4', 'write', { bits: 1 }), 8);
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
