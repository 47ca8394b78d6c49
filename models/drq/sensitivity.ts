/**
 * DRQ region sensitivity (Song et al., ISCA 2020, §III): each input feature map is split into
 * regions; a mean filter over the input marks locally large values, a threshold turns the
 * filtered map into sensitive positions, and a region is sensitive when any position in it is
 * (`regionRule: "any"`) or when its average filtered value is (`"mean"`). Sensitive regions run
 * at high precision (INT8), the rest at low precision (INT4).
 *
 * Everything here is pure and computed from the trace; the sensitive fraction is an output,
 * never an assumption. Window and region sizes, the rule and the threshold are parameters
 * (the paper does not fix them for every network).
 */
import { die } from '../../sim/errors.ts';
import type { Tensor } from '../../sim/trace.ts';
import type { Layer } from '../../sim/workload.ts';
import { calibratedThreshold, validateCalibration, type Calibration } from './calibration.ts';

/**
 * `absolute`: a threshold in activation units. `relative`: a fraction 0..1 of the layer's
 * largest region score. `fraction`: a target sensitive fraction 0..1 — the highest-scoring
 * regions are taken (ties broken by position), an offline calibration device; the hardware then
 * holds the resulting absolute threshold.
 */
export type ThresholdMode = 'absolute' | 'relative' | 'fraction';
export const THRESHOLD_MODES: readonly ThresholdMode[] = ['absolute', 'relative', 'fraction'];

/** Edge regions when the region size does not divide the map: `partial` keeps them smaller. */
export type RegionPadding = 'partial';

/**
 * Fully connected inputs have no spatial dims. `high`: run fc layers entirely at high precision
 * (DRQ's array is a convolution array). `channels`: treat the input as a 1×C map, regions of
 * `regionSize` consecutive channels and a 1×k mean filter along them.
 */
export type FcPolicy = 'high' | 'channels';

export interface SensitivityParams {
  /** Region edge, in input pixels (regions are square). */
  readonly regionSize: number;
  /** Mean-filter window edge, in pixels (zero padding at the map edges). */
  readonly filterSize: number;
  readonly threshold: number;
  readonly thresholdMode: ThresholdMode;
  readonly regionRule?: 'any' | 'mean';
  /** Required when the region size does not divide the map; no silent default. */
  readonly regionPadding?: RegionPadding;
  readonly fcPolicy?: FcPolicy;
  /** Thresholds fixed from the first inputs of the trace, then applied per input (calibration.ts); overrides threshold/thresholdMode. */
  readonly calibration?: Calibration;
}

/** Where parameters came from, for error messages. */
export interface ParamSource {
  readonly file?: string;
  /** JSON path of the parameter section (`/drq`). */
  readonly path?: string;
}

/** A binary mask per region, per channel, per input of one layer. */
export interface RegionMask {
  readonly N: number;
  readonly C: number;
  /** Map rows × cols the regions tile (fc `channels` policy: 1 × C). */
  readonly H: number;
  readonly W: number;
  readonly regionSize: number;
  readonly regionsH: number;
  readonly regionsW: number;
  /** 1 = sensitive; index ((n·C + c)·regionsH + rh)·regionsW + rw. */
  readonly mask: Uint8Array;
  readonly sensitiveRegions: number;
  readonly sensitiveFraction: number;
  /** Threshold applied, in activation units (fraction mode: the score of the last region taken). */
  readonly thresholdUsed: number;
  /** How the layer was treated: regions from the trace, or all-high by the fc policy. */
  readonly policy: 'regions' | 'fc-high';
}

export function validateSensitivityParams(p: SensitivityParams, src: ParamSource = {}): void {
  const at = (k: string) => `${src.path ?? ''}/${k}`;
  if (!(Number.isInteger(p.regionSize) && p.regionSize >= 1)) die(`region size must be an integer >= 1, got ${p.regionSize}`, src.file, at('regionSize'));
  if (!(Number.isInteger(p.filterSize) && p.filterSize >= 1)) die(`mean-filter size must be an integer >= 1, got ${p.filterSize}`, src.file, at('filterSize'));
  if (p.calibration) return validateCalibration(p.calibration, src);
  if (!THRESHOLD_MODES.includes(p.thresholdMode)) die(`threshold mode must be one of ${THRESHOLD_MODES.join(', ')}, got "${p.thresholdMode}"`, src.file, at('thresholdMode'));
  if (!Number.isFinite(p.threshold) || p.threshold < 0) die(`threshold must be a finite number >= 0, got ${p.threshold}`, src.file, at('threshold'));
  if (p.thresholdMode !== 'absolute' && p.threshold > 1) {
    die(`threshold in "${p.thresholdMode}" mode must be in [0, 1], got ${p.threshold}`, src.file, at('threshold'));
  }
}

/**
 * Mean of |x| over a k×k window centred on each position (zero padding; even k leans up-left),
 * by a summed-area table: O(H·W) whatever k.
 */
