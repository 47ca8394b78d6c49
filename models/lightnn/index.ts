/**
 * LightNN on the Eyeriss-like array: the PE's multiplier is replaced by a K-shift shift-add
 * unit, weights are stored in 4 (K = 1) or 8 (K = 2) bits; array, buffers and mapping are the
 * baseline's. Arch section: `"lightnn": { "K": 1 | 2 }`.
 *
 * Trace: not required. The hardware cost does not depend on weight values except through the
 * shifts a weight needs: with a trace, the layer's weights are quantized (seeded stochastic
 * rounding) and single-term/zero weights of K = 2 are charged without the idle shifter and adder;
 * without one every MAC is charged all K shifts (the worst case, said so in the layer details).
 */
import type { BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, LayerRun, Mode, Scheme } from '../../sim/scheme.ts';
import { tensorRecipe, tensorSize, type LayerTrace } from '../../sim/trace.ts';
import { weightCount, type Layer } from '../../sim/workload.ts';
import { die } from '../../sim/errors.ts';
import seedrandom from 'seedrandom';
import { EyerissAccelerator } from '../eyeriss/accelerator.ts';
import { eyeriss } from '../eyeriss/index.ts';
import { ShiftAddUnit } from './shift-add-unit.ts';
import { lightnnFormat, lightnnLayerExponent, roundLightnn, type LightnnFormat } from './quantizer.ts';
import { cachedFromTensor } from '../../sim/disk-cache.ts';

/** The code of the rounding (part of the disk cache's key). */
const ROUNDING_SOURCES = ['models/lightnn/quantizer.ts', 'models/lightnn/index.ts'];

/** The arch config's `lightnn` section, checked against the datapath it implies. */
export function lightnnSpec(arch: ArchConfig): LightnnFormat {
  const section = arch.lightnn as { K?: number } | undefined;
  if (section?.K === undefined) return die(`arch "${arch.name}": scheme lightnn needs a "lightnn": { "K": 1 | 2 } section`, undefined, '/lightnn');
  const f = lightnnFormat(section.K, '/lightnn/K');
  const d = arch.datapath;
  if (d.weightBits !== f.storageBits) {
    die(`arch "${arch.name}": LightNN-${f.K} stores weights in ${f.storageBits} bits, so datapath.weightBits must be ${f.storageBits}, got ${d.weightBits}`, undefined, '/datapath/weightBits');
  }
  if ((d.arithmetic ?? 'int') !== 'int') die(`arch "${arch.name}": LightNN shifts fixed-point activations; datapath.arithmetic must be "int"`, undefined, '/datapath/arithmetic');
  return f;
}

interface LayerTerms {
  exponent: number;
  histogram: readonly [number, number, number];
  clipped: number;
}

export class LightnnAccelerator implements Accelerator {
  private readonly inner: Accelerator;
  private unit!: ShiftAddUnit;
  readonly format: LightnnFormat;
  /** Drawn once from the run's generator: each layer rounds with its own stream derived from it. */
  private readonly streamSalt: number;

  constructor(ctx: BuildContext, arch: ArchConfig) {
    this.format = lightnnSpec(arch);
    this.streamSalt = ctx.rng();
    const d = arch.datapath;
    this.inner = new EyerissAccelerator(ctx, arch, (name, c, parent, _arch, instances) => {
      this.unit = new ShiftAddUnit(name, c, parent, { K: this.format.K, activationBits: d.activationBits, accumulatorBits: d.accumulatorBits ?? 32, instances });
      return this.unit;
    });
  }

  get root() {
    return this.inner.root;
  }

  get peakMacsPerCycle(): number {
    return this.inner.peakMacsPerCycle;
  }

  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun {
    this.unit.loadTermMix(undefined);
    const run = (this.inner as Accelerator).runLayer.bind(this.inner);
    if (weightCount(layer) === 0) return run(layer, mode, trace);
    let weightTerms: Record<string, number> | string = `worst case: all ${this.format.K} shift(s) per MAC (no trace)`;
    // A generated tensor (it has a recipe) has the layer's shape by construction and is not drawn
    // when its rounding comes from the disk cache; a loaded one is checked.
    if (trace && (tensorRecipe(trace, 'weights') !== undefined || trace.weights)) {
      const n = tensorRecipe(trace, 'weights') !== undefined ? weightCount(layer) : tensorSize(trace.weights!.shape);
      if (n !== weightCount(layer)) die(`trace weights of layer "${layer.name}" have ${n} elements, the layer has ${weightCount(layer)}`);
      const t = this.layerTerms(layer.name, trace);
      const [zero, one, two] = t.histogram;
      // Every weight of a conv/fc layer is used equally often (P·Q·N times), so the MAC mix is the weight mix.
      this.unit.loadTermMix({ zero: zero / n, one: one / n, two: two / n });
      weightTerms = { scaleExponent: t.exponent, zero, one, two, clipped: t.clipped };
    }
    const r = run(layer, mode, trace);
    return { ...r, details: { ...r.details, K: this.format.K, weightTerms } };
  }

  /**
   * Seeded stochastic rounding of one layer's weights. Each layer draws from its own stream
   * (run seed × layer name), so a layer's result does not depend on which layers ran before it.
   */
  private layerTerms(layerName: string, trace: LayerTrace): LayerTerms {
    const key = `lightnn:${this.format.K}:${this.streamSalt}:${layerName}`;
    return cachedFromTensor('lightnn', ROUNDING_SOURCES, key, trace, 'weights', (weights) => {
      // Float weights (not LightNN-trained) are first brought into the legal range by a free power-of-two scale.
      const exponent = lightnnLayerExponent(weights.data, this.format.K);
      // Alea: one draw per weight (25M on ResNet-50), 5× faster than seedrandom's default ARC4.
      const q = roundLightnn(weights.data, this.format.K, seedrandom.alea(key), 2 ** exponent);
      return { exponent, histogram: q.termHistogram, clipped: q.clipped };
    })!;
  }
}

export const lightnn: Scheme = {
  name: 'lightnn',
  description: 'LightNN (Ding et al.): weights of at most K powers of two, shift-add units in place of multipliers on the Eyeriss-like array',
  modes: eyeriss.modes,
  build: (ctx, arch) => new LightnnAccelerator(ctx, arch),
};
