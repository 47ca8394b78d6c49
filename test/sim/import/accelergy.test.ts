import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CostTable, loadCostTable, type CostTableSpec } from '../../../sim/costs.ts';
import { UserError } from '../../../sim/errors.ts';
import { importAccelergy, readCostSpec } from '../../../sim/import/accelergy.ts';
import { exportAccelergy } from '../../../sim/import/accelergy-export.ts';
import { loadArch } from '../../../sim/arch.ts';
import { simulate } from '../../../sim/simulate.ts';
import { loadNetwork } from '../../../sim/workload.ts';

const root = join(import.meta.dirname, '..', '..', '..');
// Accelergy's own reference output of its exercise 01 (see the fixture's SOURCE.md).
const fixture = relative(process.cwd(), join(root, 'test/fixtures/accelergy/simple_primitive'));
const ert = join(fixture, 'ERT.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'quantsim-accelergy-'));
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-12), `${what}: ${a} vs ${b}`);

/** A copy of the fixture in its own folder, with `edit` applied to one of its files. */
function variant(name: string, file: string, edit: (text: string) => string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['ERT.yaml', 'ART.yaml', 'flattened_architecture.yaml']) copyFileSync(join(fixture, f), join(dir, f));
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return join(dir, 'ERT.yaml');
}

function fails(path: string, pattern: RegExp) {
  try {
    importAccelergy(path);
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, pattern);
    assert.not.match((e as Error).message, /\n/);
    return;
  }
  assert.unreachable(`no error for ${path}`);
}

function writeExport(spec: CostTableSpec, name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const out = exportAccelergy(spec);
  writeFileSync(join(dir, 'ERT.yaml'), out.ert);
  writeFileSync(join(dir, 'ART.yaml'), out.art);
  writeFileSync(join(dir, 'flattened_architecture.yaml'), out.arch);
  return join(dir, 'ERT.yaml');
}

/** The same value, or both a user error (no such figure). */
function same(fa: () => number, fb: () => number, what: string) {
  const run = (f: () => number) => {
    try {
      return f();
    } catch (e) {
      if (e instanceof UserError) return 'none';
      throw e;
    }
  };
  const [x, y] = [run(fa), run(fb)];
  if (typeof x === 'number' && typeof y === 'number') close(y, x, what);
  else assert.is(y, x, what);
}

/** Every published figure of `a` and lookups between and beyond them agree in `b`. */
function sameLookups(a: CostTable, b: CostTable) {
  for (const r of a.rows()) {
    const m = r.action === 'area' ? ({ kind: 'area' } as const) : r.action === 'leakage' ? ({ kind: 'leakage' } as const) : ({ kind: 'energy', action: r.action } as const);
    const back = b.resolve(r.class, m, r.args);
    close(back.value, r.value, `${r.class}.${r.action} ${JSON.stringify(r.args)}`);
    assert.is(back.method, r.method, `method of ${r.class}.${r.action}`);
  }
  const probes: [string, string, Record<string, number | string>][] = [
    ['sram', 'read', { bytes: 262144, bits: 64 }],
    ['sram', 'write', { bytes: 2048, bits: 16 }],
    ['int_multiplier', 'multiply', { bits: 8 }],
    ['int_adder', 'add', { bits: 24 }],
    ['dram', 'read', { bits: 64 }],
    ['wire', 'transfer', { bits: 16, mm: 0.5 }],
    ['fp_multiplier', 'multiply', { format: 'fp16' }],
  ];
  for (const [cls, action, args] of probes) {
    same(() => a.energyPj(cls, action, args), () => b.energyPj(cls, action, args), `${cls}.${action} ${JSON.stringify(args)}`);
    same(() => a.areaUm2(cls, args), () => b.areaUm2(cls, args), `${cls} area ${JSON.stringify(args)}`);
  }
  close(b.leakageUw('sram', { bytes: 131072, bits: 64 }), a.leakageUw('sram', { bytes: 131072, bits: 64 }), 'sram leakage');
}

