/**
 * Cost tables in the spirit of Accelergy's ERT: class → action → arguments, kept apart from the
 * models that use them. Units are converted once at load with mathjs; scaling by bitwidth,
 * size and technology node is applied by declared rules, never by hand-edited numbers.
 * A lookup that finds no entry (after the declared coarser-action fallback) is an error.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { die } from './errors.ts';
import { noteInput } from './inputs.ts';
import { validateAgainst, parseJsonFile, displayPath } from './config.ts';
import { importAccelergy } from './import/accelergy.ts';
import { COST_METHODS, toNumber, type CostMethod } from './cost-quantities.ts';

export { COST_METHODS, toNumber, toNumberMathjs, type CostMethod } from './cost-quantities.ts';

/** Largest figure a cost entry may give: 1 mJ per action, 1 m² of area, 1 kW of leakage. */
const MAX_QUANTITY = { pJ: 1e9, 'um^2': 1e12, uW: 1e9 } as const;

/** A table entry's quantity: toNumber, bounded so that no product of counts overflows (docs/hardening.md). */
function entryQuantity(quantity: string, to: 'pJ' | 'um^2' | 'uW', where: string): number {
  const v = toNumber(quantity, to, where);
  if (v > MAX_QUANTITY[to]) die(`quantity "${quantity}" is above ${MAX_QUANTITY[to]} ${to}, beyond any circuit (results would overflow)`, undefined, where);
  return v;
}

/** A looked-up cost: finite, or a user error naming the class (extreme scaling arguments or scales). */
function finiteCost(v: number, file: string, cls: string, what: string): number {
  if (!Number.isFinite(v)) die(`${what} would be ${v}: a scaling argument or scale factor is outside the range the table can represent`, file, `/classes/${cls}`);
  return v;
}


/** How a cost grows with one argument: value ∝ f(arg). */
export type ScalingRule = 'linear' | 'quadratic' | 'sqrt' | 'log2' | 'none';

const RULES: Record<ScalingRule, (x: number) => number> = {
  linear: (x) => x,
  quadratic: (x) => x * x,
  sqrt: (x) => Math.sqrt(x),
  log2: (x) => Math.log2(Math.max(x, 2)),
  none: () => 1,
};

type Quantity = string | { value: string; source: string };

function weaker(a: CostMethod, b: CostMethod): CostMethod {
  return COST_METHODS.indexOf(a) >= COST_METHODS.indexOf(b) ? a : b;
}

interface PointSpec {
  args?: Record<string, number | string>;
  node: string;
  energy?: Record<string, Quantity>;
  area?: Quantity;
  leakage?: Quantity;
  source: string;
  method: CostMethod;
  estimate?: boolean;
}

interface ClassSpec {
  description?: string;
  scaling?: Record<string, ScalingRule>;
  areaScaling?: Record<string, ScalingRule>;
  leakageScaling?: Record<string, ScalingRule>;
  fallback?: Record<string, string>;
  points: PointSpec[];
}

interface NodeFactor {
  energy: number;
  area: number;
  source: string;
}

export interface CostTableSpec {
  name: string;
  technology: string;
  description?: string;
  nodeScaling: Record<string, NodeFactor>;
  parameters?: Record<string, { value: number; source: string }>;
  classes: Record<string, ClassSpec>;
}

type Args = Record<string, number | string>;

interface ResolvedPoint {
  args: Args;
  node: string;
  energyPj: Record<string, number>;
  areaUm2: number | undefined;
  leakageUw: number | undefined;
  source: string;
  method: CostMethod;
}

type Measure = { kind: 'energy'; action: string } | { kind: 'area' } | { kind: 'leakage' };

/** One resolved figure with the provenance a report can show. */
export interface CostRow {
  class: string;
  action: string;
  args: Args;
  value: number;
  unit: 'pJ' | 'um^2' | 'uW';
  node: string;
  source: string;
  method: CostMethod;
  /** method === 'estimate' (kept for readers of the JSON from before `method`). */
  estimate: boolean;
}

