/**
 * Base class of every hardware block. A component gets a frozen spec slice and the cost table
 * at build time, keeps only the state the hardware keeps, and reports operations to the ledger.
 * Replicated blocks (168 PEs) are one component with `instances`: paths aggregate by type
 * (`array/pe/mac`), area and leakage multiply by the instance count.
 */
import type { CostTable } from './costs.ts';
import type { Ledger } from './ledger.ts';
import { LEAKAGE_OP } from './ledger.ts';
import type { Scheduler } from './scheduler.ts';

export interface BuildContext {
  readonly costs: CostTable;
  readonly ledger: Ledger;
  readonly scheduler: Scheduler;
  readonly clockMHz: number;
  /** The run's seeded generator: the only source of randomness a model may use. */
  readonly rng: () => number;
  /** The arch config file, for errors that name a config value (absent for in-memory configs). */
  readonly archFile?: string;
}

/** A registered action: its ledger slot and the energy of one operation. */
export interface Action {
  readonly slot: number;
  readonly energyPj: number;
}

export interface AreaRow {
  instances: number;
  areaUm2: number;
}

export abstract class Component {
  readonly children: Component[] = [];
  readonly path: string;
  private leakSlot: number | undefined;
  private late: Map<string, (self: Component) => number> | undefined;

  constructor(
    readonly name: string,
    protected readonly ctx: BuildContext,
    parent?: Component,
    /** Copies of this block in the design (absolute, not per parent). */
    readonly instances: number = 1,
  ) {
    if (!(Number.isInteger(instances) && instances >= 1)) throw new Error(`${name}: instances must be an integer >= 1`);
    this.path = parent ? `${parent.path}/${name}` : name;
    parent?.children.push(this);
  }

  /** Area of one instance of this block itself, children excluded. */
  protected abstract unitAreaUm2(): number;

  /**
   * What this block is, as built (sizes, widths, bandwidths after defaults are applied), for the
   * report's hardware summary; undefined for blocks with nothing to say (groups, logic).
   */
  hardwareSpec(): Readonly<Record<string, number | string | boolean>> | undefined {
    return undefined;
  }

  /** Leakage of one powered instance: logic leakage density × area unless overridden. */
  protected unitLeakageUw(): number {
    return this.ctx.costs.leakageUw('logic') * this.unitAreaUm2();
  }

  /** Leakage of one powered instance of this block itself (the report's estimate share splits it). */
  unitLeakagePerInstanceUw(): number {
    return this.unitLeakageUw();
  }

  /** Fraction of this block that is powered (power-gated parts override). */
  protected poweredFraction(): number {
    return 1;
  }

  /** Register an action with its per-operation energy; charge it with `charge`. */
  protected action(op: string, energyPj: number): Action {
    return { slot: this.ctx.ledger.slot(this.path, op, energyPj), energyPj };
  }

  /**
   * An action registered while running (its key depends on the data, e.g. DRQ's per-precision
   * MACs). `energyOf` prices it on any instance of this class, so the estimate-share probe, which
   * is only built, can price it with its own cost table.
   */
  protected lateAction(op: string, energyOf: (self: this) => number): Action {
    (this.late ??= new Map()).set(op, energyOf as (self: Component) => number);
    return this.action(op, energyOf(this));
  }

  /** The energy `twin` (the same block built with another cost table) gives an action registered with lateAction. */
  lateActionEnergyPj(op: string, twin: Component): number | undefined {
    return this.late?.get(op)?.(twin);
  }

  protected charge(a: Action, count: number): void {
    this.ctx.ledger.add(a.slot, count);
  }

  /** Charge energy that is not a count × per-op figure (wake-up, leakage). */
  protected chargeEnergy(op: string, count: number, energyPj: number): void {
    this.ctx.ledger.addEnergy(this.ctx.ledger.slot(this.path, op, 0), count, energyPj);
  }

  /** Total area: this block's instances plus all children. */
  areaUm2(): number {
    let a = this.instances * this.unitAreaUm2();
    for (const c of this.children) a += c.areaUm2();
    return a;
  }

  /** Leakage now, µW: powered part in full, gated part at the table's residual fraction. */
  leakageUw(): number {
    return this.ownLeakageUw() + this.children.reduce((s, c) => s + c.leakageUw(), 0);
  }

  private ownLeakageUw(): number {
    const on = this.poweredFraction();
    const residual = on < 1 ? this.ctx.costs.parameter('gatedLeakageFraction') : 0;
    return this.instances * this.unitLeakageUw() * (on + residual * (1 - on));
  }

  /** Charge leakage over `cycles` at the configured clock to this block and its children. */
  chargeLeakage(cycles: number): void {
    const uW = this.ownLeakageUw();
    if (uW > 0 && cycles > 0) {
      this.leakSlot ??= this.ctx.ledger.slot(this.path, LEAKAGE_OP, 0);
      // µW × µs = pJ; cycles / MHz = µs.
      this.ctx.ledger.addEnergy(this.leakSlot, cycles, (uW * cycles) / this.ctx.clockMHz);
    }
    for (const c of this.children) c.chargeLeakage(cycles);
  }

  /** Area per component path (own part only), for reports. */
  areaBreakdown(out: Record<string, AreaRow> = {}): Record<string, AreaRow> {
    const own = this.instances * this.unitAreaUm2();
    if (own > 0) out[this.path] = { instances: this.instances, areaUm2: own };
    for (const c of this.children) c.areaBreakdown(out);
    return out;
  }

  /** Depth-first search by path suffix (`glb`, `pe/mac`). */
  find(pathSuffix: string): Component | undefined {
    if (this.path === pathSuffix || this.path.endsWith(`/${pathSuffix}`)) return this;
    for (const c of this.children) {
      const f = c.find(pathSuffix);
      if (f) return f;
    }
    return undefined;
  }
}

/** A block that only groups children (an array, a chip). */
export class Group extends Component {
  protected unitAreaUm2(): number {
    return 0;
  }
}
