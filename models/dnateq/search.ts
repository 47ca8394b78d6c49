/**
 * DNA-TEQ's offline parameter search (arXiv 2306.16430, §III-B, Algorithm 1):
 *  1. goodness of fit: the tensor (weights or activations) whose |x| histogram is closer to an
 *     exponential (lower RSS) starts;
 *  2. Algorithm 1 on that tensor: initialise b and α, β for the full-scale range, measure RMAE,
 *     try b+Δ and b−Δ, keep stepping in the better direction while RMAE falls, refitting α, β at
 *     every step; the other tensor reuses b and fits its own α, β;
 *  3. bitwidth loop n = 3…7: the smallest n whose RMAEs are under τ_a (activations) and τ_w
 *     (weights); the first layer uses thresholds `firstLayerTauFactor` (0.1) times lower;
 *  4. τ_a sweep from `tauStart` in `tauStep` steps while an accuracy proxy stays within budget
 *     (tau-sweep.ts), or τ_a given (`tauA`).
 * Details the paper does not publish are the named parameters of `SearchParams`, with defaults.
 *
 * The accuracy proxy is real data, not a constant: for every layer and n, sampled outputs of the
 * layer are computed with float and with quantized operands on the trace; the network proxy is
 * the root-sum-square of the layers' relative output errors (independent errors add in variance).
 */
import seedrandom from 'seedrandom';
import type { Layer } from '../../sim/workload.ts';
import type { LayerTrace } from '../../sim/trace.ts';
import { MIN_BITS, MAX_BITS, checkBitsAndBase, maxExponent, fullScale, rmae, boundaries, levels, encoder, decode, type ExpParams } from './exponential.ts';
import { fitDistributions } from '../../traces/fit.ts';
import { exponentDot, offlineOffsetSums, type OfflineOffsetSums } from './dot-product.ts';
import { offlinePossible } from './operations.ts';
import { layerOperands, sampleOutputs, type LayerOperands, type OutputPairs } from './operands.ts';
import type { OffsetTerms } from './spec.ts';

export interface SearchParams {
  /** Algorithm 1 step Δ as a fraction of (b₀ − 1), so the resolution suits every n. */
  readonly deltaFraction: number;
  /** Upper bound on Algorithm 1 steps per search. */
  readonly maxSteps: number;
  /** Quantile of the non-zero |x| taken as the low end of the full-scale range. */
  readonly lowQuantile: number;
  /** Values per tensor on which RMAE is measured (a sample spread over the tensor). */
  readonly sampleSize: number;
  /** τ_a sweep: first value, step, last value tried. */
  readonly tauStart: number;
  readonly tauStep: number;
  readonly tauMax: number;
  /** τ_w = τ_a × tauWeightScale (the paper scales by a magnitude ratio of unpublished form). */
  readonly tauWeightScale: number;
  /** The first layer's thresholds are this factor times τ (paper: 10× lower). */
  readonly firstLayerTauFactor: number;
  /** Accuracy proxy budget: largest tolerated RSS of the layers' relative output errors. */
  readonly proxyBudget: number;
  /** Sampled outputs per layer for the proxy and the counter statistics. */
  readonly proxyOutputs: number;
  /** Histogram bins of the goodness-of-fit test. */
  readonly histogramBins: number;
  /** Fix β_a = 0 for non-negative activations, so terms 2 and 4 vanish (nothing left to compute, offline or online). */
  readonly zeroActivationOffset: boolean;
  /** Array-counter entry width, bits (for the counter statistics). */
  readonly counterBits: number;
  /** Top-level positions (fractions of the largest |x|) tried when fitting the second tensor. */
  readonly topFractions: readonly number[];
  /**
   * `dnateq.offsetTerms` (spec.ts copies it here, so it is part of the search's cache key): a
   * layer evaluated with terms 2 and 4 offline has no zero code on its activations.
   */
  readonly offsetTerms?: OffsetTerms;
  /** `datapath.skipZeroActivations` (copied by spec.ts): exactly-zero activations are not counted. */
  readonly skipZeroActivations?: boolean;
  /** Use this base for every layer instead of Algorithm 1 (both tensors fit α, β to it). */
  readonly fixedBase?: number;
  /** τ_a given as an input (`--tau-a`, `dnateq.search.tauA`): no sweep, the report labels it as given. */
  readonly tauA?: number;
}

