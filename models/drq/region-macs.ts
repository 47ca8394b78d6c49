/**
 * How many of a layer's MACs read a sensitive input value: each input pixel (n, c, h, w) feeds
 * (M / groups) × uses(h) × uses(w) MACs, where uses(h) counts the (output row, filter row)
 * pairs that land on row h. A MAC on zero padding runs in the same step as the edge values next
 * to it, so it takes the precision of the region it borders (`clamp`), and an all-sensitive
 * mask gives exactly the all-high MAC count.
 * Pure and exact, so op-count mode and the tests agree with the array replay on totals.
 */
import { macs, type Layer } from '../../sim/workload.ts';
import type { RegionMask } from './sensitivity.ts';

/**
 * uses[i] = #{(o, k) : o·stride + k·dilation − pad = i, 0 ≤ o < out, 0 ≤ k < K}, for i in [0, size).
 * `skip`: positions in the padding count nowhere; `clamp`: they count at the nearest edge.
 */
export function usesPerInput(size: number, out: number, K: number, stride: number, dilation: number, pad: number, padding: 'skip' | 'clamp' = 'skip'): Float64Array {
  const uses = new Float64Array(size);
  for (let o = 0; o < out; o++) {
    for (let k = 0; k < K; k++) {
      const i = o * stride + k * dilation - pad;
      if (i >= 0 && i < size) uses[i]! += 1;
      else if (padding === 'clamp') uses[Math.min(size - 1, Math.max(0, i))]! += 1;
    }
  }
  return uses;
}

export interface MacSplit {
  /** MACs whose input value is in a sensitive region (high precision). */
  readonly highMacs: number;
  /** The rest (low precision). */
  readonly lowMacs: number;
}

/** Split a layer's MACs by the precision of the input value each one reads (the trace batch scaled to the layer's). */
export function splitMacs(layer: Layer, m: RegionMask): MacSplit {
  const total = macs(layer);
  const high = (highMacsPerInput(layer, m).reduce((a, b) => a + b, 0) * layer.N) / m.N;
  return { highMacs: high, lowMacs: total - high };
}

/** The MACs of one image of the layer that read a sensitive value, for each input of the mask. */
export function highMacsPerInput(layer: Layer, m: RegionMask): Float64Array {
  const out = new Float64Array(m.N);
  if (m.policy === 'fc-high') return out.fill(macs(layer) / layer.N);
  const perPixel = layer.M / layer.groups;
  if (layer.kind === 'fc') {
    // fc `channels` policy: a 1×C map, every input value feeds M MACs.
    for (let n = 0; n < m.N; n++) {
      for (let c = 0; c < layer.C; c++) if (m.mask[n * m.regionsW + Math.floor(c / m.regionSize)]) out[n]! += layer.M;
    }
    return out;
  }
  const useH = usesPerInput(layer.H, layer.P, layer.R, layer.strideH, layer.dilationH, layer.padH, 'clamp');
  const useW = usesPerInput(layer.W, layer.Q, layer.S, layer.strideW, layer.dilationW, layer.padW, 'clamp');
  // Uses summed over each region's rows and columns, so the sum runs over regions, not pixels.
  const rs = m.regionSize;
  const regionUse = (uses: Float64Array, count: number) =>
    Array.from({ length: count }, (_, r) => uses.subarray(r * rs, Math.min(uses.length, (r + 1) * rs)).reduce((a, b) => a + b, 0));
  const rowUse = regionUse(useH, m.regionsH);
  const colUse = regionUse(useW, m.regionsW);
  let i = 0;
  for (let n = 0; n < m.N; n++) {
    let high = 0;
    for (let c = 0; c < m.C; c++) {
      for (let rh = 0; rh < m.regionsH; rh++) {
        for (let rw = 0; rw < m.regionsW; rw++, i++) if (m.mask[i]) high += rowUse[rh]! * colUse[rw]!;
      }
    }
    out[n] = high * perPixel;
  }
  return out;
}