export interface CostTableOptions {
  /** Disable node scaling: figures are returned at the node they were published for. */
  nodeScaling?: boolean;
  /** Multiply the energy of whole classes (sensitivity sweeps: "sram": 2 doubles every SRAM access). */
  energyScale?: Record<string, number>;
  /**
   * Only energies (and leakage) resolved from points of these methods count; others are 0. A probe build with
   * `['estimate']` prices every action by its estimated part alone (the report's estimate share).
   */
  energyMethods?: readonly CostMethod[];
  /** Collect the classes energies are looked up from (the sensitivity report reruns only those). */
  record?: Set<string>;
}

export class CostTable {
  readonly file: string;
  readonly sha256: string;
  readonly name: string;
  readonly technology: string;
  private readonly classes = new Map<string, { spec: ClassSpec; points: ResolvedPoint[] }>();
  private readonly nodes: Record<string, NodeFactor>;
  private readonly params: Record<string, { value: number; source: string }>;
  private readonly options: CostTableOptions;
  /** Resolved figures by (class, measure, args): a table is immutable, and a run asks for the same ones per layer. */
  private resolved = new Map<string, CostRow>();

  constructor(spec: CostTableSpec, file: string, sha256: string, options: CostTableOptions = {}) {
    this.file = file;
    this.sha256 = sha256;
    this.name = spec.name;
    this.technology = spec.technology;
    this.nodes = spec.nodeScaling;
    this.params = spec.parameters ?? {};
    this.options = options;
    for (const [cls, c] of Object.entries(spec.classes)) {
      const points = c.points.map((p, i) => {
        const where = `/classes/${cls}/points/${i}`;
        if (p.estimate !== undefined && p.estimate !== (p.method === 'estimate')) {
          die(`"estimate": ${p.estimate} contradicts "method": "${p.method}"`, file, `${where}/estimate`);
        }
        if (!this.nodes[p.node]) die(`node "${p.node}" has no entry in /nodeScaling`, file, `${where}/node`);
        const scaled = new Set([...Object.keys(c.scaling ?? {}), ...Object.keys(c.areaScaling ?? {}), ...Object.keys(c.leakageScaling ?? {})]);
        for (const [name, v] of Object.entries(p.args ?? {})) {
          if (scaled.has(name) && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
            die(`scaling argument must be a positive number, got ${JSON.stringify(v)}`, file, `${where}/args/${name}`);
          }
        }
        const energyPj: Record<string, number> = {};
        for (const [action, q] of Object.entries(p.energy ?? {})) {
          energyPj[action] = entryQuantity(qv(q), 'pJ', `${file}: ${where}/energy/${action}`);
        }
        return {
          args: p.args ?? {},
          node: p.node,
          energyPj,
          areaUm2: p.area === undefined ? undefined : entryQuantity(qv(p.area), 'um^2', `${file}: ${where}/area`),
          leakageUw: p.leakage === undefined ? undefined : entryQuantity(qv(p.leakage), 'uW', `${file}: ${where}/leakage`),
          source: p.source,
          method: p.method,
        };
      });
      this.classes.set(cls, { spec: c, points });
    }
  }

  /** A copy with other options (node scaling off, class energy multipliers). */
  with(options: CostTableOptions): CostTable {
    const copy = Object.create(CostTable.prototype) as CostTable;
    Object.assign(copy, this, { options: { ...this.options, ...options }, resolved: new Map() });
    return copy;
  }

  /** Energy in pJ of one `action` on class `cls` with `args` (e.g. `{ bits: 8 }`). */
  energyPj(cls: string, action: string, args: Args = {}): number {
    this.options.record?.add(cls);
    const scale = this.options.energyScale?.[cls] ?? 1;
    const row = this.resolve(cls, { kind: 'energy', action }, args);
    if (this.options.energyMethods && !this.options.energyMethods.includes(row.method)) return 0;
    return finiteCost(row.value * scale, this.file, cls, `energy of ${cls}.${action} for ${JSON.stringify(args)}`);
  }

  areaUm2(cls: string, args: Args = {}): number {
    return finiteCost(this.resolve(cls, { kind: 'area' }, args).value, this.file, cls, `area of ${cls} for ${JSON.stringify(args)}`);
  }

