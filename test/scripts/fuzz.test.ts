import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzzGuarded, type FuzzKind } from '../../scripts/fuzz.ts';

// ≥ 500 generated cases in npm test over all kinds (the full ≥ 10,000 run is `npm run fuzz`):
// 1,400 in about 10 s on a loaded 2-core box, in one watched worker thread (a hang fails, not blocks).
const RUNS: Record<FuzzKind, number> = { arch: 200, costs: 200, network: 200, 'scalesim-csv': 200, 'timeloop-yaml': 200, npy: 200, 'sweep-spec': 200, 'output-target': 40, 'tensor-file': 20, 'config-extremes': 40, 'queue-faults': 30 };
const outcomes = fuzzGuarded(Object.entries(RUNS) as [FuzzKind, number][], 7);

for (const [kind, runs] of Object.entries(RUNS) as [FuzzKind, number][]) {
  test(`mutated ${kind} inputs either run or fail with a one-line user error naming the file, in time, leaving no partial output`, async () => {
    const r = (await outcomes).get(kind)!;
    assert.equal(r.failures.map((f) => f.error.split('\n')[0]), []);
    assert.is(r.cases, runs);
    assert.ok(r.userErrors > 0, 'the mutations do reach the error paths');
    assert.ok(r.ran > 0, 'some mutations still run');
  });
}

test.run();