export const DEFAULT_SEARCH: SearchParams = Object.freeze({
  deltaFraction: 0.05,
  maxSteps: 200,
  lowQuantile: 0.01,
  sampleSize: 16384,
  tauStart: 0.01,
  tauStep: 0.01,
  tauMax: 0.5,
  tauWeightScale: 1,
  firstLayerTauFactor: 0.1,
  proxyBudget: 0.1,
  proxyOutputs: 128,
  histogramBins: 64,
  zeroActivationOffset: false,
  counterBits: 8,
  topFractions: [1, 0.85, 0.7, 0.55, 0.4, 0.3, 0.2],
});

/** Magnitude range of a tensor for the full-scale fit. */
export interface MagnitudeRange {
  readonly high: number;
  readonly low: number;
}

/**
 * A sample of at most `size` values spread over the tensor by the golden-ratio sequence
 * (deterministic, no generator needed). Not an even stride: a stride that is a multiple of the
 * filter size sees one tap of every filter — in face-recognition's conv256_down_out.conv2
 * (3×3 on a 1×1 map) only the all-zero corner taps, which made the whole layer look zero.
 */
export function spreadSample(x: Float32Array, size: number): Float32Array {
  if (x.length <= size) return x;
  const out = new Float32Array(size);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < size; i++) out[i] = x[Math.floor(((i * phi) % 1) * x.length)]!;
  return out;
}

export function magnitudeRange(x: Float32Array, lowQuantile: number): MagnitudeRange {
  const all = new Float64Array(x.length);
  let count = 0;
  let high = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a === 0) continue;
    all[count++] = a;
    if (a > high) high = a;
  }
  if (count === 0) return { high: 0, low: 0 };
  // Native numeric sort (ascending, as the comparator sort it replaces: the same sequence of values).
  const mags = all.subarray(0, count).sort();
  const low = mags[Math.min(mags.length - 1, Math.floor(lowQuantile * mags.length))]!;
  return { high, low };
}

/**
 * α, β for a base: the full-scale fit (top level at `top` × the largest |x|, bottom level at the
 * range's low end), or β = 0 with only the top level placed.
 */
export function fitScale(bits: number, base: number, range: MagnitudeRange, zeroOffset: boolean, top = 1, zeroCode = true): ExpParams {
  const z = zeroCode ? {} : { zeroCode: false };
  // An all-zero tensor keeps its zero code (β = 0: no terms 2 and 4 to compute).
  if (range.high === 0) return { bits, base, alpha: 1, beta: 0 };
  const high = range.high * top;
  if (zeroOffset) return { bits, base, alpha: high / base ** maxExponent(bits), beta: 0, ...z };
  return { bits, base, ...fullScale(bits, base, high, Math.min(range.low, high)), ...z };
}

/**
 * The tensor that did not start "reuses b and fits its own α, β" (§III-B): with b fixed, the top
 * level is placed at the fraction of the largest |x| (from `topFractions`) that gives the lowest
 * RMAE — clipping a rare maximum often buys resolution for the bulk. The starting tensor keeps
 * Algorithm 1's full-scale fit.
 */
export function fitOther(sample: Float32Array, bits: number, base: number, range: MagnitudeRange, zeroOffset: boolean, topFractions: readonly number[], zeroCode = true): { params: ExpParams; rmae: number } {
  let best = fitScale(bits, base, range, zeroOffset, 1, zeroCode);
  let bestErr = rmae(sample, best);
  for (const top of topFractions) {
    if (top === 1) continue;
    const p = fitScale(bits, base, range, zeroOffset, top, zeroCode);
    const e = rmae(sample, p);
    if (e < bestErr) {
      best = p;
      bestErr = e;
    }
  }
  return { params: best, rmae: bestErr };
}

