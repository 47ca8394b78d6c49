/**
 * A layer's DRQ region mask from its trace, computed once per layer trace in a process and once
 * across processes: kept in the disk cache (sim/disk-cache.ts) keyed by the layer, the
 * parameters, this code and the activations' recipe (a synthetic trace) or bytes (a loaded one),
 * so a warm run neither recomputes the mask nor draws or reads the activations behind it.
 */
import { cachedFromTensor } from '../../sim/disk-cache.ts';
import type { LayerTrace, Tensor } from '../../sim/trace.ts';
import type { Layer } from '../../sim/workload.ts';
import { sensitivityMask, type ParamSource, type RegionMask, type SensitivityParams } from './sensitivity.ts';

/** The files whose code decides a mask (part of the cache key). */
const MASK_SOURCES = ['models/drq/sensitivity.ts', 'models/drq/calibration.ts', 'models/drq/region-mask-cache.ts'];

/** sensitivityMask of the layer's input activations; its error when the trace has none. */
export function cachedRegionMask(layer: Layer, trace: LayerTrace | undefined, p: SensitivityParams, src: ParamSource): RegionMask {
  const compute = (act: Tensor | undefined) => sensitivityMask(layer, act, p, src);
  return (trace && cachedFromTensor('drq-masks', MASK_SOURCES, JSON.stringify([layer, p]), trace, 'activations', compute)) || compute(undefined);
}
