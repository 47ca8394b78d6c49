/**
 * Consistency checks of a real trace against its network config: every tensor has the shape the
 * layer implies (the rules of traces/format.ts), and the recorded outputs are what the recorded
 * weights do to the recorded activations (a direct convolution at sampled positions, in double
 * precision). Together they catch layout mistakes (NHWC vs NCHW, HWIO vs OIHW) that comparing
 * descriptors cannot see.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { die } from '../../sim/errors.ts';
import type { Layer, Network } from '../../sim/workload.ts';
import type { DType, LayerTrace, Trace } from '../../sim/trace.ts';
import type { LayerFacts } from './stats.ts';
import { checkLayerTensor, TENSOR_ROLES } from '../format.ts';

/**
 * Check every layer of a trace against the network with the trace format's own rules
 * (PyTorch-layout shapes, finite values, conv/fc layers only); returns the batch size.
 */
export function checkTraceShapes(trace: Trace, network: Network): number {
  let batch: number | undefined;
  const where = trace.dir ?? `trace of ${trace.network}`;
  for (const lt of trace.layers.values()) {
    const l = network.layers.find((x) => x.name === lt.layer) ?? die(`trace layer "${lt.layer}" is not in network "${network.name}"`, where);
    for (const role of TENSOR_ROLES) {
      const t = lt[role] ?? die(`trace layer "${lt.layer}" has no ${role}`, where);
      checkLayerTensor(l, role, t, where);
    }
    const n = lt.activations!.shape[0]!;
    batch ??= n;
    if (n !== batch || lt.outputs!.shape[0] !== batch) die(`trace layer "${lt.layer}" has a batch of ${n}, other layers ${batch}`, where);
  }
  return batch ?? 0;
}

/**
 * Largest |recomputed − recorded| over `samples` output positions drawn with a seeded generator,
 * relative to the largest |recorded output| of the layer.
 */
export function outputMismatch(lt: LayerTrace, l: Layer, bias: Float32Array | undefined, samples: number, seed = 1): number {
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
      sum = bias ? bias[m]! : 0;
      for (let c = 0; c < l.C; c++) sum += w.data[m * l.C + c]! * x.data[n * l.C + c]!;
    } else {
      const q = idx % l.Q;
      const p = Math.floor(idx / l.Q) % l.P;
      const m = Math.floor(idx / (l.Q * l.P)) % l.M;
      const n = Math.floor(idx / (l.Q * l.P * l.M));
      const g = Math.floor(m / mg);
      sum = bias ? bias[m]! : 0;
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

/** The folded conv biases a real trace keeps in its generator parameters. */
export function traceBiases(trace: Trace): Map<string, Float32Array> {
  const bias = trace.parameters?.['bias'];
  if (typeof bias !== 'object' || bias === null) return die('trace has no folded biases (generator parameters "bias")', trace.dir, '/generator/parameters/bias');
  return new Map(Object.entries(bias as Record<string, number[]>).map(([layer, values]) => [layer, Float32Array.from(values)]));
}

/** Largest accepted |conv(activations, weights) + bias − outputs| relative to max |outputs| (float32 sums). */
export const OUTPUT_TOLERANCE = 1e-5;

/** How a real trace is written (both generators). */
export interface WriteOptions {
  /** Trace folder to write (default .cache/traces/NETWORK); replaced if it holds a trace. */
  readonly out?: string;
  /** Stored dtype (default float32; float16 halves the size). */
  readonly dtype?: Extract<DType, 'float32' | 'float16'>;
  /** Output positions per layer recomputed from the stored weights and activations (default 256). */
  readonly checkSamples?: number;
  /** Write into a folder holding other files (only quantsim's files are added; docs/hardening.md). */
  readonly force?: boolean;
}

/** What writing a real trace reports (both generators). */
export interface WrittenTrace {
  readonly dir: string;
  /** Worst relative mismatch of recomputed vs recorded outputs over all layers. */
  readonly maxOutputMismatch: number;
  readonly facts: readonly LayerFacts[];
  readonly bytes: number;
}

/** Bytes of the files in a trace folder. */
export const folderBytes = (dir: string) => readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
