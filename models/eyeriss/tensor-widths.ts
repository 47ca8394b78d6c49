/**
 * Per-tensor widths and speed of one layer on the Eyeriss-like hierarchy: the hook through which a
 * scheme whose precision depends on the data (DRQ's regions, outlier lanes) moves each tensor at
 * its real width. The layer's `RsHardware` carries them, so the mapping (footprints, estimates,
 * cache key), the arch/reference timelines (fetch, NoC streams, GLB port), `chargeCounts` (DRAM,
 * GLB, NoC, scratchpads) and op-count mode all read the same numbers. Without a profile every
 * width is the datapath's (fixed-precision designs).
 */
import type { RsHardware } from './mapping-types.ts';
import type { TensorWidths, LayerProfile } from '../common/tensor-widths.ts';

export type { TensorWidths, LayerProfile } from '../common/tensor-widths.ts';

/** The widths a layer runs at when no scheme says otherwise. */
export function datapathWidths(hw: RsHardware): TensorWidths {
  return { weightBits: hw.weightBits, inputBits: hw.activationBits, outputBits: hw.outputBits, psumBits: hw.psumBits, inputMetaBits: hw.inputMetaBits, outputMetaBits: hw.outputMetaBits };
}

function check(name: string, v: number, allowZero: boolean): void {
  if (!(Number.isFinite(v) && (allowZero ? v >= 0 : v > 0))) throw new Error(`layer profile: ${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${v}`);
}

/** The hardware a layer is mapped and charged on: `hw` with the profile's widths and speed. */
export function layerHardware(hw: RsHardware, profile?: LayerProfile): RsHardware {
  if (!profile || (!profile.widths && profile.cyclesPerMac === undefined)) return hw;
  const w = { ...datapathWidths(hw), ...profile.widths };
  for (const k of ['weightBits', 'inputBits', 'outputBits', 'psumBits'] as const) check(k, w[k], false);
  check('inputMetaBits', w.inputMetaBits, true);
  check('outputMetaBits', w.outputMetaBits, true);
  const cyclesPerMac = profile.cyclesPerMac ?? hw.cyclesPerMac;
  check('cyclesPerMac', cyclesPerMac, false);
  return {
    ...hw,
    weightBits: w.weightBits,
    activationBits: w.inputBits,
    outputBits: w.outputBits,
    psumBits: w.psumBits,
    inputMetaBits: w.inputMetaBits,
    outputMetaBits: w.outputMetaBits,
    cyclesPerMac,
  };
}