  leakageUw(cls: string, args: Args = {}): number {
    const row = this.resolve(cls, { kind: 'leakage' }, args);
    return this.options.energyMethods && !this.options.energyMethods.includes(row.method) ? 0 : finiteCost(row.value, this.file, cls, `leakage of ${cls} for ${JSON.stringify(args)}`);
  }

  /** A named dimensionless parameter of the table (e.g. the residual leakage of a gated bank). */
  parameter(name: string): number {
    const p = this.params[name];
    if (!p) return die(`no parameter "${name}" in cost table`, this.file, `/parameters/${name}`);
    return p.value;
  }

  has(cls: string, action?: string): boolean {
    const c = this.classes.get(cls);
    if (!c) return false;
    if (action === undefined) return true;
    return c.points.some((p) => p.energyPj[this.fallbackAction(c.spec, p, action) ?? ''] !== undefined);
  }

  /** The figure with its provenance, as the `costs` command and reports show it. */
  resolve(cls: string, measure: Measure, args: Args = {}): CostRow {
    const k = `${cls}\u0000${measure.kind === 'energy' ? measure.action : ''}\u0000${measure.kind}\u0000${JSON.stringify(args)}`;
    let row = this.resolved.get(k);
    if (!row) this.resolved.set(k, (row = this.resolveFigure(cls, measure, { ...args })));
    return row;
  }

  private resolveFigure(cls: string, measure: Measure, args: Args): CostRow {
    const c = this.classes.get(cls);
    const key = measure.kind === 'energy' ? `${cls}.${measure.action}` : `${cls}.${measure.kind}`;
    if (!c) return die(`no cost entry "${key}" (class "${cls}" is not in the table)`, this.file, `/classes/${cls}`);
    const rule = this.rules(c.spec, measure);
    for (const name of Object.keys(args)) {
      if (!(name in rule) && !c.points.some((p) => name in p.args)) {
        throw new Error(`cost lookup ${key}: argument "${name}" is neither a scaling argument nor a point argument`);
      }
    }
    // Candidate points: those with the measure, whose non-scaling args match exactly.
    const candidates: { p: ResolvedPoint; value: number; action: string }[] = [];
    for (const p of c.points) {
      let value: number | undefined;
      let action = '';
      if (measure.kind === 'energy') {
        const a = this.fallbackAction(c.spec, p, measure.action);
        if (a !== undefined) {
          value = p.energyPj[a];
          action = a;
        }
      } else {
        value = measure.kind === 'area' ? p.areaUm2 : p.leakageUw;
        action = measure.kind;
      }
      if (value === undefined) continue;
      const exactMatch = Object.entries(p.args).every(([k, v]) => k in rule || args[k] === undefined || args[k] === v);
      if (exactMatch) candidates.push({ p, value, action });
    }
    if (candidates.length === 0) {
      return die(`no cost entry "${key}" for ${JSON.stringify(args)}`, this.file, `/classes/${cls}`);
    }
    // Each candidate gives an estimate scaled to the requested args by the declared rules.
    const estimates = candidates.map(({ p, value, action }) => {
      // Each point is taken to the table's node first, so points of different nodes interpolate in one unit.
      let v = value * this.nodeFactor(p.node, measure);
      let distance = 0;
      for (const [name, r] of Object.entries(rule)) {
        const want = args[name];
        const have = p.args[name];
        if (want === undefined || have === undefined) continue;
        if (typeof want !== 'number' || typeof have !== 'number' || want <= 0 || have <= 0) {
          throw new Error(`cost lookup ${key}: scaling argument "${name}" must be a positive number`);
        }
        v *= RULES[r](want) / RULES[r](have);
        distance += Math.abs(Math.log(want / have));
      }
      return { p, v, distance, action };
    });
    estimates.sort((a, b) => a.distance - b.distance);
    const best = estimates[0]!;
    let value = best.v;
    let source = best.p.source;
    // Between two published points along one argument, interpolate geometrically by log distance,
    // so the result follows the data rather than the rule where the data exist.
    let second: (typeof estimates)[number] | undefined;
    for (const e of estimates) {
      const k = e === best ? undefined : bracket(args, best.p.args, e.p.args);
      if (k === undefined) continue;
      second = e;
      // Weight by distance along the bracketed argument only.
      const lw = Math.log(args[k] as number);
      const lb = Math.log(best.p.args[k] as number);
      const le = Math.log(e.p.args[k] as number);
      const w = (le - lw) / (le - lb);
      value = Math.exp(w * Math.log(best.v) + (1 - w) * Math.log(e.v));
      break;
    }
    let method = best.p.method;
    if (second) {
      source = `${best.p.source}; interpolated with ${second.p.source}`;
      method = weaker(method, second.p.method);
    }
    const unit = measure.kind === 'energy' ? 'pJ' : measure.kind === 'area' ? 'um^2' : 'uW';
    return {
      class: cls,
      action: best.action,
      args,
      value,
      unit,
      node: best.p.node,
      source,
      method,
      estimate: method === 'estimate',
    };
  }

