// Absurd sizes (issue #10): a clear error naming the file and JSON path, or a run in bounded
// memory — never a machine brought down by one config.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork } from '../../sim/workload.ts';
import { simulate } from '../../sim/simulate.ts';
import { UserError } from '../../sim/errors.ts';
import { CONFIG_DIR } from '../../sim/config.ts';
import { generateSyntheticTrace } from '../../traces/synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-limits-'));
const put = (name: string, doc: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(doc));
  return f;
};
const eyeriss = JSON.parse(readFileSync(join(CONFIG_DIR, 'arch', 'eyeriss.json'), 'utf8'));
delete eyeriss.$schema;
const int8 = loadArch('eyeriss-int8');

function userError(f: () => unknown, pattern: RegExp): UserError {
  try {
    f();
  } catch (e) {
    assert.instance(e, UserError, String((e as Error).stack));
    assert.match((e as Error).message, pattern);
    assert.not.match((e as Error).message, /\n/);
    return e as UserError;
  }
  return assert.unreachable('expected a UserError') as never;
}

test('an array of 10^9 PEs is refused by the schema, naming the file and /array/rows', () => {
  const f = put('giga-pe.json', { ...eyeriss, array: { rows: 31623, cols: 31623 } });
  userError(() => loadArch(f), /giga-pe\.json: \/array\/rows: must be integer in 1\.\.4096/);
});

test('the largest legal array (4096 × 4096 PEs, 108 KB GLB) maps AlexNet in arch mode in bounded memory', () => {
  const f = put('huge-array.json', { ...eyeriss, array: { rows: 4096, cols: 4096 } });
  const before = process.memoryUsage().rss;
  const r = simulate(loadArch(f), loadNetwork('alexnet'), { mode: 'arch' });
  assert.ok(process.memoryUsage().rss - before < 512 * 2 ** 20, 'RSS grew by more than 512 MiB');
  // The GLB cannot feed the whole array: the mapper leaves PEs idle rather than failing.
  assert.ok(r.totals.utilization > 0 && r.totals.utilization < 0.01, String(r.totals.utilization));
  assert.ok(r.totals.cycles >= r.totals.macs / (4096 * 4096));
});

const bigConv = put('big-conv.json', { name: 'big-conv', layers: [{ name: 'big', kind: 'conv', C: 10000, M: 10000, H: 100, R: 1 }] });
const bigFc = put('big-fc.json', { name: 'big-fc', layers: [{ name: 'big', kind: 'fc', C: 1000000, M: 1000000 }] });

test('a 10^12-MAC conv layer runs in arch mode (bounded passes) and is refused by reference mode', () => {
  const net = loadNetwork(bigConv);
  assert.is(net.layers[0]!.C * net.layers[0]!.M * 100 * 100, 1e12);
  const r = simulate(int8, net, { mode: 'arch' });
  assert.is(r.totals.macs, 1e12);
  assert.ok(r.totals.cycles >= 1e12 / 168);
  userError(() => simulate(int8, net, { mode: 'reference' }), /layer "big" has 1000000000000 MACs, too large for --mode reference/);
});

test('a 10^12-MAC fc layer: arch mode refuses its 6·10^7 passes (file, /eyeriss/maxPasses); op-count runs', () => {
  const net = loadNetwork(bigFc);
  const e = userError(() => simulate(int8, net, { mode: 'arch' }), /eyeriss-int8\.json: \/eyeriss\/maxPasses: layer "big" needs \d+ passes .*limit 4000000/);
  assert.is(e.jsonPath, '/eyeriss/maxPasses');
  assert.is(simulate(int8, net, { mode: 'opcount' }).totals.macs, 1e12);
});

test('a synthetic trace refuses a 10^12-value weight tensor when a scheme reads it (file, /layers/0), not before', () => {
  const net = loadNetwork(bigFc);
  const trace = generateSyntheticTrace(net, { seed: 1, batch: 1 });
  // DRQ reads only the activations (10^6 values): it runs.
  assert.is(simulate(loadArch('drq'), net, { mode: 'opcount', trace }).totals.macs, 1e12);
  userError(() => trace.layers.get('big')!.weights, /big-fc\.json: \/layers\/0: layer "big": a synthetic trace would hold 1000000000000 weights/);
  userError(() => simulate(loadArch('dnateq'), net, { mode: 'opcount', trace }), /a synthetic trace would hold 1000000000000 weights/);
});

test.run();
