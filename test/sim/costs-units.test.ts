import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toNumber, toNumberMathjs } from '../../sim/costs.ts';

const root = join(import.meta.dirname, '..', '..');
const UNIT_TARGET: Record<string, 'pJ' | 'um^2' | 'uW'> = { J: 'pJ', W: 'uW', 'm^2': 'um^2' };

/** Every quantity string in the shipped cost tables and the test fixtures. */
function quantities(): string[] {
  const files = [...readdirSync(join(root, 'configs/costs')).map((f) => join(root, 'configs/costs', f)), ...readdirSync(join(root, 'test/fixtures')).filter((f) => /costs.*\.json$/.test(f)).map((f) => join(root, 'test/fixtures', f))];
  const out = new Set<string>();
  for (const f of files.filter((f) => f.endsWith('.json'))) {
    JSON.stringify(JSON.parse(readFileSync(f, 'utf8')), (_k, v) => {
      if (typeof v === 'string' && /^\s*[\d.]+(e[+-]?\d+)?\s*[a-zµ]*(J|W|m\^2)(\s*\/\s*\w+)?\s*$/i.test(v)) out.add(v);
      return v;
    });
  }
  return [...out];
}

const targetOf = (q: string) => UNIT_TARGET[/(J|W|m\^2)(\s*\/\s*\w+)?\s*$/.exec(q)![1]!]!;

test('the power-of-ten fast path equals mathjs on every quantity of the shipped tables', () => {
  const qs = quantities();
  assert.ok(qs.length > 20, `${qs.length} quantities`);
  for (const q of qs) assert.is(toNumber(q, targetOf(q)), toNumberMathjs(q, targetOf(q)), q);
});

test('the fast path equals mathjs on random quantities (every prefix, unit and exponent)', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
      fc.constantFrom('f', 'p', 'n', 'u', 'm', '', 'k'),
      fc.constantFrom('J', 'W', 'm^2'),
      fc.constantFrom('', '/access', ' / op'),
      (v, prefix, unit, per) => {
        const q = `${v} ${prefix}${unit}${unit === 'J' ? per : ''}`;
        const to = UNIT_TARGET[unit]!;
        assert.is(toNumber(q, to), toNumberMathjs(q, to), q);
      },
    ),
    { seed: 20261201, numRuns: 2000 },
  );
});

test.run();
