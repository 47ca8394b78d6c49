/**
 * Pareto fronts over sweep results. Objectives are minimized; `max:name` maximizes one.
 * A metric name is looked up in the totals (energyPj, cycles, areaUm2, …), then the axis values
 * (rows, /array/rows), then as a dotted path into the line (energyByPartPj.dram).
 */
import { die } from './errors.ts';
import type { ResultLine } from './sweep-eval.ts';

export interface Objective {
  name: string;
  maximize: boolean;
}

export function parseObjective(s: string): Objective {
  const maximize = s.startsWith('max:');
  const name = maximize ? s.slice(4) : s;
  if (!name) die(`empty objective "${s}"`);
  return { name, maximize };
}

/** The number a line has for `name`, or undefined. */
export function metric(line: ResultLine, name: string): number | undefined {
  const fromTotals = (line.totals as unknown as Record<string, unknown> | undefined)?.[name];
  if (typeof fromTotals === 'number') return fromTotals;
  const fromValues = line.values?.[name];
  if (typeof fromValues === 'number') return fromValues;
  let node: unknown = line;
  for (const k of name.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
  return typeof node === 'number' ? node : undefined;
}

/** a dominates b: no worse in every objective, better in one (vectors already sign-adjusted to minimize). */
function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/**
 * The non-dominated lines, sorted by the first objective. Lines without every metric (error lines)
 * are left out. O(n log n + n·|front|): after a lexicographic sort a dominated line is always
 * dominated by a front member seen before it.
 */
export function pareto(lines: readonly ResultLine[], objectives: readonly (string | Objective)[]): ResultLine[] {
  const objs = objectives.map((o) => (typeof o === 'string' ? parseObjective(o) : o));
  if (objs.length < 2) die('a Pareto front needs at least two objectives');
  const rows: { line: ResultLine; v: number[] }[] = [];
  for (const line of lines) {
    const v = objs.map((o) => metric(line, o.name));
    if (v.every((x): x is number => x !== undefined && Number.isFinite(x))) rows.push({ line, v: v.map((x, i) => (objs[i]!.maximize ? -x : x)) });
  }
  rows.sort((a, b) => {
    for (let i = 0; i < a.v.length; i++) if (a.v[i] !== b.v[i]) return a.v[i]! - b.v[i]!;
    return a.line.key < b.line.key ? -1 : a.line.key > b.line.key ? 1 : 0;
  });
  const front: { line: ResultLine; v: number[] }[] = [];
  for (const r of rows) if (!front.some((f) => dominates(f.v, r.v))) front.push(r);
  return front.map((f) => f.line);
}
