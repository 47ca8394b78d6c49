/** Fuzz case generators for the text and binary formats users bring: SCALE-Sim CSV, Timeloop YAML (alias bombs included), .npy. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { loadNetwork } from '../sim/workload.ts';
import { simulate } from '../sim/simulate.ts';
import { readNpy } from '../traces/npy.ts';
import { loadTrace, MANIFEST } from '../traces/format.ts';
import { FIXTURES, apply, damage, eyerissInt8, mutation, type Case, type Damage, type Json, type MakeCase } from './fuzz-common.ts';

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
export function scaleSimCases(): fc.Arbitrary<MakeCase> {
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
export function timeloopCases(): fc.Arbitrary<MakeCase> {
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
export function npyCases(): fc.Arbitrary<MakeCase> {
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

