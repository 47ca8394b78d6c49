/**
 * Seeded synthetic traces, labelled `source: "synthetic"` with the generator name and every
 * parameter, for when no real trace is at hand. They are shaped after what trained CNNs show
 * (see shared/reference/real-traces.md for the face-api measurements):
 * - Weights: Laplace (heavy-tailed) values with spread ∝ 1/sqrt(fan-in) (He et al., ICCV 2015),
 *   a log-normal scale per output channel, and a small fraction of exact zeros.
 * - Activations (a layer's *input*): per input and channel a smooth field — Gaussian blobs of a
 *   few sizes plus straight step edges shared across channels (object boundaries), a little
 *   texture — so neighbouring values are correlated and regions differ, as region-based schemes
 *   (DRQ) assume. The field is standardized and mapped through the normal CDF (a Gaussian
 *   copula) to the marginal a ReLU output has: exact zeros with a per-layer fraction (30–60% by
 *   default, per channel ± a spread) and an exponential tail. Inputs of layers fed by a layer
 *   without ReLU get a Laplace marginal; the network input is a signed, normalized image-like field.
 * Every tensor draws from its own seedrandom stream keyed by seed, layer, role and input index,
 * so the same seed gives the same bytes, and a batch of 1 is the first input of a batch of 4.
 * Sequences (Transformer): an fc over P tokens holds P rows per input ([N·P, C]); a matmul gets
 * both operands — the left one as its activations ([N·P, C]: softmax rows per head when it is fed
 * by another matmul, i.e. the attention probabilities), the right one (K or V, a Laplace marginal)
 * in the weights' place as [N, M, C/groups].
 */
import seedrandom from 'seedrandom';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DIR, ROOT, loadConfig } from '../sim/config.ts';
import { die } from '../sim/errors.ts';
import { cachedTensor } from '../sim/disk-cache.ts';
import { setTensorRecipe, type LayerTrace, type Tensor, type Trace } from '../sim/trace.ts';
import type { Layer, Network } from '../sim/workload.ts';

export const SYNTHETIC_GENERATOR = 'quantsim-synthetic-v1';
export const DEFAULT_SYNTHETIC_PARAMETERS = join(CONFIG_DIR, 'traces', 'synthetic.json');

/** Generator parameters; configs/traces/synthetic.json holds the defaults (schema synthetic-trace). */
export interface SyntheticParameters {
  readonly batch: number;
  readonly weights: {
    readonly distribution: 'laplace' | 'normal';
    readonly gain: number;
    readonly channelSpread: number;
    readonly zeroFraction: number;
  };
  readonly activations: {
    readonly zeroFraction: readonly [number, number];
    readonly channelZeroSpread: number;
    readonly channelScaleSpread: number;
    readonly meanNonZero: number;
    readonly blobs: number;
    readonly blobSize: readonly [number, number];
    readonly edges: number;
    readonly edgeStrength: number;
    readonly sharedFraction: number;
    readonly noise: number;
  };
  readonly input: { readonly sharedFraction: number; readonly noise: number };
}

/** Load generator parameters (default: configs/traces/synthetic.json), validated, `extends` followed. */
export function loadSyntheticParameters(file = DEFAULT_SYNTHETIC_PARAMETERS): SyntheticParameters {
  const { $schema: _s, description: _d, ...p } = loadConfig<SyntheticParameters & { $schema?: string; description?: string }>(file, 'synthetic-trace');
  return p;
}

export interface SyntheticOptions {
  seed: number;
  /** Inputs per activation tensor (overrides the parameters' batch). */
  batch?: number;
  /** Only these layers (default: every layer with weights: conv, depthwise, fc). */
  layers?: readonly string[];
  /** Default: loadSyntheticParameters(). */
  parameters?: SyntheticParameters;
}

type Rng = seedrandom.PRNG;
const streamRng = (seed: number, ...key: (string | number)[]): Rng => seedrandom.alea(`quantsim-synthetic:${seed}:${key.join(':')}`);

/** A standard normal draw (Box–Muller; two uniforms per draw, used only for per-channel parameters). */
function gauss(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** P(Z > z) for a standard normal, always > 0 (the A&S 7.1.26 erfc form, no cancellation in the tail). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * erfc : 1 - 0.5 * erfc;
}

const hasWeights = (l: Layer) => l.kind === 'conv' || l.kind === 'depthwise' || l.kind === 'fc';
/** Layers a trace holds: those with weights, and matmuls (both operands are activations). */
const traced = (l: Layer) => hasWeights(l) || l.kind === 'matmul';

