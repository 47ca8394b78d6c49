/**
 * Hardening fuzz: seeded fast-check mutations of the inputs users hand us — arch configs, cost
 * tables, network JSON, SCALE-Sim CSV, Timeloop YAML, .npy files and sweep specs. Every case must
 * either run or end in a one-line UserError whose message names the file — never another
 * exception, never a hang (per-case time limit), never a partial output file left behind.
 * `npm test` runs a few hundred cases; `npm run fuzz` runs ≥ 10,000.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import YAML from 'yaml';
import { isUserError } from '../sim/errors.ts';
import { loadArch } from '../sim/arch.ts';
import { loadCostTable } from '../sim/costs.ts';
import { loadNetwork, type Network } from '../sim/workload.ts';
import { simulate } from '../sim/simulate.ts';
import { CONFIG_DIR } from '../sim/config.ts';
import { sweep } from '../sim/sweep.ts';
import { readResults } from '../sim/jsonl.ts';
import { readNpy } from '../traces/npy.ts';
import { loadTrace, MANIFEST } from '../traces/format.ts';
import { configExtremeCases, outputTargetCases, queueFaultCases, tensorFileCases } from './fuzz-safety.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A mutation of a JSON document, applied at a random path. */
type Mutation =
  | { op: 'set'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'addKey'; at: number; key: string; value: Json };

const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(0, -1, -1e9, 1e12, 1e308, 0.5, 2.5, '', 'x', '3 pJ', '-3 pJ', '1 parsec', null, true, [], {}, [1, 2], { a: 1 }, 4096, 4097, 65),
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 8 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: weird }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: fc.constantFrom('extra', 'rowz', 'bits', '__proto__', 'constructor'), value: weird }),
);

/** All container paths and leaf paths of a document, in a stable order. */
function paths(doc: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc && typeof doc === 'object') for (const k of Object.keys(doc)) paths(doc[k]!, [...prefix, k], out);
  return out;
}

function apply(doc: Json, m: Mutation): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  const all = paths(copy);
  const p = all[m.at % all.length]!;
  if (p.length === 0) return m.op === 'set' ? m.value : copy;
  let parent = copy as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const last = p[p.length - 1]!;
  if (m.op === 'set') parent[last] = m.value;
  else if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    else parent[last] = m.value;
  }
  return copy;
}

/** Text-level damage: truncation or a byte replaced, for malformed-JSON paths. */
const textDamage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.constantFrom('{', '}', ',', '"', ':', 'x', '\u0000', '\n') }),
  fc.constant({ kind: 'none' as const, at: 0 }),
);
type Damage = { kind: 'truncate' | 'replace' | 'none'; at: number; ch?: string };

function damage(text: string, d: Damage): string {
  if (d.kind === 'none') return text;
  const at = d.at % Math.max(1, text.length);
  return d.kind === 'truncate' ? text.slice(0, at) : text.slice(0, at) + d.ch + text.slice(at + 1);
}

export interface FuzzOutcome {
  cases: number;
  ran: number;
  userErrors: number;
  failures: { kind: string; input: string; error: string }[];
  slowestMs: number;
}

const TIME_LIMIT_MS = 5000;

export const FUZZ_KINDS = ['arch', 'costs', 'network', 'scalesim-csv', 'timeloop-yaml', 'npy', 'sweep-spec', 'output-target', 'tensor-file', 'config-extremes', 'queue-faults'] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');

/**
 * One generated case: the files to write (relative to the case folder), the command to run, the
 * file names a UserError may name, and the output files the command may leave (each must then be
 * a complete results file). Anything else left in the folder is a partial output.
 */
interface Case {
  files: Record<string, string | Uint8Array>;
  run: () => unknown;
  names: string[];
  outputs?: string[];
  /** Special files made after `files` are written (FIFOs, symlinks, sparse files). */
  setup?: () => void;
  /** Paths (or folder prefixes ending in "/") the case may leave, not read. */
  keep?: string[];
  /** A broken invariant after the run, or undefined. */
  check?: (threw: boolean) => string | undefined;
}
type MakeCase = (dir: string) => Case;

