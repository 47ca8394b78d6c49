import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { opEnergyByBits } from '../../../models/dnateq/figure7.ts';
import { tinyCosts } from './helpers.ts';

test('per-operation energy: post-processing grows with 2^n and 7 bits costs more than 3', () => {
  const rows = opEnergyByBits(undefined, { dotLength: 4096 });
  assert.equal(rows.map((r) => r.bits), [3, 4, 5, 6, 7]);
  for (let i = 1; i < rows.length; i++) {
    const ratio = rows[i]!.postprocessPj / rows[i - 1]!.postprocessPj;
    assert.ok(ratio > 1.8 && ratio < 2.2, `n=${rows[i]!.bits}: ×${ratio}`);
  }
  assert.ok(rows[4]!.totalPj > rows[0]!.totalPj);
  for (const r of rows) assert.ok(Math.abs(r.totalPj - (r.quantizePj + r.countPj + r.postprocessPj)) < 1e-12);
});

test('hand-computed with round-number costs: post-processing of a 3-bit output, per operation', () => {
  const [r3] = opEnergyByBits(tinyCosts, { dotLength: 100, activationReuse: 100, offsetTerms: false });
  // Entries: 13 sums + 7 exponents = 20 FP16 MACs (1 + 0.5 pJ) + 20 LUT reads, 2 coefficient
  // multiplies (1 pJ) and 1 add (0.5 pJ); terms 2 and 4 offline: one precomputed constant read
  // and added. LUT: 512 B, 16-bit words → 0.1 pJ × 2 (bits) per read.
  assert.ok(Math.abs(r3!.postprocessPj - (20 * 1.5 + 20 * 0.2 + 2 + 0.5 + 0.2 + 0.5) / 100) < 1e-12);
  assert.is(r3!.int8MacPj, 1 + 0.5);
});

test.run();
