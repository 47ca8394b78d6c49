/**
 * Where OLAccel's outlier activations sit in each pass of the Eyeriss row-stationary mapping
 * (arch and reference modes). The activation outliers of the trace become a per-pixel mask; each
 * PE's pass work reads S taps per output column from its ifmap row and channels (as DRQ's
 * variable-speed array does, models/drq/mixed-precision-array.ts), so the outlier MACs of a pass
 * are Σ over its PEs and columns of the outlier taps × the filters each PE holds. They run on the
 * array's shared outlier MAC units while the dense lanes run the pass (Park et al., ISCA 2018,
 * §IV: the two paths update partial sums in a pipelined way), so a pass takes the longer of the two.
 */
import type { Layer } from '../../sim/workload.ts';
import type { PassView } from '../eyeriss/pe.ts';
import type { PeWork } from '../eyeriss/mapping.ts';
import type { RegionMask } from '../drq/sensitivity.ts';
import { SensitiveTapTable } from '../drq/mixed-precision-array.ts';

/** The activation outliers of a conv layer's trace as a mask of 1×1 regions (one bit per value). */
export function outlierMask(layer: Layer, N: number, indices: Uint32Array): RegionMask {
  const mask = new Uint8Array(N * layer.C * layer.H * layer.W);
  for (const i of indices) mask[i] = 1;
  return {
    N,
    C: layer.C,
    H: layer.H,
    W: layer.W,
    regionSize: 1,
    regionsH: layer.H,
    regionsW: layer.W,
    mask,
    sensitiveRegions: indices.length,
    sensitiveFraction: mask.length > 0 ? indices.length / mask.length : 0,
    thresholdUsed: 0,
    policy: 'regions',
  };
}

/** Outlier taps per (image, row, channel block, column): the tap table of the outlier mask. */
export function outlierTapTable(layer: Layer, mask: RegionMask): SensitiveTapTable {
  return new SensitiveTapTable(layer, mask);
}

/** MACs of one pass that read an outlier activation; image n reads trace input (n + inputOffset) mod N. */
export function passOutlierMacs(view: PassView, table: SensitiveTapTable, inputOffset = 0): number {
  const { layer } = view;
  const cOffset = view.pass.g * (layer.C / layer.groups);
  let total = 0;
  view.pes((pe: Readonly<PeWork>) => {
    let taps = 0;
    for (let x = 0; x < layer.Q; x++) {
      for (let n = pe.n0; n < pe.n1; n++) taps += table.sensitiveTaps((n + inputOffset) % table.N, pe.ifmapRow, cOffset + pe.c0, cOffset + pe.c1, x);
    }
    total += taps * (pe.m1 - pe.m0);
  });
  return total;
}