export function meanFilter(plane: Float32Array, H: number, W: number, k: number): Float32Array {
  const sat = new Float64Array((H + 1) * (W + 1));
  for (let h = 0; h < H; h++) {
    let row = 0;
    for (let w = 0; w < W; w++) {
      row += Math.abs(plane[h * W + w]!);
      sat[(h + 1) * (W + 1) + w + 1] = sat[h * (W + 1) + w + 1]! + row;
    }
  }
  const before = Math.floor((k - 1) / 2);
  const out = new Float32Array(H * W);
  const inv = 1 / (k * k);
  for (let h = 0; h < H; h++) {
    const h0 = Math.max(0, h - before);
    const h1 = Math.min(H, h - before + k);
    for (let w = 0; w < W; w++) {
      const w0 = Math.max(0, w - before);
      const w1 = Math.min(W, w - before + k);
      const s = sat[h1 * (W + 1) + w1]! - sat[h0 * (W + 1) + w1]! - sat[h1 * (W + 1) + w0]! + sat[h0 * (W + 1) + w0]!;
      out[h * W + w] = s * inv;
    }
  }
  return out;
}

/** Region count along one dim, or an error when it does not divide and no padding policy is set. */
function regionsAlong(size: number, region: number, dim: string, p: SensitivityParams, src: ParamSource, layer: string): number {
  if (size % region === 0) return size / region;
  if (p.regionPadding !== 'partial') {
    die(
      `layer ${layer}: region size ${region} does not divide the input ${dim} (${size}); set "regionPadding": "partial" to allow smaller edge regions`,
      src.file,
      `${src.path ?? ''}/regionSize`,
    );
  }
  return Math.ceil(size / region);
}

/**
 * The score of every region of an N×C×H×W map: the max (rule any) or the mean (rule mean) of the
 * mean-filtered map inside it. `filterH` is 1 for one-row maps (fc `channels` policy).
 */
export function regionScores(data: Float32Array, N: number, C: number, H: number, W: number, p: SensitivityParams): Float32Array {
  const rs = p.regionSize;
  const rh = Math.ceil(H / rs);
  const rw = Math.ceil(W / rs);
  const k = p.filterSize;
  const scores = new Float32Array(N * C * rh * rw);
  const counts = new Float32Array(rh * rw);
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) counts[Math.floor(h / rs) * rw + Math.floor(w / rs)]! += 1;
  const mean = p.regionRule === 'mean';
  for (let nc = 0; nc < N * C; nc++) {
    const plane = data.subarray(nc * H * W, (nc + 1) * H * W);
    const filtered = H === 1 ? meanFilterRow(plane, W, k) : meanFilter(plane, H, W, k);
    const base = nc * rh * rw;
    for (let h = 0; h < H; h++) {
      const rowBase = base + Math.floor(h / rs) * rw;
      for (let w = 0; w < W; w++) {
        const v = filtered[h * W + w]!;
        const i = rowBase + Math.floor(w / rs);
        scores[i] = mean ? scores[i]! + v : Math.max(scores[i]!, v);
      }
    }
    if (mean) for (let r = 0; r < rh * rw; r++) scores[base + r]! /= counts[r]!;
  }
  return scores;
}

/** 1×k mean filter along a one-row map (fc `channels` policy): k values per window, not k². */
function meanFilterRow(plane: Float32Array, W: number, k: number): Float32Array {
  const out = meanFilter(plane, 1, W, k);
  for (let i = 0; i < out.length; i++) out[i]! *= k;
  return out;
}

/**
 * The region mask of one layer from its input activations (NCHW, or NC for fc). One threshold
 * per layer (one threshold register in hardware): from the calibration inputs when `calibration`
 * is set (causal), else from the whole batch in `relative` and `fraction` modes (not causal: an
 * input's mask then depends on the other inputs of the trace).
 */
export function sensitivityMask(layer: Layer, act: Tensor | undefined, p: SensitivityParams, src: ParamSource = {}): RegionMask {
  validateSensitivityParams(p, src);
  if (!act) return die(`layer ${layer.name}: the trace has no input activations, which DRQ needs to find sensitive regions`);
  const shape = act.shape;
  const N = shape[0] ?? 0;
  if (layer.kind === 'fc' && shape.length === 2) {
    if (shape[1] !== layer.C) die(`layer ${layer.name}: activation trace shape [${shape.join(', ')}] does not match C = ${layer.C}`);
    if (p.fcPolicy !== 'channels') return allHigh(N, layer.C, p.regionSize);
    // A 1×C map of one channel: regions of regionSize consecutive input channels.
    const rw = regionsAlong(layer.C, p.regionSize, 'channel count', p, src, layer.name);
    return thresholdScores(N, 1, 1, layer.C, p.regionSize, 1, rw, regionScores(act.data, N, 1, 1, layer.C, p), p, layer.name, src);
  }
  if (shape.length !== 4) {
    return die(
      `layer ${layer.name} (${layer.kind}): activation trace has shape [${shape.join(', ')}] with no spatial dims; DRQ needs NCHW input feature maps`,
    );
  }
  const [, C, H, W] = shape as [number, number, number, number];
  if (C !== layer.C || H !== layer.H || W !== layer.W) {
    die(`layer ${layer.name}: activation trace shape [${shape.join(', ')}] does not match the layer input [N, ${layer.C}, ${layer.H}, ${layer.W}]`);
  }
  const rh = regionsAlong(H, p.regionSize, 'height', p, src, layer.name);
  const rw = regionsAlong(W, p.regionSize, 'width', p, src, layer.name);
  return thresholdScores(N, C, H, W, p.regionSize, rh, rw, regionScores(act.data, N, C, H, W, p), p, layer.name, src);
}

