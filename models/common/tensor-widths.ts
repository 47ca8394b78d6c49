/**
 * Per-tensor widths of one layer: the hook through which a scheme whose precision depends on the
 * data (DRQ's regions, outlier lanes) tells an array — the Eyeriss-like one (models/eyeriss/
 * tensor-widths.ts) or the systolic one — at what width each tensor moves through every level
 * (DRAM, buffers, links, PE storage). Without a profile every width is the datapath's.
 */

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
