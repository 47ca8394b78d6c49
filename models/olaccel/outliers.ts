/**
 * Outlier selection for the OLAccel-style comparison point (Park, Kim, Yoo, ISCA 2018): the
 * largest-magnitude `fraction` of a tensor are outliers kept at high precision, the rest are
 * quantized to low precision. Pure; activation outliers come from the trace, per input,, so how many MACs
 * they feed depends on where they sit in the map (edges feed fewer MACs).
 */
import { die } from '../../sim/errors.ts';
import type { Tensor } from '../../sim/trace.ts';
import type { Layer } from '../../sim/workload.ts';
import { macs } from '../../sim/workload.ts';
import { usesPerInput } from '../drq/region-macs.ts';

/** Indices of the `round(fraction × size)` largest |x| (ties broken by position), largest first. */
export function outlierIndices(data: Float32Array, fraction: number): Uint32Array {
  if (!(fraction >= 0 && fraction <= 1)) die(`outlier fraction must be in [0, 1], got ${fraction}`);
  const take = Math.round(fraction * data.length);
  if (take === 0) return new Uint32Array(0);
  // The take-th largest magnitude from a native numeric sort; then one pass picks everything above
  // it and, in position order, as many ties as still fit (a comparator sort of all indices is 10× slower).
  const abs = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) abs[i] = Math.abs(data[i]!);
  const cut = abs.slice().sort()[data.length - take]!;
  let above = 0;
  for (let i = 0; i < abs.length; i++) if (abs[i]! > cut) above++;
  let ties = take - above;
  const picked: number[] = [];
  for (let i = 0; i < abs.length; i++) {
    if (abs[i]! > cut) picked.push(i);
    else if (abs[i] === cut && ties > 0) {
      picked.push(i);
      ties--;
    }
  }
  picked.sort((a, b) => abs[b]! - abs[a]! || a - b);
  return Uint32Array.from(picked);
}

/**
 * Activation outliers of a batch, selected in each input on its own (the top `fraction` of that
 * input's values; causal, like DRQ's calibrated predictor): indices into the whole batch.
 */
export function outlierIndicesPerInput(data: Float32Array, inputs: number, fraction: number): Uint32Array {
  const per = data.length / Math.max(1, inputs);
  const parts: Uint32Array[] = [];
  for (let n = 0; n < inputs; n++) parts.push(outlierIndices(data.subarray(n * per, (n + 1) * per), fraction).map((i) => i + n * per));
  const out = new Uint32Array(parts.reduce((a, x) => a + x.length, 0));
  let k = 0;
  for (const x of parts) {
    out.set(x, k);
    k += x.length;
  }
  return out;
}

/**
 * MACs of one image of the layer that read an outlier activation, for each input of the trace
 * (outliers selected in each input on its own): where they sit decides how many MACs they feed.
 */
export function outlierActivationMacsPerInput(layer: Layer, act: Tensor | undefined, fraction: number): Float64Array {
  if (!act) return die(`layer ${layer.name}: the trace has no input activations, which the outlier-aware model needs`);
  const N = act.shape[0]!;
  const idx = outlierIndicesPerInput(act.data, N, fraction);
  const out = new Float64Array(N);
  const perInput = act.data.length / Math.max(1, N);
  if (layer.kind === 'fc' || act.shape.length === 2) {
    if (act.data.length !== N * layer.C * layer.H * layer.W) die(`layer ${layer.name}: activation trace shape [${act.shape.join(', ')}] does not match the layer input`);
    for (const i of idx) out[Math.floor(i / perInput)]! += macs(layer) / layer.N / (layer.C * layer.H * layer.W);
    return out;
  }
  if (act.shape.length !== 4 || act.shape[1] !== layer.C || act.shape[2] !== layer.H || act.shape[3] !== layer.W) {
    die(`layer ${layer.name}: activation trace shape [${act.shape.join(', ')}] does not match the layer input [N, ${layer.C}, ${layer.H}, ${layer.W}]`);
  }
  const useH = usesPerInput(layer.H, layer.P, layer.R, layer.strideH, layer.dilationH, layer.padH);
  const useW = usesPerInput(layer.W, layer.Q, layer.S, layer.strideW, layer.dilationW, layer.padW);
  const HW = layer.H * layer.W;
  const filters = layer.M / layer.groups;
  for (const i of idx) {
    const hw = i % HW;
    out[Math.floor(i / perInput)]! += useH[Math.floor(hw / layer.W)]! * useW[hw % layer.W]! * filters;
  }
  return out;
}

/**
 * Expected extra cycles per SIMD step when `lanes` MACs share one outlier-weight MAC: a step with
 * k outlier weights needs k cycles on that unit, so E[max(0, k − 1)] with k ~ Binomial(lanes, f)
 * = lanes·f − 1 + (1 − f)^lanes. Weights are static; an exact count needs the weight layout.
 */
export function expectedWeightOutlierStall(lanes: number, fraction: number): number {
  return lanes * fraction - 1 + Math.pow(1 - fraction, lanes);
}