/** Weights [M, C/groups, R, S] (fc: [M, C]) in PyTorch layout. */
export function syntheticWeights(layer: Layer, p: SyntheticParameters['weights'], seed: number): Tensor {
  const cg = layer.C / layer.groups;
  const perM = cg * layer.R * layer.S;
  const shape = layer.kind === 'fc' ? [layer.M, layer.C] : [layer.M, cg, layer.R, layer.S];
  const data = new Float32Array(layer.M * perM);
  const rng = streamRng(seed, layer.name, 'weights');
  // Same standard deviation for both shapes: sqrt(2) · gain / sqrt(fan-in) (He initialization at gain 1).
  const b = p.gain / Math.sqrt(perM);
  const zf = p.zeroFraction;
  const twoOverKeep = 2 / (1 - zf);
  const laplace = p.distribution === 'laplace';
  for (let m = 0; m < layer.M; m++) {
    const scale = b * Math.exp(p.channelSpread * gauss(rng) - (p.channelSpread * p.channelSpread) / 2);
    const end = (m + 1) * perM;
    for (let k = m * perM; k < end; k++) {
      const u = rng();
      if (u < zf) continue;
      // v2 = 2·v with v uniform on (0, 1): the inverse Laplace CDF without a division per value.
      const v2 = (u - zf) * twoOverKeep || 2 ** -40;
      if (laplace) data[k] = v2 < 1 ? scale * Math.log(v2) : -scale * Math.log(2 - v2 || 2 ** -40);
      else data[k] = Math.SQRT2 * scale * Math.sqrt(-2 * Math.log(v2 / 2)) * Math.cos(2 * Math.PI * rng());
    }
  }
  return { shape, data, dtype: 'float32' };
}

/** What feeds a layer: the network input, a ReLU, or a layer without ReLU (pools are looked through). */
export function producerOf(layer: Layer, network: Network): 'image' | 'relu' | 'signed' {
  const byName = new Map(network.layers.map((l) => [l.name, l]));
  let p = layer.inputs[0] === undefined ? undefined : byName.get(layer.inputs[0]);
  while (p && p.kind === 'pool') p = p.inputs[0] === undefined ? undefined : byName.get(p.inputs[0]);
  return !p ? 'image' : p.relu ? 'relu' : 'signed';
}

/** Subtract the mean and divide by the standard deviation (a constant field becomes all zeros). */
function standardize(f: Float32Array): void {
  let s = 0;
  let s2 = 0;
  for (let k = 0; k < f.length; k++) {
    s += f[k]!;
    s2 += f[k]! * f[k]!;
  }
  const mean = s / f.length;
  const sd = Math.sqrt(Math.max(0, s2 / f.length - mean * mean));
  const inv = sd > 1e-12 ? 1 / sd : 0;
  for (let k = 0; k < f.length; k++) f[k] = (f[k]! - mean) * inv;
}

/** Add `count` Gaussian blobs (separable: one row and one column profile each) to an H×W field. */
function addBlobs(f: Float32Array, H: number, W: number, count: number, size: readonly [number, number], rng: Rng): void {
  const side = Math.max(H, W);
  const gh = new Float32Array(H);
  const gw = new Float32Array(W);
  for (let k = 0; k < count; k++) {
    const hc = rng() * H;
    const wc = rng() * W;
    const sigma = Math.max(0.5, side * (size[0] + (size[1] - size[0]) * rng()));
    const amp = gauss(rng);
    const inv = 1 / (2 * sigma * sigma);
    for (let h = 0; h < H; h++) gh[h] = amp * Math.exp(-((h - hc) ** 2) * inv);
    for (let w = 0; w < W; w++) gw[w] = Math.exp(-((w - wc) ** 2) * inv);
    for (let h = 0; h < H; h++) {
      const a = gh[h]!;
      const row = h * W;
      for (let w = 0; w < W; w++) f[row + w]! += a * gw[w]!;
    }
  }
}

/** Add `count` straight step edges (random line through the map, random height) to an H×W field. */
function addEdges(f: Float32Array, H: number, W: number, count: number, strength: number, rng: Rng): void {
  for (let k = 0; k < count; k++) {
    const h0 = rng() * H;
    const w0 = rng() * W;
    const theta = 2 * Math.PI * rng();
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    const step = strength * gauss(rng);
    for (let h = 0; h < H; h++) {
      const row = h * W;
      const dh = (h - h0) * c;
      for (let w = 0; w < W; w++) f[row + w]! += dh + (w - w0) * s > 0 ? step : -step;
    }
  }
}

