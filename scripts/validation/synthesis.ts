/**
 * Synthesized datapath blocks (scripts/costs/synth.ts, docs/synthesis.md) against published
 * points: the 8-bit multiply and the INT8 MAC against Horowitz, and Geng et al.'s requantizer
 * ratios under both readings of its scale-multiply baseline. Read from the default table at the
 * synthesis node (45nm, no scaling), as Horowitz's figures are; never adjusted toward them.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_COSTS } from '../../sim/arch.ts';
import { loadCostTable } from '../../sim/costs.ts';
import { GENG_PUBLISHED_RATIO } from '../../models/fixedpoint/requantizer-comparison.ts';
import { compare, infoRow, type ValidationRow } from './row.ts';
import type { RunRecord } from '../costs/table-entries.ts';
import { RUN_FILE } from '../costs/synth.ts';

const HOROWITZ = 'Horowitz, ISSCC 2014 (45nm)';
const GENG = 'Geng et al., dataflow-based joint quantization (RTL result)';
/** Nangate's typical corner is 1.1 V; Horowitz's 45nm figures are at 0.9 V: (1.1/0.9)² of the energy gap is supply. */
const SUPPLY_FACTOR = (1.1 / 0.9) ** 2;

export function synthesisRows(file = DEFAULT_COSTS): ValidationRow[] {
  const t = loadCostTable(file, { nodeScaling: false });
  const rows: ValidationRow[] = [];
  const mulE = t.energyPj('int_multiplier_synth', 'multiply', { bits: 8 });
  const mulA = t.areaUm2('int_multiplier_synth', { bits: 8 });
  const why =
    `Nangate typical is 1.1 V against Horowitz's 0.9 V (×${SUPPLY_FACTOR.toFixed(2)} of energy), the energy counts input-net and output-load switching and glitches, ` +
    'operands are real int8 data (signed, many zero activations); area is unplaced cell area of an area-recovering abc map, Horowitz\'s a 45nm design point';
  rows.push(compare('synthesis', 'int8 multiply energy pJ (synthesized vs published)', 0.2, mulE, { factor: 2 }, HOROWITZ, why));
  rows.push(compare('synthesis', 'int8 multiply area um² (synthesized vs published)', 282, mulA, { factor: 2 }, HOROWITZ, why));
  const macE = t.energyPj('int_mac_synth', 'mac', { bits: 8, accumulatorBits: 32 });
  rows.push(
    compare('synthesis', 'int8 MAC energy pJ vs 8-bit multiply + 32-bit add', 0.2 + 0.1, macE, { factor: 2 }, HOROWITZ, `${why}; the MAC also clocks its 32-bit accumulator register, which Horowitz's two operations leave out`),
  );
  const sr = { e: t.energyPj('requantizer', 'requantize', { kind: 'shift_round' }), a: t.areaUm2('requantizer', { kind: 'shift_round' }) };
  // Glitch-free (zero-delay) energies of the same runs, from the committed run record.
  const run = JSON.parse(readFileSync(RUN_FILE, 'utf8')) as RunRecord;
  const zero = (key: string) => run.results.find((r) => r.key === key)!.zeroDelayEnergyPj;
  for (const [kind, key, label, note] of [
    ['scale_multiply_int32', 'requant_int32', 'int32 Q0.31 multiply-and-shift', 'the 32×32 multiplier dominates (and glitches); its area ratio lands near the paper, its energy ratio above it'],
    ['scale_multiply_fp32', 'requant_fp32', 'FP32 multiply (with int→float and float→int)', 'a 24×24 mantissa multiplier plus two conversions: smaller than the int32 multiply, but the conversions\' normalizing shifters glitch heavily'],
  ] as const) {
    const e = t.energyPj('requantizer', 'requantize', { kind });
    const a = t.areaUm2('requantizer', { kind });
    const glitchFree = zero(key) / zero('requant_shift_round');
    const base = `whole synthesized blocks: ${label} ${e.toPrecision(3)} pJ / ${a.toFixed(0)} µm² vs shift-round ${sr.e.toPrecision(3)} pJ / ${sr.a.toFixed(0)} µm²; ${note}; glitch-free (zero-delay) energy ratio ${glitchFree.toFixed(1)}×`;
    rows.push(compare('synthesis', `Geng requantizer area ratio, baseline = ${label}`, GENG_PUBLISHED_RATIO.area, a / sr.a, { rel: 0.2 }, GENG, base));
    rows.push(compare('synthesis', `Geng requantizer energy ratio, baseline = ${label}`, GENG_PUBLISHED_RATIO.energy, e / sr.e, { rel: 0.2 }, GENG, base));
  }
  const parts = t.energyPj('incrementer', 'increment', { bits: 8 }) + 2 * t.energyPj('mux', 'select', { bits: 8, inputs: 16 });
  const whole = t.energyPj('ac_update_path', 'update', { bits: 8, banks: 16 });
  rows.push(infoRow('synthesis', 'DNA-TEQ AC update: charged parts ÷ whole synthesized path (energy)', parts / whole, 'scripts/costs/verilog/ac_update.v', 'ArrayCounter charges incrementer + 2 mux selects per update; the whole path has one 16:1 select, the ±1 and a 4→16 write-enable decoder'));
  return rows;
}
