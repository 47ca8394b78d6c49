/**
 * The `drq` section of an arch config (configs/schema/drq.schema.json), with the defaults the
 * report states. Values the DRQ paper does not publish are parameters, not constants.
 */
import type { ArchConfig } from '../../sim/arch.ts';
import { die } from '../../sim/errors.ts';
import type { FcPolicy, RegionPadding, SensitivityParams, ThresholdMode } from './sensitivity.ts';
import type { LockstepGroup } from './mixed-precision-array.ts';
import { DEFAULT_CYCLES_PER_MAC } from './variable-speed-pe.ts';
import { validateCalibration, type Calibration } from './calibration.ts';

export interface Widths {
  readonly weightBits: number;
  readonly activationBits: number;
}

export interface DrqParams extends SensitivityParams {
  readonly regionRule: 'any' | 'mean';
  readonly fcPolicy: FcPolicy;
  readonly high: Widths;
  readonly low: Widths;
  readonly multiplierBits: number;
  readonly multipliersPerPe: number;
  readonly cyclesPerMac: Readonly<Record<string, number>>;
  readonly lockstep: LockstepGroup;
  /** Mask bits per region moved with the feature map. */
  readonly maskBitsPerRegion: number;
}

interface DrqSection {
  regionSize?: number;
  filterSize?: number;
  threshold?: number;
  thresholdMode?: ThresholdMode;
  regionRule?: 'any' | 'mean';
  regionPadding?: RegionPadding;
  fcPolicy?: FcPolicy;
  high?: Partial<Widths>;
  low?: Partial<Widths>;
  multiplierBits?: number;
  multipliersPerPe?: number;
  cyclesPerMac?: Record<string, number>;
  lockstep?: LockstepGroup;
  calibration?: Calibration;
}

export const DRQ_DEFAULTS = {
  regionSize: 4,
  filterSize: 3,
  regionRule: 'any',
  fcPolicy: 'high',
  high: { weightBits: 8, activationBits: 8 },
  low: { weightBits: 4, activationBits: 4 },
  multiplierBits: 4,
  multipliersPerPe: 1,
  lockstep: 'region',
} as const;

export function drqParams(arch: ArchConfig, file?: string): DrqParams {
  const s = arch.drq as DrqSection | undefined;
  if (!s) return die('scheme "drq" needs a "drq" section (regionSize, filterSize, threshold, thresholdMode, …)', file, '/drq');
  if (s.calibration) validateCalibration(s.calibration, { file, path: '/drq' });
  else {
    if (s.threshold === undefined) die('missing "threshold" (or a "calibration")', file, '/drq/threshold');
    if (s.thresholdMode === undefined) die('missing "thresholdMode" (absolute, relative or fraction), or a "calibration"', file, '/drq/thresholdMode');
  }
  const high = { ...DRQ_DEFAULTS.high, ...s.high };
  const low = { ...DRQ_DEFAULTS.low, ...s.low };
  if (low.weightBits > high.weightBits || low.activationBits > high.activationBits) {
    die(`low precision (${low.weightBits}×${low.activationBits}) must not be wider than high (${high.weightBits}×${high.activationBits})`, file, '/drq/low');
  }
  return {
    regionSize: s.regionSize ?? DRQ_DEFAULTS.regionSize,
    filterSize: s.filterSize ?? DRQ_DEFAULTS.filterSize,
    // With a calibration these two are unused; kept for the report.
    threshold: s.threshold ?? 0,
    thresholdMode: s.thresholdMode ?? 'absolute',
    ...(s.calibration ? { calibration: s.calibration } : {}),
    regionRule: s.regionRule ?? DRQ_DEFAULTS.regionRule,
    ...(s.regionPadding ? { regionPadding: s.regionPadding } : {}),
    fcPolicy: s.fcPolicy ?? DRQ_DEFAULTS.fcPolicy,
    high,
    low,
    multiplierBits: s.multiplierBits ?? DRQ_DEFAULTS.multiplierBits,
    multipliersPerPe: s.multipliersPerPe ?? DRQ_DEFAULTS.multipliersPerPe,
    cyclesPerMac: s.cyclesPerMac ?? DEFAULT_CYCLES_PER_MAC,
    lockstep: s.lockstep ?? DRQ_DEFAULTS.lockstep,
    maskBitsPerRegion: 1,
  };
}