export interface BaseSearch {
  readonly params: ExpParams;
  readonly rmae: number;
  readonly steps: number;
}

/**
 * Algorithm 1: base search on one tensor sample at bitwidth n. `zeroCode` false: RMAE is measured
 * with the quantizer that has no zero code (zeros cost their distance to the lowest level).
 */
export function searchBase(sample: Float32Array, bits: number, range: MagnitudeRange, zeroOffset: boolean, sp: Pick<SearchParams, 'deltaFraction' | 'maxSteps'>, zeroCode = true): BaseSearch {
  const E = maxExponent(bits);
  const ratio = range.low > 0 ? range.high / range.low : 1;
  // Initial base: geometric spacing across the full-scale range (pure exponential, β ≈ 0).
  const b0 = Math.min(1e3, Math.max(1.001, ratio ** (1 / (2 * E))));
  const delta = sp.deltaFraction * (b0 - 1);
  const err = (b: number) => rmae(sample, fitScale(bits, b, range, zeroOffset, 1, zeroCode));
  let best = b0;
  let bestErr = err(b0);
  const up = err(b0 + delta);
  const down = b0 - delta > 1 ? err(b0 - delta) : Infinity;
  let steps = 0;
  if (Math.min(up, down) < bestErr) {
    const dir = up <= down ? 1 : -1;
    best = b0 + dir * delta;
    bestErr = Math.min(up, down);
    while (steps < sp.maxSteps) {
      const next = best + dir * delta;
      if (!(next > 1)) break;
      const e = err(next);
      if (!(e < bestErr)) break;
      best = next;
      bestErr = e;
      steps++;
    }
  }
  return { params: fitScale(bits, best, range, zeroOffset, 1, zeroCode), rmae: bestErr, steps: steps + 1 };
}

/** RSS of the exponential fit to |x| (traces/fit.ts); 0 for a tensor with no non-zero value. */
export function exponentialRss(x: Float32Array, bins: number): number {
  return fitDistributions(x, { bins, distributions: ['exponential'] }).fits[0]?.rss ?? 0;
}

/** Counter statistics of a layer at one bitwidth, averaged over the sampled outputs. */
export interface CounterStats {
  /** Operand pairs per output (padding excluded), and those with both codes non-zero. */
  readonly pairsPerOutput: number;
  readonly nonZeroPairsPerOutput: number;
  readonly nonZeroAc1: number;
  readonly nonZeroAcA: number;
  readonly nonZeroAcW: number;
  readonly spillsPerOutput: number;
  /** Fraction of pairs whose activation code is zero (the comparator sends no count). */
  readonly zeroActivationFraction: number;
  /** Worst relative difference between the exponent-domain (FP16) and the dequantized dot product. */
  readonly fp16RelDiff: number;
}

export interface Candidate {
  readonly bits: number;
  readonly weights: ExpParams;
  readonly activations: ExpParams;
  readonly rmaeW: number;
  readonly rmaeA: number;
  readonly searchSteps: number;
  /** Relative error of the layer's sampled outputs, quantized vs float operands (terms 2 and 4 online: exact). */
  readonly outputRelError: number;
  /**
   * On a layer evaluated with terms 2 and 4 offline (NaN elsewhere): the output error vs float,
   * and the error the offline sums introduce vs the online ones (relative RMS). The activations
   * have no zero code there, so the two agree on every pair the output has; what remains is the
   * filter's padding taps (the offline constant sums every weight) and FP16 rounding order.
   */
  readonly outputRelErrorOffline: number;
  readonly offlineRelError: number;
  readonly stats: CounterStats;
}

export interface LayerSearch {
  readonly layer: string;
  readonly rssW: number;
  readonly rssA: number;
  readonly startsWith: 'weights' | 'activations';
  readonly activationsNonNegative: boolean;
  /** Terms 2 and 4 offline on this layer (so its activation quantizer has no zero code). */
  readonly offline: boolean;
  /** Candidates for n = 3…7 (index n − 3). */
  readonly candidates: readonly Candidate[];
}