  /** Every published point, resolved at this table's node, for `quantsim costs`. */
  rows(): CostRow[] {
    const out: CostRow[] = [];
    for (const [cls, c] of this.classes) {
      for (const p of c.points) {
        const args = p.args;
        for (const action of Object.keys(p.energyPj)) out.push(this.resolve(cls, { kind: 'energy', action }, args));
        if (p.areaUm2 !== undefined) out.push(this.resolve(cls, { kind: 'area' }, args));
        if (p.leakageUw !== undefined) out.push(this.resolve(cls, { kind: 'leakage' }, args));
      }
    }
    return out;
  }

  nodeScalingTable(): Record<string, NodeFactor> {
    return this.nodes;
  }

  private rules(spec: ClassSpec, measure: Measure): Record<string, ScalingRule> {
    if (measure.kind === 'area') return spec.areaScaling ?? spec.scaling ?? {};
    if (measure.kind === 'leakage') return spec.leakageScaling ?? spec.areaScaling ?? spec.scaling ?? {};
    return spec.scaling ?? {};
  }

  private fallbackAction(spec: ClassSpec, p: ResolvedPoint, action: string): string | undefined {
    const seen = new Set<string>();
    let a: string | undefined = action;
    while (a !== undefined && !seen.has(a)) {
      if (p.energyPj[a] !== undefined) return a;
      seen.add(a);
      a = spec.fallback?.[a];
    }
    return undefined;
  }

  private nodeFactor(node: string, measure: Measure): number {
    if (this.options.nodeScaling === false) return 1;
    const f = this.nodes[node]!;
    // Leakage is taken to scale with area (same cells, same density of leaking devices).
    return measure.kind === 'energy' ? f.energy : f.area;
  }
}

function qv(q: Quantity): string {
  return typeof q === 'string' ? q : q.value;
}

/** The one argument in which points `a` and `b` differ, when `want` lies strictly between them on it. */
function bracket(want: Args, a: Args, b: Args): string | undefined {
  const differ = Object.keys(a).filter((k) => a[k] !== b[k]);
  if (differ.length !== 1) return undefined;
  const k = differ[0]!;
  const w = want[k];
  const x = a[k];
  const y = b[k];
  if (typeof w !== 'number' || typeof x !== 'number' || typeof y !== 'number') return undefined;
  return (w - x) * (w - y) < 0 ? k : undefined;
}

const tableCache = new Map<string, CostTable>();

/** Load, validate and resolve a cost table file (cached by path and content hash). */
export function loadCostTable(file: string, options: CostTableOptions = {}): CostTable {
  let text: string;
  noteInput(file);
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return die(`cannot read cost table: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, displayPath(file));
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  const key = `${file}\u0000${sha256}`;
  let table = tableCache.get(key);
  if (!table) {
    // .yaml/.yml: an Accelergy ERT (with its ART and flattened architecture), docs/accelergy.md;
    // its sha256 is that of the table as imported (`costs export --format json`), which the ART and mapping change too.
    const ert = /\.ya?ml$/i.test(file);
    const spec = ert ? importAccelergy(file) : (parseJsonFile(text, displayPath(file)) as CostTableSpec);
    validateAgainst('costs', spec, displayPath(file));
    table = new CostTable(spec, displayPath(file), ert ? createHash('sha256').update(`${JSON.stringify(spec, null, 2)}\n`).digest('hex') : sha256);
    tableCache.set(key, table);
  }
  return Object.keys(options).length ? table.with(options) : table;
}
