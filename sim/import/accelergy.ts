/**
 * Accelergy ERT (+ ART, + flattened architecture) → a quantsim cost-table spec (docs/accelergy.md).
 *
 * The mapping file (configs/costs/accelergy-mapping.json) turns each component's Accelergy class
 * and attributes into a quantsim class and arguments, and its actions into ours. The base table it
 * names supplies scaling rules, fallbacks, node factors and every figure the ERT does not give:
 * per class, an action, the area or the leakage the ERT provides replaces the base's; the rest stay.
 * A class or action neither mapped nor ignored is an error naming the file and line.
 */
import { dirname, join, resolve } from 'node:path';
import { die } from '../errors.ts';
import { displayPath, parseJsonFile, readJsonFile, validateAgainst } from '../config.ts';
import { CONFIG_DIR } from '../paths.ts';
import type { CostTableSpec } from '../costs.ts';
import { COST_METHODS, type CostMethod } from '../cost-quantities.ts';
import { readArt, readErt, readFlattenedArch, siblingsOf, type ArchComponent, type ErtAction, type ErtTable } from './accelergy-files.ts';
import { readInput } from './common.ts';

/** The class prefix of quantsim's own classes in an exported ERT, read back 1:1. */
export const OWN = 'quantsim_';

export const DEFAULT_ACCELERGY_MAPPING = join(CONFIG_DIR, 'costs', 'accelergy-mapping.json');

interface ActionMap {
  from: string[];
  arguments?: Record<string, number | string>;
}

interface ClassMap {
  to: string;
  args: Record<string, string>;
  actions: Record<string, ActionMap>;
  ignore?: string[];
}

interface Mapping {
  base: string;
  unitlessVersions: string[];
  ignoreClasses?: string[];
  classes: Record<string, ClassMap>;
}

export interface AccelergyOptions {
  /** ART.yaml or ART_summary.yaml; default: the sibling of the ERT, if any (then no areas are imported). */
  art?: string;
  /** flattened_architecture.yaml; default: the sibling of the ERT (required). */
  arch?: string;
  /** Mapping file; default configs/costs/accelergy-mapping.json. */
  mapping?: string;
}

type Point = CostTableSpec['classes'][string]['points'][number];

/** Read a cost-table spec from JSON or, for .yaml/.yml, from an Accelergy ERT. */
export function readCostSpec(path: string, options: AccelergyOptions = {}): CostTableSpec {
  if (/\.ya?ml$/i.test(path)) return importAccelergy(path, options);
  const spec = parseJsonFile(readInput(path), displayPath(path)) as CostTableSpec;
  validateAgainst('costs', spec, displayPath(path));
  return spec;
}

