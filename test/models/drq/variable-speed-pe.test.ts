import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadCostTable } from '../../../sim/costs.ts';
import { Ledger } from '../../../sim/ledger.ts';
import { Scheduler } from '../../../sim/scheduler.ts';
import { UserError } from '../../../sim/errors.ts';
import { VariableSpeedPe, DEFAULT_CYCLES_PER_MAC, widthKey } from '../../../models/drq/variable-speed-pe.ts';

const costs = loadCostTable(join(import.meta.dirname, '../../fixtures/drq-costs.json'));
const ctx = () => ({ costs, ledger: new Ledger(), scheduler: new Scheduler(), clockMHz: 100, rng: () => 0.5 });
const spec = { multiplierBits: 4, multipliersPerPe: 1, cyclesPerMac: DEFAULT_CYCLES_PER_MAC, weightBits: 8, activationBits: 8, accumulatorBits: 32 };

test('cycles per MAC by operand widths: 4×4 = 1, 8×4 = 2 (either order), 8×8 = 4', () => {
  const pe = new VariableSpeedPe('mac', ctx(), undefined, spec);
  assert.is(pe.multiplierCyclesFor(4, 4), 1);
  assert.is(pe.multiplierCyclesFor(8, 4), 2);
  assert.is(pe.multiplierCyclesFor(4, 8), 2);
  assert.is(pe.multiplierCyclesFor(8, 8), 4);
  assert.is(widthKey(4, 8), '8x4');
});

test('four multipliers per PE: an 8×8 MAC per cycle, the plain cyclesPerMac is the high-width one', () => {
  assert.is(new VariableSpeedPe('mac', ctx(), undefined, { ...spec, multipliersPerPe: 4 }).cyclesPerMac, 1);
  assert.is(new VariableSpeedPe('mac', ctx(), undefined, spec).cyclesPerMac, 4);
});

test('a width pair missing from the table is an error, and so is a bad table', () => {
  const pe = new VariableSpeedPe('mac', ctx(), undefined, spec);
  assert.throws(() => pe.multiplierCyclesFor(16, 8), (e: unknown) => e instanceof UserError && /16x8/.test((e as Error).message));
  assert.throws(() => new VariableSpeedPe('mac', ctx(), undefined, { ...spec, cyclesPerMac: { '4x4': 0 } }), (e: unknown) => e instanceof UserError);
});

test('energy per MAC from the widths used (tiny costs): parts × 4-bit multiply + (parts − 1) × (align mux + add) + accumulate', () => {
  const c = ctx();
  const pe = new VariableSpeedPe('mac', c, undefined, spec);
  // 4-bit multiply = 1 pJ × (4/8)² = 0.25; accumulate (32 b) = 0.5; adder 0.5 × bits/32; 3:1 alignment mux
  // (offsets 0, 4, 8) = 0.2 pJ × bits/16 × log2(3)/log2(4).
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
  near(pe.macEnergyPjAt(4, 4), 0.25 + 0.5);
  const mux = (bits: number) => ((0.2 * bits) / 16) * (Math.log2(3) / 2);
  near(pe.macEnergyPjAt(8, 4), 2 * 0.25 + mux(12) + (0.5 * 12) / 32 + 0.5);
  near(pe.macEnergyPjAt(8, 8), 4 * 0.25 + 3 * (mux(16) + 0.25) + 0.5);
  pe.macAt(10, 8, 8);
  pe.macAt(4, 4, 4);
  const snap = c.ledger.snapshot().mac!;
  assert.is(snap.mac_8x8!.count, 10);
  assert.is(snap.mac_4x4!.count, 4);
  near(snap.mac_8x8!.energyPj, 10 * pe.macEnergyPjAt(8, 8));
});

test.run();
