import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fmt, formatRunTable, textTable, TABLE_COLUMNS } from '../../sim/report.ts';
import { simulate } from '../../sim/simulate.ts';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork } from '../../sim/workload.ts';

const width = (s: string) => Math.max(...s.split('\n').map((l) => [...l].length));
const long = 'Horowitz, ISSCC 2014, 45nm, scaled by the table rules; a very long source text that goes on and on past any terminal';

test('a table wider than 120 columns cuts its widest text column with "…", never a number', () => {
  const rows = [['int_adder', 'add', 123456.789, long], ['sram', 'read', 0.000123, long.slice(0, 20)]];
  const t = textTable(['class', 'action', 'value', 'source'], rows);
  assert.ok(width(t) <= TABLE_COLUMNS, `${width(t)} columns`);
  assert.match(t, /…/);
  assert.match(t, / 123500 /);
  assert.match(t, /1\.230e-4/);
  assert.match(t, /Horowitz, ISSCC 2014/);
});

test('maxWidth Infinity (--wide) prints every cell whole; a narrow table is unchanged by the limit', () => {
  const rows = [['int_adder', 'add', 1, long]];
  assert.match(textTable(['c', 'a', 'v', 's'], rows, { maxWidth: Infinity }), new RegExp(long.slice(-30)));
  const small = textTable(['a', 'b'], [['x', 1]]);
  assert.is(small, textTable(['a', 'b'], [['x', 1]], { maxWidth: Infinity }));
});

test('the run header prints the total energy at the TOTAL row\'s precision', () => {
  const root = join(import.meta.dirname, '..', '..');
  const r = simulate(loadArch(join(root, 'test/fixtures/tiny-arch.json')), loadNetwork(join(root, 'test/fixtures/two-layer.json')), { mode: 'opcount' });
  const text = formatRunTable(r);
  const uj = fmt(r.totals.energyPj / 1e6, 4);
  assert.ok(text.split('\n')[2]!.includes(`energy ${uj} µJ`), text.split('\n')[2]);
  assert.match(text, new RegExp(`\\nTOTAL .*\\b${uj.replace('.', '\\.')}\\b`));
});

test.run();