export function importAccelergy(path: string, options: AccelergyOptions = {}): CostTableSpec {
  const mappingPath = options.mapping ?? DEFAULT_ACCELERGY_MAPPING;
  const mappingFile = displayPath(mappingPath);
  const mapping = readJsonFile(mappingPath) as Mapping;
  validateAgainst('accelergy-mapping', mapping, mappingFile);
  const basePath = resolve(dirname(resolve(mappingPath)), mapping.base);
  const base = readCostSpec(basePath);
  const siblings = siblingsOf(path);
  const archPath = options.arch ?? siblings.arch;
  const ertFile = displayPath(path);
  if (!archPath) return die('no flattened_architecture.yaml beside this ERT (it gives the class and attributes of every component): put it there or name it', ertFile);
  const ert = readErt(path, mapping);
  const arch = readFlattenedArch(archPath);
  const artPath = options.art ?? siblings.art;
  const art = artPath ? readArt(artPath, mapping) : undefined;

  const imported = new Map<string, Point[]>();
  for (const table of ert.tables) {
    const comp = arch.components.get(table.name) ?? die(`component "${table.name}" is not in ${arch.file} (its class and attributes are needed)`, ertFile, table.at);
    if (mapping.ignoreClasses?.includes(comp.cls)) continue;
    const where = `${table.name} (Accelergy class ${comp.cls})`;
    const own = comp.cls.startsWith(OWN) && base.classes[comp.cls.slice(OWN.length)] ? comp.cls.slice(OWN.length) : undefined;
    const m = own !== undefined ? identityMap(own, comp, table) : mapping.classes[comp.cls];
    if (!m) {
      die(`unknown Accelergy class "${comp.cls}" of ${table.name}: ${mappingFile} maps ${Object.keys(mapping.classes).join(', ')} (and quantsim_<class> for the base table's classes); map it or list it in ignoreClasses`, ertFile, `${table.at}: ${table.name}`);
    }
    if (!base.classes[m.to]) die(`class "${m.to}" (for Accelergy's ${comp.cls}) is not in the base table ${displayPath(basePath)}`, mappingFile, `/classes/${comp.cls}/to`);
    const energy = mapActions(table, m, where, ertFile);
    const area = art?.areas.get(table.name);
    if (Object.keys(energy).length === 0 && area === undefined) continue;
    const source = typeof comp.attributes.source === 'string' ? `; from: ${comp.attributes.source}` : '';
    const point: Point = {
      args: mapArgs(m.args, comp, arch.file, table.name),
      node: nodeOf(comp, base, arch.file, table.name),
      energy,
      ...(area !== undefined ? { area: `${area} um^2` } : {}),
      source: `Accelergy ${ertFile}${art ? ` + ${art.file}` : ''}: ${table.name} (class ${comp.cls})${source}`,
      method: methodOf(comp),
    };
    imported.set(m.to, [...(imported.get(m.to) ?? []), point]);
  }

  const classes = { ...base.classes };
  for (const [cls, points] of imported) classes[cls] = { ...base.classes[cls]!, points: [...points, ...leftovers(base.classes[cls]!.points, points)] };
  return {
    name: `Accelergy ${ertFile} on ${base.name}`,
    technology: base.technology,
    description: `Imported from the Accelergy ERT ${ertFile} (version ${ert.version || 'none'})${art ? ` and ART ${art.file}` : ' (no ART: areas are the base table\'s)'} with ${arch.file}, mapped by ${mappingFile}; classes and figures the ERT does not give come from ${base.name}.`,
    nodeScaling: base.nodeScaling,
    ...(base.parameters ? { parameters: base.parameters } : {}),
    classes,
  };
}

/** A class `quantsim_<ours>` (as `costs export` writes them): attributes are the arguments, actions 1:1. */
function identityMap(to: string, comp: ArchComponent, table: ErtTable): ClassMap {
  const args = Object.keys(comp.attributes).filter((k) => !['technology', 'source', 'method'].includes(k));
  const actions = [...new Set(table.actions.map((a) => a.name))];
  return { to, args: Object.fromEntries(args.map((k) => [k, `{${k}}`])), actions: Object.fromEntries(actions.map((a) => [a, { from: [a] }])) };
}

function mapActions(table: ErtTable, m: ClassMap, where: string, file: string): Record<string, string> {
  const covered = new Set(m.ignore ?? []);
  const energy: Record<string, string> = {};
  for (const [ours, spec] of Object.entries(m.actions)) {
    spec.from.forEach((a) => covered.add(a));
    const name = spec.from.find((a) => table.actions.some((e) => e.name === a));
    if (name === undefined) continue;
    const fits = table.actions.filter((e) => e.name === name && agrees(e, spec.arguments));
    if (fits.length === 0) die(`no "${name}" entry of ${where} has the arguments ${JSON.stringify(spec.arguments)} the mapping asks for`, file, table.at);
    // Of the entries left (e.g. every address_delta of a read with new data), the costliest.
    energy[ours] = `${Math.max(...fits.map((e) => e.energyPj))} pJ`;
  }
  const stray = table.actions.find((a) => !covered.has(a.name));
  if (stray) die(`action "${stray.name}" of ${where} is not mapped: add it to an action's "from" or to the class's "ignore" list in the mapping`, file, stray.at);
  return energy;
}

