import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCostTable } from '../../../sim/costs.ts';
import { DEFAULT_COSTS } from '../../../sim/arch.ts';
import { Group } from '../../../sim/component.ts';
import { Ledger } from '../../../sim/ledger.ts';
import { Scheduler } from '../../../sim/scheduler.ts';
import { ArrayCounter } from '../../../models/dnateq/array-counter.ts';
import { ShiftAddUnit } from '../../../models/lightnn/shift-add-unit.ts';
import { compareRequantizers } from '../../../models/fixedpoint/requantizer-comparison.ts';
import { BLOCKS } from '../../../scripts/costs/blocks.ts';
import { inline, replaceClasses, synthesizedClasses, type RunRecord } from '../../../scripts/costs/table-entries.ts';
import { COSTS_FILE, RUN_FILE } from '../../../scripts/costs/synth.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const record = JSON.parse(readFileSync(join(root, RUN_FILE), 'utf8')) as RunRecord;
const tableText = readFileSync(join(root, COSTS_FILE), 'utf8');
const costs = loadCostTable(DEFAULT_COSTS);
const at45 = loadCostTable(DEFAULT_COSTS, { nodeScaling: false });
const near = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);
const result = (key: string) => record.results.find((r) => r.key === key)!;

test('the committed entries are exactly what the committed run record gives (no yosys or iverilog needed)', () => {
  assert.is(replaceClasses(tableText, synthesizedClasses(record)), tableText);
  assert.equal(record.results.map((r) => r.key).sort(), BLOCKS.map((b) => b.key).sort());
});

test('every synthesized block loads as a synthesized 45nm point and scales to 32nm by the table rule', () => {
  const f = JSON.parse(tableText).nodeScaling['45nm'];
  for (const b of BLOCKS) {
    const row = costs.resolve(b.entry.cls, { kind: 'energy', action: b.entry.action }, b.entry.args);
    assert.is(row.method, 'synthesized', b.key);
    assert.is(row.node, '45nm');
    near(at45.energyPj(b.entry.cls, b.entry.action, b.entry.args), result(b.key).energyPj, 1e-3);
    near(row.value, at45.energyPj(b.entry.cls, b.entry.action, b.entry.args) * f.energy);
  }
  near(at45.areaUm2('shifter', { bits: 32, shift: 32 }), result('shifter32').areaUm2, 1e-3);
});

test('the models charge the synthesized entries: DNA-TEQ ±1 and bank select, LightNN shifter, both requantizers', () => {
  const ctx = { costs, ledger: new Ledger(), scheduler: new Scheduler(), clockMHz: 100, rng: () => 0.5 };
  const ac = new ArrayCounter('ac1', ctx, new Group('u', ctx), { banks: 16, entriesPerBank: 16, counterBits: 8, indexes: 'sum' });
  ac.update(1);
  const s = ctx.ledger.snapshot()['u/ac1']!;
  near(s.add!.energyPj, costs.energyPj('incrementer', 'increment', { bits: 8 }));
  near(s.mux_select!.energyPj, 2 * costs.energyPj('mux', 'select', { bits: 8, inputs: 16 }));
  const u = new ShiftAddUnit('pe', ctx, undefined, { K: 1, activationBits: 8, accumulatorBits: 32 });
  near(u.areaUm2(), costs.areaUm2('shifter', { bits: 15, shift: 8 }) + costs.areaUm2('int_adder', { bits: 32 }));
  const c = compareRequantizers(costs);
  near(c.shiftRound.energyPj, costs.energyPj('shifter', 'shift', { bits: 32, shift: 32 }) + costs.energyPj('round_clip', 'round_clip', { bits: 32, outputBits: 8 }));
  assert.is(c.scaleMultiply.parts[0]!.cls, 'int_multiplier_synth');
  assert.ok(c.scaleMultiply.parts.every((p) => costs.resolve(p.cls, { kind: 'area' }, p.args).method === 'synthesized'));
});

test('the published Horowitz multiply stays published and is what the MAC models charge', () => {
  const row = costs.resolve('int_multiplier', { kind: 'energy', action: 'multiply' }, { bits: 8 });
  assert.is(row.method, 'published');
  near(at45.energyPj('int_multiplier', 'multiply', { bits: 8 }), 0.2);
});

test('the splice rewrites only the named classes, keeps commas, and inserts new ones after mux', () => {
  const text = ['{', '  "classes": {', '    "a": {', '      "points": []', '    },', '    "mux": {', '      "points": []', '    }', '  }', '}', ''].join('\n');
  const out = replaceClasses(text, {
    mux: { description: 'm', points: [{ node: '45nm', source: 's', method: 'synthesized' }] },
    b: { description: 'new', scaling: { bits: 'linear' }, points: [] },
  });
  const parsed = JSON.parse(out);
  assert.equal(Object.keys(parsed.classes), ['a', 'mux', 'b']);
  assert.equal(parsed.classes.a, { points: [] });
  assert.equal(parsed.classes.mux.points, [{ node: '45nm', source: 's', method: 'synthesized' }]);
  assert.match(out, '        { "node": "45nm", "source": "s", "method": "synthesized" }\n');
  assert.is(inline({ args: { bits: 8 }, e: [] }), '{ "args": { "bits": 8 }, "e": [] }');
});

test('nothing quantsim runs imports the synthesis flow (it needs yosys and iverilog)', () => {
  const walk = (d: string): string[] => readdirSync(join(root, d), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
  for (const f of [...walk('sim'), ...walk('models'), 'index.ts']) {
    assert.not.match(readFileSync(join(root, f), 'utf8'), /from '[^']*scripts\/costs\//, f);
  }
});

test.run();