let eyeriss: ReturnType<typeof loadArch> | undefined;
let small: Network | undefined;
const eyerissInt8 = () => (eyeriss ??= loadArch('eyeriss-int8'));
const smallNetwork = () => (small ??= loadNetwork(join(FIXTURES, 'two-layer.json')));

const JSON_BASES: Record<'arch' | 'costs' | 'network', string> = {
  arch: join(CONFIG_DIR, 'arch', 'eyeriss.json'),
  costs: join(CONFIG_DIR, 'costs', '32nm.json'),
  network: join(CONFIG_DIR, 'networks', 'alexnet.json'),
};

/** arch, costs, network: JSON mutations, then text damage. */
function jsonCases(kind: 'arch' | 'costs' | 'network'): fc.Arbitrary<MakeCase> {
  const base = JSON.parse(readFileSync(JSON_BASES[kind], 'utf8')) as Json;
  if (kind === 'arch') delete (base as Record<string, Json>).$schema;
  const name = `${kind}.json`;
  return fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), textDamage).map(([ms, d]) => (dir: string) => {
    const file = join(dir, name);
    return {
      files: { [name]: damage(JSON.stringify(ms.reduce(apply, base), null, 1), d as Damage) },
      names: [name],
      run: () => {
        if (kind === 'arch') simulate(loadArch(file), smallNetwork(), { mode: 'opcount' });
        else if (kind === 'costs') simulate(eyerissInt8(), smallNetwork(), { mode: 'opcount', costs: loadCostTable(file) });
        else simulate(eyerissInt8(), loadNetwork(file), { mode: 'opcount' });
      },
    };
  });
}

/** SCALE-Sim v2's topologies/conv_nets/alexnet.csv (the layout of every published topology). */
const ALEXNET_CSV = `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
Conv1,227,227,11,11,3,96,4,
Conv2,31,31,5,5,96,256,1,
Conv3,15,15,3,3,256,384,1,
Conv4,15,15,3,3,384,384,1,
Conv5,15,15,3,3,384,256,1,
FC6,1,1,1,1,9216,4096,1,
FC7,1,1,1,1,4096,4096,1,
FC8,1,1,1,1,4096,1000,1,
`;

const csvCell = fc.oneof(
  fc.constantFrom('-1', '0', '-0', '1.5', '1e3', '0x10', '+3', ' 7 ', '"3"', '#', '３', 'x', '', 'NaN', 'Infinity', '4097', '65536', '4294967296', '9007199254740993', '99999999999999999999'),
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.string({ maxLength: 6 }),
);
type CsvMutation = { op: 'cell'; row: number; col: number; value: string } | { op: 'dropRow' | 'dupRow' | 'dropCol' | 'dupCol'; at: number } | { op: 'header'; value: string };
const csvMutation: fc.Arbitrary<CsvMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('cell' as const), row: fc.nat(), col: fc.nat(), value: csvCell }) },
  fc.record({ op: fc.constantFrom('dropRow' as const, 'dupRow' as const, 'dropCol' as const, 'dupCol' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('header' as const),
    value: fc.constantFrom('Layer,M,N,K', 'Layer name, IFMAP Height, IFMAP Width', 'layer name,ifmap height,ifmap width,filter height,filter width,channels,num filter,strides', 'Name,H,W,R,S,C,M,Stride', '', ','),
  }),
);

