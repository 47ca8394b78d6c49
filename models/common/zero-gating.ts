/**
 * Zero gating of the Eyeriss PE (Chen et al., JSSC 2017, PE section, "data gating"): the PE records which
 * ifmap values are zero and, for those, skips the filter-spad read and the MAC. The chip gates
 * energy, not time: the cycle stays in the schedule, so cycles do not change.
 *
 * The shared rule (datapath.skipZeroActivations; the Eyeriss-like array, DNA-TEQ and the systolic
 * array): pairs whose activation is exactly zero are not processed (no MAC energy, no operand read). The fraction is over MAC
 * pairs, not input values: each input value counts as many times as the layer's MACs read it
 * (edge rows and columns fewer times under padding and stride), and taps on padding read zeros.
 */
import { derivedFrom, type LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import type { Layer } from '../../sim/workload.ts';

/** How many output positions × taps read input row h (0..H-1) along one axis. */
function usesAlong(inLen: number, outLen: number, taps: number, stride: number, dilation: number, pad: number): Float64Array {
  const uses = new Float64Array(inLen);
  for (let o = 0; o < outLen; o++) {
    for (let t = 0; t < taps; t++) {
      const i = o * stride + t * dilation - pad;
      if (i >= 0 && i < inLen) uses[i]!++;
    }
  }
  return uses;
}

/** Share of the layer's MAC pairs whose input activation is exactly zero (padding included), from the trace's inputs. */
export function zeroPairFraction(layer: Layer, data: Float32Array, shape: readonly number[]): number {
  const spatial = shape.length === 4 && shape[2] === layer.H && shape[3] === layer.W;
  const H = spatial ? layer.H : 1;
  const W = spatial ? layer.W : 1;
  const rows = spatial ? usesAlong(H, layer.P, layer.R, layer.strideH, layer.dilationH, layer.padH) : Float64Array.of(1);
  const cols = spatial ? usesAlong(W, layer.Q, layer.S, layer.strideW, layer.dilationW, layer.padW) : Float64Array.of(1);
  const plane = H * W;
  const planes = Math.floor(data.length / plane);
  if (planes === 0) return 0;
  let nonzero = 0;
  for (let k = 0; k < planes; k++) {
    const base = k * plane;
    for (let h = 0; h < H; h++) {
      const rh = rows[h]!;
      if (rh === 0) continue;
      for (let w = 0; w < W; w++) if (data[base + h * W + w] !== 0) nonzero += rh * cols[w]!;
    }
  }
  // Every plane (image × channel) is read by P·R·Q·S (output, tap) pairs, padding taps included.
  const pairsPerPlane = spatial ? layer.P * layer.R * layer.Q * layer.S : 1;
  return 1 - nonzero / (planes * pairsPerPlane);
}

/** The zero-pair fraction of a layer from its trace; one line naming the config when there is no trace. */
export function zeroActivationFraction(layer: Layer, trace: LayerTrace | undefined, file: string | undefined): number {
  const act = trace?.activations;
  if (!act) return die(`layer "${layer.name}": datapath.skipZeroActivations needs the layer's input activations: give a trace (--trace DIR or --trace synth)`, file, '/datapath/skipZeroActivations');
  return derivedFrom(act, `zero-pairs:${JSON.stringify([layer.H, layer.W, layer.P, layer.Q, layer.R, layer.S, layer.strideH, layer.strideW, layer.dilationH, layer.dilationW, layer.padH, layer.padW])}`, () => zeroPairFraction(layer, act.data, act.shape));
}
