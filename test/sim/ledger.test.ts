import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ledger, addBreakdown, breakdownEnergyPj } from '../../sim/ledger.ts';

test('energy of a tally is count × per-op energy', () => {
  const l = new Ledger();
  const s = l.slot('chip/mac', 'mac', 0.25);
  l.add(s, 8);
  assert.equal(l.snapshot(), { 'chip/mac': { mac: { count: 8, energyPj: 2 } } });
});

test('the same action registered twice shares a slot; a different energy is a bug', () => {
  const l = new Ledger();
  assert.is(l.slot('a', 'read', 1), l.slot('a', 'read', 1));
  assert.throws(() => l.slot('a', 'read', 2), /different energies/);
  assert.throws(() => l.slot('a', 'write', -1), />= 0/);
});

test('total energy is the sum of parts, and breakdowns add across layers', () => {
  const l = new Ledger();
  const a = l.slot('chip/glb', 'read', 3);
  const b = l.slot('chip/dram', 'read_bit', 0.5);
  const leak = l.slot('chip/glb', 'leakage', 0);
  l.add(a, 2);
  l.add(b, 10);
  l.addEnergy(leak, 100, 7);
  const one = l.snapshot();
  assert.is(breakdownEnergyPj(one), 2 * 3 + 10 * 0.5 + 7);
  l.reset();
  assert.equal(l.snapshot(), {});
  l.add(a, 1);
  const sum = addBreakdown(addBreakdown({}, one), l.snapshot());
  assert.is(breakdownEnergyPj(sum), breakdownEnergyPj(one) + 3);
  assert.is(sum['chip/glb']!.read!.count, 3);
});

test('many slots grow the typed arrays without losing counts', () => {
  const l = new Ledger();
  const slots = Array.from({ length: 300 }, (_, i) => l.slot(`c${i}`, 'op', 1));
  slots.forEach((s, i) => l.add(s, i));
  assert.is(breakdownEnergyPj(l.snapshot()), (299 * 300) / 2);
});

test.run();