/** null 7 times in 8, else a value of `arb`: a damage most cases should not get. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

function mutateCsv(grid: string[][], m: CsvMutation): string[][] {
  const g = grid.map((r) => [...r]);
  const row = (n: number) => n % g.length;
  if (m.op === 'cell') {
    const r = g[row(m.row)]!;
    r[m.col % Math.max(1, r.length)] = m.value;
  } else if (m.op === 'dropRow') g.splice(row(m.at), 1);
  else if (m.op === 'dupRow') g.splice(row(m.at), 0, [...g[row(m.at)]!]);
  else if (m.op === 'dropCol') g.forEach((r) => r.splice(m.at % Math.max(1, r.length), 1));
  else if (m.op === 'dupCol') g.forEach((r) => r.splice(m.at % Math.max(1, r.length), 0, r[m.at % Math.max(1, r.length)] ?? ''));
  else if (m.op === 'header') g[0] = m.value.split(',');
  return g.length ? g : [['']];
}

/** SCALE-Sim topology CSV: cells, rows, columns and header mutated; CRLF/CR, BOM, truncation. */
function scaleSimCases(): fc.Arbitrary<MakeCase> {
  const bases = [ALEXNET_CSV, ...['gemm.csv', 'quirks.csv', 'extra-columns.csv'].map((f) => readFileSync(join(FIXTURES, 'import', f), 'utf8'))].map((t) => t.split('\n').map((l) => l.split(',')));
  const form = fc.record({ eol: fc.constantFrom('\n', '\r\n', '\r'), bom: fc.boolean(), finalEol: fc.boolean(), truncate: rarely(fc.nat()) });
  return fc.tuple(fc.nat(bases.length - 1), fc.array(csvMutation, { minLength: 0, maxLength: 4 }), form).map(([b, ms, f]) => (dir: string) => {
    const rows = ms.reduce(mutateCsv, bases[b]!);
    let text = (f.bom ? '\uFEFF' : '') + rows.map((r) => r.join(',')).join(f.eol) + (f.finalEol ? f.eol : '');
    if (f.truncate !== null) text = text.slice(0, f.truncate % (text.length + 1));
    const file = join(dir, 'topology.csv');
    return { files: { 'topology.csv': text }, names: ['topology.csv'], run: () => simulate(eyerissInt8(), loadNetwork(file), { mode: 'opcount' }) };
  });
}

/** Nine levels of nine aliases (9^9 ≈ 3.9e8 leaves if anything expanded them), then `tail`. */
function billionLaughs(tail: string): string {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  const levels = names.map((n, k) => `${n}: &${n} [${Array.from({ length: 9 }, () => (k === 0 ? '"lol"' : `*${names[k - 1]}`)).join(', ')}]`);
  return `${levels.join('\n')}\n${tail}`;
}

const BOMB_TAILS = [
  'problem: *i\n',
  'problem:\n  instance: *i\n',
  'problem:\n  instance:\n    C: *i\n    M: 8\n    P: 4\n    Q: 4\n    R: 3\n    S: 3\n',
  'problem:\n  instance:\n    <<: *i\n    C: 3\n',
  'problem:\n  shape: *i\n  instance:\n    C: 3\n    M: 8\n',
];

type YamlDamage =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'replace'; at: number; ch: string }
  | { kind: 'indent'; line: number; by: string }
  | { kind: 'alias'; anchor: number; alias: number }
  | { kind: 'scalar'; line: number; value: string }
  | { kind: 'bomb'; tail: number; keep: boolean };
const yamlDamage: fc.Arbitrary<YamlDamage> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.constantFrom('\t', ' ', ':', '-', '&a ', '*a', '{', '[', '"', "'", '\n', '!!binary ', '<<: ', '? ', '|', '\u0000', '%YAML 1.1\n---\n', '---\n', '...\n') }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), by: fc.constantFrom(' ', '  ', '\t', '    ', '\t  ') }),
  fc.record({ kind: fc.constant('alias' as const), anchor: fc.nat(), alias: fc.nat() }),
  fc.record({
    kind: fc.constant('scalar' as const),
    line: fc.nat(),
    value: fc.constantFrom('0x10', '0o17', '1_000', '.inf', '-.inf', '.nan', '~', 'null', 'yes', '1e3', '3.0', '-0', '+3', '99999999999999999999', '"3"', '!!str 3', '!!int "3"', '!!float 3', '!!binary aGVsbG8=', '!!set {a, b}', '!!omap [a: 1]', '!foo 3', '2001-12-14', '&x 3', '*x', '*nosuch', '[3]', '{a: 1}', '|\n  3', '>-\n  3'),
  }),
  fc.record({ kind: fc.constant('bomb' as const), tail: fc.nat(BOMB_TAILS.length - 1), keep: fc.boolean() }),
);

