/**
 * The strong baseline requantizer (Geng et al.'s comparison; the integer path of Settle et al.
 * and of TFLite/gemmlowp): the accumulator is multiplied by a real scale held as a `scaleBits`
 * fixed-point integer, the double-width product is rounded (add half an LSB of the kept part)
 * and the kept part is clipped. The final fixed right shift by the scale's fractional bits is
 * wiring. Variable post-shifts (gemmlowp's RoundingDivideByPOT) are not included, which only
 * makes this baseline cheaper.
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import { Requantizer, roundClipPart, type RequantizerPart, type RequantizerSpec } from './requantizer.ts';

export const DEFAULT_SCALE_BITS = 32;

export function scaleMultiplyParts(spec: RequantizerSpec): RequantizerPart[] {
  const w = spec.accumulatorBits;
  const s = spec.scaleBits ?? DEFAULT_SCALE_BITS;
  return [
    // w×s multiplier: cost ∝ w·s, the table's bits² rule at sqrt(w·s) (as models/common/int-mac.ts).
    // The synthesized multiplier, so both requantizers of the comparison come from one flow
    // and one cell library (like for like; Horowitz's figures are a different design point).
    { role: 'scale_multiplier', cls: 'int_multiplier_synth', action: 'multiply', args: { bits: Math.sqrt(w * s) }, count: 1 },
    // The kept part of the w+s-bit product after the fixed shift by s−1 fractional bits is w+1
    // bits; its rounding bit is the next product bit (scripts/costs/verilog/requant_int32.v).
    roundClipPart(w + 1, spec),
  ];
}

export class ScaleMultiplyRequantizer extends Requantizer {
  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: RequantizerSpec) {
    super(name, ctx, parent, spec, scaleMultiplyParts(spec));
  }
}
