// Hand-computed folds on a 4×4 array for one small GEMM per dataflow: 6 output pixels (M),
// a window of 5 (K), 3 filters (N).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldSchedule, forEachFold, foldTraffic } from '../../../models/systolic/fold-schedule.ts';
import type { Dataflow } from '../../../models/systolic/gemm-view.ts';

const gemm = { pixels: 6, window: 5, filters: 3, groups: 1 };
const shape = { rows: 4, cols: 4 };

test('ws on 4×4: window 5 over rows (2 row folds), 3 filters over columns; a fold is 2·4 + 4 + 6 − 2 = 16 cycles', () => {
  const s = foldSchedule(gemm, 'ws', shape);
  assert.equal([s.rowFolds, s.colFolds, s.folds, s.foldCycles], [2, 1, 2, 16]);
  // SCALE-Sim counts to the index of the last output write: 2 · 16 − 1.
  assert.is(s.computeCycles, 31);
  // Each fold streams all 6 pixels through the rows it uses (4, then 1): 6·4 + 6·1 ifmap reads;
  // weights read once (5·3); each row fold writes 6 × 3 partial sums.
  assert.equal(s.sram, { ifmapReads: 30, filterReads: 15, ofmapWrites: 36 });
  // Used PEs 12 then 3 of 16; utilization over SCALE-Sim's 2·4 + 2·4 + 6 − 3 = 19-cycle fold.
  assert.is(s.mappingEfficiency, (12 + 3) / 32);
  assert.is(s.computeUtilization, (12 * 6 + 3 * 6) / (16 * 19 * 2));
  assert.is(s.macs, 90);
});

test('os on 4×4: 6 pixels over rows (2 row folds), 3 filters over columns, the window of 5 streams: 4 + 4 + 5 − 2 = 11 cycles a fold', () => {
  const s = foldSchedule(gemm, 'os', shape);
  assert.equal([s.rowFolds, s.colFolds, s.folds, s.foldCycles, s.computeCycles], [2, 1, 2, 11, 21]);
  // ifmap: 5 window values for each of 4 then 2 pixels; filters: 5 × 3 per row fold; 18 outputs once.
  assert.equal(s.sram, { ifmapReads: 30, filterReads: 30, ofmapWrites: 18 });
  assert.is(s.computeUtilization, (12 * 5 + 6 * 5) / (16 * 11 * 2));
});

test('is on 4×4: window 5 over rows, 6 pixels over columns (2 × 2 folds), the 3 filters stream: 2·4 + 4 + 3 − 2 = 13 cycles a fold', () => {
  const s = foldSchedule(gemm, 'is', shape);
  assert.equal([s.rowFolds, s.colFolds, s.folds, s.foldCycles, s.computeCycles], [2, 2, 4, 13, 51]);
  // Inputs stationary, each read once (5·6); filters: 3 per used row per column fold (2·3·5); each
  // row fold writes 3 outputs per pixel (2·3·6).
  assert.equal(s.sram, { ifmapReads: 30, filterReads: 30, ofmapWrites: 36 });
  assert.is(s.mappingEfficiency, (16 + 8 + 4 + 2) / 64);
});

test('per-fold traffic sums to the layer totals, folds in SCALE-Sim order (column folds outer)', () => {
  for (const df of ['ws', 'os', 'is'] as Dataflow[]) {
    const s = foldSchedule({ ...gemm, groups: 2 }, df, shape);
    const sum = { ifmapReads: 0, filterReads: 0, ofmapWrites: 0 };
    const order: string[] = [];
    forEachFold(s, (f) => {
      const t = foldTraffic(s, f);
      sum.ifmapReads += t.ifmapReads;
      sum.filterReads += t.filterReads;
      sum.ofmapWrites += t.ofmapWrites;
      if (f.group === 0) order.push(`${f.fc}${f.fr}`);
    });
    assert.equal(sum, s.sram, df);
    assert.is(s.computeCycles, 2 * (s.rowFolds * s.colFolds) * s.foldCycles - 1);
    if (df === 'is') assert.equal(order, ['00', '01', '10', '11']);
  }
});

test.run();
