/**
 * A small seeded synthetic trace for the layers of a network, used by DNA-TEQ's tests and
 * validation script while no trace folder is given. Weights: Laplace with He-like scale
 * (√(2 / fan-in)); activations: ReLU of a Laplace, so about half are exact zeros and the rest
 * decay exponentially — the shapes DNA-TEQ §III-A reports. Clearly labelled synthetic.
 */
import seedrandom from 'seedrandom';
import type { LayerTrace, Trace } from '../../sim/trace.ts';
import type { Layer, Network } from '../../sim/workload.ts';
import { hasDotProducts } from './operands.ts';

export interface SynthOptions {
  seed?: number;
  /** Inputs per activation tensor (default 1). */
  batch?: number;
  /** Activations are the input of the layer: non-negative (post-ReLU) unless this is the first layer. */
  signedFirstLayer?: boolean;
}

function laplace(rng: () => number, scale: number): number {
  const u = rng() - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

export function synthLayerTrace(layer: Layer, rng: () => number, signedInput: boolean, batch = 1): LayerTrace {
  const fanIn = (layer.C / layer.groups) * layer.R * layer.S;
  const wCount = layer.M * fanIn;
  const w = new Float32Array(wCount);
  const scale = Math.sqrt(2 / fanIn) / Math.SQRT2;
  for (let i = 0; i < wCount; i++) w[i] = laplace(rng, scale);
  const perInput = layer.C * layer.H * layer.W;
  const a = new Float32Array(batch * perInput);
  for (let i = 0; i < a.length; i++) {
    const v = laplace(rng, 1);
    a[i] = signedInput ? v : Math.max(0, v);
  }
  const wShape = layer.kind === 'fc' || layer.kind === 'matmul' ? [layer.M, layer.C] : [layer.M, layer.C / layer.groups, layer.R, layer.S];
  const aShape = layer.kind === 'fc' || layer.kind === 'matmul' ? [batch, perInput] : [batch, layer.C, layer.H, layer.W];
  return {
    layer: layer.name,
    weights: { shape: wShape, data: w, dtype: 'float32' },
    activations: { shape: aShape, data: a, dtype: 'float32' },
  };
}

export function synthTrace(network: Network, opt: SynthOptions = {}): Trace {
  const seed = opt.seed ?? 1;
  const layers = new Map<string, LayerTrace>();
  let first = true;
  for (const l of network.layers) {
    if (!hasDotProducts(l)) continue;
    const rng = seedrandom.alea(`dnateq-synth:${seed}:${l.name}`);
    layers.set(l.name, synthLayerTrace(l, rng, first && (opt.signedFirstLayer ?? true), opt.batch ?? 1));
    first = false;
  }
  return { network: network.name, source: 'synthetic', generator: `dnateq-local-synth (Laplace weights, ReLU(Laplace) activations), seed ${seed}`, seed, layers };
}
