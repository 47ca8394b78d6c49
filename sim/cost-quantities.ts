/**
 * The quantities of cost tables: unit strings ("0.2 pJ", "282 um^2", "3 uW", "5 pJ/access") to
 * numbers, and how a figure was obtained (`method`). Apart from sim/costs.ts so that importers of
 * other tools' tables (sim/import/accelergy*.ts) use them without importing the table loader.
 */
import { createRequire } from 'node:module';
import type { MathJsInstance, Unit } from 'mathjs';
import { die } from './errors.ts';

let math: MathJsInstance | undefined;
function mathjs(): MathJsInstance {
  if (!math) {
    // mathjs's single-file bundle with only the unit functions: its package entry is ~1,000 ES
    // modules and creates every function eagerly, which took 2 s of every CLI start.
    const m = createRequire(import.meta.url)('mathjs/lib/browser/math.js') as typeof import('mathjs');
    math = m.create({ unitDependencies: m.unitDependencies, createUnitDependencies: m.createUnitDependencies }, {}) as MathJsInstance;
    // Per-access and per-op figures are written "5 pJ/access"; these units are dimensionless counts.
    for (const u of ['access', 'op']) math.createUnit(u, { aliases: [`${u}s`] });
  }
  return math;
}

const PREFIX_EXP: Record<string, number> = { f: -15, p: -12, n: -9, u: -6, µ: -6, m: -3, '': 0, k: 3 };
const TARGET = { pJ: { unit: 'J', exp: -12, power: 1 }, 'um^2': { unit: 'm^2', exp: -6, power: 2 }, uW: { unit: 'W', exp: -6, power: 1 } } as const;
const PLAIN = /^\s*(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)\s*([fpnuµmk]?)(J|W|m\^2)\s*(?:\/\s*(?:access|op|bit))?\s*$/;

/**
 * The common quantities ("0.2 pJ", "1.3 nJ", "282 um^2", "3 uW", "5 pJ/access") by a power of ten,
 * so the CLI need not load mathjs (≈0.1 s) for a table written in them; anything else goes to
 * mathjs. Same rounding as the mathjs path (a test compares the two on every shipped entry).
 */
function plainQuantity(quantity: string, to: keyof typeof TARGET): number | undefined {
  const m = PLAIN.exec(quantity);
  const t = TARGET[to];
  if (!m || m[3] !== t.unit) return undefined;
  const k = (PREFIX_EXP[m[2]!]! - t.exp) * t.power;
  const v = k >= 0 ? Number(m[1]) * 10 ** k : Number(m[1]) / 10 ** -k;
  return Number.isFinite(v) ? Number(v.toPrecision(12)) : undefined;
}

/** Convert a unit string such as "0.2 pJ", "282 um^2", "3 uW", "5 pJ/access" to a number in `to`. */
export function toNumber(quantity: string, to: 'pJ' | 'um^2' | 'uW', where = ''): number {
  const plain = plainQuantity(quantity, to);
  if (plain !== undefined) return plain;
  return toNumberMathjs(quantity, to, where);
}

/** The general conversion, through mathjs's units. */
export function toNumberMathjs(quantity: string, to: 'pJ' | 'um^2' | 'uW', where = ''): number {
  const m = mathjs();
  let u: Unit;
  try {
    u = m.unit(quantity.replace(/\s*\/\s*(access|op|bit)\b/, ''));
  } catch (e) {
    return die(`cannot parse quantity "${quantity}": ${(e as Error).message}`, undefined, where || undefined);
  }
  try {
    // Unit conversion goes through SI base units; round off the binary noise it leaves (1000.0000000000001).
    const v = Number(u.toNumber(to).toPrecision(12));
    if (!Number.isFinite(v) || v < 0) die(`quantity "${quantity}" must be finite and >= 0`, undefined, where || undefined);
    return v;
  } catch (e) {
    if ((e as Error).name === 'UserError') throw e;
    return die(`"${quantity}" is not convertible to ${to}`, undefined, where || undefined);
  }
}

/** How a cost figure was obtained (Accelergy's estimators declare their accuracy the same way). */
export type CostMethod = 'published' | 'cacti' | 'synthesized' | 'estimate';
/** Weakest last: a figure interpolated between two points carries the weaker method. */
export const COST_METHODS: readonly CostMethod[] = ['published', 'cacti', 'synthesized', 'estimate'];
