import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYosysStat } from '../../../scripts/costs/yosys-stat.ts';
import { countToggles } from '../../../scripts/costs/vcd.ts';
import { lookup, readLiberty, wireCapacitanceFf } from '../../../scripts/costs/liberty.ts';
import { cellModels, libertyFunctionToVerilog } from '../../../scripts/costs/netlist.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'synth');
const read = (f: string) => readFileSync(join(fixtures, f), 'utf8');

test('yosys stat: module, cell counts by type and chip area of a committed run', () => {
  const s = parseYosysStat(read('mul_int4.stat.txt'));
  assert.is(s.module, 'mul_int4');
  assert.is(s.cellCount, 66);
  assert.is(s.cells.get('NAND2_X1'), 10);
  assert.is(s.cells.get('XOR2_X1'), 2);
  assert.is(s.cells.size, 16);
  assert.is(s.chipAreaUm2, 75.278);
});

test('yosys stat: a listing that does not add up, or no area, is an error', () => {
  const text = read('mul_int4.stat.txt');
  assert.throws(() => parseYosysStat(text.replace('NAND2_X1                       10', 'NAND2_X1                       11')), /add up/);
  assert.throws(() => parseYosysStat(text.replace(/Chip area.*/, '')), /Chip area/);
});

test('VCD: 0↔1 transitions per bit from the start time, x transitions and other scopes ignored', () => {
  const t = countToggles(read('tiny.vcd'), 'tb.dut', 10);
  assert.is(t.toggles.get('n2'), 4);
  assert.is(t.toggles.get('n3'), 4);
  assert.is(t.toggles.get('n4'), 4);
  // b01 → b10 → b1 (= 01) → b11 → b0 (= 00)
  assert.is(t.toggles.get('bus[0]'), 3);
  assert.is(t.toggles.get('bus[1]'), 4);
  assert.not.ok(t.toggles.has('clk'));
  assert.is(t.endTime, 40);
  // From time 0 the 0 at #5 is still initialisation (x → 0), so nothing more is counted.
  assert.is(countToggles(read('tiny.vcd'), 'tb.dut', 0).toggles.get('n2'), 4);
});

test('Liberty: cells, pins, tables and the default wire-load model', () => {
  const lib = readLiberty(read('tiny.lib'));
  assert.is(lib.voltageV, 1);
  const inv = lib.cells.get('INV_X1')!;
  assert.is(inv.areaUm2, 1.5);
  assert.is(inv.pins.get('A')!.capacitanceFf, 2);
  assert.is(inv.pins.get('ZN')!.fn, '!A');
  assert.ok(Math.abs(lookup(inv.pins.get('ZN')!.delay[0]!, 0.055, 5.5) - 0.025) < 1e-12); // the table's centre
  assert.equal(lib.cells.get('DFF_X1')!.ff, { q: 'IQ', qn: 'IQN', nextState: 'D', clockedOn: 'CK', other: [] });
  assert.is(wireCapacitanceFf(lib, 1), 1);
  assert.is(wireCapacitanceFf(lib, 2), 1.5); // between the tabulated fanouts 1 and 3
  assert.is(wireCapacitanceFf(lib, 5), (4 + 2) * 0.5); // past the table: + slope per sink
});

test('Liberty functions become Verilog; forms the reader does not translate are refused', () => {
  const pins = new Set(['A1', 'A2', 'B']);
  assert.is(libertyFunctionToVerilog('!((A1 * A2) + B)', pins), '~ ( ( A1 & A2 ) | B )');
  assert.throws(() => libertyFunctionToVerilog('A1 A2', pins), /implicit AND/);
  assert.throws(() => libertyFunctionToVerilog("A1'", pins), /postfix/);
  assert.throws(() => libertyFunctionToVerilog('C', pins), /unknown name/);
  const v = cellModels(readLiberty(read('tiny.lib')), ['INV_X1', 'DFF_X1']);
  assert.match(v, 'assign #DLY ZN = ~ A;');
  assert.match(v, 'always @(posedge CK) IQ <= #DLY D;');
});

test.run();
