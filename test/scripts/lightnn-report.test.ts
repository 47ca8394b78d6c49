import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadNetwork, makeNetwork } from '../../sim/workload.ts';
import { lightnnParameterRows, lightnnReport, formatLightnnReport } from '../../scripts/lightnn-report.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const nets = ['lightnn-mnist-1hidden', 'lightnn-mnist-2conv'].map((n) => loadNetwork(join(fixtures, `${n}.json`)));

test('parameter counts are exact and storage is 4 / 8 / 8 / 32 bits per parameter', () => {
  const rows = lightnnParameterRows(nets);
  assert.equal(rows.map((r) => r.parameters), [79_510, 431_080]);
  assert.equal(rows.map((r) => r.published), [79_510, 431_080]);
  assert.equal(rows[0]!.storageBytes, { 'LightNN-1': 79_510 / 2, 'LightNN-2': 79_510, 'fixed-8': 79_510, 'float-32': 4 * 79_510 });
});

test('four designs per network, published errors alongside, LightNN-1 cheapest', () => {
  const rows = lightnnReport(nets);
  assert.is(rows.length, 8);
  const mnist1 = rows.filter((r) => r.network === 'lightnn-mnist-1hidden');
  assert.equal(mnist1.map((r) => r.publishedErrorPct), [2.09, 1.86, undefined, 1.72]);
  const e = Object.fromEntries(mnist1.map((r) => [r.design, r.energyPj]));
  assert.ok(e['LightNN-1']! < e['fixed-8']! && e['fixed-8']! < e['float-32']!);
  assert.match(formatLightnnReport(rows, lightnnParameterRows(nets)), /lightnn-mnist-2conv\s+431080\s+431080\s+exact/);
});

test('a network that is not one of LightNN\'s is a user error', () => {
  const other = makeNetwork({ name: 'other', layers: [{ name: 'fc', kind: 'fc', C: 2, M: 2 }] });
  assert.throws(() => lightnnParameterRows([other]), /not one of the LightNN networks/);
});

test.run();
