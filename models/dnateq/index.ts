/**
 * DNA-TEQ (Khabbazan, Riera, González; arXiv 2306.16430): adaptive exponential quantization of
 * tensors and the three-stage unit that computes dot products in the exponent domain.
 */
import type { QuantizedLayer, QuantizedTrace, Scheme } from '../../sim/scheme.ts';
import { DnaTeqAccelerator, quantizeNetwork } from './accelerator.ts';
import { dnateqSpec } from './spec.ts';
import { encodeTensor } from './exponential.ts';
import { dnateqTensorQuantizer } from './tensor-quantizer.ts';
import type { LayerChoice } from './search.ts';
import { DNATEQ_PARAMETERS } from './parameters.ts';

export const dnateq: Scheme = {
  name: 'dnateq',
  description: 'DNA-TEQ: per-layer exponential quantization (Algorithm 1 base search, bitwidth 3–7) and an array of three-stage units (comparator bank, array counters, FP16 post-processing LUT)',
  modes: ['opcount', 'arch'],
  parameters: DNATEQ_PARAMETERS,
  needsTrace: true,
  // §IV: the array is a number of three-stage units, not a grid of PEs.
  sizedBy: { '/array': '/dnateq/units', '/pe': '/dnateq' },
  build: (ctx, arch) => new DnaTeqAccelerator(ctx, arch),
  quantize(trace, { arch, network, outputProxy }, rng): QuantizedTrace {
    const spec = dnateqSpec(arch);
    const seed = String(Math.floor(rng() * 2 ** 32));
    // End to end when the caller can run the network: the proxy of a τ step is the output error
    // with every layer's chosen quantizer applied in the forward pass.
    const choiceProxy = outputProxy && ((layers: readonly LayerChoice[]) => outputProxy(dnateqTensorQuantizer(new Map(layers.map((l) => [l.search.layer, l.chosen])))));
    const { quant, plans } = quantizeNetwork(network, trace, spec, seed, choiceProxy);
    const layers: QuantizedLayer[] = [];
    const rows: (string | number)[][] = [];
    for (const l of network.layers) {
      const plan = plans.get(l.name);
      const lt = trace.layers.get(l.name);
      if (!plan || !lt?.weights || !lt.activations) continue;
      const c = plan.chosen;
      layers.push({
        layer: l.name,
        codes: {
          weights: { shape: lt.weights.shape, data: encodeTensor(lt.weights.data, c.weights) },
          activations: { shape: lt.activations.shape, data: encodeTensor(lt.activations.data, c.activations) },
        },
        params: {
          bits: c.bits,
          base: c.weights.base,
          weights: { alpha: c.weights.alpha, beta: c.weights.beta, rmae: c.rmaeW, rss: plan.search.rssW },
          activations: { alpha: c.activations.alpha, beta: c.activations.beta, rmae: c.rmaeA, rss: plan.search.rssA, nonNegative: plan.search.activationsNonNegative },
          startsWith: plan.search.startsWith,
          tauA: plan.tauA,
          tauW: plan.tauW,
          outputRelError: c.outputRelError,
          offsetTerms: plan.offset,
          // Output error terms 2 and 4 offline introduce vs online on the trace (null: not possible here).
          offlineRelError: Number.isFinite(c.offlineRelError) ? c.offlineRelError : null,
          searchSteps: c.searchSteps,
          codeFormat: 'int8: 0 = zero, ±(e + E + 1) for exponent e in −E…E, E = 2^(n−1) − 1; sign of the code = sign of the value',
        },
      });
      const f = (x: number) => Number(x.toPrecision(4));
      rows.push([l.name, c.bits, f(c.weights.base), f(c.weights.alpha), f(c.weights.beta), f(c.activations.alpha), f(c.activations.beta), f(c.rmaeW), f(c.rmaeA), f(plan.search.rssW), f(plan.search.rssA), plan.search.startsWith[0]!, f(c.outputRelError), plan.offset, Number.isFinite(c.offlineRelError) ? f(c.offlineRelError) : '-']);
    }
    return {
      scheme: 'dnateq',
      network: network.name,
      source: trace.source,
      generator: trace.generator,
      params: {
        tauA: quant.tauA,
        tauAGiven: quant.tauAGiven,
        proxy: quant.proxy,
        proxyKind: outputProxy ? 'end-to-end output relative error (RMS over inputs)' : 'root-sum-square of sampled layer output relative errors',
        proxyBudget: spec.search.proxyBudget,
        overBudget: quant.overBudget,
        forcedBits: spec.bits ?? null,
        search: spec.search,
      },
      tensorQuantizer: dnateqTensorQuantizer(new Map([...plans].map(([name, p]) => [name, p.chosen]))),
      layers,
      table: {
        header: ['layer', 'n', 'b', 'α_w', 'β_w', 'α_a', 'β_a', 'RMAE_w', 'RMAE_a', 'RSS_w', 'RSS_a', 'start', 'out err', 'terms 2,4', 'offline err'],
        rows,
      },
    };
  },
};