/** Input activations [N, C, H, W] (fc: [N, C]) in PyTorch layout; see the module comment. */
export function syntheticActivations(layer: Layer, network: Network, p: SyntheticParameters, seed: number, batch: number): Tensor {
  const a = p.activations;
  const kind = producerOf(layer, network);
  const { C } = layer;
  // fc and matmul: one row per token (P·Q per input; 1 for a CNN's fc).
  const fc = layer.kind === 'fc' || layer.kind === 'matmul';
  const H = fc ? 1 : layer.H;
  const W = fc ? 1 : layer.W;
  const plane = H * W;
  const rows = fc ? batch * layer.H * layer.W : batch;
  const shape = fc ? [rows, C] : [batch, C, H, W];
  const data = new Float32Array(rows * C * plane);
  // Per layer and channel, independent of the batch: zero fraction and magnitude.
  const lr = streamRng(seed, layer.name, 'layer');
  const layerZero = a.zeroFraction[0] + (a.zeroFraction[1] - a.zeroFraction[0]) * lr();
  const zeroC = new Float64Array(C);
  const scaleC = new Float64Array(C);
  const signC = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    zeroC[c] = Math.min(0.98, Math.max(0.02, layerZero + a.channelZeroSpread * (2 * lr() - 1)));
    scaleC[c] = a.meanNonZero * Math.exp(a.channelScaleSpread * gauss(lr) - (a.channelScaleSpread * a.channelScaleSpread) / 2);
    signC[c] = kind === 'image' || lr() < 0.5 ? 1 : -1;
  }
  const rho = kind === 'image' ? p.input.sharedFraction : a.sharedFraction;
  const noise = (kind === 'image' ? p.input.noise : a.noise) * Math.sqrt(12);
  // Uniform on [−noise/2, noise/2) in 256 steps: variance noise²/12 · (1 − 1/256²), i.e. std ≈ the parameter.
  const noiseStep = noise / 256;
  const noiseHalf = noise / 2;
  const own = Math.sqrt(1 - rho * rho);
  const shared = new Float32Array(plane);
  const field = new Float32Array(plane);
  for (let n = 0; n < rows; n++) {
    const rng = streamRng(seed, layer.name, 'activations', n);
    shared.fill(0);
    if (plane > 1) {
      addBlobs(shared, H, W, a.blobs, a.blobSize, rng);
      addEdges(shared, H, W, a.edges, a.edgeStrength, rng);
      standardize(shared);
    }
    for (let c = 0; c < C; c++) {
      const out = (n * C + c) * plane;
      if (plane === 1) {
        // No spatial structure to keep (fc, or a 1×1 map): draw the marginal directly from a uniform.
        const q = 1 - rng();
        data[out] = valueAt(kind === 'relu', q, zeroC[c]!, scaleC[c]!);
        continue;
      }
      field.fill(0);
      addBlobs(field, H, W, a.blobs, a.blobSize, rng);
      standardize(field);
      const sc = rho * signC[c]!;
      // Texture needs little resolution: four 8-bit uniforms per 32-bit draw (a quarter of the calls).
      let bits = 0;
      for (let k = 0; k < plane; k++) {
        if ((k & 3) === 0) bits = rng.int32();
        field[k] = sc * shared[k]! + own * field[k]! + noiseStep * ((bits >>> ((k & 3) << 3)) & 0xff) - noiseHalf;
      }
      standardize(field);
      if (kind === 'image') data.set(field, out);
      else for (let k = 0; k < plane; k++) data[out + k] = valueAt(kind === 'relu', normalTail(field[k]!), zeroC[c]!, scaleC[c]!);
    }
  }
  if (layer.kind === 'matmul' && kind === 'signed' && feedsFromMatmul(layer, network)) softmaxRows(data, C / layer.groups);
  return { shape, data, dtype: 'float32' };
}

/** True when the layer's first input is a matmul (attention context: its input is softmax(scores)). */
function feedsFromMatmul(layer: Layer, network: Network): boolean {
  return network.layers.find((l) => l.name === layer.inputs[0])?.kind === 'matmul';
}

/** Softmax over every run of `size` values (one head's keys of one query token). */
function softmaxRows(data: Float32Array, size: number): void {
  for (let s = 0; s < data.length; s += size) {
    let max = -Infinity;
    for (let k = s; k < s + size; k++) max = Math.max(max, data[k]!);
    let sum = 0;
    for (let k = s; k < s + size; k++) sum += data[k] = Math.exp(data[k]! - max);
    for (let k = s; k < s + size; k++) data[k]! /= sum;
  }
}

/** A matmul's right operand (K or V) in the weights' place, [N, M, C/groups]: a signed Laplace marginal per input. */
export function syntheticRightOperand(layer: Layer, p: SyntheticParameters, seed: number, batch: number): Tensor {
  const per = (layer.M * layer.C) / layer.groups;
  const data = new Float32Array(batch * per);
  for (let n = 0; n < batch; n++) {
    const rng = streamRng(seed, layer.name, 'right', n);
    for (let k = n * per; k < (n + 1) * per; k++) data[k] = valueAt(false, 1 - rng(), 0, p.activations.meanNonZero);
  }
  return { shape: [batch, layer.M, layer.C / layer.groups], data, dtype: 'float32' };
}

