import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork } from '../../sim/workload.ts';
import { sensitivity, formatSensitivityTable } from '../../sim/sensitivity.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const tiny = loadArch(join(fixtures, 'tiny-arch.json'));
const twoLayer = loadNetwork(join(fixtures, 'two-layer.json'));
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

// The hand-computed op-count energy of test/sim/simulate.test.ts, split by cost class (pJ):
// 32 MACs × 1 pJ multiply and × 0.5 pJ add; spads 4 × 32 × 0.1 plus GLB 2 × (20 + 26) × 0.1;
// NoC (20 + 26) elements × 8 bits × 0.01; DRAM (12 + 24) × 8 read + (8 + 2) × 8 written at 1 pJ/bit;
// leakage (not scaled by energyScale) 4.375 uW over 12 cycles at 100 MHz.
const byClass: Record<string, number> = { int_multiplier: 32, int_adder: 16, sram: 12.8 + 9.2, wire: 46 * 8 * 0.01, dram_lpddr4: 288 + 80, power_gate: 0 };
const leakagePj = (4.375 * 12) / 100;
const total = Object.values(byClass).reduce((a, b) => a + b, 0) + leakagePj;

test('each class ×2 adds exactly its energy, ÷2 removes half of it; share = class energy / total (hand-computed)', () => {
  const s = sensitivity(tiny, twoLayer, { mode: 'opcount', factor: 2 });
  near(s.energyPj, total);
  near(s.leakageEnergyPj, leakagePj);
  assert.equal(s.rows.map((r) => r.class).sort(), Object.keys(byClass).sort());
  for (const r of s.rows) {
    const e = byClass[r.class]!;
    near(r.energyPj.up, total + e);
    near(r.energyPj.down, total - e / 2);
    near(r.share, e / total);
    near(r.swing, e / total);
  }
  // Ranked by swing: DRAM first, the unused wake-up energy last.
  assert.is(s.rows[0]!.class, 'dram_lpddr4');
  assert.is(s.rows.at(-1)!.class, 'power_gate');
  assert.match(formatSensitivityTable(s), /dram_lpddr4\s+83\.2\d*\s+-41\.6%\s+\+83\.2%/);
});

test('factor 4: ×4 adds three times the class energy; against itself every ratio is 1 and nothing swings', () => {
  const s = sensitivity(tiny, twoLayer, { mode: 'opcount', factor: 4, baseline: tiny });
  near(s.ratio!, 1);
  for (const r of s.rows) {
    near(r.energyPj.up, total + 3 * byClass[r.class]!);
    near(r.ratio!.up, 1);
    near(r.ratio!.down, 1);
    assert.is(r.swing, 0);
  }
});

test('a factor that is not > 1 is a user error', () => {
  assert.throws(() => sensitivity(tiny, twoLayer, { mode: 'opcount', factor: 1 }), /--factor must be a number > 1, got 1/);
});

test.run();
