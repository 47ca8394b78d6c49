import { die } from './errors.ts';

/**
 * Tallies operation counts per (component path, operation) and turns them into energy with
 * the per-operation energy resolved from the cost table when the action was registered.
 * Energy = Σ count × energy per op (+ leakage entries, which carry energy directly), so
 * totals are sums of parts by construction.
 */
export interface OpTally {
  count: number;
  energyPj: number;
}

/** component path → operation → tally */
export type Breakdown = Record<string, Record<string, OpTally>>;

export const LEAKAGE_OP = 'leakage';

export class Ledger {
  private readonly paths: string[] = [];
  private readonly ops: string[] = [];
  private readonly perOpPj: number[] = [];
  private counts: Float64Array = new Float64Array(64);
  private directPj: Float64Array = new Float64Array(64);
  private readonly index = new Map<string, number>();

  /** Register (or find) the slot of one action; later charges are a typed-array add. */
  slot(path: string, op: string, energyPerOpPj: number): number {
    const key = `${path}\u0000${op}`;
    const existing = this.index.get(key);
    if (existing !== undefined) {
      if (this.perOpPj[existing] !== energyPerOpPj) {
        throw new Error(`ledger: ${path} ${op} registered twice with different energies`);
      }
      return existing;
    }
    if (!Number.isFinite(energyPerOpPj) || energyPerOpPj < 0) {
      // Out-of-range configs or cost entries get here (a huge factor times a huge energy): a user error.
      die(`${path} ${op}: energy per op must be finite and >= 0, got ${energyPerOpPj} (a config or cost value is outside the range the model can represent)`);
    }
    const id = this.paths.length;
    this.paths.push(path);
    this.ops.push(op);
    this.perOpPj.push(energyPerOpPj);
    if (id >= this.counts.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.counts = grow(this.counts);
      this.directPj = grow(this.directPj);
    }
    this.index.set(key, id);
    return id;
  }

  /** The per-operation energy an action was registered with (undefined when it never was). */
  perOpEnergyPj(path: string, op: string): number | undefined {
    const id = this.index.get(`${path}\u0000${op}`);
    return id === undefined ? undefined : this.perOpPj[id];
  }

  /** Count `count` operations on a slot. */
  add(slot: number, count: number): void {
    this.counts[slot]! += count;
  }

  /** Charge energy that is not count × per-op energy (leakage over time, wake-ups). */
  addEnergy(slot: number, count: number, energyPj: number): void {
    this.counts[slot]! += count;
    this.directPj[slot]! += energyPj;
  }

  /** Zero all counts (between layers); slots stay registered. */
  reset(): void {
    this.counts.fill(0);
    this.directPj.fill(0);
  }

  /** Non-zero tallies, keyed path → op, in registration order (deterministic). */
  snapshot(): Breakdown {
    const out: Breakdown = {};
    for (let i = 0; i < this.paths.length; i++) {
      const count = this.counts[i]!;
      const direct = this.directPj[i]!;
      if (count === 0 && direct === 0) continue;
      const byOp = (out[this.paths[i]!] ??= {});
      byOp[this.ops[i]!] = { count, energyPj: count * this.perOpPj[i]! + direct };
    }
    return out;
  }
}

export function breakdownEnergyPj(b: Breakdown): number {
  let total = 0;
  for (const byOp of Object.values(b)) for (const t of Object.values(byOp)) total += t.energyPj;
  return total;
}

/** Add breakdown `b` into `into` (network totals are sums of layers). */
export function addBreakdown(into: Breakdown, b: Breakdown): Breakdown {
  for (const [path, byOp] of Object.entries(b)) {
    const dst = (into[path] ??= {});
    for (const [op, t] of Object.entries(byOp)) {
      const d = (dst[op] ??= { count: 0, energyPj: 0 });
      d.count += t.count;
      d.energyPj += t.energyPj;
    }
  }
  return into;
}
