import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Group } from '../../../sim/component.ts';
import { PostProcessingLut, DEFAULT_POST_PROCESSING } from '../../../models/dnateq/post-processing-lut.ts';
import { tinyCtx, near } from './helpers.ts';

test('table entries grow as 2^(n+1): 13, 29, 61, 125, 253 powers for n = 3…7', () => {
  assert.equal([3, 4, 5, 6, 7].map(PostProcessingLut.entriesFor), [13, 29, 61, 125, 253]);
});

test('hand-computed: one FP16 MAC and LUT read per entry, coefficient multiplies and final adds per output', () => {
  const ctx = tinyCtx();
  const pp = new PostProcessingLut('pp', ctx, new Group('u', ctx), DEFAULT_POST_PROCESSING);
  const cyclesPerOutput = pp.process(10, 200, 4);
  const s = ctx.ledger.snapshot();
  assert.is(s['u/pp']!.fp16_multiply!.count, 200 + 40);
  assert.is(s['u/pp']!.fp16_add!.count, 200 + 30);
  assert.is(s['u/pp/lut']!.read!.count, 200);
  assert.ok(near(s['u/pp']!.fp16_multiply!.energyPj, 240));
  // (200 + 40) / 10 = 24 operations per output over 2 FP16 units.
  assert.is(cyclesPerOutput, 12);
});

test('the per-layer table load is 2^(n+1) − 3 FP16 writes', () => {
  const ctx = tinyCtx();
  const pp = new PostProcessingLut('pp', ctx, new Group('u', ctx), DEFAULT_POST_PROCESSING);
  pp.loadTable(7);
  assert.is(ctx.ledger.snapshot()['u/pp/lut']!.write!.count, 253);
});

test.run();
