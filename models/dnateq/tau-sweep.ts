/**
 * Steps 3–4 of DNA-TEQ's search (arXiv 2306.16430, §III-B): per layer the smallest bitwidth whose
 * RMAEs meet τ_a and τ_w, and the network-wide τ_a procedure — "τ_a starts at 1% and grows in 1%
 * steps while the accuracy loss stays" within budget — or τ_a given as an input (`tauA`).
 *
 * The accuracy loss of a τ step is a proxy: by default the root-sum-square of the layers'
 * sampled relative output errors (independent errors add in variance), measured on the trace
 * with each layer evaluated as the hardware will evaluate it (terms 2 and 4 offline or online);
 * on a network that can be run (the real face-recognition trace) the output error end to end.
 */
import { die } from '../../sim/errors.ts';
import type { Candidate, LayerSearch, SearchParams } from './search.ts';

/** Step 3: the smallest n whose RMAEs meet the thresholds (7 if none does). */
export function selectBits(s: LayerSearch, tauA: number, tauW: number): Candidate {
  for (const c of s.candidates) if (c.rmaeA <= tauA && c.rmaeW <= tauW) return c;
  return s.candidates[s.candidates.length - 1]!;
}

export interface LayerChoice {
  readonly search: LayerSearch;
  readonly chosen: Candidate;
  readonly tauA: number;
  readonly tauW: number;
}

export interface NetworkQuantization {
  /** The τ_a the sweep settled on, or the one given (before the first-layer factor). */
  readonly tauA: number;
  /** True when τ_a was an input (`tauA`), not the sweep's result. */
  readonly tauAGiven: boolean;
  /** The proxy at that τ_a, and whether even τ_a = tauStart exceeded the budget. */
  readonly proxy: number;
  readonly overBudget: boolean;
  /** τ_a values the loop tried, in order (the last one exceeded the budget unless tauMax was reached). */
  readonly tried: readonly number[];
  readonly layers: readonly LayerChoice[];
}

/**
 * The network's output error for a set of layer choices, measured end to end (a forward pass on
 * real inputs); replaces the root-sum-square of the sampled layer errors when given.
 */
export type ChoiceProxy = (layers: readonly LayerChoice[]) => number;

/**
 * The τ loop alone: τ = start, start + step, … ≤ max; returns the last τ whose loss is within
 * `budget` (or `start` when even it is over, flagged) and every τ tried. Stops at the first step
 * whose loss exceeds the budget. τ values are integer multiples of the step, so 1% steps do not
 * accumulate binary rounding.
 */
export function tauLoop(start: number, step: number, max: number, budget: number, lossAt: (tau: number) => number): { tau: number; overBudget: boolean; tried: number[] } {
  const tried = [start];
  if (lossAt(start) > budget) return { tau: start, overBudget: true, tried };
  let best = start;
  for (let k = 1; ; k++) {
    const tau = Number((start + k * step).toFixed(12));
    if (tau > max + 1e-12) break;
    tried.push(tau);
    if (lossAt(tau) > budget) break;
    best = tau;
  }
  return { tau: best, overBudget: false, tried };
}

/** Per-layer relative output error as the layer is evaluated (offline terms 2 and 4 or online). */
export function layerError(c: Candidate, offline: boolean): number {
  return offline && Number.isFinite(c.outputRelErrorOffline) ? c.outputRelErrorOffline : c.outputRelError;
}

/** The layers' choices at one τ_a and the proxy they give (per-layer RSS, or `outputProxy`). */
export function choose(searches: readonly LayerSearch[], tau: number, sp: SearchParams, offline: readonly boolean[], outputProxy?: ChoiceProxy): { layers: LayerChoice[]; proxy: number } {
  let sq = 0;
  const layers = searches.map((s, i) => {
    const f = i === 0 ? sp.firstLayerTauFactor : 1;
    const tauA = tau * f;
    const tauW = tau * sp.tauWeightScale * f;
    const chosen = selectBits(s, tauA, tauW);
    sq += layerError(chosen, offline[i] ?? false) ** 2;
    return { search: s, chosen, tauA, tauW };
  });
  return { layers, proxy: outputProxy ? outputProxy(layers) : Math.sqrt(sq) };
}