/**
 * The marginal from an upper-tail probability q = P(Z > z): after ReLU, zero when q > 1 − zero
 * fraction, else an exponential tail; without ReLU a Laplace value (positive above the median).
 */
function valueAt(relu: boolean, q: number, zero: number, scale: number): number {
  if (relu) return q >= 1 - zero ? 0 : -scale * Math.log(Math.max(q, 1e-300) / (1 - zero));
  return q < 0.5 ? -scale * Math.log(2 * Math.max(q, 1e-300)) : scale * Math.log(2 * (1 - q) || 1e-300);
}

/** Synthetic tensors drawn in this process, not read from the disk cache (tests and benchmarks check that warm runs draw none). */
export const SYNTHETIC_DRAWS = { weights: 0, activations: 0 };

let code: Buffer | undefined;
/** This generator's source: part of every recipe, so an edited generator never reuses old cache entries. */
function generatorCode(): Buffer {
  return (code ??= readFileSync(join(ROOT, 'traces', 'synthetic.ts')));
}

/** Largest synthetic tensor: 2^28 float32 values = 1 GiB. */
export const MAX_TENSOR_VALUES = 2 ** 28;

/**
 * A seeded synthetic trace of a network: weights and input activations of every conv,
 * depthwise and fc layer, and both operands of every matmul (or of `options.layers`), labelled
 * `source: "synthetic"`.
 */
export function generateSyntheticTrace(network: Network, options: SyntheticOptions): Trace {
  const { seed } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) die(`seed must be a non-negative integer, got ${seed}`);
  const parameters = options.parameters ?? loadSyntheticParameters();
  const batch = options.batch ?? parameters.batch;
  if (!Number.isInteger(batch) || batch < 1) die(`batch must be an integer >= 1, got ${batch}`);
  const wanted = options.layers ? new Set(options.layers) : undefined;
  if (wanted) for (const n of wanted) if (!network.layers.some((l) => l.name === n)) die(`no layer "${n}" in network ${network.name}`);
  const layers = new Map<string, LayerTrace>();
  // What decides every tensor's bytes, for the recipe keys of the disk cache (sim/trace.ts): this
  // generator's code, its parameters, the seed, the batch and the network (activations depend on the layers before).
  const recipeBase = createHash('sha256')
    .update(generatorCode())
    .update(JSON.stringify([SYNTHETIC_GENERATOR, parameters, seed, batch, network.layers]))
    .digest('hex');
  network.layers.forEach((layer, i) => {
    if (!traced(layer) || (wanted && !wanted.has(layer.name))) return;
    // Trace-driven schemes hold the tensors in memory: refuse absurd sizes before allocating.
    const tooBig = (what: string, values: number) => {
      if (values > MAX_TENSOR_VALUES) {
        die(`layer "${layer.name}": a synthetic trace would hold ${values} ${what} (limit ${MAX_TENSOR_VALUES} values per tensor, 1 GiB); use a scheme that needs no trace, or a smaller layer`, network.file, `/layers/${i}`);
      }
    };
    tooBig('input activations', batch * layer.C * layer.H * layer.W);
    // Weights are drawn on first read: they are most of the bytes (AlexNet: 61 M values against
    // 0.4 M activations per input) and schemes that look only at activations never pay for them.
    // Activations are drawn on first read too: a warm run whose offline steps come from the disk
    // cache (keyed by the recipes) reads none.
    // Both are also kept on disk by their recipe (sim/disk-cache.ts), so a later process reads them.
    let weights: Tensor | undefined;
    let activations: Tensor | undefined;
    const recipe = { weights: `${recipeBase}:${layer.name}:weights`, activations: `${recipeBase}:${layer.name}:activations` };
    const lt: LayerTrace = {
      layer: layer.name,
      get weights() {
        if (!weights) tooBig('weights', layer.M * (layer.C / layer.groups) * layer.R * layer.S);
        return (weights ??= cachedTensor(recipe.weights, () => {
          SYNTHETIC_DRAWS.weights++;
          return layer.kind === 'matmul' ? syntheticRightOperand(layer, parameters, seed, batch) : syntheticWeights(layer, parameters.weights, seed);
        }));
      },
      get activations() {
        return (activations ??= cachedTensor(recipe.activations, () => {
          SYNTHETIC_DRAWS.activations++;
          return syntheticActivations(layer, network, parameters, seed, batch);
        }));
      },
    };
    setTensorRecipe(lt, 'weights', recipe.weights);
    setTensorRecipe(lt, 'activations', recipe.activations);
    layers.set(layer.name, lt);
  });
  return {
    network: network.name,
    source: 'synthetic',
    generator: SYNTHETIC_GENERATOR,
    parameters: { ...parameters, batch },
    seed,
    layers,
  };
}
