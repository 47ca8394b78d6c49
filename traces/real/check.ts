/**
 * Consistency checks of a real trace against its network config: every tensor has the shape the
 * layer implies, and the recorded outputs are what the recorded weights do to the recorded
 * activations (a direct convolution at sampled positions, in double precision). Together they
 * catch layout mistakes (NHWC vs NCHW, HWIO vs OIHW) that a descriptor comparison cannot see.
 */
import seedrandom from 'seedrandom';
import { die } from '../../sim/errors.ts';
import type { Layer, Network } from '../../sim/workload.ts';
import type { LayerTrace, Tensor, Trace } from '../../sim/trace.ts';

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Shapes each tensor of a conv/fc layer trace must have for a batch of `n`. */
export function expectedShapes(l: Layer, n: number): { weights: number[]; activations: number[]; outputs: number[] } {
  if (l.kind === 'fc') return { weights: [l.M, l.C], activations: [n, l.C], outputs: [n, l.M] };
  return { weights: [l.M, l.C / l.groups, l.R, l.S], activations: [n, l.C, l.H, l.W], outputs: [n, l.M, l.P, l.Q] };
}

/** Die naming the first layer whose tensors do not fit the network; returns the batch size. */
export function checkTraceShapes(trace: Trace, network: Network): number {
  let batch: number | undefined;
  for (const lt of trace.layers.values()) {
    const l = network.layers.find((x) => x.name === lt.layer) ?? die(`trace layer "${lt.layer}" is not in network "${network.name}"`, trace.dir);
    if (l.kind !== 'conv' && l.kind !== 'fc') die(`trace layer "${lt.layer}" is a ${l.kind} layer; only conv and fc layers carry tensors`, trace.dir);
    const n = lt.activations?.shape[0] ?? die(`trace layer "${lt.layer}" has no activations`, trace.dir);
    batch ??= n;
    if (n !== batch) die(`trace layer "${lt.layer}" has a batch of ${n}, other layers ${batch}`, trace.dir);
    const want = expectedShapes(l, n);
    for (const key of ['weights', 'activations', 'outputs'] as const) {
      const t = lt[key] ?? die(`trace layer "${lt.layer}" has no ${key}`, trace.dir);
      if (!same(t.shape, want[key])) die(`trace layer "${lt.layer}" ${key} have shape [${t.shape}], network "${network.name}" implies [${want[key]}]`, trace.dir);
    }
  }
  return batch ?? 0;
}

/**
 * Largest |recomputed − recorded| over `samples` output positions drawn with a seeded generator,
 * relative to the largest |recorded output| of the layer.
 */
export function outputMismatch(lt: LayerTrace, l: Layer, bias: Tensor | undefined, samples: number, seed = 1): number {
  const w = lt.weights!;
  const x = lt.activations!;
  const y = lt.outputs!;
  const rng = seedrandom(String(seed));
  let scale = 0;
  for (const v of y.data) scale = Math.max(scale, Math.abs(v));
  const cg = l.C / l.groups;
  const mg = l.M / l.groups;
  let worst = 0;
  for (let k = 0; k < samples; k++) {
    const idx = Math.floor(rng() * y.data.length);
    let sum: number;
    if (l.kind === 'fc') {
      const n = Math.floor(idx / l.M);
      const m = idx % l.M;
      sum = bias ? bias.data[m]! : 0;
      for (let c = 0; c < l.C; c++) sum += w.data[m * l.C + c]! * x.data[n * l.C + c]!;
    } else {
      const q = idx % l.Q;
      const p = Math.floor(idx / l.Q) % l.P;
      const m = Math.floor(idx / (l.Q * l.P)) % l.M;
      const n = Math.floor(idx / (l.Q * l.P * l.M));
      const g = Math.floor(m / mg);
      sum = bias ? bias.data[m]! : 0;
      for (let c = 0; c < cg; c++) {
        const ci = g * cg + c;
        for (let r = 0; r < l.R; r++) {
          const h = p * l.strideH - l.padH + r * l.dilationH;
          if (h < 0 || h >= l.H) continue;
          for (let s = 0; s < l.S; s++) {
            const wc = q * l.strideW - l.padW + s * l.dilationW;
            if (wc < 0 || wc >= l.W) continue;
            sum += w.data[((m * cg + c) * l.R + r) * l.S + s]! * x.data[((n * l.C + ci) * l.H + h) * l.W + wc]!;
          }
        }
      }
    }
    worst = Math.max(worst, Math.abs(sum - y.data[idx]!));
  }
  return scale > 0 ? worst / scale : worst;
}