function damageYaml(text: string, d: YamlDamage): string {
  if (d.kind === 'none') return text;
  if (d.kind === 'truncate' || d.kind === 'replace') return damage(text, d as Damage);
  if (d.kind === 'bomb') return billionLaughs(d.keep ? text : BOMB_TAILS[d.tail]!);
  const lines = text.split('\n');
  // Lines holding `key: value`, where the value can be swapped for another YAML scalar or node.
  const pairs = lines.flatMap((l, k) => (/^\s*[^\s:#][^:#]*:\s+\S/.test(l) ? [k] : []));
  if (d.kind === 'scalar') {
    const k = pairs[d.line % Math.max(1, pairs.length)];
    if (k !== undefined) lines[k] = lines[k]!.replace(/:\s+.*$/, `: ${d.value}`);
  } else if (d.kind === 'indent') {
    const k = d.line % lines.length;
    lines[k] = d.by + lines[k];
  } else {
    // An anchor on one `key: value` line and an alias to it on another (forward aliases are errors).
    if (pairs.length) {
      const a = pairs[d.anchor % pairs.length]!;
      const b = pairs[d.alias % pairs.length]!;
      lines[a] = lines[a]!.replace(/:\s+/, ': &x ');
      if (b !== a) lines[b] = lines[b]!.replace(/:\s+.*$/, ': *x');
    }
  }
  return lines.join('\n');
}

/** Timeloop problem YAML: the parsed document mutated like the JSON kinds, then YAML text damage. */
function timeloopCases(): fc.Arbitrary<MakeCase> {
  const bases = ['cnn-layer-v03.yaml', 'conv2d-v04.yaml', 'gemm-abz.yaml', 'shape-string.yaml', 'cnn-layer-v02.prob.yaml'].map((f) => YAML.parse(readFileSync(join(FIXTURES, 'import', f), 'utf8')) as Json);
  return fc.tuple(fc.nat(bases.length - 1), fc.array(mutation, { minLength: 0, maxLength: 3 }), yamlDamage).map(([b, ms, d]) => (dir: string) => {
    const file = join(dir, 'problem.yaml');
    const text = damageYaml(YAML.stringify(ms.reduce(apply, bases[b]!)), d);
    return { files: { 'problem.yaml': text }, names: ['problem.yaml'], run: () => simulate(eyerissInt8(), loadNetwork(file), { mode: 'opcount' }) };
  });
}

/** Parameters of one generated .npy file (each field a header or data property to get wrong). */
interface NpySpec {
  magic: { at: number; byte: number } | null;
  major: number;
  minor: number;
  descr: string;
  quote: string;
  fortran: string;
  shape: number[] | string;
  dropKey: number | null;
  extraKey: boolean;
  pad: boolean;
  headerLen: 'right' | 'zero' | 'short' | 'long' | 'pastEnd' | 'max';
  dataDelta: number;
  fill: 'zero' | 'nan' | 'ramp';
  truncate: number | null;
  flip: { at: number; byte: number } | null;
  trace: boolean;
}

const npySpec: fc.Arbitrary<NpySpec> = fc.record({
  magic: rarely(fc.record({ at: fc.nat(5), byte: fc.nat(255) })),
  major: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(1, 2, 3) }, fc.constantFrom(0, 4, 255)),
  minor: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, fc.constantFrom(1, 255)),
  descr: fc.oneof({ weight: 10, arbitrary: fc.constantFrom('<f4', '<f2', '|i1', '|u1', '<i2', '<i4') }, fc.constantFrom('<f8', '>f4', '>i1', '=f4', '<c8', '<U3', 'O', 'x', '', "<f4'")),
  quote: fc.constantFrom("'", "'", '"'),
  fortran: fc.oneof({ weight: 8, arbitrary: fc.constant('False') }, { weight: 2, arbitrary: fc.constant('True') }, fc.constantFrom('0', 'None')),
  shape: fc.oneof(
    { weight: 10, arbitrary: fc.array(fc.oneof({ weight: 12, arbitrary: fc.nat(6) }, fc.constantFrom(-1, 2 ** 31, 2 ** 32, 2 ** 53, 1e20)), { maxLength: 4 }) },
    fc.constantFrom('()', '(2.5,)', '(-3,)', '(3)', '(2, 3L)', '[2, 3]', '(,)', '(2,,3)', '(', "'(2,)'", '(1e3,)', '(99999999999999999999999,)'),
  ),
  dropKey: rarely(fc.nat(2)),
  extraKey: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, fc.constant(true)),
  pad: fc.boolean(),
  headerLen: fc.oneof({ weight: 20, arbitrary: fc.constant('right' as const) }, fc.constantFrom('zero' as const, 'short' as const, 'long' as const, 'pastEnd' as const, 'max' as const)),
  dataDelta: fc.oneof({ weight: 10, arbitrary: fc.constant(0) }, fc.integer({ min: -9, max: 9 })),
  fill: fc.constantFrom('zero' as const, 'ramp' as const, 'nan' as const),
  truncate: rarely(fc.nat()),
  flip: rarely(fc.record({ at: fc.nat(), byte: fc.nat(255) })),
  trace: fc.boolean(),
});