function agrees(e: ErtAction, want: Record<string, number | string> | undefined): boolean {
  return Object.entries(want ?? {}).every(([k, v]) => !(k in e.arguments) || e.arguments[k] === v);
}

/** `width*depth/8` (products and quotients of attributes and numbers) or a template `fp{datawidth}`. */
function mapArgs(exprs: Record<string, string>, comp: ArchComponent, file: string, name: string): Record<string, number | string> {
  const attr = (k: string): number | string => {
    const v = comp.attributes[k];
    if (v === undefined || typeof v === 'boolean') return die(`${name} has no attribute "${k}" (the mapping needs it)`, file, comp.at);
    return v;
  };
  const out: Record<string, number | string> = {};
  for (const [arg, expr] of Object.entries(exprs)) {
    if (/^\{\w+\}$/.test(expr)) out[arg] = attr(expr.slice(1, -1));
    else if (expr.includes('{')) out[arg] = expr.replace(/\{(\w+)\}/g, (_m, k: string) => String(attr(k)));
    else out[arg] = evaluate(expr, (k) => {
      const v = Number(attr(k));
      return Number.isFinite(v) ? v : die(`attribute "${k}" of ${name} must be a number, got ${JSON.stringify(attr(k))}`, file, comp.at);
    });
  }
  return out;
}

function evaluate(expr: string, attr: (k: string) => number): number {
  const terms = expr.split(/([*/])/).map((s) => s.trim());
  const value = (t: string) => (/^\d+(\.\d+)?$/.test(t) ? Number(t) : attr(t));
  let v = value(terms[0]!);
  for (let i = 1; i < terms.length; i += 2) v = terms[i] === '*' ? v * value(terms[i + 1]!) : v / value(terms[i + 1]!);
  return v;
}

/**
 * How a figure was obtained: what quantsim's own export wrote (`method` attribute), else
 * "estimate" — an ERT from elsewhere is a run of Accelergy's estimators this repository cannot repeat.
 */
function methodOf(comp: ArchComponent): CostMethod {
  const m = comp.attributes.method;
  return typeof m === 'string' && (COST_METHODS as readonly string[]).includes(m) ? (m as CostMethod) : 'estimate';
}

/** Accelergy's `technology` attribute ("40nm" or 40) as a node of the base table's nodeScaling. */
function nodeOf(comp: ArchComponent, base: CostTableSpec, file: string, name: string): string {
  const t = comp.attributes.technology;
  const node = typeof t === 'number' ? `${t}nm` : typeof t === 'string' ? t.replace(/\s+/g, '') : undefined;
  if (node === undefined) return die(`${name} has no "technology" attribute (the node its figures are for)`, file, comp.at);
  if (!base.nodeScaling[node]) die(`technology "${node}" of ${name} has no node factor in the base table (it has ${Object.keys(base.nodeScaling).join(', ')})`, file, comp.at);
  return node;
}

/** The base points reduced to the figures no imported point gives (leakage always: an ERT has none). */
function leftovers(basePoints: Point[], imported: Point[]): Point[] {
  const actions = new Set(imported.flatMap((p) => Object.keys(p.energy ?? {})));
  const hasArea = imported.some((p) => p.area !== undefined);
  return basePoints.flatMap((p) => {
    const energy = Object.fromEntries(Object.entries(p.energy ?? {}).filter(([a]) => !actions.has(a)));
    const { energy: _e, area, ...rest } = p;
    const kept: Point = { ...rest, ...(Object.keys(energy).length ? { energy } : {}), ...(area !== undefined && !hasArea ? { area } : {}) };
    return kept.energy || kept.area !== undefined || kept.leakage !== undefined ? [kept] : [];
  });
}
