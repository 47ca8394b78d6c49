/**
 * The strong baseline requantizer (Geng et al.'s comparison; the integer path of Settle et al.
 * and of TFLite/gemmlowp): the accumulator is multiplied by a real scale held as a `scaleBits`
 * fixed-point integer, the double-width product is rounded (add half an LSB of the kept part)
 * and the kept part is clipped. The final fixed right shift by the scale's fractional bits is
 * wiring. Variable post-shifts (gemmlowp's RoundingDivideByPOT) are not included, which only
 * makes this baseline cheaper.
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import { Requantizer, clipParts, type RequantizerPart, type RequantizerSpec } from './requantizer.ts';

export const DEFAULT_SCALE_BITS = 32;

export function scaleMultiplyParts(spec: RequantizerSpec): RequantizerPart[] {
  const w = spec.accumulatorBits;
  const s = spec.scaleBits ?? DEFAULT_SCALE_BITS;
  return [
    // w×s array multiplier: cost ∝ w·s, the table's bits² rule at sqrt(w·s) (as models/common/int-mac.ts).
    { role: 'scale_multiplier', cls: 'int_multiplier', action: 'multiply', args: { bits: Math.sqrt(w * s) }, count: 1 },
    { role: 'rounding_adder', cls: 'int_adder', action: 'add', args: { bits: w + s }, count: 1 },
    ...clipParts(spec),
  ];
}

export class ScaleMultiplyRequantizer extends Requantizer {
  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: RequantizerSpec) {
    super(name, ctx, parent, spec, scaleMultiplyParts(spec));
  }
}