function evaluate(ops: LayerOperands, outputs: OutputPairs[], pw: ExpParams, pa: ExpParams, sp: SearchParams, offsetTerms: boolean, offline: boolean): Pick<Candidate, 'outputRelError' | 'outputRelErrorOffline' | 'offlineRelError' | 'stats'> {
  const encodeW = encoder(boundaries(pw));
  const encodeA = encoder(boundaries(pa));
  // Terms 2 and 4 offline per filter: outputs of the same filter share them.
  const offlineSums = new Map<number, OfflineOffsetSums>();
  const lw = levels(pw);
  const la = levels(pa);
  let errSq = 0;
  let refSq = 0;
  let offErrSq = 0;
  let offDiffSq = 0;
  let onSq = 0;
  let pairs = 0;
  let nzPairs = 0;
  let nz1 = 0;
  let nzA = 0;
  let nzW = 0;
  let spills = 0;
  let zeroActs = 0;
  let worstDiff = 0;
  for (const o of outputs) {
    // Without the zero code a padding tap is a zero activation quantized to the lowest level like
    // any other (the dense array walks it, and the offline sums cover its weight); with the zero
    // code it contributes nothing and is left out.
    const taps = o.aIdx.length;
    const n = taps + (offline ? o.padIdx.length : 0);
    const ca = new Int8Array(n);
    const cw = new Int8Array(n);
    // The codes the counting stage sees: skipped (exactly zero) activations send no count.
    const counted = new Int8Array(n);
    let y = 0;
    let yq = 0;
    let mag = 0;
    for (let i = 0; i < n; i++) {
      const av = i < taps ? ops.activations[o.aIdx[i]!]! : 0;
      const wv = ops.weights[i < taps ? o.wIdx[i]! : o.padIdx[i - taps]!]!;
      y += av * wv;
      // Encode once: the dequantized product and the hardware's codes come from the same code.
      ca[i] = encodeA(av);
      cw[i] = encodeW(wv);
      counted[i] = sp.skipZeroActivations && av === 0 ? 0 : ca[i]!;
      const prod = decode(ca[i]!, la) * decode(cw[i]!, lw);
      yq += prod;
      mag += Math.abs(prod);
      if (counted[i] === 0) zeroActs++;
    }
    errSq += (yq - y) ** 2;
    refSq += y * y;
    const hw = exponentDot(counted, cw, pa, pw, { counterBits: sp.counterBits, activationOffsetTerms: offsetTerms });
    if (mag > 0) worstDiff = Math.max(worstDiff, Math.abs(hw.value - yq) / mag);
    if (offline) {
      // Terms 2 and 4 from the whole filter's weight codes, as precomputed offline.
      let sums = offlineSums.get(o.wStart);
      if (!sums) {
        const filter = ops.weights.subarray(o.wStart, o.wStart + o.wLength);
        const fw = new Int8Array(filter.length);
        for (let i = 0; i < filter.length; i++) fw[i] = encodeW(filter[i]!);
        offlineSums.set(o.wStart, (sums = offlineOffsetSums(fw, pw)));
      }
      const on = hw.value; // offline only with β_a ≠ 0, so hw ran terms 2 and 4 online
      const off = exponentDot(counted, cw, pa, pw, { counterBits: sp.counterBits, offline: sums }).value;
      offErrSq += (off - y) ** 2;
      offDiffSq += (off - on) ** 2;
      onSq += on * on;
    }
    pairs += taps;
    nzPairs += hw.pairs;
    nz1 += hw.nonZeroAc1;
    nzA += hw.nonZeroAcA;
    nzW += hw.nonZeroAcW;
    spills += hw.spills;
  }
  const k = Math.max(1, outputs.length);
  const rel = (num: number, den: number) => (den > 0 ? Math.sqrt(num / den) : num > 0 ? Infinity : 0);
  return {
    outputRelError: rel(errSq, refSq),
    outputRelErrorOffline: offline ? rel(offErrSq, refSq) : Number.NaN,
    offlineRelError: offline ? rel(offDiffSq, onSq) : Number.NaN,
    stats: {
      pairsPerOutput: pairs / k,
      nonZeroPairsPerOutput: nzPairs / k,
      nonZeroAc1: nz1 / k,
      nonZeroAcA: nzA / k,
      nonZeroAcW: nzW / k,
      spillsPerOutput: spills / k,
      zeroActivationFraction: pairs > 0 ? zeroActs / pairs : 0,
      fp16RelDiff: worstDiff,
    },
  };
}