function thresholdScores(
  N: number,
  C: number,
  H: number,
  W: number,
  rs: number,
  rh: number,
  rw: number,
  scores: Float32Array,
  p: SensitivityParams,
  layer: string,
  src: ParamSource,
): RegionMask {
  const mask = new Uint8Array(scores.length);
  let t: number;
  let sensitive = 0;
  if (p.calibration) {
    t = calibratedThreshold(scores, C * rh * rw, N, p.calibration, layer, src);
    for (let i = 0; i < scores.length; i++) {
      if (scores[i]! > t) {
        mask[i] = 1;
        sensitive++;
      }
    }
  } else if (p.thresholdMode === 'fraction') {
    const take = Math.round(p.threshold * scores.length);
    const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    for (let i = 0; i < take; i++) mask[order[i]!] = 1;
    sensitive = take;
    t = take > 0 ? scores[order[take - 1]!]! : Infinity;
  } else {
    let max = 0;
    for (const s of scores) max = Math.max(max, s);
    t = p.thresholdMode === 'absolute' ? p.threshold : p.threshold * max;
    for (let i = 0; i < scores.length; i++) {
      if (scores[i]! > t) {
        mask[i] = 1;
        sensitive++;
      }
    }
  }
  return {
    N,
    C,
    H,
    W,
    regionSize: rs,
    regionsH: rh,
    regionsW: rw,
    mask,
    sensitiveRegions: sensitive,
    sensitiveFraction: scores.length > 0 ? sensitive / scores.length : 0,
    thresholdUsed: t,
    policy: 'regions',
  };
}

function allHigh(N: number, C: number, regionSize: number): RegionMask {
  return {
    N,
    C,
    H: 1,
    W: 1,
    regionSize,
    regionsH: 1,
    regionsW: 1,
    mask: new Uint8Array(N * C).fill(1),
    sensitiveRegions: N * C,
    sensitiveFraction: 1,
    thresholdUsed: 0,
    policy: 'fc-high',
  };
}

/** Whether input pixel (n, c, h, w) lies in a sensitive region (fc `channels`: c = 0, h = 0, w = channel). */
export function isSensitive(m: RegionMask, n: number, c: number, h: number, w: number): boolean {
  const i = ((n * m.C + c) * m.regionsH + Math.floor(h / m.regionSize)) * m.regionsW + Math.floor(w / m.regionSize);
  return m.mask[i] === 1;
}

/** Fraction of input values (not regions) that are at low precision, over the whole mask. */
export function lowPrecisionValueFraction(m: RegionMask): number {
  const per = perInputLowValueFractions(m);
  return per.reduce((a, b) => a + b, 0) / Math.max(1, m.N);
}

/** Fraction of each input's values that are at low precision. */
export function perInputLowValueFractions(m: RegionMask): Float64Array {
  const out = new Float64Array(m.N);
  if (m.policy === 'fc-high') return out;
  const rs = m.regionSize;
  const perInput = m.mask.length / m.N;
  for (let i = 0; i < m.mask.length; i++) {
    if (m.mask[i]) continue;
    const r = i % (m.regionsH * m.regionsW);
    const rh = Math.floor(r / m.regionsW);
    const rw = r % m.regionsW;
    const hs = m.H === 1 ? 1 : Math.min(rs, m.H - rh * rs);
    const ws = Math.min(rs, m.W - rw * rs);
    out[Math.floor(i / perInput)]! += hs * ws;
  }
  for (let n = 0; n < m.N; n++) out[n]! /= m.C * m.H * m.W;
  return out;
}

/** Whether each input's mask depends on that input alone (a calibrated or absolute threshold). */
export function isCausal(p: SensitivityParams): boolean {
  return p.calibration !== undefined || p.thresholdMode === 'absolute';
}

/** Sensitive fraction of the regions of each input of the mask. */
export function perInputSensitiveFractions(m: RegionMask): Float64Array {
  const per = m.mask.length / m.N;
  const out = new Float64Array(m.N);
  for (let n = 0; n < m.N; n++) {
    let k = 0;
    for (let i = n * per; i < (n + 1) * per; i++) k += m.mask[i]!;
    out[n] = per > 0 ? k / per : 0;
  }
  return out;
}
