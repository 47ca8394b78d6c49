/**
 * DRQ's causal predictor: the threshold of each layer is fixed offline from a calibration subset
 * (the first `inputs` inputs of the trace) and then applied to every input on its own, as a
 * threshold register loaded before inference would be. The paper's predictor runs "just in time"
 * after each layer (Song et al., ISCA 2020, §III); the threshold it compares against is a
 * parameter of the deployed network, not a statistic of the batch being inferred.
 *
 * Targets (exactly one):
 *  - `sensitiveFraction`: the threshold that makes that fraction of the calibration inputs'
 *    regions sensitive (the highest-scoring ones);
 *  - `relative`: that fraction of the largest region score over the calibration inputs;
 *  - `threshold`: an absolute threshold in activation units (no calibration data needed).
 * Pure: the same scores and calibration give the same threshold.
 */
import { die } from '../../sim/errors.ts';
import type { ParamSource } from './sensitivity.ts';

export interface CalibrationTarget {
  readonly sensitiveFraction?: number;
  readonly relative?: number;
  readonly threshold?: number;
}

export interface Calibration {
  /** How many inputs, from the start of the trace, fix the thresholds. */
  readonly inputs: number;
  readonly target: CalibrationTarget;
}

const TARGETS = ['sensitiveFraction', 'relative', 'threshold'] as const;

/** Check a calibration section; errors name the file and JSON path. */
export function validateCalibration(c: Calibration, src: ParamSource = {}): void {
  const at = (k: string) => `${src.path ?? ''}/calibration${k}`;
  if (!(Number.isInteger(c.inputs) && c.inputs >= 0)) die(`calibration inputs must be an integer >= 0, got ${c.inputs}`, src.file, at('/inputs'));
  const keys = Object.keys(c.target ?? {}).filter((k) => (c.target as Record<string, unknown>)[k] !== undefined);
  if (keys.length !== 1 || !TARGETS.includes(keys[0] as (typeof TARGETS)[number])) {
    die(`calibration target must have exactly one of ${TARGETS.join(', ')}, got {${keys.join(', ')}}`, src.file, at('/target'));
  }
  const k = keys[0] as (typeof TARGETS)[number];
  const v = c.target[k]!;
  if (k === 'threshold') {
    if (!(Number.isFinite(v) && v >= 0)) die(`calibration threshold must be a finite number >= 0, got ${v}`, src.file, at('/target/threshold'));
    return;
  }
  if (!(v >= 0 && v <= 1)) die(`calibration ${k} must be in [0, 1], got ${v}`, src.file, at(`/target/${k}`));
  if (c.inputs < 1) die(`calibration with a ${k} target needs at least 1 input, got ${c.inputs}`, src.file, at('/inputs'));
}

/**
 * The absolute threshold a layer's predictor holds: regions scoring above it are sensitive.
 * `scores` are the region scores of the whole trace, input-major (`regionsPerInput` each);
 * only the first `c.inputs` inputs are read.
 */
export function calibratedThreshold(scores: Float32Array, regionsPerInput: number, traceInputs: number, c: Calibration, layer: string, src: ParamSource = {}): number {
  const t = c.target;
  if (t.threshold !== undefined) return t.threshold;
  if (c.inputs > traceInputs) {
    return die(`layer ${layer}: calibration asks for ${c.inputs} inputs but the trace has ${traceInputs}`, src.file, `${src.path ?? ''}/calibration/inputs`);
  }
  const cal = scores.subarray(0, c.inputs * regionsPerInput);
  if (t.relative !== undefined) {
    let max = 0;
    for (const s of cal) max = Math.max(max, s);
    return t.relative * max;
  }
  // sensitiveFraction: the highest score left out (ties at the cut are all in or all out).
  const take = Math.round(t.sensitiveFraction! * cal.length);
  if (take >= cal.length) return -1;
  const sorted = Float32Array.from(cal).sort();
  return sorted[cal.length - 1 - take]!;
}
