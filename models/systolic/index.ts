/**
 * Schemes on the systolic array. `systolic` is the plain array (integer or FP MACs as
 * `datapath.arithmetic` says); the quantized schemes bring their datapath and per-layer logic
 * and run on this array instead of the Eyeriss-like one (see models/systolic/schemes.ts).
 */
import type { Scheme } from '../../sim/scheme.ts';
import { SystolicAccelerator } from './accelerator.ts';

export const systolic: Scheme = {
  name: 'systolic',
  description: 'Systolic array (weight-, output- or input-stationary) with double-buffered ifmap/filter/ofmap SRAMs and DRAM; timing as SCALE-Sim v2 (Samajdar et al., ISPASS 2020)',
  modes: ['arch', 'opcount'],
  // The SRAMs are the `systolic` section's; no global buffer, NoC or PE scratchpads.
  sizedBy: { '/globalBuffer': '/systolic', '/noc': '/systolic', '/pe': '/systolic' },
  build: (ctx, arch) => new SystolicAccelerator(ctx, arch),
};
