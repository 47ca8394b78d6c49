/**
 * The `dnateq` section of an arch config (configs/schema/dnateq.schema.json), normalized with
 * the defaults the paper gives or, where it gives none, the documented parameter defaults.
 */
import type { ArchConfig } from '../../sim/arch.ts';
import { DEFAULT_COMPARATOR_BANK } from './comparator-bank.ts';
import { DEFAULT_COUNTING } from './counting-stage.ts';
import { DEFAULT_POST_PROCESSING } from './post-processing-lut.ts';
import { DEFAULT_SEARCH, type SearchParams } from './search.ts';
import type { UnitSpec } from './unit.ts';

/** The config section as written (every key optional). */
export interface DnaTeqSection {
  units?: number;
  offsetTerms?: OffsetTerms;
  updatesPerCycle?: number;
  pipelineBatches?: number;
  bits?: number;
  base?: number;
  weightBufferEntries?: number;
  activationBufferEntries?: number;
  comparatorBank?: { bufferBytes?: number; bufferBanks?: number; comparators?: number; muxInputs?: number; cyclesPerActivation?: number[] };
  counting?: { counterBits?: number; accumulatorBits?: number };
  postProcessing?: { lutBytes?: number; fpUnits?: number };
  search?: Partial<Omit<SearchParams, 'fixedBase'>>;
}

/** How terms 2 and 4 (those carrying β_a) are evaluated; see dot-product.ts. */
export type OffsetTerms = 'offline' | 'online';

export interface DnaTeqSpec {
  units: number;
  /** As configured; undefined = offline where the layer allows it (non-negative activations, weights known offline). */
  offsetTerms: OffsetTerms | undefined;
  /** `datapath.skipZeroActivations`: pairs whose activation is exactly zero are not processed (default false: dense). */
  skipZeroActivations: boolean;
  /** Force every layer to this bitwidth (3…7) instead of the τ sweep. */
  bits: number | undefined;
  weightBufferEntries: number;
  activationBufferEntries: number;
  unit: UnitSpec;
  search: SearchParams;
}

export function dnateqSpec(arch: ArchConfig): DnaTeqSpec {
  const s = (arch.dnateq ?? {}) as DnaTeqSection;
  const cb = s.comparatorBank ?? {};
  const perN = cb.cyclesPerActivation;
  return {
    // Default: as many units as the arch's array has PEs (equal peak throughput with eyeriss-int8).
    units: s.units ?? arch.array.rows * arch.array.cols,
    offsetTerms: s.offsetTerms,
    skipZeroActivations: arch.datapath.skipZeroActivations ?? false,
    bits: s.bits,
    weightBufferEntries: s.weightBufferEntries ?? 224,
    activationBufferEntries: s.activationBufferEntries ?? 12,
    unit: {
      comparatorBank: {
        bufferBytes: cb.bufferBytes ?? DEFAULT_COMPARATOR_BANK.bufferBytes,
        bufferBanks: cb.bufferBanks ?? DEFAULT_COMPARATOR_BANK.bufferBanks,
        comparators: cb.comparators ?? DEFAULT_COMPARATOR_BANK.comparators,
        muxInputs: cb.muxInputs ?? DEFAULT_COMPARATOR_BANK.muxInputs,
        valueBits: 16,
        ...(perN ? { cyclesPerActivation: (n: number) => perN[n - 3]! } : {}),
      },
      counting: { ...DEFAULT_COUNTING, ...s.counting },
      postProcessing: { ...DEFAULT_POST_PROCESSING, ...s.postProcessing },
      updatesPerCycle: s.updatesPerCycle ?? 1,
      pipelineBatches: s.pipelineBatches ?? 16,
    },
    search: {
      ...DEFAULT_SEARCH,
      ...s.search,
      counterBits: s.counting?.counterBits ?? DEFAULT_COUNTING.counterBits,
      // The search fits each layer as it will be evaluated (no zero code with offline terms 2 and 4; skipped zeros).
      ...(s.offsetTerms !== undefined ? { offsetTerms: s.offsetTerms } : {}),
      ...(arch.datapath.skipZeroActivations ? { skipZeroActivations: true } : {}),
      ...(s.base !== undefined ? { fixedBase: s.base } : {}),
    },
  };
}
