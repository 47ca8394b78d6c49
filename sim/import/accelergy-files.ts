/**
 * Accelergy's output files, read into plain records with the line of every entry:
 * - ERT.yaml: `ERT: { version, tables: [ { name, actions: [ { name, arguments, energy } ] } ] }`;
 * - ART.yaml: `ART: { version, tables: [ { name, area } ] }`, or ART_summary.yaml:
 *   `ART_summary: { version, table_summary: [ { name, area, primitive_estimations } ] }`;
 * - flattened_architecture.yaml: `flattened_architecture: { version, components: { <name>: { name,
 *   class, attributes } } }` (a sequence of such entries is read too).
 * Table names are component names; the class and attributes of each come from the flattened architecture.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Node, YAMLMap } from 'yaml';
import { die } from '../errors.ts';
import { toNumber } from '../cost-quantities.ts';
import { isMap, isSeq, readYamlInput, scalarOf, type YamlInput } from './yaml-input.ts';

export interface ErtAction {
  name: string;
  arguments: Record<string, unknown>;
  energyPj: number;
  at: string;
}

export interface ErtTable {
  name: string;
  actions: ErtAction[];
  at: string;
}

export interface Ert {
  file: string;
  version: string;
  tables: ErtTable[];
}

export interface ArchComponent {
  cls: string;
  attributes: Record<string, number | string | boolean>;
  at: string;
}

/** Accelergy's convention for unit-less numbers, allowed only for the versions the mapping lists. */
export interface UnitRule {
  unitlessVersions: readonly string[];
}

function top(y: YamlInput, key: string, what: string): YAMLMap {
  const root = y.deref(y.doc.contents);
  const body = isMap(root) ? y.deref(root.get(key, true)) : undefined;
  if (!isMap(body)) return die(`expected ${what}: a mapping with a "${key}:" key`, y.file, y.at(root));
  return body;
}

function versionOf(y: YamlInput, body: YAMLMap): string {
  const v = scalarOf(y.deref(body.get('version', true)));
  return v === undefined || v === null ? '' : String(v);
}

function seqAt(y: YamlInput, body: YAMLMap, key: string): Node[] {
  const node = y.deref(body.get(key, true));
  if (!isSeq(node)) return die(`"${key}" must be a sequence`, y.file, y.at(node ?? body));
  return node.items.map((n) => y.deref(n) as Node);
}

function stringAt(y: YamlInput, map: unknown, key: string): string {
  const v = isMap(map) ? scalarOf(y.deref(map.get(key, true))) : undefined;
  if (typeof v !== 'string' || v === '') return die(`expected "${key}": a non-empty string`, y.file, y.at(map));
  return v;
}

/**
 * A figure: a number (Accelergy writes pJ and um^2 without units) only when the file's version is
 * one whose convention the mapping names; a string is converted by its unit.
 */
function quantity(y: YamlInput, node: unknown, unit: 'pJ' | 'um^2', version: string, rule: UnitRule, what: string): number {
  const v = scalarOf(node);
  const at = `${y.file}: ${y.at(node)}`;
  if (typeof v === 'string') return toNumber(v, unit, at);
  if (typeof v !== 'number') return die(`${what} must be a number or a quantity with a unit, got ${JSON.stringify(v ?? null)}`, y.file, y.at(node));
  if (!rule.unitlessVersions.includes(version)) {
    die(`unit-less ${what} ${v}: only files of Accelergy version ${rule.unitlessVersions.join('/')} are read in ${unit} without a unit (this one says ${version ? `version ${version}` : 'no version'}); write "${v} ${unit}"`, y.file, y.at(node));
  }
  if (!Number.isFinite(v) || v < 0) die(`${what} must be finite and >= 0, got ${v}`, y.file, y.at(node));
  return v;
}

export function readErt(path: string, rule: UnitRule): Ert {
  const y = readYamlInput(path);
  const body = top(y, 'ERT', 'an Accelergy energy reference table');
  const version = versionOf(y, body);
  const tables = seqAt(y, body, 'tables').map((t): ErtTable => {
    const name = stringAt(y, t, 'name');
    const actions = seqAt(y, t as YAMLMap, 'actions').map((a): ErtAction => {
      const args = y.deref((a as YAMLMap).get?.('arguments', true));
      const argsJs = isMap(args) ? (args.toJS(y.doc) as Record<string, unknown>) : {};
      return { name: stringAt(y, a, 'name'), arguments: argsJs, energyPj: quantity(y, y.deref((a as YAMLMap).get('energy', true)) ?? a, 'pJ', version, rule, `energy of ${name}`), at: y.at(a) };
    });
    return { name, actions, at: y.at(t) };
  });
  return { file: y.file, version, tables };
}

/** Area per component name (um^2), from ART.yaml or ART_summary.yaml. */
export function readArt(path: string, rule: UnitRule): { file: string; areas: Map<string, number> } {
  const y = readYamlInput(path);
  const root = y.deref(y.doc.contents);
  const summary = isMap(root) && root.has('ART_summary');
  const body = top(y, summary ? 'ART_summary' : 'ART', 'an Accelergy area reference table');
  const version = versionOf(y, body);
  const areas = new Map<string, number>();
  for (const t of seqAt(y, body, summary ? 'table_summary' : 'tables')) {
    const name = stringAt(y, t, 'name');
    areas.set(name, quantity(y, y.deref((t as YAMLMap).get('area', true)) ?? t, 'um^2', version, rule, `area of ${name}`));
  }
  return { file: y.file, areas };
}

/** Class and attributes of every component, from flattened_architecture.yaml. */
export function readFlattenedArch(path: string): { file: string; components: Map<string, ArchComponent> } {
  const y = readYamlInput(path);
  const body = top(y, 'flattened_architecture', 'an Accelergy flattened architecture');
  const node = y.deref(body.get('components', true));
  const entries: [string | undefined, unknown][] = isMap(node)
    ? node.items.map((p) => [String(scalarOf(p.key)), y.deref(p.value)])
    : isSeq(node)
      ? node.items.map((n) => [undefined, y.deref(n)])
      : die('"components" must be a mapping or a sequence', y.file, y.at(node ?? body));
  const components = new Map<string, ArchComponent>();
  for (const [key, c] of entries) {
    const name = key ?? stringAt(y, c, 'name');
    const attrs = y.deref((c as YAMLMap).get?.('attributes', true));
    const attributes: ArchComponent['attributes'] = {};
    if (isMap(attrs)) {
      for (const p of attrs.items) {
        const v = scalarOf(y.deref(p.value));
        if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') attributes[String(scalarOf(p.key))] = v;
      }
    }
    components.set(name, { cls: stringAt(y, c, 'class'), attributes, at: y.at(c) });
  }
  return { file: y.file, components };
}

/**
 * The files Accelergy (and Timeloop, with a `timeloop-mapper.` prefix) writes beside an ERT:
 * `<prefix>ART.yaml` or `<prefix>ART_summary.yaml`, and `<prefix>flattened_architecture.yaml`.
 */
export function siblingsOf(ertPath: string): { art?: string; arch?: string } {
  const m = /^(.*)ERT\.ya?ml$/i.exec(basename(ertPath));
  if (!m) return {};
  const dir = dirname(ertPath);
  const first = (names: string[]) => names.map((n) => join(dir, `${m[1]}${n}`)).find((p) => existsSync(p));
  const art = first(['ART.yaml', 'ART_summary.yaml', 'ART.yml', 'ART_summary.yml']);
  const arch = first(['flattened_architecture.yaml', 'flattened_architecture.yml']);
  return { ...(art ? { art } : {}), ...(arch ? { arch } : {}) };
}
