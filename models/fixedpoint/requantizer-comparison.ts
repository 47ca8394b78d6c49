/**
 * Geng et al.'s headline hardware figure: per quantization operation, the shift + round + clip
 * requantizer against the scale-multiply baseline. Computed from the cost table's entries (the
 * paper's own RTL figures, ≈15× area and ≈9× energy, are shown beside it, never used).
 */
import type { CostTable } from '../../sim/costs.ts';
import { partsCost, type RequantizerCost, type RequantizerSpec } from './requantizer.ts';
import { shiftRoundParts } from './shift-round-requantizer.ts';
import { scaleMultiplyParts } from './scale-multiply-requantizer.ts';

/** Geng et al., published RTL result: baseline ÷ shift-round, per quantization operation. */
export const GENG_PUBLISHED_RATIO = { area: 15, energy: 9 } as const;

export interface RequantizerComparison {
  spec: RequantizerSpec;
  shiftRound: RequantizerCost;
  scaleMultiply: RequantizerCost;
  /** scaleMultiply ÷ shiftRound. */
  energyRatio: number;
  areaRatio: number;
  published: typeof GENG_PUBLISHED_RATIO;
}

export function compareRequantizers(costs: CostTable, spec: RequantizerSpec = { accumulatorBits: 32, outputBits: 8, scaleBits: 32 }): RequantizerComparison {
  const shiftRound = partsCost(costs, shiftRoundParts(spec));
  const scaleMultiply = partsCost(costs, scaleMultiplyParts(spec));
  return {
    spec,
    shiftRound,
    scaleMultiply,
    energyRatio: scaleMultiply.energyPj / shiftRound.energyPj,
    areaRatio: scaleMultiply.areaUm2 / shiftRound.areaUm2,
    published: GENG_PUBLISHED_RATIO,
  };
}