test('Accelergy exercise 01 ERT/ART: classes, actions and attributes mapped, figures node-scaled from 40nm', () => {
  const t = loadCostTable(ert);
  const raw = t.with({ nodeScaling: false });
  // GLB: SRAM width 32, depth 1024 → sram bytes 4096, bits 32; read with new data, costliest address_delta.
  assert.is(raw.energyPj('sram', 'read', { bytes: 4096, bits: 32 }), 3.918);
  assert.is(raw.energyPj('sram', 'write', { bytes: 4096, bits: 32 }), 3.605);
  assert.is(raw.areaUm2('sram', { bytes: 4096, bits: 32 }), 23027.4);
  // PE buffer: regfile width 16, depth 24 → sram bytes 48, bits 16.
  assert.is(raw.energyPj('sram', 'read', { bytes: 48, bits: 16 }), 0.253);
  // MAC: intmac datawidth 16, mac_random → int_multiplier bits 16.
  assert.is(raw.energyPj('int_multiplier', 'multiply', { bits: 16 }), 2.2);
  assert.is(raw.areaUm2('int_multiplier', { bits: 16 }), 1239.5);
  // 40nm → 32nm by the base table's factor (0.8 energy, 0.64 area).
  close(t.energyPj('sram', 'read', { bytes: 4096, bits: 32 }), 3.918 * 0.8, 'scaled read');
  close(t.areaUm2('sram', { bytes: 4096, bits: 32 }), 23027.4 * 0.64, 'scaled area');
  // Not in the ERT: the base table's (Horowitz 8-bit add at 45nm × 0.645), and sram leakage.
  const base = loadCostTable(join(root, 'configs/costs/32nm.json'));
  assert.is(t.energyPj('int_adder', 'add', { bits: 8 }), base.energyPj('int_adder', 'add', { bits: 8 }));
  assert.is(t.leakageUw('sram', { bytes: 4096, bits: 32 }), base.leakageUw('sram', { bytes: 4096, bits: 32 }));
  const row = t.resolve('sram', { kind: 'energy', action: 'read' }, { bytes: 4096, bits: 32 });
  assert.match(row.source, /simple_primitive\.GLB \(class SRAM\)/);
  assert.is(row.method, 'estimate');
});

test('round trip: Accelergy example → import → export → import gives the same lookups', () => {
  const a = loadCostTable(ert);
  const b = loadCostTable(writeExport(readCostSpec(ert), 'roundtrip'));
  sameLookups(a, b);
  // The second import reads quantsim's own classes back 1:1 and keeps each figure's first source.
  assert.match(b.resolve('sram', { kind: 'area' }, { bytes: 48, bits: 16 }).source, /from: Accelergy .*simple_primitive\.PE\.buffer/);
});

test('round trip: the default JSON table → export → import gives the same lookups', () => {
  const json = join(root, 'configs/costs/32nm.json');
  sameLookups(loadCostTable(json), loadCostTable(writeExport(readCostSpec(json), 'default')));
});

test('export writes Accelergy ERT/ART: version, tables of named actions with unit-less pJ energies', () => {
  const out = exportAccelergy(readCostSpec(join(root, 'configs/costs/32nm.json')));
  assert.match(out.ert, /^ERT:\n {2}version: "0\.3"\n {2}tables:\n {4}- name: quantsim\.int_adder_p0\n {6}actions:\n {8}- name: add\n {10}arguments: null\n {10}energy: 0\.01935\n/m);
  assert.match(out.art, /^ART:\n {2}version: "0\.3"\n {2}tables:\n {4}- name: quantsim\.int_adder_p0\n {6}area: 17\.46\n/m);
  assert.match(out.arch, /class: quantsim_int_adder\n {6}attributes:\n {8}technology: 32nm\n {8}bits: 8\n/);
});

