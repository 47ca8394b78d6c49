/**
 * Geng et al.'s requantizer: with power-of-two scales (fractional-bit counts N per tensor), moving
 * an accumulator with N_acc = N_w + N_a fractional bits to the output's N_out is
 * clip(round(acc · 2^−(N_acc − N_out))): a barrel shift by a per-layer amount, the rounding add of
 * 2^(s−1) (done exactly as adding the last bit shifted out to the shifted value) and a
 * saturating clip. No multiplier.
 */
import type { BuildContext, Component } from '../../sim/component.ts';
import { Requantizer, roundClipPart, type RequantizerPart, type RequantizerSpec } from './requantizer.ts';

export function shiftRoundParts(spec: RequantizerSpec): RequantizerPart[] {
  const w = spec.accumulatorBits;
  return [
    { role: 'shifter', cls: 'shifter', action: 'shift', args: { bits: w, shift: w }, count: 1 },
    roundClipPart(w, spec),
  ];
}

export class ShiftRoundRequantizer extends Requantizer {
  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: RequantizerSpec) {
    super(name, ctx, parent, spec, shiftRoundParts(spec));
  }
}
