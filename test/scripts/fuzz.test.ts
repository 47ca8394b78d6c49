import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzz, type FuzzKind } from '../../scripts/fuzz.ts';

// ≥ 500 generated cases in npm test (the full ≥ 10,000 run is `npm run fuzz`).
for (const kind of ['arch', 'costs', 'network'] as FuzzKind[]) {
  test(`mutated ${kind} inputs either run or fail with a one-line user error naming the file`, () => {
    const r = fuzz(kind, 200, 7);
    assert.is(r.cases, 200);
    assert.equal(r.failures.map((f) => f.error.split('\n')[0]), []);
    assert.ok(r.userErrors > 0, 'the mutations do reach the error paths');
  });
}

test.run();