test('bad input: unknown class, unmapped action, unit-less energy without an Accelergy version, malformed YAML', () => {
  fails(variant('unknown', 'flattened_architecture.yaml', (s) => s.replace('class: intmac', 'class: systolic_cell')), /ERT\.yaml: line 4: simple_primitive\.PE\.MAC: unknown Accelergy class "systolic_cell"/);
  fails(variant('action', 'ERT.yaml', (s) => s.replace('name: mac_gated', 'name: mac_sleepy')), /ERT\.yaml: line 12: action "mac_sleepy" of simple_primitive\.PE\.MAC/);
  fails(variant('unitless', 'ERT.yaml', (s) => s.replace('  version: 0.3\n', '')), /ERT\.yaml: line 7: unit-less energy of simple_primitive\.PE\.MAC 2\.2: only files of Accelergy version 0\.2\/0\.3\/0\.4/);
  fails(variant('version', 'ERT.yaml', (s) => s.replace('version: 0.3', 'version: 9.9')), /unit-less energy .*version 9\.9/);
  fails(variant('malformed', 'ERT.yaml', (s) => s.replace('    actions:\n    - name: mac_random', '    actions:\n   - name: [mac_random')), /ERT\.yaml: line \d+: malformed YAML/);
  fails(variant('noclass', 'flattened_architecture.yaml', (s) => s.replace(/ {4}simple_primitive\.GLB:\n(?: {6}.*\n)+/, '')), /line 63: component "simple_primitive\.GLB" is not in/);
  fails(variant('node', 'flattened_architecture.yaml', (s) => s.replace(/technology: 40nm/g, 'technology: 7nm')), /flattened_architecture\.yaml: line \d+: technology "7nm" of .* has no node factor/);
});

test('an energy with a unit is read whatever the version says', () => {
  const t = importAccelergy(variant('units', 'ERT.yaml', (s) => s.replace('  version: 0.3\n', '').replace(/energy: ([\d.]+)/g, 'energy: "$1 pJ"')));
  assert.ok(t.classes.sram!.points.some((p) => p.energy?.read === '3.918 pJ'));
});

test('a run on the imported table charges the ERT MAC: 2.2 pJ (16 bits, 40nm) → 8 bits at 32nm, plus the base 32-bit add', () => {
  const r = simulate(loadArch('eyeriss-int8'), loadNetwork('lightnn-mnist-1hidden'), { mode: 'opcount', costs: loadCostTable(ert) });
  // int_multiplier scales with bits²: 2.2 × 0.8 × (8/16)² = 0.44; int_adder 32 bits: Horowitz 0.1 pJ × 0.645.
  close(r.energyPerAccess!.pj.mac!, 2.2 * 0.8 * (8 / 16) ** 2 + 0.1 * 0.645, 'MAC energy');
  assert.is(r.costs.file, ert);
});

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), ...args], { cwd: root, encoding: 'utf8' });

test('CLI: bad ERT and a Timeloop arch YAML as --arch are one line naming the file, exit 2', () => {
  const bad = variant('cli', 'flattened_architecture.yaml', (s) => s.replace('class: regfile', 'class: mystery'));
  const r = cli('costs', '--table', bad);
  assert.is(r.status, 2, r.stderr);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /ERT\.yaml: line \d+: simple_primitive\.PE\.buffer: unknown Accelergy class "mystery"/);
  const archYaml = join(tmp, 'eyeriss_like.yaml');
  writeFileSync(archYaml, 'architecture:\n  version: 0.4\n  nodes: []\n');
  let e: unknown;
  try {
    loadArch(archYaml);
  } catch (x) {
    e = x;
  }
  assert.instance(e, UserError);
  assert.match((e as Error).message, /eyeriss_like\.yaml: a Timeloop\/Accelergy architecture YAML .* is not an arch config: quantsim reads arch configs as JSON/);
});

test('CLI: costs export --format accelergy writes the three files that --costs reads back', () => {
  const out = join(tmp, 'cli-export');
  const r = cli('costs', 'export', '--format', 'accelergy', '--table', ert, '--out', out);
  assert.is(r.status, 0, r.stderr);
  sameLookups(loadCostTable(ert), loadCostTable(join(out, 'ERT.yaml')));
  assert.is(cli('costs', 'export', '--format', 'json', '--table', ert, '--out', out).status, 0);
  sameLookups(loadCostTable(ert), loadCostTable(join(out, 'costs.json')));
  // Provenance: the imported table's sha256 is that of the JSON it is imported as (ART and mapping included).
  assert.is(loadCostTable(ert).sha256, loadCostTable(join(out, 'costs.json')).sha256);
});

test.run();
