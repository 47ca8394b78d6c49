import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { makeLayer, macs, type LayerSpec } from '../../../sim/workload.ts';
import { convShape, countMapping, forEachPass, forEachPe, searchMappings, ifmapRows, type RsHardware, type UnitEnergies } from '../../../models/eyeriss/mapping.ts';
import { addPassCounts, zeroCounts } from '../../../models/eyeriss/counts.ts';

const hw: RsHardware = {
  rows: 12,
  cols: 14,
  ifmapSpadEntries: 12,
  filterSpadEntries: 224,
  psumSpadEntries: 24,
  ifmapSpadBits: 16,
  filterSpadBits: 16,
  psumSpadBits: 16,
  glbBits: 108 * 1024 * 8,
  weightBits: 16,
  activationBits: 16,
  outputBits: 16,
  psumBits: 16,
  inputMetaBits: 0,
  outputMetaBits: 0,
  cyclesPerMac: 1,
  dramBytesPerCycle: 8,
  nocBitsPerCycle: 64,
  // One 64-bit link for psums as well (the mapping mechanics tested here do not depend on it).
  psumNocBitsPerCycle: 64,
};
const units: UnitEnergies = { dramBitPj: 20, glbBitPj: 0.1, nocBitPj: 0.06, neighborBitPj: 0.015, ifmapSpadPj: 0.05, filterSpadPj: 0.2, psumSpadPj: 0.08, addPj: 0.05 };
const alexConv3 = makeLayer({ name: 'conv3', kind: 'conv', C: 256, M: 384, H: 13, R: 3, padding: 1 });

test('ifmap rows: contiguous windows, strided gaps, padding clipped', () => {
  const sh = convShape(makeLayer({ name: 'x', kind: 'conv', C: 1, M: 1, H: 8, R: 3, padding: 1 }));
  // Output rows 0..3 read padded rows 0..5 → unpadded rows 0..4 (row 0 is padding).
  assert.is(ifmapRows(sh, 0, 4, 0, 3), 5);
  const strided = convShape(makeLayer({ name: 'y', kind: 'conv', C: 1, M: 1, H: 9, R: 1, stride: 4 }));
  // 1-row filter every 4 rows: rows 0, 4, 8.
  assert.is(ifmapRows(strided, 0, 3, 0, 1), 3);
});

test('AlexNet CONV3: a 3×13 logical set, replicated, every PE slot within the 12×14 array', () => {
  const m = searchMappings(convShape(alexConv3), hw, units)[0]!;
  assert.is(m.params.rh, 3);
  assert.is(m.params.e, 13);
  assert.ok(m.activePes <= 168 && m.activePes >= 3 * 13 * 2);
  assert.ok(m.glbFootprintBits <= hw.glbBits);
  assert.ok(m.params.p * m.params.q * 3 <= 224 && m.params.q * 3 <= 12 && m.params.p <= 24);
  let maxRow = 0;
  let maxCol = 0;
  forEachPass(m, (ps) => {
    if (ps.index > 0) return;
    forEachPe(m, ps, (pe) => {
      maxRow = Math.max(maxRow, pe.row);
      maxCol = Math.max(maxCol, pe.col);
    });
  });
  assert.ok(maxRow < 12 && maxCol < 14);
});

test('a hand-computed mapping: 1×1 conv, C 2, M 2, 2×2 map, p 1 q 1 r 2 t 2 → one pass', () => {
  const sh = convShape(makeLayer({ name: 'x', kind: 'conv', C: 2, M: 2, H: 2, R: 1 }));
  const c = countMapping(sh, hw, { n: 1, p: 1, q: 1, r: 2, t: 2, s: 1, e: 2, rh: 1, ifmapResident: true, filterReuse: 'group', glbDepth: 2, spadDepth: 2 });
  assert.is(c.passes, 1);
  assert.is(c.macs, 16);
  // Each PE: 1 filter × 1 channel × S 1 × Q 2 = 2 cycles.
  assert.is(c.computeCycles, 2);
  // 4 weights, once; 8 inputs, once; 8 outputs; the two channel sets chain: one hop per output.
  assert.is(c.nocFilterWords, 4);
  assert.is(c.dramIfmapWords, 8);
  assert.is(c.nocPsumOutWords, 8);
  assert.is(c.neighborPsumWords, 8);
  // Ifmap rows reach both filter sets: 2 images-rows × 2 cols × 2 channels × 2 sets.
  assert.is(c.ifmapSpadWrites, 16);
});

const convSpec = fc
  .record({
    C: fc.integer({ min: 1, max: 40 }),
    M: fc.integer({ min: 1, max: 40 }),
    H: fc.integer({ min: 1, max: 40 }),
    R: fc.integer({ min: 1, max: 11 }),
    stride: fc.integer({ min: 1, max: 4 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    groups: fc.constantFrom(1, 2, 4),
    N: fc.integer({ min: 1, max: 3 }),
  })
  .filter((r) => r.C % r.groups === 0 && r.M % r.groups === 0 && r.dilation * (r.R - 1) + 1 <= r.H + 2 * Math.floor(r.R / 2))
  .map((r): LayerSpec => ({ name: 'l', kind: 'conv', C: r.C, M: r.M, H: r.H, R: r.R, stride: r.stride, dilation: r.dilation, padding: Math.floor(r.R / 2), groups: r.groups, N: r.N }));

test('closed-form counts equal the sum over passes, and the MACs over passes equal the layer MACs (fast-check)', () => {
  fc.assert(
    fc.property(convSpec, (spec) => {
      const layer = makeLayer(spec);
      for (const m of searchMappings(convShape(layer), hw, units, 'edp', 3)) {
        const sum = zeroCounts();
        forEachPass(m, (ps) => addPassCounts(sum, ps));
        assert.equal(sum, countMapping(m.shape, hw, m.params), JSON.stringify(spec));
        assert.is(sum.macs, macs(layer));
      }
    }),
    { seed: 42, numRuns: 60 },
  );
});

test('depthwise conv maps one channel per group: one filter, one channel per PE', () => {
  const dw = makeLayer({ name: 'dw', kind: 'depthwise', C: 32, H: 14, R: 3, padding: 1 });
  const m = searchMappings(convShape(dw), hw, units)[0]!;
  assert.is(m.params.p, 1);
  assert.is(m.params.q, 1);
  assert.is(m.loops.G, 32);
  assert.is(m.counts.macs, macs(dw));
});

test('a filter row wider than the ifmap spad has no legal mapping', () => {
  const wide = convShape(makeLayer({ name: 'w', kind: 'conv', C: 1, M: 1, H: 20, R: 13 }));
  assert.throws(() => searchMappings(wide, hw, units), /exceeds the ifmap spad/);
});

test.run();
