import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeNetwork } from '../../sim/workload.ts';
import { gengModuleGrouping, gengRequantizerRatio } from '../../scripts/geng-report.ts';
import { quantTinyCosts } from '../fixtures/quant-tiny-costs.ts';

const costs = quantTinyCosts();
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

test('module grouping energy = quantization operations × requantizer energy per op', () => {
  // One bottleneck-style module: conv+BN+ReLU (8 elements), conv+BN (8), add+ReLU (8).
  const net = makeNetwork({
    name: 'block',
    layers: [
      { name: 'a', kind: 'conv', C: 2, M: 2, H: 2, R: 1, relu: true },
      { name: 'b', kind: 'conv', C: 2, M: 2, H: 2, R: 1 },
      { name: 'sum', kind: 'add', C: 2, H: 2, W: 2, relu: true, inputs: ['a', 'b'] },
    ],
  });
  const g = gengModuleGrouping(net, costs);
  assert.equal([g.counts.perLayer, g.counts.perModule], [7 * 8, 3 * 8]);
  near(g.reduction, 7 / 3);
  // Tiny table: shift-round 0.5 + 0.2 pJ, scale-multiply 16 + 0.2·33/32 pJ per op.
  near(g.energyPj.shiftRound.perModule, 24 * 0.7);
  near(g.energyPj.scaleMultiply.perLayer, 56 * 16.20625);
  assert.equal(gengModuleGrouping(net, costs, false).counts.perLayer, 5 * 8);
});

test('the ratio function reads the table it is given', () => {
  near(gengRequantizerRatio(costs).energyRatio, 16.20625 / 0.7);
});

test.run();