const NPY_ITEM_BYTES: Record<string, number> = { f2: 2, f4: 4, f8: 8, i1: 1, u1: 1, i2: 2, i4: 4, c8: 8 };
const NPY_DTYPES: Record<string, string> = { '<f4': 'float32', '<f2': 'float16', '|i1': 'int8', '|u1': 'uint8', '<i2': 'int16', '<i4': 'int32' };

/** The shape when it is one a writer could mean (non-negative integers, ≤ 2^16 elements). */
const plainShape = (s: number[] | string): number[] | undefined => (Array.isArray(s) && s.every((d) => d >= 0 && d <= 65536) && s.reduce((a, d) => a * d, 1) <= 65536 ? s : undefined);

function npyBytes(p: NpySpec): Uint8Array {
  const shapeText = typeof p.shape === 'string' ? p.shape : p.shape.length === 1 ? `(${p.shape[0]},)` : `(${p.shape.join(', ')})`;
  const entries = [`'descr': ${p.quote}${p.descr}${p.quote}`, `'fortran_order': ${p.fortran}`, `'shape': ${shapeText}`].filter((_, k) => k !== p.dropKey);
  if (p.extraKey) entries.push("'extra': 1");
  let dict = `{${entries.join(', ')}, }`;
  const lenBytes = p.major === 2 || p.major === 3 ? 4 : 2;
  if (p.pad) dict += ' '.repeat((64 - ((8 + lenBytes + dict.length + 1) % 64)) % 64);
  dict += '\n';
  const count = plainShape(p.shape)?.reduce((a, d) => a * d, 1) ?? 6;
  const dataBytes = Math.max(0, count * (NPY_ITEM_BYTES[p.descr.slice(1)] ?? 4) + p.dataDelta);
  const total = 8 + lenBytes + dict.length + dataBytes;
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, p.major, p.minor]);
  const declared = { right: dict.length, zero: 0, short: Math.max(0, dict.length - 5), long: dict.length + 7, pastEnd: total + 100, max: lenBytes === 2 ? 0xffff : 0xffffffff }[p.headerLen];
  const view = new DataView(out.buffer);
  if (lenBytes === 2) view.setUint16(8, Math.min(declared, 0xffff), true);
  else view.setUint32(8, declared, true);
  for (let k = 0; k < dict.length; k++) out[8 + lenBytes + k] = dict.charCodeAt(k) & 0xff;
  const at = 8 + lenBytes + dict.length;
  for (let k = at; k < total; k++) out[k] = p.fill === 'zero' ? 0 : p.fill === 'nan' ? 0xff : (k * 37) & 0xff;
  if (p.magic) out[p.magic.at] = p.magic.byte;
  if (p.flip && total > 0) out[p.flip.at % total] = p.flip.byte;
  return p.truncate === null ? out : out.subarray(0, p.truncate % (total + 1));
}

