import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadCostTable } from '../../../sim/costs.ts';
import { Ledger, breakdownEnergyPj } from '../../../sim/ledger.ts';
import { Scheduler } from '../../../sim/scheduler.ts';
import { SramBuffer } from '../../../models/common/sram-buffer.ts';

const costs = loadCostTable(join(import.meta.dirname, '../../fixtures/tiny-costs.json'));
function ctx() {
  return { costs, ledger: new Ledger(), scheduler: new Scheduler(), clockMHz: 100, rng: () => 0.5 };
}

test('accesses are charged at the energy of one bank', () => {
  const c = ctx();
  const b = new SramBuffer('ac1', c, undefined, { bytes: 256 * 16, wordBits: 8, banks: 16 });
  b.read(10);
  b.write(5);
  assert.equal(c.ledger.snapshot(), { ac1: { read: { count: 10, energyPj: 1 }, write: { count: 5, energyPj: 0.5 } } });
  assert.is(b.areaUm2(), 16 * 1000);
});

test('power-gates all but one bank: leakage falls to 1 bank + 5% of the rest', () => {
  const c = ctx();
  const b = new SramBuffer('ac1', c, undefined, { bytes: 256 * 16, wordBits: 8, banks: 16 });
  assert.is(b.leakageUw(), 16);
  b.setActiveBanks(1);
  assert.is(b.leakageUw(), 1 + 15 * 0.05);
  b.chargeLeakage(100);
  // 1.75 µW for 100 cycles at 100 MHz = 1 µs → 1.75 pJ.
  assert.ok(Math.abs(breakdownEnergyPj(c.ledger.snapshot()) - 1.75) < 1e-12);
});

test('re-enabling gated banks pays the wake-up energy once per bank', () => {
  const c = ctx();
  const b = new SramBuffer('ac2', c, undefined, { bytes: 128 * 16, wordBits: 8, banks: 16 });
  b.setActiveBanks(2);
  assert.equal(c.ledger.snapshot(), {});
  b.setActiveBanks(4);
  // Two 128 B banks woken, wake-up ∝ bytes: 2 × 2 pJ × 128/256.
  assert.equal(c.ledger.snapshot(), { ac2: { wakeup: { count: 2, energyPj: 2 } } });
  assert.throws(() => b.setActiveBanks(17), /active banks must be in 0\.\.16/);
});

test('a buffer of zero size is refused', () => {
  assert.throws(() => new SramBuffer('x', ctx(), undefined, { bytes: 0, wordBits: 8 }), /size must be > 0/);
});

test.run();
