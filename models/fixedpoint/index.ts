/**
 * Fixed-point schemes on the Eyeriss-like integer array, differing in how accumulators are
 * requantized to the activation width:
 * - `geng` (Geng et al.): power-of-two scales, a shift + round + clip requantizer per module output;
 * - `settle` (Settle et al.): per-layer calibrated real scales, a 32-bit scale-multiply requantizer.
 *
 * Trace: not required by either. N_r (Geng) and the calibrated scales (Settle) change the values
 * computed, not the hardware's work: the same shifts/multiplies happen for any parameters. With a
 * trace, the per-layer parameters are computed and reported in the layer details.
 */
import type { ArchConfig } from '../../sim/arch.ts';
import type { Scheme } from '../../sim/scheme.ts';
import type { LayerTrace, TensorRole } from '../../sim/trace.ts';
import { cachedFromTensor } from '../../sim/disk-cache.ts';
import type { Layer } from '../../sim/workload.ts';
import { die } from '../../sim/errors.ts';
import { eyeriss } from '../eyeriss/index.ts';
import { RequantizingAccelerator } from './requantizing-accelerator.ts';
import { ShiftRoundRequantizer } from './shift-round-requantizer.ts';
import { ScaleMultiplyRequantizer } from './scale-multiply-requantizer.ts';
import { chooseFractionalBits } from './fractional-bit-quantizer.ts';
import { calibrate, CALIBRATION_METHODS, type CalibrationOptions } from './calibration.ts';

/** The files whose code decides N_r and the calibrated scales (keys of their disk-cache entries). */
const GENG_SOURCES = ['models/fixedpoint/fractional-bit-quantizer.ts'];
const SETTLE_SOURCES = ['models/fixedpoint/calibration.ts'];

function gengInspector(arch: ArchConfig) {
  const d = arch.datapath;
  return (_layer: Layer, t: LayerTrace): Record<string, unknown> => {
    const n = (role: TensorRole, bits: number) => cachedFromTensor('geng', GENG_SOURCES, `nr:${bits}`, t, role, (x) => chooseFractionalBits(x.data, bits));
    const Nw = n('weights', d.weightBits);
    const Na = n('activations', d.activationBits);
    const Nout = n('outputs', d.activationBits);
    const shift = Nw !== undefined && Na !== undefined && Nout !== undefined ? Nw + Na - Nout : undefined;
    return { fractionalBits: { weights: Nw, activations: Na, outputs: Nout }, requantizeShift: shift };
  };
}

/** The arch config's `calibration` section (Settle), default min/max. */
export function calibrationOptions(arch: ArchConfig): CalibrationOptions {
  const c = (arch.calibration ?? {}) as Partial<CalibrationOptions>;
  const method = c.method ?? 'minmax';
  if (!CALIBRATION_METHODS.includes(method)) die(`arch "${arch.name}": calibration method must be one of ${CALIBRATION_METHODS.join(', ')}, got "${method}"`, undefined, '/calibration/method');
  return { ...c, method, bits: arch.datapath.activationBits };
}

function settleInspector(arch: ArchConfig) {
  const options = calibrationOptions(arch);
  return (_layer: Layer, t: LayerTrace): Record<string, unknown> => {
    const activations = cachedFromTensor('settle', SETTLE_SOURCES, JSON.stringify(options), t, 'activations', (x) => calibrate(x.data, options));
    // Weights are known exactly offline: their scale covers the full range.
    const weightOptions = { method: 'minmax' as const, bits: arch.datapath.weightBits };
    const weights = cachedFromTensor('settle', SETTLE_SOURCES, JSON.stringify(weightOptions), t, 'weights', (x) => calibrate(x.data, weightOptions));
    return { calibration: { ...(activations ? { activations } : {}), ...(weights ? { weights } : {}) } };
  };
}

export const geng: Scheme = {
  name: 'geng',
  description: 'Geng et al.: fixed point with per-tensor fractional bits, shift + round + clip requantization per module output, on the Eyeriss-like integer array',
  modes: eyeriss.modes,
  build: (ctx, arch) => new RequantizingAccelerator(ctx, arch, (c, root, spec) => new ShiftRoundRequantizer('requantizer', c, root, spec), gengInspector(arch)),
};

export const settle: Scheme = {
  name: 'settle',
  description: 'Settle et al.: INT8 with per-layer calibrated scales (one batch), 32-bit accumulation and scale-multiply requantization, on the Eyeriss-like integer array',
  modes: eyeriss.modes,
  build: (ctx, arch) => {
    calibrationOptions(arch);
    return new RequantizingAccelerator(ctx, arch, (c, root, spec) => new ScaleMultiplyRequantizer('requantizer', c, root, spec), settleInspector(arch));
  },
};