/** Steps 1–2 for every n = 3…7 on one layer: the per-layer work, independent of τ (cacheable). */
export function searchLayer(layer: Layer, trace: LayerTrace | undefined, sp: SearchParams, seed: string, file?: string): LayerSearch {
  if (sp.fixedBase !== undefined) checkBitsAndBase(MIN_BITS, sp.fixedBase, 'dnateq.base');
  const ops = layerOperands(layer, trace, file);
  const sw = spreadSample(ops.weights, sp.sampleSize);
  const sa = spreadSample(ops.activations, sp.sampleSize);
  const rangeW = magnitudeRange(sw, sp.lowQuantile);
  const rangeA = magnitudeRange(sa, sp.lowQuantile);
  const rssW = exponentialRss(sw, sp.histogramBins);
  const rssA = exponentialRss(sa, sp.histogramBins);
  const startsWith = rssW <= rssA ? 'weights' : 'activations';
  const zeroOffsetA = sp.zeroActivationOffset && ops.activationsNonNegative;
  // Terms 2 and 4 offline (the default where possible, operations.ts's offsetEvaluation): every
  // activation then contributes β_a, so the activation quantizer has no zero code and the fit
  // and every error below are measured with it (§III-C: offline when activations are non-negative).
  const offline = sp.offsetTerms !== 'online' && !zeroOffsetA && offlinePossible(layer, ops.activationsNonNegative);
  const zc = !offline;
  const outputs = sampleOutputs(layer, ops, sp.proxyOutputs, seedrandom(`dnateq:${seed}:${layer.name}`));
  const candidates: Candidate[] = [];
  for (let bits = MIN_BITS; bits <= MAX_BITS; bits++) {
    let pw: ExpParams;
    let pa: ExpParams;
    let rw: number;
    let ra: number;
    let steps: number;
    if (sp.fixedBase !== undefined) {
      const ow = fitOther(sw, bits, sp.fixedBase, rangeW, false, sp.topFractions);
      const oa = fitOther(sa, bits, sp.fixedBase, rangeA, zeroOffsetA, sp.topFractions, zc);
      [pw, rw, pa, ra, steps] = [ow.params, ow.rmae, oa.params, oa.rmae, 0];
    } else if (startsWith === 'weights') {
      const s = searchBase(sw, bits, rangeW, false, sp);
      const o = fitOther(sa, bits, s.params.base, rangeA, zeroOffsetA, sp.topFractions, zc);
      [pw, rw, pa, ra, steps] = [s.params, s.rmae, o.params, o.rmae, s.steps];
    } else {
      const s = searchBase(sa, bits, rangeA, zeroOffsetA, sp, zc);
      const o = fitOther(sw, bits, s.params.base, rangeW, false, sp.topFractions);
      [pa, ra, pw, rw, steps] = [s.params, s.rmae, o.params, o.rmae, s.steps];
    }
    const e = evaluate(ops, outputs, pw, pa, sp, pa.beta !== 0, offline && pa.beta !== 0);
    candidates.push({ bits, weights: pw, activations: pa, rmaeW: rw, rmaeA: ra, searchSteps: steps, ...e });
  }
  return { layer: layer.name, rssW, rssA, startsWith, activationsNonNegative: ops.activationsNonNegative, offline, candidates };
}

export { selectBits, sweepTau, tauLoop, type LayerChoice, type NetworkQuantization, type ChoiceProxy } from './tau-sweep.ts';
