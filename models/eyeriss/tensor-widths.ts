/**
 * Per-tensor widths and speed of one layer on the Eyeriss-like hierarchy: the hook through which a
 * scheme whose precision depends on the data (DRQ's regions, outlier lanes) moves each tensor at
 * its real width. The layer's `RsHardware` carries them, so the mapping (footprints, estimates,
 * cache key), the arch/reference timelines (fetch, NoC streams, GLB port), `chargeCounts` (DRAM,
 * GLB, NoC, scratchpads) and op-count mode all read the same numbers. Without a profile every
 * width is the datapath's (fixed-precision designs).
 */
import type { RsHardware } from './mapping-types.ts';

/** Bits per value of each tensor of one layer; fractional values are averages over the layer. */
export interface TensorWidths {
  weightBits: number;
  /** Input activations, as stored in DRAM, GLB, NoC and the ifmap spads. */
  inputBits: number;
  /** Output activations as written back to DRAM (after requantization). */
  outputBits: number;
  /** Partial sums in the psum spads, the psum NoC and the GLB. */
  psumBits: number;
  /** Metadata per input value, moved with it at DRAM, GLB and NoC (DRQ: 1 mask bit per 16-value region = 1/16). */
  inputMetaBits: number;
  /** Metadata per output value written to DRAM with it (e.g. the next layer's mask), 0 if none. */
  outputMetaBits: number;
}

/** What a scheme tells the hierarchy about one layer (all optional: defaults are the datapath's). */
export interface LayerProfile {
  widths?: Partial<TensorWidths>;
  /**
   * Expected cycles per MAC of the layer's precision mix (from the trace). The mapping search
   * scores candidates with it, it keys the mapping cache, and it is the nominal pass time of a
   * datapath without a per-pass hook.
   */
  cyclesPerMac?: number;
}

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