/** .npy files: read directly, or as the one tensor of a trace folder (manifest from the intended header). */
function npyCases(): fc.Arbitrary<MakeCase> {
  return npySpec.map((p) => (dir: string): Case => {
    const bytes = npyBytes(p);
    if (!p.trace) {
      const file = join(dir, 'tensor.npy');
      return { files: { 'tensor.npy': bytes }, names: ['tensor.npy'], run: () => readNpy(file) };
    }
    const manifest = {
      version: 1,
      network: 'fuzz',
      source: 'synthetic',
      generator: { name: 'fuzz' },
      layers: [{ name: 'x', weights: { file: 'tensor.npy', dtype: NPY_DTYPES[p.descr] ?? 'float32', shape: plainShape(p.shape) ?? [6] } }],
    };
    return { files: { 'trace/tensor.npy': bytes, [`trace/${MANIFEST}`]: JSON.stringify(manifest) }, names: ['tensor.npy'], run: () => loadTrace(join(dir, 'trace')) };
  });
}

const sweepValue: fc.Arbitrary<Json> = fc.oneof(
  weird,
  fc.constantFrom<Json>(
    'arch', 'reference', 'opcount', 'eyeriss-int8', 'eyeriss', 'alexnet', 'nosuch', '/array/rows', '/array/cols', '/costs/sram/energyScale', '/costs/nosuch/energyScale', '/costs/sram/area', '/nosuch/key',
    { method: 'random', samples: 3 }, { method: 'lhs', samples: 2 }, { method: 'grid' }, { method: 'grid', samples: 3 },
    { from: 1, to: 64, step: 1 }, { from: 1, to: 1e9, step: 1 }, { from: 0, to: 1, count: 1000000 }, { from: 1, to: 64, count: 5, scale: 'log', integer: true }, { from: -1, to: 8, count: 3, scale: 'log' }, { from: 64, to: 8, step: 4 },
    [1, 2, 3], [0], ['a', 'b'], 1e6, 10_000_000, 1e-9, 1000,
  ),
);
const sweepMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: sweepValue }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: fc.constantFrom('extra', 'maxPoints', 'design', 'samples', 'count', 'step', 'also', 'trace', 'costs', '__proto__'), value: sweepValue }),
);

/** Specs that would expand to far too many points: each must be refused before it allocates them. */
const SWEEP_BOMBS: ((s: Record<string, Json>) => void)[] = [
  () => {},
  (s) => (s.axes = ['/array/rows', '/array/cols', '/globalBuffer/kib'].map((path) => ({ path, range: { from: 1, to: 1000, count: 1000, integer: true } }))),
  (s) => (s.design = { method: 'lhs', samples: 10_000_000 }),
  (s) => (s.axes = [{ path: '/array/rows', range: { from: 1, to: 1e6, step: 1e-3 } }]),
  (s) => (s.maxPoints = 10),
];

/**
 * Sweep specs through `sweep` in this thread with a results file: the spec is loaded and expanded
 * (every point derived and validated), then one point, the k-th, runs (a shard of 2^30 that holds
 * only it: no worker pool, no second expansion). The results file must afterwards be absent or
 * complete JSONL.
 */
