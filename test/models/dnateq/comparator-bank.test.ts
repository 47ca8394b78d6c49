import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Group } from '../../../sim/component.ts';
import { ComparatorBank, comparatorSearch, DEFAULT_COMPARATOR_BANK } from '../../../models/dnateq/comparator-bank.ts';
import { boundaries, encode, fullScale } from '../../../models/dnateq/exponential.ts';
import { tinyCtx, near } from './helpers.ts';

test('8 comparators resolve n bits in ⌈n/3⌉ cycles (1, 2, 2, 2, 3), worst case over all intervals', () => {
  for (const bits of [3, 4, 5, 6, 7]) {
    const b = boundaries({ bits, base: 1.3, ...fullScale(bits, 1.3, 10, 0.01) });
    let worst = 0;
    for (let i = 0; i <= b.length; i++) {
      const x = i === 0 ? 0 : i === b.length ? 1e9 : (b[i - 1]! + b[i]!) / 2;
      worst = Math.max(worst, comparatorSearch(x, b, 8).cycles);
    }
    assert.is(worst, Math.ceil(bits / 3), `n = ${bits}`);
  }
});

test('property: the comparator search gives the same code as the software quantizer', () => {
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 7 }), fc.double({ min: 1.01, max: 3, noNaN: true }), fc.double({ min: -20, max: 20, noNaN: true }), (bits, base, x) => {
      const b = boundaries({ bits, base, ...fullScale(bits, base, 15, 0.02) });
      const { index } = comparatorSearch(Math.abs(x), b, 8);
      return (x < 0 ? -index : index) === encode(x, b) || (index === 0 && encode(x, b) === 0);
    }),
    { seed: 3, numRuns: 1000 },
  );
});

test('hand-computed energy: 100 activations at 7 bits = 300 cycles × 8 probes', () => {
  const ctx = tinyCtx();
  const bank = new ComparatorBank('cb', ctx, new Group('chip', ctx), DEFAULT_COMPARATOR_BANK);
  assert.is(bank.loadBoundaries(7), 127);
  assert.is(bank.quantize(100, 7), 300);
  const s = ctx.ledger.snapshot();
  // compare 16-bit: 0.1 pJ; mux 16-bit 16:1 = 0.01 × 2 × 4 = 0.08 pJ; encoder 0.2 pJ per cycle.
  assert.ok(near(s['chip/cb']!.compare!.energyPj, 2400 * 0.1));
  assert.ok(near(s['chip/cb']!.mux_select!.energyPj, 2400 * 0.08));
  assert.ok(near(s['chip/cb']!.leading_one!.energyPj, 300 * 0.2));
  // Boundary buffer: 256 B in 16 banks of 16 B, 16-bit words: 0.1 pJ × 2 (bits) per access.
  assert.is(s['chip/cb/boundary_buffer']!.read!.count, 2400);
  assert.is(s['chip/cb/boundary_buffer']!.write!.count, 127);
  assert.ok(near(s['chip/cb/boundary_buffer']!.read!.energyPj, 2400 * 0.2));
});

test('cycles per activation is a parameter', () => {
  const ctx = tinyCtx();
  const bank = new ComparatorBank('cb', ctx, new Group('chip', ctx), { ...DEFAULT_COMPARATOR_BANK, cyclesPerActivation: (n) => n });
  assert.is(bank.quantize(10, 5), 50);
});

test.run();
