import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runValidation } from '../../scripts/validate.ts';
import { compare } from '../../scripts/validation/row.ts';

test('tolerances: exact, absolute, relative, factor', () => {
  assert.is(compare('t', 'q', 1, 1, { exact: true }, 's').status, 'PASS');
  assert.is(compare('t', 'q', 1, 1.001, { exact: true }, 's').status, 'FAIL');
  assert.is(compare('t', 'q', 61.5, 58, { abs: 5 }, 's').status, 'PASS');
  assert.is(compare('t', 'q', 61.5, 50, { abs: 5 }, 's').status, 'FAIL');
  assert.is(compare('t', 'q', 15, 12.5, { rel: 0.2 }, 's').status, 'PASS');
  assert.is(compare('t', 'q', 15, 11, { rel: 0.2 }, 's').status, 'FAIL');
  assert.is(compare('t', 'q', 6, 2.1, { factor: 3 }, 's').status, 'PASS');
  assert.is(compare('t', 'q', 1, 0.3, { factor: 3 }, 's').status, 'FAIL');
  assert.is(compare('t', 'q', 200, 0, { factor: 3 }, 's').status, 'FAIL');
});

test('the Horowitz entries all reproduce exactly with node scaling off', async () => {
  const rows = await runValidation(['costs']);
  assert.ok(rows.length >= 19);
  for (const r of rows) assert.is(r.status, 'PASS', r.quantity);
});

test('LightNN parameter counts and storage reproduce exactly', async () => {
  for (const r of await runValidation(['lightnn'])) assert.is(r.status, 'PASS', r.quantity);
});

test('every validation row names its source and a tolerance (cheap checks; the full run is npm run validate)', async () => {
  for (const r of await runValidation(['costs', 'memories', 'eyeriss', 'geng', 'lightnn'])) {
    assert.ok(r.source.length > 3, r.quantity);
    assert.ok(r.tolerance.length > 0, r.quantity);
  }
});

test.run();