function sweepCases(): fc.Arbitrary<MakeCase> {
  const base = JSON.parse(readFileSync(join(CONFIG_DIR, 'sweeps', 'eyeriss-array-glb.json'), 'utf8')) as Record<string, Json>;
  delete base.$schema;
  const bomb = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: SWEEP_BOMBS.length - 1 }));
  // Mostly well-formed JSON: the spec's meaning is what this kind is after.
  const damaged = fc.oneof({ weight: 4, arbitrary: fc.constant({ kind: 'none' as const, at: 0 }) }, textDamage);
  const k = fc.oneof(fc.constant(0), fc.nat(50), fc.nat(500));
  return fc.tuple(fc.array(sweepMutation, { minLength: 0, maxLength: 3 }), bomb, damaged, k).map(([ms, b, d, k]) => (dir: string) => {
    const doc = JSON.parse(JSON.stringify(base)) as Record<string, Json>;
    SWEEP_BOMBS[b]!(doc);
    const file = join(dir, 'sweep.json');
    const out = join(dir, 'results.jsonl');
    return {
      files: { 'sweep.json': damage(JSON.stringify(ms.reduce(apply, doc as Json), null, 1), d as Damage) },
      names: ['sweep.json'],
      outputs: ['results.jsonl'],
      run: () => sweep(file, { out, workers: 0, shard: { index: k + 1, count: 2 ** 30 } }),
    };
  });
}

const CASES: Record<FuzzKind, () => fc.Arbitrary<MakeCase>> = {
  arch: () => jsonCases('arch'),
  costs: () => jsonCases('costs'),
  network: () => jsonCases('network'),
  'scalesim-csv': scaleSimCases,
  'timeloop-yaml': timeloopCases,
  npy: npyCases,
  'sweep-spec': sweepCases,
  'output-target': outputTargetCases,
  'tensor-file': tensorFileCases,
  'config-extremes': configExtremeCases,
  'queue-faults': queueFaultCases,
};

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

const preview = (files: Case['files']) =>
  Object.entries(files)
    .map(([name, body]) => `${name}: ${typeof body === 'string' ? body.slice(0, 2000) : Buffer.from(body.subarray(0, 400)).toString('latin1')}`)
    .join('\n');

/**
 * Run `numRuns` mutated inputs of one kind; returns counts and every case that broke the contract.
 * `onCase` hears each case's input before it runs (the watchdog of `fuzzGuarded` names a hang by it).
 */