/**
 * Step 4 over the network's layers (in network order). With `outputProxy` the proxy is measured
 * end to end, once per distinct set of chosen bitwidths (the candidates per n are fixed, so τ
 * steps that change no layer's n reuse the measurement). `offline[i]`: layer i evaluates terms 2
 * and 4 offline, so its error includes the offline approximation's.
 */
export function sweepTau(searches: readonly LayerSearch[], sp: SearchParams, outputProxy?: ChoiceProxy, offline: readonly boolean[] = []): NetworkQuantization {
  if (searches.length === 0) die('DNA-TEQ: the network has no conv/fc/matmul layer to quantize');
  const measured = new Map<string, number>();
  const proxy: ChoiceProxy | undefined = outputProxy
    ? (layers) => {
        const key = layers.map((l) => l.chosen.bits).join(',');
        let v = measured.get(key);
        if (v === undefined) measured.set(key, (v = outputProxy(layers)));
        return v;
      }
    : undefined;
  const at = new Map<number, ReturnType<typeof choose>>();
  const eval_ = (tau: number) => {
    let r = at.get(tau);
    if (!r) at.set(tau, (r = choose(searches, tau, sp, offline, proxy)));
    return r;
  };
  if (sp.tauA !== undefined) {
    const r = eval_(sp.tauA);
    return { tauA: sp.tauA, tauAGiven: true, proxy: r.proxy, overBudget: r.proxy > sp.proxyBudget, tried: [sp.tauA], layers: r.layers };
  }
  const loop = tauLoop(sp.tauStart, sp.tauStep, sp.tauMax, sp.proxyBudget, (tau) => eval_(tau).proxy);
  const best = eval_(loop.tau);
  return { tauA: Number(loop.tau.toFixed(6)), tauAGiven: false, proxy: best.proxy, overBudget: loop.overBudget, tried: loop.tried, layers: best.layers };
}

/** One τ step of the calibration: the per-layer proxy and the end-to-end loss of the same choices. */
export interface CalibrationStep {
  tau: number;
  averageBits: number;
  layerProxy: number;
  endToEndLoss: number;
}

/**
 * Calibrate the per-layer proxy's budget against an end-to-end loss (§III-B's procedure run on a
 * network that can be run): the τ loop with the end-to-end loss and its budget (`lossBudget`),
 * then the per-layer proxy (layers evaluated exactly, as the end-to-end forward pass does) at the
 * τ_a it settles on is the budget that makes the per-layer sweep stop at the same step.
 */
export function calibrateProxyBudget(searches: readonly LayerSearch[], sp: SearchParams, endToEndLoss: ChoiceProxy, lossBudget: number): { tauA: number; proxyBudget: number; overBudget: boolean; steps: CalibrationStep[] } {
  const steps: CalibrationStep[] = [];
  const memo = new Map<string, number>();
  const stepAt = (tau: number): CalibrationStep => {
    const r = choose(searches, tau, sp, []);
    const key = r.layers.map((l) => l.chosen.bits).join(',');
    let loss = memo.get(key);
    if (loss === undefined) memo.set(key, (loss = endToEndLoss(r.layers)));
    const s = { tau, averageBits: r.layers.reduce((a, l) => a + l.chosen.bits, 0) / r.layers.length, layerProxy: r.proxy, endToEndLoss: loss };
    steps.push(s);
    return s;
  };
  const loop = tauLoop(sp.tauStart, sp.tauStep, sp.tauMax, lossBudget, (tau) => stepAt(tau).endToEndLoss);
  return { tauA: loop.tau, proxyBudget: steps.find((s) => s.tau === loop.tau)!.layerProxy, overBudget: loop.overBudget, steps };
}
