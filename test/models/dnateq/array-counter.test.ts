import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Group } from '../../../sim/component.ts';
import { ArrayCounter } from '../../../models/dnateq/array-counter.ts';
import { CountingStage, DEFAULT_COUNTING } from '../../../models/dnateq/counting-stage.ts';
import { tinyCtx, near } from './helpers.ts';

const ac1Spec = { banks: 16, entriesPerBank: 16, counterBits: 8, indexes: 'sum' as const };
const ac2Spec = { banks: 16, entriesPerBank: 8, counterBits: 8, indexes: 'single' as const };

test('AC1 is 256 B and AC2/AC3 128 B; banks enabled 1, 2, 4, 8, 16 for n = 3…7', () => {
  const ctx = tinyCtx();
  const root = new Group('u', ctx);
  const ac1 = new ArrayCounter('ac1', ctx, root, ac1Spec);
  const ac2 = new ArrayCounter('ac2', ctx, root, ac2Spec);
  assert.is(ac1.counts.bytes, 256);
  assert.is(ac2.counts.bytes, 128);
  assert.equal([3, 4, 5, 6, 7].map((n) => ac1.banksFor(n)), [1, 2, 4, 8, 16]);
  assert.equal([3, 4, 5, 6, 7].map((n) => ac2.banksFor(n)), [1, 2, 4, 8, 16]);
  // The 7-bit worst case fills them: 253 exponent sums, 127 exponents.
  assert.is(ac1.entriesFor(7), 253);
  assert.is(ac2.entriesFor(7), 127);
});

test('power-gates all but one bank at 3 bits: leakage 1 bank + 5% of 15', () => {
  const ctx = tinyCtx();
  const ac1 = new ArrayCounter('ac1', ctx, new Group('u', ctx), ac1Spec);
  const full = ac1.counts.leakageUw();
  ac1.configure(3);
  assert.ok(near(ac1.counts.leakageUw(), full * (1 + 15 * 0.05) / 16));
  ac1.configure(3, false);
  assert.is(ac1.counts.activeBanks, 0);
});

test('hand-computed update energy: read + write of a 16 B bank, 8-bit ±1 (incrementer), two 16:1 mux selects', () => {
  const ctx = tinyCtx();
  const ac1 = new ArrayCounter('ac1', ctx, new Group('u', ctx), ac1Spec);
  ac1.update(10, 2);
  const s = ctx.ledger.snapshot();
  assert.is(s['u/ac1/counts']!.read!.count, 12); // spills read the entry out once more
  assert.is(s['u/ac1/counts']!.write!.count, 10);
  assert.ok(near(s['u/ac1']!.add!.energyPj, 10 * 0.04));
  assert.ok(near(s['u/ac1']!.mux_select!.energyPj, 20 * 0.01 * 4));
});

test('CONV3-like layer at 4 bits: AC1, AC2, AC3 use two banks; with β_a terms offline AC2 is gated (AC1 and AC3 active)', () => {
  const ctx = tinyCtx();
  const stage = new CountingStage('counting', ctx, new Group('u', ctx), DEFAULT_COUNTING, 1);
  assert.equal(stage.configure(4, true), [2, 2, 2]);
  assert.equal(stage.configure(4, false), [2, 0, 2]);
});

test.run();