export async function fuzz(kind: FuzzKind, numRuns: number, seed: number, onCase?: (input: string) => void): Promise<FuzzOutcome> {
  const root = mkdtempSync(join(tmpdir(), `quantsim-fuzz-${kind}-`));
  const out: FuzzOutcome = { cases: 0, ran: 0, userErrors: 0, failures: [], slowestMs: 0 };
  const dir = join(root, 'case');
  try {
    await fc.assert(
      fc.asyncProperty(CASES[kind](), async (make) => {
        rmSync(dir, { recursive: true, force: true });
        const c = make(dir);
        for (const [name, body] of Object.entries(c.files)) {
          mkdirSync(join(dir, name, '..'), { recursive: true });
          writeFileSync(join(dir, name), body);
        }
        c.setup?.();
        const input = preview(c.files);
        const fail = (error: string) => out.failures.push({ kind, input, error });
        onCase?.(input);
        out.cases++;
        const t = performance.now();
        let threw = false;
        try {
          await c.run();
          out.ran++;
        } catch (e) {
          threw = true;
          const oneLine = isUserError(e) && !/[\r\n]/.test(e.message);
          if (oneLine && c.names.some((n) => e.message.includes(n))) out.userErrors++;
          else if (isUserError(e)) fail(`UserError ${oneLine ? 'without the file name' : 'on more than one line'}: ${JSON.stringify(e.message).slice(0, 600)}`);
          else fail(String((e as Error).stack ?? e));
        }
        const ms = performance.now() - t;
        out.slowestMs = Math.max(out.slowestMs, ms);
        if (ms > TIME_LIMIT_MS) fail(`took ${ms.toFixed(0)} ms (limit ${TIME_LIMIT_MS})`);
        const broken = c.check?.(threw);
        if (broken) fail(broken);
        for (const f of listFiles(dir)) {
          if (f in c.files || c.keep?.some((k) => (k.endsWith('/') ? f.startsWith(k) : f === k))) continue;
          if (!c.outputs?.includes(f)) fail(`left a file behind: ${f}`);
          else {
            const text = readFileSync(join(dir, f), 'utf8');
            try {
              if (readResults(join(dir, f)).partialBytes > 0 || (text !== '' && !text.endsWith('\n'))) fail(`${f} ends in a partial line`);
            } catch (e) {
              fail(`${f} is not a complete results file: ${(e as Error).message}`);
            }
          }
        }
      }),
      { seed, numRuns },
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}

/** A case still running after this long is a hang (an infinite loop never reaches the after-the-fact TIME_LIMIT_MS check). */
const HANG_MS = 6 * TIME_LIMIT_MS;

/**
 * `fuzz` over several kinds in a worker thread watched from this one: a case that runs longer than
 * HANG_MS stops the worker and is reported as a failure of its kind (counted as a case); the
 * remaining kinds go on in a new worker.
 */
export async function fuzzGuarded(plan: readonly (readonly [FuzzKind, number])[], seed: number): Promise<Map<FuzzKind, FuzzOutcome>> {
  const results = new Map<FuzzKind, FuzzOutcome>();
  while (results.size < plan.length) {
    const todo = plan.filter(([k]) => !results.has(k));
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), { workerData: { plan: todo, seed } });
      let current: { kind: FuzzKind; input: string; cases: number; since: number } | undefined;
      const watchdog = setInterval(() => {
        if (!current || performance.now() - current.since < HANG_MS) return;
        const { kind, input, cases } = current;
        results.set(kind, { cases, ran: 0, userErrors: 0, failures: [{ kind, input, error: `hung: still running after ${HANG_MS} ms` }], slowestMs: HANG_MS });
        current = undefined;
        void worker.terminate();
      }, 250);
      worker.on('message', (m: { kind: FuzzKind; input?: string; outcome?: FuzzOutcome }) => {
        if (m.outcome) {
          results.set(m.kind, m.outcome);
          current = undefined;
        } else current = { kind: m.kind, input: m.input!, cases: current?.kind === m.kind ? current.cases + 1 : 1, since: performance.now() };
      });
      worker.on('error', reject);
      worker.on('exit', () => {
        clearInterval(watchdog);
        resolve();
      });
    });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 10000);
  const kinds = (process.argv[3]?.split(',') as FuzzKind[] | undefined) ?? FUZZ_KINDS;
  let bad = 0;
  let total = 0;
  const outcomes = await fuzzGuarded(kinds.map((k) => [k, Math.ceil(runs / FUZZ_KINDS.length)] as const), 20261123);
  for (const kind of kinds) {
    const r = outcomes.get(kind)!;
    bad += r.failures.length;
    total += r.cases;
    process.stdout.write(`${JSON.stringify({ fuzz: kind, cases: r.cases, ran: r.ran, userErrors: r.userErrors, failures: r.failures.length, slowestMs: Math.round(r.slowestMs) })}\n`);
    for (const f of r.failures.slice(0, 5)) process.stdout.write(`  ${f.error.split('\n').slice(0, 3).join(' | ')}\n    input: ${JSON.stringify(f.input.slice(0, 300))}\n`);
  }
  process.stdout.write(`${JSON.stringify({ fuzz: 'total', cases: total, failures: bad })}\n`);
  process.exit(bad ? 1 : 0);
}
